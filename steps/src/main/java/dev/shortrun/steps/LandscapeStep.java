package dev.shortrun.steps;

import dev.shortrun.model.landscape.LandscapeMapping;
import dev.shortrun.model.landscape.LandscapeSettings;
import dev.shortrun.model.longrun.LongRunSettings;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.steps.settings.Range;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code landscape} step: basins, barriers and the disconnectivity tree of the run's last checkpoint (Anatomy
 * paper, Figure 9), by attraction-diffusion ({@link LandscapeMapping}). Metrics at the checkpoint's iteration:
 * {@code landscape_basins}, {@code landscape_barrier_min/median/max} (barriers above the shallower basin's minimum, U
 * units), {@code landscape_samples}, {@code landscape_trees}, and for 2D toys the comparison with the exact grid
 * answer ({@code landscape_grid_basins}, {@code landscape_found}, {@code landscape_barrier_error_mean/max}, ...); the
 * tag {@code landscape_summary}; artifacts under {@code landscape/}: the Figure 9 picture, the toys' basin map and
 * the JSON of basins and barriers, which also stay in {@code <run>/landscape/}.
 */
public final class LandscapeStep extends StepDefinition<LandscapeSettings> {
    public static final String NAME = "landscape";
    private static final Logger LOG = LoggerFactory.getLogger(LandscapeStep.class);
    private static final LandscapeSettings TOYS = LandscapeSettings.forToys();
    private static final LandscapeSettings IMAGES = LandscapeSettings.forImages();
    public static final Section SECTION = new Section(NAME, "energy landscape: basins, barriers and the "
            + "disconnectivity tree by attraction-diffusion (Anatomy paper, Figure 9)", false);

    public static final Setting<Integer> SAMPLES = SECTION.add(byData(Setting.integer("samples", "Metastable "
            + "samples to map.").between(2, 1_000_000), LandscapeSettings::samples));
    public static final Setting<Integer> CHAIN_STEPS = SECTION.add(byData(Setting.integer("chain_steps", "Long-run "
            + "Langevin steps at the training temperature that make them metastable (the paper's long runs are "
            + "100000).").between(0, 100_000_000), LandscapeSettings::chainSteps));
    public static final Setting<String> FROM = SECTION.add(byData(Setting.choice("from", "Long-run chains start "
            + "from the run's p0 noise, its data, or half from each.", List.of("noise", "data", "both")),
            s -> s.from().name().toLowerCase(Locale.ROOT)));
    public static final Setting<Integer> QUENCH_STEPS = SECTION.add(byData(Setting.integer("quench_steps",
            "Noise-free steps after the long run (gradient descent on U with the training step), so each sample "
                    + "sits at a local minimum.").between(0, 100_000_000), LandscapeSettings::quenchSteps));
    public static final Setting<Double> MAGNETIZATION = SECTION.add(byData(Setting.number("magnetization", "alpha "
            + "of the grouping chains, U per unit distance: too small splits basins, too large drags chains over "
            + "real barriers.").range(Range.POSITIVE), LandscapeSettings::magnetization));
    public static final Setting<Double> BARRIER_MAGNETIZATION = SECTION.add(byData(Setting.number(
            "barrier_magnetization", "alpha of the chains between basin minima that measure barriers (normally well "
                    + "above magnetization).").range(Range.POSITIVE), LandscapeSettings::barrierMagnetization));
    public static final Setting<Integer> BARRIER_ROUNDS = SECTION.add(byData(Setting.integer("barrier_rounds",
            "Pairs no barrier chain joined are tried again at 8 times the magnetization, up to this many rounds in "
                    + "all.").between(1, 100), LandscapeSettings::barrierRounds));
    public static final Setting<Double> TEMPERATURE = SECTION.add(byData(Setting.number("temperature", "tau: the "
            + "AD chains' temperature as a fraction of the training temperature; lower sees lower barriers.")
            .range(Range.DECAY_FACTOR), LandscapeSettings::temperature));
    public static final Setting<Double> STEP_SCALE = SECTION.add(byData(Setting.number("step_scale", "kappa: the "
            + "AD chains' step as a fraction of the training step; smaller steps miss less of a crest.")
            .range(Range.DECAY_FACTOR), LandscapeSettings::stepScale));
    public static final Setting<Integer> BUDGET = SECTION.add(byData(Setting.integer("budget", "Most steps of one "
            + "AD chain.").between(1, 100_000_000), LandscapeSettings::budget));
    public static final Setting<Integer> PATIENCE = SECTION.add(byData(Setting.integer("patience", "Steps without "
            + "coming closer to the target before an AD chain gives up.").between(1, 100_000_000),
            LandscapeSettings::patience));
    public static final Setting<Double> ARRIVAL = SECTION.add(byData(Setting.number("arrival", "L2 distance to the "
            + "target that counts as arrived.").range(Range.POSITIVE), LandscapeSettings::arrival));
    public static final Setting<Integer> TRIALS = SECTION.add(byData(Setting.integer("trials", "AD chains per "
            + "direction and pair; a barrier is the lowest over those that arrive.").between(1, 1000),
            LandscapeSettings::trials));
    public static final Setting<Integer> NEIGHBOURS = SECTION.add(byData(Setting.integer("neighbours", "A sample "
            + "is tried against the basins with the N nearest minima; barriers are measured to each basin's N "
            + "nearest minima, plus a shortest tree through all minima.").between(1, 1000),
            LandscapeSettings::neighbours));
    public static final Setting<Integer> BATCH = SECTION.add(byData(Setting.integer("batch", "Most chains advanced "
            + "together.").between(1, 1_000_000), LandscapeSettings::batch));
    public static final Setting<Integer> SHOWN = SECTION.add(byData(Setting.integer("shown", "Member images per "
            + "basin column in the Figure 9 picture.").between(1, 100), LandscapeSettings::shown));
    public static final Setting<Double> MIN_DEPTH = SECTION.add(byData(Setting.number("min_depth", "A basin whose "
            + "barrier to a deeper basin lies less than this above its minimum (U units) is merged into it; applied "
            + "alike to the map and to the toys' exact grid reference.").range(Range.NON_NEGATIVE),
            LandscapeSettings::minDepth));
    public static final Setting<Long> SEED = SECTION.add(byData(Setting.longInteger("seed", "Seed of the chain "
            + "starts and of every chain's noise."), LandscapeSettings::seed));
    public static final LandscapeStep STEP = new LandscapeStep();

