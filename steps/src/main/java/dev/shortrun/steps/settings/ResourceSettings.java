package dev.shortrun.steps.settings;

import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.RunSpec;

/** {@code resources.*}: how much of the machine a pipeline uses. */
public final class ResourceSettings {
    public static final Section SECTION = new Section("resources", "how much of the machine runs use", false);

    public static final Setting<Integer> PARALLELISM = SECTION.add(Setting.integer("parallelism", "Runs (worker "
            + "slots) executed at once.").between(1, 1024).defaultValue(1));
    public static final Setting<Integer> THREADS_PER_WORKER = SECTION.add(Setting.integer("threads_per_worker",
            "PyTorch intra-op threads of each worker (cores / parallelism).").between(1, 1024)
            .defaultTo("2 for images, 1 for 2D toys (tiny ops lose to threading overhead)",
                    c -> Torch.defaultThreads(c.toy())).flags("--threads"));
    public static final Setting<String> DEVICE = SECTION.add(Setting.text("device", "Where a run's tensors live: "
            + Devices.FORMS + ". A GPU needs a CUDA build of libtorch (infra/gpu/install-libtorch.sh); asking for one "
            + "that libtorch does not see fails the run, never a silent CPU run. Not part of the run's hash: a "
            + "checkpoint resumes on any device.").defaultValue("cpu"));

    private ResourceSettings() {
    }

    public static RunSpec.Resources resolve(SettingsReader r) {
        int parallelism = r.get(PARALLELISM);
        int threads = r.get(THREADS_PER_WORKER);
        String device = r.get(DEVICE);
        if (Devices.problem(device) != null) {
            throw r.error(DEVICE, Devices.problem(device));
        }
        return new RunSpec.Resources(parallelism, threads, device);
    }
}
