package dev.shortrun.spec;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.shortrun.model.learning.CheckpointSampler;
import dev.shortrun.model.learning.Trainer;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Anatomy paper's Figure 6 finding, on the shipped gmm pipelines shortened for CI: the non-convergent model's
 * short-run samples match the data (small KL(true || KDE)) while its learned density is far too sharp (large
 * KL(true || learned)); the convergent model's learned density is close to the truth. Only the number of
 * iterations (and the KDE's sample count for the convergent run, a random subset of its bank) differ from the
 * pipelines; about 1-2 minutes on 2 idle cores.
 */
class ToyAnatomyRegressionTest {
    /** Non-convergent: 100k in the paper; the learned density is already collapsed onto the modes by then. */
    static final int NONCONVERGENT_ITERATIONS = 500;
    /** Convergent: 200k in the paper; ~0.2 s per iteration here (L = 500), and its energy is close early. */
    static final int CONVERGENT_ITERATIONS = 200;

    @TempDir
    Path work;

    @Test
    void nonConvergentSamplesMatchButItsDensityIsSharpWhileConvergentLearnsTheDensity() {
        Torch.configure(1);
        // one thread, the pipelines' threads_per_worker for toys: a second one only spins on these tiny nets
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        ToyDensityMaps nonconvergent;
        ToyDensityMaps convergent;
        try {
            nonconvergent = train("toy-gmm-nonconvergent", NONCONVERGENT_ITERATIONS, 10_000);
            convergent = train("toy-gmm-convergent", CONVERGENT_ITERATIONS, 2_000);
        } finally {
            JniUtils.setNumThreads(threads);
        }
        String numbers = String.format(Locale.ROOT, "non-convergent (%d its): KL(true||learned) %.3f, KL(true||KDE) "
                + "%.3f; convergent (%d its): KL(true||learned) %.3f, KL(true||KDE) %.3f", NONCONVERGENT_ITERATIONS,
                nonconvergent.klTrueLearned(), nonconvergent.klTrueKde(), CONVERGENT_ITERATIONS,
                convergent.klTrueLearned(), convergent.klTrueKde());
        System.out.println(numbers);
        assertTrue(nonconvergent.klTrueKde() < 0.5, "non-convergent short-run samples should match the data: "
                + numbers);
        assertTrue(nonconvergent.klTrueLearned() > 3, "non-convergent learned density should be far too sharp: "
                + numbers);
        assertTrue(nonconvergent.klTrueLearned() > 10 * nonconvergent.klTrueKde(), numbers);
        assertTrue(convergent.klTrueLearned() < 1.0, "convergent learned density should be close: " + numbers);
        assertTrue(nonconvergent.klTrueLearned() > 5 * convergent.klTrueLearned(), numbers);
    }

    private ToyDensityMaps train(String pipeline, int iterations, int kdeSamples) {
        RunSpec run = SpecFiles.loader(work).loadPipeline(SpecFiles.root().resolve("pipelines/" + pipeline + ".yaml"),
                List.of("learner.iterations=" + iterations, "checkpoints.grid_every=100000"), SpecFiles.STEPS)
                .get(0);
        Trainer.Result result = Trainer.start(run.train(), work.resolve(pipeline), new Trainer.Listener() {
        });
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(result.lastCheckpoint(), manager)) {
            return sampler.densityMaps(kdeSamples, run.sample().seed(), null);
        }
    }
}
