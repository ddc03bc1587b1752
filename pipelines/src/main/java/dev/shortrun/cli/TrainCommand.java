package dev.shortrun.cli;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetFormat;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNetworks;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;

/**
 * {@code shortrun train}: Algorithm 1 on one dataset. Defaults are the papers': the short-run seed code for images,
 * the Anatomy paper's non-convergent toy config for gmm/rings.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn an energy-based model with short-run Langevin MCMC (Algorithm 1).",
                "Writes OUT/metrics.csv, OUT/samples/iter-*.png, OUT/checkpoints/iter-* and OUT/training.png.",
                "Image defaults follow the seed code (n_f 64, K 100, sigma 0.03, Adam 1e-4, batch 64); toy defaults "
                        + "the Anatomy paper's non-convergent config (ToyNet, eps 0.01, 100 steps, gaussian x2 init, "
                        + "batch 100, seed 123)."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--dataset", completionCandidates = DatasetNames.class,
            description = "Data set, one of ${COMPLETION-CANDIDATES} (folder: a PNG/JPEG tree; toys such as gmm "
                    + "need no files). Required, except with --resume --out.")
    String dataset;

    @Option(names = "--data-dir", description = "Directory with the dataset's native files (not needed for toys).")
    Path dataDir;

    @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--image-size", completionCandidates = ImageSizes.class, description = "Side length, one of "
            + "${COMPLETION-CANDIDATES}; picks the network of Table 6/7/8 (default 32).")
    Integer imageSize;

    @Option(names = "--cap", defaultValue = "0", description = "Use only the first N examples; 0 = all "
            + "(the paper uses 40000).")
    int cap;

    @Option(names = "--architecture", completionCandidates = ArchitectureNames.class, description = "Energy "
            + "network, one of ${COMPLETION-CANDIDATES} (default: the short-run paper's conv net for --image-size; "
            + "toy for 2D data).")
    String architecture;

    @Option(names = "--n-f", description = "Base width n_f of the energy network (default 64 images, 32 toys).")
    Integer nf;

    @Option(names = "--activation", defaultValue = "leaky_relu",
            description = "leaky_relu (papers), gelu or softplus (smooth).")
    String activation;

    @Option(names = "--slope", description = "LeakyReLU negative slope (default 0.2 images, 0.05 toys).")
    Double slope;

    @Option(names = {"--K", "-K"}, description = "Langevin steps per chain (default 100).")
    Integer k;

    @Option(names = "--k-min", description = "With --k-max: draw K uniformly from [k-min, k-max] each iteration.")
    Integer kMin;

    @Option(names = "--k-max", description = "Upper end of the K range (see --k-min).")
    Integer kMax;

    @Option(names = "--step-size",
            description = "Langevin step on grad f (default 1, the seed code's scaled energy).")
    Double stepSize;

    @Option(names = "--noise-std", description = "Langevin noise std (default 0.01).")
    Double noiseStd;

    @Option(names = "--epsilon", description = "Anatomy parametrisation: Langevin step eps of X <- X - (eps^2/2) "
            + "dU/dX + eps tau Z on the scaled energy (step 1 on grad f, noise eps*tau, loss times 2/eps^2). "
            + "Replaces --step-size and --noise-std.")
    Double epsilon;

    @Option(names = "--tau", description = "With --epsilon: noise indicator, 1 (Langevin, default) or 0 (no noise).")
    Integer tau;

    @Option(names = "--sigma", description = "Data noise: x+ = x + sigma N(0,I) (default 0.03 images, 0 toys).")
    Double sigma;

    @Option(names = "--sigma-decay-after", defaultValue = "0",
            description = "Keep sigma constant this many iterations, then multiply by --sigma-decay each iteration.")
    int sigmaDecayAfter;

    @Option(names = "--sigma-decay", defaultValue = "1.0", description = "Per-iteration sigma factor (1 = constant).")
    double sigmaDecay;

    @Option(names = "--sigma-min", defaultValue = "0", description = "Floor of the decayed sigma.")
    double sigmaMin;

    @Option(names = "--lr", description = "Learning rate (default 1e-4).")
    Double lr;

    @Option(names = "--gamma0", description = "With --epsilon and --optimizer sgd, instead of --lr: the Anatomy "
            + "SGD rate; the lr is (eps^2/2) * gamma0.")
    Double gamma0;

    @Option(names = "--gamma0-min", description = "Floor of the decayed gamma (with --gamma0; lr floor "
            + "(eps^2/2) * gamma0-min).")
    Double gamma0Min;

    @Option(names = "--lr-decay-after", defaultValue = "0",
            description = "Keep lr constant this many iterations, then multiply by --lr-decay each iteration.")
    int lrDecayAfter;

    @Option(names = "--lr-decay", defaultValue = "1.0", description = "Per-iteration lr factor (1 = constant).")
    double lrDecay;

    @Option(names = "--lr-min", description = "Floor of the decayed lr (default 0).")
    Double lrMin;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam (PyTorch's update) or sgd.")
    String optimizer;

    @Option(names = "--beta1", defaultValue = "" + OptimizerConfig.DEFAULT_BETA1,
            description = "Adam beta1 (default ${DEFAULT-VALUE}).")
    double beta1;

    @Option(names = "--beta2", defaultValue = "" + OptimizerConfig.DEFAULT_BETA2,
            description = "Adam beta2 (default ${DEFAULT-VALUE}).")
    double beta2;

    @Option(names = "--adam-eps", defaultValue = "" + OptimizerConfig.DEFAULT_EPS,
            description = "Adam eps (default ${DEFAULT-VALUE}).")
    double adamEps;

    @Option(names = "--init", description = "Chain starts: uniform (images default), gaussian (toys default), data "
            + "(a noisy data batch: CD), persistent (a bank of chains continued across iterations) or lowres (the data "
            + "image at --lowres-size, upsampled: super-resolution).")
    String init;

    @Option(names = "--init-scale", description = "Scale of the start noise: uniform on [-s, s] or s N(0,I); a "
            + "persistent bank starts uniform on [-s, s] (default 2 for toys' uniform/gaussian, else 1).")
    Double initScale;

    @Option(names = "--bank-size", description = "Persistent chains in the bank (default one per training image, "
            + "10000 for toys).")
    Integer bankSize;

    @Option(names = "--lowres-size", description = "With --init lowres: side of the low-resolution start, dividing "
            + "the image size (default 8).")
    Integer lowresSize;

    @Option(names = "--batch", description = "Batch size m (default 64 images, 100 toys).")
    Integer batch;

    @Option(names = "--iterations", description = "Learning iterations (default 100000). With --resume: the new "
            + "total.")
    Long iterations;

    @Option(names = "--seed", description = "Random seed (default 1 images, 123 toys).")
    Long seed;

    @Option(names = "--divergence-bound", defaultValue = "" + LearnerConfig.DEFAULT_DIVERGENCE_BOUND,
            description = "Stop when |f(x+)|, |f(x-)| or their difference exceeds this (default ${DEFAULT-VALUE}).")
    double divergenceBound;

    @Option(names = "--out", description = "Run directory (default runs/<dataset>).")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "" + TrainConfig.DEFAULT_CHECKPOINT_EVERY,
            description = "Checkpoint cadence in iterations (default ${DEFAULT-VALUE}; always at the end).")
    int checkpointEvery;

    @Option(names = "--grid-every", defaultValue = "" + TrainConfig.DEFAULT_GRID_EVERY,
            description = "Sample picture cadence in iterations (default ${DEFAULT-VALUE}).")
    int gridEvery;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint; its stored "
            + "settings are used (only --iterations may change).")
    boolean resume;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default 2 images, 1 toys: tiny ops "
            + "lose to threading overhead).")
    Integer threads;

    @Override
    public Integer call() {
        if (dataset == null && !(resume && out != null)) {
            throw new IllegalArgumentException("--dataset is required (to resume, --resume --out RUN is enough)");
        }
        Path runDir = out != null ? out : Path.of("runs", dataset);
        Torch.configure(or(threads, Torch.defaultThreads(trainsToy(runDir))));
        Trainer.Listener progress = new ProgressListener();
        Thread notice = new Thread(() -> System.err.println(interruptedNotice(runDir)), "interrupted-notice");
        Runtime.getRuntime().addShutdownHook(notice);
        Trainer.Result result;
        try {
            result = resume
                    ? Trainer.resume(runDir, iterations == null ? 0 : iterations, progress)
                    : Trainer.start(config(), runDir, progress);
        } catch (UncheckedIOException e) {
            throw withResumeHint(e, runDir);
        } finally {
            forget(notice);
        }
        System.out.println("done: " + result.iterations() + " iterations in " + runDir.toAbsolutePath());
        RunDirectory files = new RunDirectory(runDir);
        System.out.println("  samples:    " + files.samplesDir());
        System.out.println("  curves:     " + files.trainingPng());
        System.out.println("  checkpoint: " + result.lastCheckpoint());
        return 0;
    }

    /**
     * What Ctrl-C (or a kill) leaves behind: checkpoints are written atomically, so the newest one is whole and the
     * run continues from it bit for bit. Runs in a shutdown hook: it only reads the checkpoint folder.
     */
    static String interruptedNotice(Path runDir) {
        return new RunDirectory(runDir).newestCheckpoint()
                .map(json -> String.format("%ninterrupted: %s", howToContinue(json, runDir, "")))
                .orElse(String.format("%ninterrupted before the first checkpoint of %s: nothing to resume",
                        runDir.toAbsolutePath()));
    }

    /**
     * A failed write or read (disk full, permissions) loses nothing already checkpointed, and once its cause is fixed
     * the run continues from there bit for bit, so the error says how. Other failures keep their message alone: a
     * divergence would replay on resume, and bad settings are not fixed by resuming.
     */
    static RuntimeException withResumeHint(UncheckedIOException e, Path runDir) {
        try {
            return new RunDirectory(runDir).newestCheckpoint()
                    .<RuntimeException>map(json -> new IllegalStateException(String.format("%s%n%s",
                            Main.describe(e), howToContinue(json, runDir, "once that is fixed, ")), e))
                    .orElse(e);
        } catch (UncheckedIOException unreadable) {
            return e; // the run folder itself cannot be listed: the original failure is the one to report
        }
    }

    private static String howToContinue(Path checkpoint, Path runDir, String condition) {
        return String.format("the newest checkpoint is %s; %scontinue with%n  ./shortrun train --resume --out %s",
                checkpoint.toAbsolutePath(), condition, runDir.toAbsolutePath());
    }

    /** Drops the interruption notice once training has ended (normally or by an error). */
    private static void forget(Thread notice) {
        try {
            Runtime.getRuntime().removeShutdownHook(notice);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting (Ctrl-C during the run): the notice is printing, as it should
        }
    }

    /** Whether this run learns a 2D toy: from --dataset, or from the stored settings when resuming. */
    private boolean trainsToy(Path runDir) {
        if (!resume) {
            return DatasetFormats.get(dataset).isToy();
        }
        return new RunDirectory(runDir).newestCheckpoint()
                .map(json -> Checkpoint.read(json).config().data().isToy()).orElse(false);
    }

    TrainConfig config() {
        DatasetFormat format = DatasetFormats.get(dataset);
        boolean toy = format.isToy();
        int size = toy ? 1 : or(imageSize, DataConfig.DEFAULT_IMAGE_SIZE);
        Architecture arch = architecture != null ? EnergyNetworks.get(architecture)
                : EnergyNetworks.defaultFor(toy, size);
        if (arch.takesPoints() != toy || (!toy && arch.imageSize() != size)) {
            throw new IllegalArgumentException("--architecture " + architecture + " does not fit "
                    + (toy ? "2D toy data (use toy)" : size + "x" + size + " images"));
        }
        NetConfig net = new NetConfig(arch, format.channels(), or(nf, NetConfig.defaultNf(toy)),
                Activation.parse(activation), or(slope, NetConfig.defaultSlope(toy)));
        int kLow = kMin != null ? kMin : or(k, LangevinConfig.DEFAULT_K);
        int kHigh = kMax != null ? kMax : (kMin != null ? kMin : or(k, LangevinConfig.DEFAULT_K));
        LangevinConfig langevin = langevin(kLow, kHigh);
        OptimizerConfig opt = new OptimizerConfig(OptimizerConfig.parseKind(optimizer), beta1, beta2, adamEps);
        double sigma0 = or(sigma, LearnerConfig.defaultSigma(toy));
        String initKind = or(init, Initializer.defaultKind(toy));
        if (bankSize != null && !initKind.equals("persistent")) {
            throw new IllegalArgumentException("--bank-size is only used with --init persistent");
        }
        if (lowresSize != null && !initKind.equals("lowres")) {
            throw new IllegalArgumentException("--lowres-size is only used with --init lowres");
        }
        LearnerConfig learner = new LearnerConfig(or(batch, LearnerConfig.defaultBatch(toy)),
                new Schedule(sigma0, sigmaDecayAfter, sigmaDecay, Math.min(sigmaMin, sigma0)), lrSchedule(opt), opt,
                Initializer.parse(initKind, or(initScale, Initializer.defaultScale(toy, initKind)), or(bankSize, 0),
                        initKind.equals("lowres") ? or(lowresSize, Initializer.DEFAULT_LOWRES_SIZE) : 0),
                divergenceBound, or(epsilon, 0.0));
        DataConfig data = new DataConfig(dataset, dataDir == null ? null : dataDir.toAbsolutePath().toString(),
                split, size, cap);
        return new TrainConfig(data, net, langevin, learner, or(seed, TrainConfig.defaultSeed(toy)),
                or(iterations, TrainConfig.DEFAULT_ITERATIONS), checkpointEvery, gridEvery);
    }

    /** The seed code's step and noise, or the Anatomy paper's eps and tau (never a mix). */
    private LangevinConfig langevin(int kLow, int kHigh) {
        if (epsilon == null) {
            if (tau != null) {
                throw new IllegalArgumentException("--tau is only used with --epsilon");
            }
            return new LangevinConfig(or(stepSize, LangevinConfig.DEFAULT_STEP_SIZE),
                    or(noiseStd, LangevinConfig.DEFAULT_NOISE_STD), kLow, kHigh);
        }
        if (stepSize != null || noiseStd != null) {
            throw new IllegalArgumentException("--epsilon sets the step (1 on grad f) and the noise (eps * tau): "
                    + "drop --step-size and --noise-std");
        }
        return LangevinConfig.anatomy(epsilon, or(tau, 1), kLow, kHigh);
    }

    /** --lr (and --lr-min), or the Anatomy SGD rate (eps^2/2) * gamma0 (and its floor). */
    private Schedule lrSchedule(OptimizerConfig opt) {
        if (gamma0 == null) {
            if (gamma0Min != null) {
                throw new IllegalArgumentException("--gamma0-min is only used with --gamma0");
            }
            double lr0 = or(lr, LearnerConfig.DEFAULT_LR);
            return new Schedule(lr0, lrDecayAfter, lrDecay, Math.min(or(lrMin, 0.0), lr0));
        }
        if (epsilon == null || opt.kind() != OptimizerConfig.Kind.SGD) {
            throw new IllegalArgumentException("--gamma0 is the Anatomy SGD rate: it needs --epsilon and "
                    + "--optimizer sgd (else use --lr)");
        }
        if (lr != null || lrMin != null) {
            throw new IllegalArgumentException("give either --gamma0 (and --gamma0-min) or --lr (and --lr-min)");
        }
        return new Schedule(gamma0, lrDecayAfter, lrDecay, Math.min(or(gamma0Min, 0.0), gamma0))
                .times(LearnerConfig.sgdLearningRate(1.0, epsilon));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The registered data sets, for {@code --dataset}'s help. */
    static final class DatasetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return DatasetFormats.names().iterator();
        }
    }

    /** The registered energy networks, for {@code --architecture}'s help. */
    static final class ArchitectureNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return EnergyNetworks.names().iterator();
        }
    }

    /** The image sizes the registered networks take, for {@code --image-size}'s help. */
    static final class ImageSizes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return EnergyNetworks.imageSizes().stream().map(String::valueOf).iterator();
        }
    }

    /** Draws the progress bar from the trainer's callbacks. */
    private static final class ProgressListener implements Trainer.Listener {
        private ProgressBar bar;

        @Override
        public void onStart(TrainConfig config, long completed) {
            bar = new ProgressBar(System.err, "train", completed, config.iterations());
            if (completed > 0) {
                System.err.println("resuming after iteration " + completed);
            }
        }

        @Override
        public void onIteration(IterationStats s) {
            bar.update(s.iteration(), String.format("f(x+)-f(x-)=%+.3e |grad f|=%.3g K=%d", s.difference(),
                    s.gradNorm(), s.steps()));
        }
    }
}
