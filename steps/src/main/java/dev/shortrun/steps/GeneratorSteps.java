package dev.shortrun.steps;

import dev.shortrun.model.generator.GeneratorTasks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The generator experiments as pipeline steps. Their settings are resolved spec keys, read from the run's params
 * ({@code interpolate.*}, {@code reconstruct.*}, {@code superres.*}; defaults and checks in the spec resolver).
 */
public final class GeneratorSteps {
    public static final String INTERPOLATE = "interpolate";
    public static final String RECONSTRUCT = "reconstruct";
    public static final String SUPERRES = "superres";

    private GeneratorSteps() {
    }

    /** Figure 3 strips. */
    public static GeneratorStep interpolate() {
        return new GeneratorStep(INTERPOLATE, (sampler, spec, dir, base) -> {
            Path png = dir.resolve("interpolation-" + base + ".png");
            GeneratorTasks.interpolation(sampler, png, integer(spec, "interpolate.pairs"),
                    integer(spec, "interpolate.points"), 0, seed(spec, "interpolate.seed"));
            return new GeneratorStep.Outcome(Map.of(), List.of(png));
        });
    }

    /** Table 1b's MSE per pixel on held-out examples (metric {@code recon_mse}) and the Figure 4 transition. */
    public static GeneratorStep reconstruct() {
        return new GeneratorStep(RECONSTRUCT, (sampler, spec, dir, base) -> {
            Path png = dir.resolve("reconstruction-" + base + ".png");
            var result = GeneratorTasks.reconstruct(sampler, null, integer(spec, "reconstruct.n"),
                    integer(spec, "reconstruct.steps"), number(spec, "reconstruct.lr"),
                    integer(spec, "reconstruct.batch"), 0, seed(spec, "reconstruct.seed"), png,
                    (done, total, loss) -> { });
            return new GeneratorStep.Outcome(Map.of("recon_mse", result.report().mse(),
                    "recon_baseline_mse", result.baselineMse(),
                    "recon_seconds_per_step", result.report().secondsPerStep()), List.of(png));
        });
    }

    /** Figure 8: several seeds per low-resolution test image (metric {@code superres_mse}). */
    public static GeneratorStep superres() {
        return new GeneratorStep(SUPERRES, (sampler, spec, dir, base) -> {
            int low = integer(spec, "superres.low");
            Path png = dir.resolve("superres-" + base + "-low" + low + ".png");
            double mse = GeneratorTasks.superResolution(sampler, null, png, integer(spec, "superres.n"), low,
                    integer(spec, "superres.seeds"), 0, seed(spec, "superres.seed"));
            return new GeneratorStep.Outcome(Map.of("superres_mse", mse), List.of(png));
        });
    }

    private static int integer(RunSpec spec, String key) {
        return Integer.parseInt(param(spec, key));
    }

    private static long seed(RunSpec spec, String key) {
        return Long.parseLong(param(spec, key));
    }

    private static double number(RunSpec spec, String key) {
        return Double.parseDouble(param(spec, key));
    }

    private static String param(RunSpec spec, String key) {
        String value = spec.params().get(key);
        if (value == null) {
            throw new IllegalArgumentException("run " + spec.runName() + " has no resolved setting " + key);
        }
        return value;
    }
}
