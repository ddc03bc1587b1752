package dev.shortrun.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ImageSource;
import dev.shortrun.model.data.ToyDistribution;
import dev.shortrun.model.generator.FlowLikelihood;
import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.generator.Reconstruction;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.steps.ReconstructStep;
import dev.shortrun.model.generator.ShortRunGenerator;
import dev.shortrun.model.generator.ToyFlowComparison;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code shortrun flow}: the deterministic chain as a flow, log p(x) = log p0(z) - log |det dM/dz|. */
@Command(name = "flow", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The deterministic short-run chain as a flow (reply to reviewers): log p(x) = log p0(z) - "
                + "log |det dM_theta(z)/dz| with the exact Jacobian (D reverse passes).",
                "2D toys: the flow density on a grid (z = M^-1(x) by Newton's method) next to the KDE of samples "
                        + "M(z), z ~ p0; prints its integral and the total variation distance between the two.",
                "Images: z found by reconstruction of the first N test images; prints log p(x) in nats (pixels in "
                        + "[-1, 1]) and bits per dimension (0..255 pixel scale). LeakyReLU nets have dM/dz = I "
                        + "almost everywhere, so only smooth nets (--activation gelu/softplus) give a non-trivial "
                        + "determinant."})
final class FlowCommand extends StepCommand<ReconstructStep.Settings> {
    @Option(names = "--grid", defaultValue = "100", description = "Toys: grid points per side (default ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--samples", defaultValue = "2000", description = "Toys: samples for the KDE "
            + "(default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--kde-factor", description = "Toys: KDE bandwidth factor on the sample covariance, as scipy's "
            + "bw_method (default 0.1 gmm, 0.075 rings, as the Anatomy code).")
    Double kdeFactor;

    @Option(names = "--data-dir", description = "Images: directory of the dataset's files (default: the checkpoint's).")
    String dataDir;

    @Option(names = {"-n", "--n"}, defaultValue = "4", description = "Images: test images (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--steps", defaultValue = "200", description = "Images: reconstruction descent steps "
            + "(default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of z ~ p0 (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Toys: picture path (default RUN/generator/flow-density-iter-N.png).")
    Path out;

    /** Images: flags for the reconstruction's step-size rule, the same keys as the reconstruct step's. */
    FlowCommand() {
        super(ReconstructStep.STEP, List.of(ReconstructStep.RULE, ReconstructStep.LR,
                ReconstructStep.GROWTH));
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        Torch.configure(trained.threads);
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            DataConfig data = sampler.config().data();
            if (data.isToy()) {
                Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                        "flow-density-" + CheckpointOptions.base(json) + ".png");
                ToyDistribution toy = DatasetFormats.toy(data.dataset());
                double factor = kdeFactor != null ? kdeFactor : toy.kdeFactor();
                ToyFlowComparison c = ToyFlowComparison.run(sampler, png, grid, toy.extent(), samples, factor, seed);
                System.out.printf("flow density: integral over the grid %.4f (inverted %.1f%% of the grid); total "
                        + "variation to the KDE of %d samples %.4f%n", c.integral(), 100 * c.reached(), samples,
                        c.totalVariation());
                System.out.println("maps (flow | KDE): " + png);
                return 0;
            }
            imageLikelihood(sampler, data);
        }
        return 0;
    }

    private void imageLikelihood(CheckpointSampler sampler, DataConfig data) {
        ShortRunGenerator generator = GeneratorTasks.trainedGenerator(sampler);
        String dir = dataDir != null ? dataDir : data.dir();
        try (NDManager scope = Devices.newManager()) {
            NDArray x = ((ImageSource) new DataConfig(data.dataset(), dir, "test", data.imageSize(), n,
                    data.cacheDir()).open()).first(scope, n);
            var p0 = sampler.config().learner().init();
            NDArray z0 = p0.needsData() ? p0.fromData(x) : p0.draw(scope, x.getShape(), new RandomTensors(new Rng(seed)));
            Reconstruction.Result found = new Reconstruction(generator,
                    settings().rule(), null).run(z0, x, steps, null);
            NDArray z = found.z();
            NDArray mse = Reconstruction.msePerPixel(found.reconstruction(), x);
            for (int i = 0; i < n; i++) {
                FlowLikelihood.Result r = FlowLikelihood.at(generator, p0, z.get(i).expandDims(0));
                System.out.printf("image %d: log p(x) = %.2f nats (log p0(z) %.2f, log|det J| %.2f), %.3f bits/dim; "
                        + "reconstruction MSE %.5f%n", i, r.logLikelihood(), r.logPrior(), r.logAbsDet(),
                        r.bitsPerDim(), mse.getFloat(i));
            }
        }
    }
}
