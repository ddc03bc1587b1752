package dev.shortrun.model.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run's tensors live: the setting {@code resources.device} ({@code cpu}, {@code gpu}, {@code gpu:N},
 * {@code auto}) resolved against the GPUs libtorch sees, and held for the work of one run on one thread.
 *
 * <p>Work that creates tensors takes its root manager from {@link #newManager()} (and the metrics networks their
 * device from {@link #current()}), which gives the device of the thread's {@link Scope}, or the CPU outside one: as
 * {@code with torch.device(...)} does in PyTorch, so that a worker's training, sampling and scoring follow its run's
 * setting without the device being passed through every model class. DJL's own default would be the first GPU
 * whenever a CUDA libtorch sees one, whatever the run asked for.
 */
public final class Devices {
    /** The forms of the setting, for help texts and error messages. */
    public static final String FORMS = "cpu, gpu (a free GPU), gpu:N (GPU N, from 0) or auto (a GPU if libtorch sees "
            + "one, else the CPU)";
    private static final Pattern SETTING = Pattern.compile("cpu|auto|gpu(?::(\\d{1,3}))?");
    private static final ThreadLocal<Device> CURRENT = new ThreadLocal<>();
    /** Scopes open now on each GPU of this process: {@code gpu} and {@code auto} take the least used one. */
    private static int[] inUse = new int[0];

    private Devices() {
    }

    /** Null when {@code setting} is one of the {@link #FORMS}, else what is wrong with it. */
    public static String problem(String setting) {
        return setting != null && SETTING.matcher(setting).matches() ? null
                : "'" + setting + "' is not a device: expected " + FORMS;
    }

    /** How many GPUs libtorch sees (0 with the bundled CPU build). */
    public static int gpuCount() {
        return Engine.getEngine("PyTorch").getGpuCount();
    }

    /**
     * Opens a scope on this thread with the device {@code setting} asks for, on this machine. Asking for a GPU that
     * libtorch does not see is an {@link IllegalArgumentException} saying how to get one, never a silent CPU run.
     */
    public static Scope use(String setting) {
        Matcher m = SETTING.matcher(String.valueOf(setting));
        if (!m.matches()) {
            throw new IllegalArgumentException("device " + problem(setting));
        }
        if (setting.equals("cpu")) {
            return new Scope(Device.cpu());
        }
        int gpus = gpuCount();
        if (setting.equals("auto") && gpus == 0) {
            return new Scope(Device.cpu());
        }
        if (gpus == 0) {
            throw new IllegalArgumentException("device " + setting + ": " + libtorch() + " sees no GPU. " + (bundled()
                    ? "Maven Central has only the CPU build of libtorch: install the CUDA build with `bash "
                    + "infra/gpu/install-libtorch.sh` and `source` the file it prints (README, \"Train on a GPU\")."
                    : "Is the NVIDIA driver installed (nvidia-smi)?") + " Or set the device to cpu or auto.");
        }
        int asked = m.group(1) != null ? Integer.parseInt(m.group(1)) : -1;
        if (asked >= gpus) {
            throw new IllegalArgumentException("device " + setting + ": libtorch sees " + gpus + " GPU(s), "
                    + "numbered from 0");
        }
        return new Scope(Device.gpu(take(gpus, asked)));
    }

    /** The device of this thread's scope; the CPU outside one. */
    public static Device current() {
        Device d = CURRENT.get();
        return d != null ? d : Device.cpu();
    }

    /** A root manager on {@link #current()}. */
    public static NDManager newManager() {
        return NDManager.newBaseManager(current());
    }

    /**
     * Which libtorch this process runs on, e.g. "libtorch 2.7.1 (bundled CPU build)" or "libtorch 2.7.1 (cu128,
     * PYTORCH_LIBRARY_PATH=...)"; with the file it was loaded from where the OS says.
     */
    public static String libtorch() {
        String version = Engine.getEngine("PyTorch").getVersion();
        String from = bundled() ? "bundled CPU build"
                : System.getenv().getOrDefault("PYTORCH_FLAVOR", "?") + ", PYTORCH_LIBRARY_PATH="
                + System.getenv("PYTORCH_LIBRARY_PATH");
        return "libtorch " + version + " (" + from + loadedFrom().map(p -> ", loaded from " + p).orElse("") + ")";
    }

    private static boolean bundled() {
        return System.getenv("PYTORCH_LIBRARY_PATH") == null;
    }

    /** The libtorch_cpu library this process mapped (Linux: /proc/self/maps), when it can tell. */
    static Optional<String> loadedFrom() {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(p -> p.endsWith("/libtorch_cpu.so"))
                    .findFirst().map(p -> Path.of(p).getParent().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Counts a scope on GPU {@code asked}, or on the least used one when it is -1; returns its index. */
    private static synchronized int take(int gpus, int asked) {
        if (inUse.length != gpus) {
            inUse = new int[gpus];
        }
        int index = asked >= 0 ? asked : 0;
        for (int i = 1; asked < 0 && i < gpus; i++) {
            if (inUse[i] < inUse[index]) {
                index = i;
            }
        }
        inUse[index]++;
        return index;
    }

    private static synchronized void release(int index) {
        inUse[index]--;
    }

    /**
     * The device of one run's work on one thread, from {@link #use} until closed: a sweep's concurrent runs (Flink
     * slots) with {@code gpu} each get the least used GPU, one each while there are enough.
     */
    public static final class Scope implements AutoCloseable {
        private final Device device;
        private final Device outer;

        private Scope(Device device) {
            this.device = device;
            this.outer = CURRENT.get();
            CURRENT.set(device);
        }

        public Device device() {
            return device;
        }

        /** As the setting writes it: cpu, gpu:N. */
        @Override
        public String toString() {
            return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
        }

        @Override
        public void close() {
            if (device.isGpu()) {
                release(device.getDeviceId());
            }
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }
}
