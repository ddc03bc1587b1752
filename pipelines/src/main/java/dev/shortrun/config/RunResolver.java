package dev.shortrun.config;

import dev.shortrun.config.ValueReader.Range;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.generator.Reconstruction;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.longrun.LongRunSettings;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNetworks;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.scoring.CheckpointScorer;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.DensityStep;
import dev.shortrun.steps.RunSpec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns validated settings into a {@link RunSpec}, filling defaults exactly as {@code shortrun train} does: the
 * short-run seed code's for images, the Anatomy paper's non-convergent toy config for gmm/rings.
 */
final class RunResolver {
    static final List<String> RUNNERS = List.of("flink-embedded", "flink-cluster", "direct");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:/]+:[0-9]{1,5}");

    /**
     * What the resolution needs besides the settings.
     *
     * @param defaultName pipeline name when the spec has no {@code name} (the file name without .yaml)
     * @param sweepName   for sweep points: the sweep's name, which names the runs; else null
     * @param sweptKeys   key paths swept by the sweep, in axis order (empty when not swept)
     * @param knownSteps  step names the pipeline builder knows
     * @param env         environment (for MLFLOW_TRACKING_URI)
     * @param workingDir  what {@code output} is relative to
     */
    record Context(String defaultName, String sweepName, List<String> sweptKeys, Set<String> knownSteps,
                   Map<String, String> env, Path workingDir) {
    }

    private RunResolver() {
    }

    static RunSpec resolve(Settings settings, Context context) {
        ValueReader r = new ValueReader(settings);
        String fileName = r.text("name", context.defaultName());
        if (!NAME.matcher(fileName).matches()) {
            throw r.error("name", "must use only letters, digits, '.', '_' and '-' (it names directories), found '"
                    + fileName + "'");
        }
        String name = context.sweepName() != null ? context.sweepName() : fileName;
        r.params().put("name", name); // a sweep point belongs to the sweep, whatever its base file is called
        r.text("description", "");

        String dataset = r.choice("dataset.name", null, DatasetFormats.names());
        boolean toy = DatasetFormats.get(dataset).isToy();
        DataConfig data = data(r, dataset, toy);
        NetConfig net = net(r, dataset, toy, data.imageSize());
        // Keys of the Anatomy parametrisation are read (and so recorded and hashed) only when given: specs
        // without them keep their hashes.
        double epsilon = r.isGiven("sampler.epsilon") ? r.number("sampler.epsilon", 0, Range.POSITIVE) : 0;
        LangevinConfig langevin = langevin(r, epsilon);
        Initializer init = init(r, toy, data.imageSize());
        long iterations = r.integer("learner.iterations", TrainConfig.DEFAULT_ITERATIONS, 0, Long.MAX_VALUE);
        long seed = r.integer("learner.seed", TrainConfig.defaultSeed(toy), Long.MIN_VALUE, Long.MAX_VALUE);
        LearnerConfig learner = learner(r, toy, init, epsilon);
        int checkpointEvery = r.integer("checkpoints.every", TrainConfig.DEFAULT_CHECKPOINT_EVERY, 1);
        int gridEvery = r.integer("checkpoints.grid_every", TrainConfig.DEFAULT_GRID_EVERY, 1);
        TrainConfig train = new TrainConfig(data, net, langevin, learner, seed, iterations, checkpointEvery,
                gridEvery);

        List<String> steps = r.names("steps", List.of(), context.knownSteps());
        if (!toy && steps.contains(DensityStep.NAME)) {
            throw r.error("steps", "step density draws 2D density maps and needs a toy data set ("
                    + String.join(", ", DatasetFormats.toyNames()) + "), not " + dataset);
        }
        generatorSteps(r, steps, seed, toy, data.imageSize());
        RunSpec.Sample sample = new RunSpec.Sample(r.integer("sample.n", 64, 1),
                r.integers("sample.k_values", transitionStrip(langevin.kMax()), 0),
                r.integer("sample.seed", seed, Long.MIN_VALUE, Long.MAX_VALUE));
        RunSpec.Diagnose diagnose = diagnose(r, steps, toy, seed);
        if (steps.contains("score")) {
            score(r, dataset, toy, seed);
        }
        RunSpec.Tracking tracking = tracking(r, context, name);
        RunSpec.Runner runner = runner(r);
        RunSpec.Resources resources = new RunSpec.Resources(r.integer("resources.parallelism", 1, 1),
                r.integer("resources.threads_per_worker", Torch.defaultThreads(toy), 1),
                r.choice("resources.device", "cpu", List.of("cpu", "gpu")));
        String output = r.text("output", "runs");

        Map<String, String> sweepPoint = new LinkedHashMap<>();
        for (String key : context.sweptKeys()) {
            sweepPoint.put(key, key.equals(SweepReader.PIPELINE_AXIS) ? fileName
                    : r.params().getOrDefault(key, "null"));
        }
        String hash = SpecHash.of(r.params());
        String runName = sweepPoint.isEmpty() ? name + "-" + hash : name + "-" + suffix(sweepPoint) + "-" + hash;
        String outputDir = context.workingDir().resolve(output).resolve(name).resolve(runName)
                .toAbsolutePath().normalize().toString();
        if (!toy) {
            // decoded data sets are cached once per output folder (the prepare step fills it): not in params, so
            // the cache's place never changes a run's hash
            String cacheDir = context.workingDir().resolve(output).resolve("cache").toAbsolutePath().normalize()
                    .toString();
            train = new TrainConfig(data.withCacheDir(cacheDir), net, langevin, learner, seed, iterations,
                    checkpointEvery, gridEvery);
        }
        return new RunSpec(name, runName, hash, train, steps, sample, tracking, runner, resources, outputDir,
                r.params(), sweepPoint, diagnose);
    }

    private static DataConfig data(ValueReader r, String dataset, boolean toy) {
        String dir = r.path("dataset.dir");
        if (dir == null && !toy) {
            throw r.error("dataset.dir", "missing required key: dataset " + dataset
                    + " needs the directory of its files");
        }
        String split = r.choice("dataset.split", "train", List.of("train", "test"));
        if (toy && r.isGiven("dataset.image_size")) {
            throw r.error("dataset.image_size", "not used by the 2D toy " + dataset + "; remove it");
        }
        int size = toy ? 1 : r.integerChoice("dataset.image_size", DataConfig.DEFAULT_IMAGE_SIZE,
                EnergyNetworks.imageSizes());
        int cap = r.integer("dataset.cap", 0, 0);
        return new DataConfig(dataset, dir, split, size, cap);
    }

    private static NetConfig net(ValueReader r, String dataset, boolean toy, int imageSize) {
        int nf = r.integer("model.n_f", NetConfig.defaultNf(toy), 1);
        Activation activation = Activation.parse(r.choice("model.activation", "leaky_relu",
                List.of("leaky_relu", "gelu", "softplus")));
        double slope = r.number("model.slope", NetConfig.defaultSlope(toy), Range.FRACTION);
        return new NetConfig(architecture(r, toy, imageSize), DatasetFormats.get(dataset).channels(), nf, activation,
                slope);
    }

    /** The network: by image size unless {@code model.architecture} names one (read only when given). */
    private static Architecture architecture(ValueReader r, boolean toy, int imageSize) {
        if (!r.isGiven("model.architecture")) {
            return EnergyNetworks.defaultFor(toy, imageSize);
        }
        String key = "model.architecture";
        Architecture a = EnergyNetworks.get(r.choice(key, null, EnergyNetworks.names()));
        if (toy != a.takesPoints()) {
            throw r.error(key, toy ? "2D toys use the toy network; remove it"
                    : "the " + a.name() + " network is for 2D toys");
        }
        if (!toy && a.imageSize() != imageSize) {
            throw r.error(key, a.name() + " takes " + a.imageSize() + "x"
                    + a.imageSize() + " images but dataset.image_size is " + imageSize);
        }
        return a;
    }

    /**
     * Chain starts: uniform, gaussian, data (CD), persistent or lowres (super-resolution); a persistent bank's size
     * only with persistent, a low-resolution size only with lowres. Toys default to the Anatomy non-convergent
     * gaussian x2; their persistent bank starts in [-1, 1] as there.
     */
    private static Initializer init(ValueReader r, boolean toy, int imageSize) {
        String kind = r.choice("sampler.init", Initializer.defaultKind(toy), Initializer.NAMES);
        double scale = r.number("sampler.init_scale", Initializer.defaultScale(toy, kind), Range.POSITIVE);
        int bankSize = 0;
        if (r.isGiven("sampler.bank_size")) {
            if (!kind.equals("persistent")) {
                throw r.error("sampler.bank_size", "only used with sampler.init persistent (sampler.init is "
                        + kind + ")");
            }
            bankSize = r.integer("sampler.bank_size", 0, 1);
        }
        int lowresSize = 0;
        if (kind.equals("lowres")) {
            if (toy) {
                throw r.error("sampler.init", "lowres starts from low-resolution images; a 2D toy has none");
            }
            lowresSize = r.integer("sampler.lowres_size", Initializer.DEFAULT_LOWRES_SIZE, 1);
            if (imageSize % lowresSize != 0) {
                throw r.error("sampler.lowres_size", "must divide the image size " + imageSize
                        + " (e.g. 4, 8, 16), found " + lowresSize);
            }
        } else if (r.isGiven("sampler.lowres_size")) {
            throw r.error("sampler.lowres_size", "only used with sampler.init lowres (sampler.init is " + kind + ")");
        }
        return Initializer.parse(kind, scale, bankSize, lowresSize);
    }

    /**
     * Validates the score step's keys (read back by ScoreStep.settings from the params). Resolved only when the
     * run has a score step, so adding scoring never renames runs without it; "score" is not a SpecHash section.
     */
    private static void score(ValueReader r, String dataset, boolean toy, long seed) {
        if (toy) {
            throw r.error("steps", "the score step needs an image data set; " + dataset + " is a 2D toy");
        }
        int n = r.integer("score.n", CheckpointScorer.Settings.defaultN(dataset), 2);
        int splits = r.integer("score.splits", 10, 1);
        if (n < splits) {
            throw r.error("score.n", "must be at least score.splits (" + splits + "), found " + n);
        }
        r.integer("score.batch", 100, 1);
        r.integer("score.seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        r.integer("score.reference_n", 0, 0);
        String networks = r.choice("score.networks", "auto", List.of("auto", "inception", "lenet", "both"));
        if (!LeNet.covers(dataset) && (networks.equals("lenet") || networks.equals("both"))) {
            throw r.error("score.networks", "the LeNet metrics exist for " + String.join(" and ", LeNet.DATASETS)
                    + " only, not " + dataset);
        }
        r.path("score.inception_dir");
        r.path("score.lenet_dir");
    }

    /**
     * K fixed, or drawn from [k_min, k_max]; a lone k_min fixes K like {@code train --k-min} does. With
     * {@code sampler.epsilon} the step and noise are the Anatomy paper's ({@link LangevinConfig#anatomy}).
     */
    private static LangevinConfig langevin(ValueReader r, double epsilon) {
        int k = r.integer("sampler.K", LangevinConfig.DEFAULT_K, 0);
        boolean minGiven = r.isGiven("sampler.k_min");
        int kMin = r.integer("sampler.k_min", k, 0);
        int kMax = r.integer("sampler.k_max", kMin, 0);
        if (kMin > kMax) {
            String key = r.isGiven("sampler.k_max") ? "sampler.k_max" : "sampler.k_min";
            throw r.error(key, "need k_min <= k_max, found k_min=" + kMin + (minGiven ? "" : " (from K)")
                    + " > k_max=" + kMax);
        }
        if (epsilon > 0) {
            for (String key : List.of("sampler.step_size", "sampler.noise_std")) {
                if (r.isGiven(key)) {
                    throw r.error(key, "not used with sampler.epsilon: the Anatomy parametrisation steps 1 on "
                            + "grad f with noise eps * tau; remove one of the two");
                }
            }
            int tau = r.integerChoice("sampler.tau", 1, List.of(0, 1));
            return LangevinConfig.anatomy(epsilon, tau, kMin, kMax);
        }
        if (r.isGiven("sampler.tau")) {
            throw r.error("sampler.tau", "the noise indicator tau is only used with sampler.epsilon");
        }
        return new LangevinConfig(r.number("sampler.step_size", LangevinConfig.DEFAULT_STEP_SIZE, Range.POSITIVE),
                r.number("sampler.noise_std", LangevinConfig.DEFAULT_NOISE_STD, Range.NON_NEGATIVE), kMin, kMax);
    }

    /**
     * Settings of the generator steps, resolved only when the step runs (so they name only the runs they shape);
     * given for a step that does not run, they are an error rather than silently ignored.
     */
    private static void generatorSteps(ValueReader r, List<String> steps, long seed, boolean toy, int imageSize) {
        for (String step : List.of("interpolate", "reconstruct", "superres")) {
            if (!steps.contains(step)) {
                for (String key : SpecKeys.childrenOf(step)) {
                    if (r.isGiven(step + "." + key)) {
                        throw r.error(step + "." + key, "only used by the " + step + " step, which is not in steps");
                    }
                }
            } else if (toy) {
                throw r.error("steps", "the " + step + " step needs an image dataset, not a 2D toy");
            }
        }
        if (steps.contains("interpolate")) {
            r.integer("interpolate.pairs", 8, 1);
            r.integer("interpolate.points", 10, 2);
            r.integer("interpolate.seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (steps.contains("reconstruct")) {
            r.integer("reconstruct.n", 1000, 1);
            r.integer("reconstruct.steps", 200, 0);
            r.number("reconstruct.lr", Reconstruction.DEFAULT_LR, Range.POSITIVE);
            r.integer("reconstruct.batch", 100, 1);
            r.integer("reconstruct.seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (steps.contains("superres")) {
            int low = r.integer("superres.low", 8, 1);
            if (imageSize % low != 0) {
                throw r.error("superres.low", "must divide the image size " + imageSize + ", found " + low);
            }
            r.integer("superres.n", 8, 1);
            r.integer("superres.seeds", 4, 1);
            r.integer("superres.seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    private static LearnerConfig learner(ValueReader r, boolean toy, Initializer init, double epsilon) {
        int batch = r.integer("learner.batch", LearnerConfig.defaultBatch(toy), 1);
        OptimizerConfig.Kind kind = OptimizerConfig.parseKind(r.choice("learner.optimizer", "adam",
                List.of("adam", "sgd")));
        Schedule lrSchedule = r.isGiven("learner.gamma0") || r.isGiven("learner.gamma0_min")
                ? gammaSchedule(r, kind, epsilon) : schedule(r, "learner.lr", r.number("learner.lr",
                LearnerConfig.DEFAULT_LR, Range.POSITIVE));
        OptimizerConfig optimizer = new OptimizerConfig(kind,
                r.number("learner.beta1", OptimizerConfig.DEFAULT_BETA1, Range.FRACTION),
                r.number("learner.beta2", OptimizerConfig.DEFAULT_BETA2, Range.FRACTION),
                r.number("learner.adam_eps", OptimizerConfig.DEFAULT_EPS, Range.POSITIVE));
        double sigma = r.number("learner.sigma", LearnerConfig.defaultSigma(toy), Range.NON_NEGATIVE);
        Schedule sigmaSchedule = schedule(r, "learner.sigma", sigma);
        double bound = r.number("learner.divergence_bound", LearnerConfig.DEFAULT_DIVERGENCE_BOUND, Range.POSITIVE);
        return new LearnerConfig(batch, sigmaSchedule, lrSchedule, optimizer, init, bound, epsilon);
    }

    /**
     * The Anatomy SGD rate: gamma0 (and its floor gamma0_min) in the paper's units, the actual lr (eps^2/2) gamma,
     * decayed by learner.lr_decay per iteration as the lr is.
     */
    private static Schedule gammaSchedule(ValueReader r, OptimizerConfig.Kind kind, double epsilon) {
        String key = r.isGiven("learner.gamma0") ? "learner.gamma0" : "learner.gamma0_min";
        if (!r.isGiven("learner.gamma0")) {
            throw r.error(key, "only used with learner.gamma0");
        }
        if (epsilon == 0) {
            throw r.error(key, "gamma0 is the SGD rate of the Anatomy parametrisation and needs sampler.epsilon "
                    + "(the lr is (eps^2/2) * gamma0); without it set learner.lr");
        }
        if (kind != OptimizerConfig.Kind.SGD) {
            throw r.error(key, "gamma0 is an SGD rate (the Anatomy code scales only SGD's lr); with adam set "
                    + "learner.lr");
        }
        for (String lrKey : List.of("learner.lr", "learner.lr_min")) {
            if (r.isGiven(lrKey)) {
                throw r.error(lrKey, "set either learner.gamma0 (and gamma0_min) or learner.lr (and lr_min), not "
                        + "both");
            }
        }
        double gamma0 = r.number("learner.gamma0", 0, Range.POSITIVE);
        int after = r.integer("learner.lr_decay_after", 0, 0);
        double factor = r.number("learner.lr_decay", 1.0, Range.DECAY_FACTOR);
        double floor = r.number("learner.gamma0_min", 0.0, Range.NON_NEGATIVE);
        return new Schedule(gamma0, after, factor, Math.min(floor, gamma0))
                .times(LearnerConfig.sgdLearningRate(1.0, epsilon));
    }

    /** Constant, then decayed each iteration to a floor; the floor never exceeds the start (as in train). */
    private static Schedule schedule(ValueReader r, String key, double initial) {
        int after = r.integer(key + "_decay_after", 0, 0);
        double factor = r.number(key + "_decay", 1.0, Range.DECAY_FACTOR);
        double floor = r.number(key + "_min", 0.0, Range.NON_NEGATIVE);
        return new Schedule(initial, after, factor, Math.min(floor, initial));
    }

    private static final List<String> DIAGNOSE_KEYS = List.of("diagnose.steps", "diagnose.chains", "diagnose.sampler",
            "diagnose.eps", "diagnose.from", "diagnose.seed", "diagnose.checkpoints");

    /**
     * The diagnose step's settings, read (and so part of the run's params and hash) only when the step runs: specs
     * without it keep their hashes. Setting them without the step is an error rather than silently unused.
     */
    private static RunSpec.Diagnose diagnose(ValueReader r, List<String> steps, boolean toy, long seed) {
        if (!steps.contains("diagnose")) {
            for (String key : DIAGNOSE_KEYS) {
                if (r.isGiven(key)) {
                    throw r.error(key, "only used by the diagnose step; add `diagnose` to steps or remove it");
                }
            }
            return null;
        }
        RunSpec.Diagnose defaults = RunSpec.Diagnose.defaults(toy, seed);
        LongRunSettings d = defaults.longRun();
        int stepsL = r.integer("diagnose.steps", d.steps(), 1);
        int chains = r.integer("diagnose.chains", d.chains(), 1);
        LongRunSettings.Sampler sampler = LongRunSettings.parseSampler(r.choice("diagnose.sampler", "plain",
                List.of("plain", "mala")));
        Double eps = r.isGiven("diagnose.eps") ? r.number("diagnose.eps", 0, Range.POSITIVE) : null;
        LongRunSettings.Starts starts = LongRunSettings.parseStarts(r.choice("diagnose.from", "both",
                List.of("noise", "data", "both")));
        long diagnoseSeed = r.integer("diagnose.seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        boolean every = r.choice("diagnose.checkpoints", "last", List.of("last", "all")).equals("all");
        return new RunSpec.Diagnose(new LongRunSettings(stepsL, chains, sampler, eps, starts, diagnoseSeed), every);
    }

    /** 0, K/5, ..., 2K: the reply-to-reviewers strip of samples past the training K. */
    static List<Integer> transitionStrip(int k) {
        List<Integer> ks = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            ks.add((int) ((long) i * k / 5));
        }
        return ks;
    }

    private static RunSpec.Tracking tracking(ValueReader r, RunResolver.Context context, String name) {
        String fromEnv = context.env().get("MLFLOW_TRACKING_URI");
        String uri = r.text("tracking.mlflow_uri", fromEnv == null || fromEnv.isBlank() ? null : fromEnv);
        return new RunSpec.Tracking(uri, r.text("tracking.experiment", name),
                r.choice("tracking.trigger", "manual", List.of("manual", "schedule", "ci")));
    }

    private static RunSpec.Runner runner(ValueReader r) {
        String kind = r.choice("runner.kind", "flink-embedded", RUNNERS);
        String master = r.text("runner.flink_master", null);
        boolean cluster = kind.equals("flink-cluster");
        if (cluster && master == null) {
            throw r.error("runner.flink_master", "missing required key: runner.kind flink-cluster needs the job "
                    + "manager's host:port, e.g. 127.0.0.1:8081");
        }
        if (!cluster && master != null) {
            throw r.error("runner.flink_master", "only used with runner.kind flink-cluster (runner.kind is "
                    + kind + ")");
        }
        if (master != null && !HOST_PORT.matcher(master).matches()) {
            throw r.error("runner.flink_master", "expected host:port, e.g. 127.0.0.1:8081, found '" + master + "'");
        }
        return new RunSpec.Runner(kind, master);
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
