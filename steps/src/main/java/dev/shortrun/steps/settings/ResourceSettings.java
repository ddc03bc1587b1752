package dev.shortrun.steps.settings;

import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.RunSpec;

import java.util.List;

/** {@code resources.*}: how much of the machine a pipeline uses. */
public final class ResourceSettings {
    public static final Section SECTION = new Section("resources", "how much of the machine runs use", false);

    public static final Setting<Integer> PARALLELISM = SECTION.add(Setting.integer("parallelism", "Runs (worker "
            + "slots) executed at once.").between(1, 1024).defaultValue(1));
    public static final Setting<Integer> THREADS_PER_WORKER = SECTION.add(Setting.integer("threads_per_worker",
            "PyTorch intra-op threads of each worker (cores / parallelism).").between(1, 1024)
            .defaultTo("2 for images, 1 for 2D toys (tiny ops lose to threading overhead)",
                    c -> Torch.defaultThreads(c.toy())).flags("--threads"));
    public static final Setting<String> DEVICE = SECTION.add(Setting.choice("device", "Where tensors live: cpu; gpu "
            + "is refused until a CUDA libtorch is supported (never a silent CPU run).", List.of("cpu", "gpu"))
            .defaultValue("cpu"));

    private ResourceSettings() {
    }

    public static RunSpec.Resources resolve(SettingsReader r) {
        int parallelism = r.get(PARALLELISM);
        int threads = r.get(THREADS_PER_WORKER);
        String device = r.get(DEVICE);
        if (device.equals("gpu")) {
            throw r.error(DEVICE, "gpu is not supported yet: shortrun runs on the bundled CPU build of libtorch, "
                    + "and would silently train on the CPU; use cpu");
        }
        return new RunSpec.Resources(parallelism, threads, device);
    }
}