    private LandscapeStep() {
        super(SECTION, LandscapeSettings.class, Data.ANY);
    }

    /**
     * The default of a setting from {@link LandscapeSettings#forToys()} and {@link LandscapeSettings#forImages()}, the
     * one source of these numbers: one value when they agree, else chosen by the run's data.
     */
    private static <T> Setting.Builder<T> byData(Setting.Builder<T> setting, Function<LandscapeSettings, T> field) {
        T toys = field.apply(TOYS);
        T images = field.apply(IMAGES);
        if (toys.equals(images)) {
            return setting.defaultValue(toys);
        }
        return setting.defaultTo(text(toys) + " for 2D toys, " + text(images) + " for images",
                c -> c.toy() ? toys : images);
    }

    private static String text(Object value) {
        return value instanceof Double d ? Range.format(d) : String.valueOf(value);
    }

    @Override
    public LandscapeSettings resolve(SettingsReader r) {
        return new LandscapeSettings(r.get(SAMPLES), r.get(CHAIN_STEPS), LongRunSettings.parseStarts(r.get(FROM)),
                r.get(QUENCH_STEPS), r.get(MAGNETIZATION), r.get(BARRIER_MAGNETIZATION), r.get(BARRIER_ROUNDS),
                r.get(TEMPERATURE), r.get(STEP_SCALE), r.get(BUDGET), r.get(PATIENCE), r.get(ARRIVAL), r.get(TRIALS),
                r.get(NEIGHBOURS), r.get(BATCH), r.get(SHOWN), r.get(MIN_DEPTH), r.get(SEED));
    }

    @Override
    public CheckpointStepFn<LandscapeSettings> newFn() {
        return new Fn();
    }

    static final class Fn extends CheckpointStepFn<LandscapeSettings> {
        Fn() {
            super(NAME, LandscapeSettings.class, RunDirectory.LANDSCAPE);
        }

        /** The run's final energy, once: a mapping costs thousands of chains. */
        @Override
        protected boolean appliesTo(CheckpointRef ref, LandscapeSettings settings) {
            return ref.last();
        }

        @Override
        protected StepOutcome compute(CheckpointRef ref, RunSpec spec, LandscapeSettings settings) {
            RunProgress progress = progress(ref, "done", 1);
            String[] current = {""};
            LandscapeMapping.Outcome outcome = LandscapeMapping.run(Path.of(ref.checkpointJson()), settings,
                    new RunDirectory(Path.of(spec.outputDir())).landscapeDir(), (name, done, total) -> {
                        if (!name.equals(current[0])) { // a new phase: its own count, rate and total
                            current[0] = name;
                            progress.phase(NAME + " iter " + ref.iteration() + " " + name, total);
                        }
                        progress.update(done, () -> "");
                    });
            String summary = String.join("; ", outcome.landscape().summary());
            LOG.info("[{}] landscape iter {}: {}", spec.runName(), ref.iteration(), summary);
            return new StepOutcome(outcome.metrics(), outcome.tags(),
                    outcome.pictures().stream().map(Path::toString).toList(), List.of(outcome.json().toString()));
        }
    }
}
