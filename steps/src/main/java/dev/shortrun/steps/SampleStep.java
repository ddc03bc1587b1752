package dev.shortrun.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Pictures;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sample} step: a picture of fresh short-run samples per checkpoint, and for the final checkpoint the
 * transition strip over K (the reply to reviewers: K beyond the training K over-saturates).
 */
public final class SampleStep extends PTransform<PCollection<String>, PCollection<String>> {
    public static final String NAME = "sample";

    @Override
    public PCollection<String> expand(PCollection<String> checkpoints) {
        return checkpoints.apply("Sample", ParDo.of(new SampleFn()));
    }

    static final class SampleFn extends CheckpointStepFn {
        SampleFn() {
            super(NAME, RunDirectory.SAMPLES);
        }

        @Override
        StepOutcome compute(CheckpointRef ref, RunSpec spec) {
            Path json = Path.of(ref.checkpointJson());
            Path samples = new RunDirectory(Path.of(spec.outputDir())).samplesDir();
            String base = RunDirectory.iterName(ref.iteration());
            List<String> pictures = new ArrayList<>();
            try (NDManager manager = NDManager.newBaseManager();
                 CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
                RandomTensors random = new RandomTensors(new Rng(spec.sample().seed()));
                int k = sampler.config().langevin().kMax();
                NDArray start = sampler.drawStart(spec.sample().n(), random);
                LangevinSampler.Chain chain = sampler.run(start, k, random, true, null);
                Path png = samples.resolve("fresh-" + base + ".png");
                Pictures.samples(png, chain.samples(), sampler.config().data());
                pictures.add(png.toString());
                if (ref.last()) {
                    Path strip = samples.resolve("k-transition-" + base + ".png");
                    int chains = sampler.config().data().isToy() ? Math.max(200, spec.sample().n()) : 8;
                    sampler.transitionStrip(strip, chains, spec.sample().kValues().stream().mapToInt(Integer::intValue)
                            .toArray(), spec.sample().seed());
                    pictures.add(strip.toString());
                }
                return StepOutcome.of(Map.of("sample_grad_norm", chain.meanGradNorm()), pictures);
            }
        }
    }
}
