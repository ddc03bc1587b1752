package dev.shortrun.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Pictures;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import dev.shortrun.steps.SampleStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code shortrun sample}: draw short-run samples from a checkpoint into a picture and/or an .npy file. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw short-run samples x_K = M_theta(z) from a trained checkpoint.",
                "Writes a PNG grid (images) or a scatter over the data (2D toys), and optionally the samples as .npy "
                        + "(float32, N x C x H x W, values in model space [-1, 1] before clamping)."})
final class SampleCommand extends StepCommand<SampleStep.Settings> {
    @Option(names = "--no-noise", description = "Deterministic chain: no Langevin noise (as for interpolation).")
    boolean noNoise;

    @Option(names = "--init", paramLabel = "FILE.npy",
            description = "Start the chains from this float32 .npy tensor (N x C x H x W) instead of p0; it fixes N.")
    Path init;

    @Option(names = "--save", paramLabel = "FILE.npy", description = "Also write the final samples as .npy.")
    Path save;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/samples/sample-iter-N-K<k>-seed<s>.png).")
    Path out;

    SampleCommand() {
        super(SampleStep.STEP, List.of(SampleStep.N, SampleStep.K, SampleStep.SEED));
    }

    @Override
    public Integer call() throws IOException {
        Path json = trained.json();
        SampleStep.Settings s = settings();
        Torch.configure(trained.threads);
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            Checkpoint c = sampler.checkpoint();
            int steps = s.steps(c.config().langevin().trainingK());
            Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.SAMPLES, String.format(
                    "sample-%s-K%d-seed%d.png", RunDirectory.iterName(c.iteration()), steps, s.seed()));
            RandomTensors random = new RandomTensors(new Rng(s.seed()));
            NDArray start = init != null ? readInit(manager, sampler) : sampler.drawStart(s.n(), random);
            ProgressBar bar = new ProgressBar(System.err, "sample", 0, steps);
            LangevinSampler.Chain chain = sampler.run(start, steps, random, !noNoise, (step, x) -> bar.update(step,
                    ""));
            Pictures.samples(png, chain.samples(), c.config().data());
            System.out.println("samples: " + png + String.format("  (K=%d, mean |grad f|=%.4g)", steps,
                    chain.meanGradNorm()));
            if (save != null) {
                Npy.write(save, Parameters.toTensor(chain.samples()));
                System.out.println("tensor:  " + save + " " + chain.samples().getShape());
            }
        }
        return 0;
    }

    private NDArray readInit(NDManager manager, CheckpointSampler sampler) throws IOException {
        Tensor t = Npy.read(init);
        long[] expected = sampler.batchShape(t.dim(0)).getShape();
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(init + " has shape " + Arrays.toString(t.shape())
                    + ", the model samples shape " + Arrays.toString(expected) + " (N x C x H x W)");
        }
        long bad = t.nonFiniteCount();
        if (bad > 0) {
            throw new IllegalArgumentException(init + " holds " + bad + " NaN or infinite value(s) of " + t.size()
                    + "; --init needs finite chain starts");
        }
        return manager.create(t.data(), new Shape(t.shape()));
    }
}
