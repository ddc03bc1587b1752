package dev.shortrun.model.torch;

import ai.djl.engine.Engine;

/**
 * Engine set-up that must happen before the first NDArray: offline mode (nothing is ever downloaded) and the
 * PyTorch thread pools. DJL reads these as system properties when the engine starts.
 */
public final class Torch {
    private Torch() {
    }

    /** Default intra-op threads of a run: 2 for images, 1 for 2D toys, whose tiny ops lose to threading overhead. */
    public static int defaultThreads(boolean toy) {
        return toy ? 1 : 2;
    }

    /**
     * @param threads intra-op threads (cores / concurrent runs); 0 keeps what the system properties say
     */
    public static synchronized void configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        Engine.getEngine("PyTorch");
    }
}
