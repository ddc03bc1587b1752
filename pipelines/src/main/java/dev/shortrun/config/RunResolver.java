package dev.shortrun.config;

import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepDefinition;
import dev.shortrun.steps.StepRegistry;
import dev.shortrun.steps.StepSettings;
import dev.shortrun.steps.settings.PipelineSettings;
import dev.shortrun.steps.settings.ResolutionContext;
import dev.shortrun.steps.settings.ResourceSettings;
import dev.shortrun.steps.settings.RunnerSettings;
import dev.shortrun.steps.settings.SamplerSettings;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.TrackingSettings;
import dev.shortrun.steps.settings.TrainingSettings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a spec's settings into a {@link RunSpec}: each unit resolves its own declared settings (training, the steps,
 * tracking, runner, resources) with their defaults and rules; this class orders them, names the run (its hash over
 * the settings that decide its results) and places its directory.
 */
final class RunResolver {

    /**
     * What the resolution needs besides the settings.
     *
     * @param defaultName pipeline name when the spec has no {@code name} (the file name without .yaml)
     * @param sweepName   for sweep points: the sweep's name, which names the runs; else null
     * @param sweptKeys   key paths swept by the sweep, in axis order (empty when not swept)
     * @param env         environment (for MLFLOW_TRACKING_URI)
     * @param workingDir  what {@code output} is relative to
     */
    record Context(String defaultName, String sweepName, List<String> sweptKeys, Map<String, String> env,
                   Path workingDir) {
    }

    private RunResolver() {
    }

    static RunSpec resolve(Settings settings, Context context) {
        ResolutionContext defaults = new ResolutionContext(context.env());
        ValueReader r = new ValueReader(settings, defaults);
        String fileName = r.get(PipelineSettings.NAME, context.defaultName());
        if (!SpecLimits.NAME.matcher(fileName).matches()) {
            throw r.error(PipelineSettings.NAME, SpecLimits.NAME_RULE + ", found '" + fileName + "'");
        }
        String name = context.sweepName() != null ? context.sweepName() : fileName;
        r.params().put(PipelineSettings.NAME.path(), name); // a sweep point belongs to the sweep, whatever its file
        defaults.pipeline(name);
        r.get(PipelineSettings.DESCRIPTION);

        TrainConfig train = TrainingSettings.resolve(r, defaults);
        List<String> steps = r.get(PipelineSettings.STEPS);
        StepSettings stepSettings = stepSettings(r, steps, train);
        RunSpec.Tracking tracking = TrackingSettings.resolve(r);
        RunSpec.Runner runner = RunnerSettings.resolve(r);
        RunSpec.Resources resources = ResourceSettings.resolve(r);
        String precisionProblem = train.langevin().chainPrecision().problem(resources.device());
        if (precisionProblem != null) {
            throw r.error(SamplerSettings.PRECISION, precisionProblem);
        }
        String output = r.get(PipelineSettings.OUTPUT);

        Map<String, String> sweepPoint = new LinkedHashMap<>();
        for (String key : context.sweptKeys()) {
            sweepPoint.put(key, key.equals(SweepReader.PIPELINE_AXIS) ? fileName
                    : r.params().getOrDefault(key, "null"));
        }
        String hash = SpecHash.of(r.params());
        String runName = sweepPoint.isEmpty() ? name + "-" + hash : name + "-" + suffix(sweepPoint) + "-" + hash;
        String outputDir = context.workingDir().resolve(output).resolve(name).resolve(runName)
                .toAbsolutePath().normalize().toString();
        if (!train.data().isToy()) {
            // decoded data sets are cached once per output folder (the prepare step fills it): not in params, so
            // the cache's place never changes a run's hash
            String cacheDir = context.workingDir().resolve(output).resolve("cache").toAbsolutePath().normalize()
                    .toString();
            train = new TrainConfig(train.data().withCacheDir(cacheDir), train.net(), train.langevin(),
                    train.learner(), train.seed(), train.iterations(), train.checkpointEvery(), train.gridEvery());
        }
        return new RunSpec(name, runName, hash, train, steps, stepSettings, tracking, runner, resources, outputDir,
                r.params(), sweepPoint);
    }

    /**
     * The settings of each step the run lists (and the sample step's, which every run records); a step's settings
     * given for a step the run does not list are an error rather than silently unused, and so is a step listed for
     * data it cannot work on.
     */
    private static StepSettings stepSettings(ValueReader r, List<String> steps, TrainConfig train) {
        Map<String, Object> byStep = new LinkedHashMap<>();
        String dataset = train.data().dataset();
        boolean toy = train.data().isToy();
        for (StepDefinition<?> step : StepRegistry.all()) {
            boolean listed = steps.contains(step.name());
            if (listed && step.data() == StepDefinition.Data.IMAGES && toy) {
                throw r.error(PipelineSettings.STEPS, "the " + step.name() + " step needs image data; " + dataset
                        + " is a 2D toy");
            }
            if (listed && step.data() == StepDefinition.Data.TOYS && !toy) {
                throw r.error(PipelineSettings.STEPS, "the " + step.name() + " step needs a 2D toy data set (gmm, "
                        + "rings), not " + dataset);
            }
            if (listed || step.alwaysResolved()) {
                byStep.put(step.name(), step.resolve(r));
            } else {
                for (Setting<?> setting : step.settings().settings()) {
                    if (r.isGiven(setting)) {
                        throw r.error(setting, "only used by the " + step.name() + " step, which is not in steps; "
                                + "add " + step.name() + " to steps or remove this key");
                    }
                }
            }
        }
        return new StepSettings(byStep);
    }

    /** A readable tag of the swept values, e.g. {@code K25-sigma0.05}. */
    private static String suffix(Map<String, String> sweepPoint) {
        List<String> parts = new ArrayList<>();
        sweepPoint.forEach((key, value) -> parts.add(key.equals(SweepReader.PIPELINE_AXIS) ? value
                : key.substring(key.lastIndexOf('.') + 1) + shortValue(value)));
        return String.join("-", parts).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Numbers to 3 significant digits (the hash keeps runs apart); other text as is. */
    private static String shortValue(String value) {
        try {
            BigDecimal number = new BigDecimal(value);
            return number.round(new MathContext(3)).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException | NullPointerException e) {
            return value;
        }
    }
}
