package dev.shortrun.config;

import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepDefinition;
import dev.shortrun.steps.settings.ResolutionContext;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.TrainingSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads pipeline specs ({@code pipelines/*.yaml}) and sweeps ({@code sweeps/*.yaml}) into resolved, validated
 * {@link RunSpec}s. Every problem is a {@link SpecException} naming the file, line and key path.
 *
 * <p>Order of precedence, lowest first: defaults, the pipeline file, a sweep's {@code set}, the sweep point,
 * {@code --set} overrides.
 */
public final class SpecLoader {
    private final Map<String, String> env;
    private final Path workingDir;

    /** Reads MLFLOW_TRACKING_URI from the environment; {@code output} is relative to the current directory. */
    public SpecLoader() {
        this(System.getenv(), Path.of(""));
    }

    public SpecLoader(Map<String, String> env, Path workingDir) {
        this.env = Map.copyOf(env);
        this.workingDir = workingDir.toAbsolutePath();
    }

    /** A pipeline spec: one run. (A list, so a CLI can treat pipelines and sweeps alike.) */
    public List<RunSpec> loadPipeline(Path yaml, List<CommandLineValue> sets) {
        Settings settings = Settings.fromTree(YamlReader.readFile(yaml));
        Map<String, SpecNode> overrides = Overrides.parse(sets, workingDir);
        overrides.forEach(settings::override);
        RunResolver.Context context = new RunResolver.Context(SweepReader.stem(yaml), null, List.of(), env,
                workingDir);
        RunSpec run = RunResolver.resolve(settings, context);
        return List.of(overrides.isEmpty() ? RunOrigins.ofPipeline(run, yaml, workingDir, run.params(), List.of())
                : RunOrigins.ofPipeline(run, yaml, workingDir, paramsAlone(yaml), overrides.keySet()));
    }

    /** The params of a pipeline spec resolved on its own, or null when it is not valid on its own. */
    private Map<String, String> paramsAlone(Path yaml) {
        try {
            return RunResolver.resolve(Settings.fromTree(YamlReader.readFile(yaml)), new RunResolver.Context(
                    SweepReader.stem(yaml), null, List.of(), env, workingDir)).params();
        } catch (SpecException e) {
            return null; // e.g. it needs dataset.dir, which the sweep or the command line gives
        }
    }

    /** A sweep: its base pipeline (or each of its base pipelines) resolved once per point. */
    public Sweep loadSweep(Path yaml, List<CommandLineValue> sets) {
        SweepReader.SweepFile sweep = SweepReader.read(yaml);
        Where top = Where.inFile(yaml, 1);
        if (!SpecLimits.NAME.matcher(sweep.name()).matches()) {
            throw new SpecException(top, "name", SpecLimits.NAME_RULE + ", found '" + sweep.name() + "'");
        }
        Map<String, SpecNode> overrides = Overrides.parse(sets, workingDir);
        for (Map.Entry<String, SpecNode> o : overrides.entrySet()) {
            if (sweep.sweptKeys().contains(o.getKey())) {
                throw new SpecException(o.getValue().where(), o.getKey(), "is swept by the axes of " + yaml
                        + "; --set cannot fix a swept key (edit the axes instead)");
            }
        }
        SweepReader.requireFewPoints((long) sweep.baseFiles().size() * sweep.points().size(), top);
        List<RunSpec> runs = new ArrayList<>();
        Map<String, Map<String, String>> seen = new HashMap<>();
        for (Path baseFile : sweep.baseFiles()) {
            if (!Files.isRegularFile(baseFile)) {
                throw new SpecException(top, "base", "no pipeline spec at " + baseFile
                        + " (base is relative to the sweep file's directory)");
            }
            Settings base = Settings.fromTree(YamlReader.readFile(baseFile));
            sweep.fixed().forEach(base::override);
            overrides.forEach(base::override);
            RunResolver.Context context = new RunResolver.Context(SweepReader.stem(baseFile), sweep.name(),
                    sweep.sweptKeys(), env, workingDir);
            for (Map<String, SpecNode> point : sweep.points()) {
                Settings settings = base.copy();
                point.forEach(settings::override);
                RunSpec run = RunResolver.resolve(settings, context);
                Map<String, String> same = seen.putIfAbsent(run.specHash(), run.sweepPoint());
                if (same != null) {
                    throw new SpecException(top, "axes", "points " + same + " and " + run.sweepPoint()
                            + " are the same run (hash " + run.specHash() + "); remove the repeated value");
                }
                runs.add(run);
            }
        }
        Map<Path, Map<String, String>> alone = new HashMap<>();
        runs = RunOrigins.ofSweep(yaml, sweep, runs, overrides.keySet(), workingDir,
                base -> alone.computeIfAbsent(base, this::paramsAlone));
        return new Sweep(sweep.name(), sweep.description(), sweep.maxConcurrency(), runs, sweep.baseFiles(),
                sweep.objective(), sweep.regression());
    }

    /**
     * The training configuration from command-line values alone (the {@code train} command's flags), resolved
     * exactly as a pipeline's: the same defaults, checks and messages.
     */
    public TrainConfig loadTraining(List<CommandLineValue> values) {
        Settings settings = Settings.commandLine(workingDir);
        Overrides.parse(values, workingDir).forEach(settings::override);
        ResolutionContext context = new ResolutionContext(env);
        return TrainingSettings.resolve(new ValueReader(settings, context), context);
    }

    /**
     * One setting from command-line values (the defaults of a trained run's data: toys have their own; null for a
     * setting whose default needs no run, such as {@code tracking.mlflow_uri}).
     */
    public <T> T loadSetting(Setting<T> setting, TrainConfig trained, List<CommandLineValue> values) {
        return reader(trained, values).get(setting);
    }

    /**
     * A step's settings for a trained run from command-line values (a command's flags): its defaults follow the
     * run's stored training configuration (seed, training K, dataset), as in a pipeline.
     */
    public <S> S loadStep(StepDefinition<S> step, TrainConfig trained, List<CommandLineValue> values) {
        return step.resolve(reader(trained, values));
    }

    /** @param trained the trained run the values are for, or null for settings whose defaults need none */
    private ValueReader reader(TrainConfig trained, List<CommandLineValue> values) {
        Settings settings = Settings.commandLine(workingDir);
        Overrides.parse(values, workingDir).forEach(settings::override);
        return new ValueReader(settings, trained == null ? new ResolutionContext(env)
                : ResolutionContext.ofTrained(trained, env));
    }
}
