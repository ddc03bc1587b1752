package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * Reverse-mode autodiff straight on PyTorch's per-thread grad mode. DJL's GradientCollector holds a JVM-wide lock
 * (only one may exist at a time), which would serialise concurrent runs in one JVM; this does not.
 */
public final class Autograd {
    private Autograd() {
    }

    /** Runs {@code body} with gradient recording on, restoring the thread's previous mode afterwards. */
    public static <T> T recording(Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** Turns recording off on this thread; updates and bookkeeping must never build graphs. */
    public static void stopRecording() {
        JniUtils.setGradMode(false);
    }

    /** Back-propagates a scalar {@code target}; gradients accumulate into the leaves that require them. */
    public static void backward(NDArray target) {
        try (NDArray seed = target.onesLike()) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) seed, false, false);
        }
    }

    /**
     * Back-propagates with an explicit output gradient, optionally keeping and differentiating the graph
     * (for Hessian-vector products through a chain).
     */
    public static void backward(NDArray target, NDArray outputGradient, boolean keepGraph, boolean createGraph) {
        JniUtils.backward((PtNDArray) target, (PtNDArray) outputGradient, keepGraph, createGraph);
    }
}
