package dev.shortrun.config;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.shortrun.model.longrun.CheckpointDiagnosis;
import dev.shortrun.model.longrun.LongRunSettings;
import dev.shortrun.model.longrun.Verdict;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Anatomy paper's Figure 6 finding, on the shipped gmm pipelines shortened for CI: the non-convergent model's
 * short-run samples match the data (small KL(true || KDE)) while its learned density is far too sharp (large
 * KL(true || learned)); the convergent model's learned density is close to the truth. Only the number of
 * iterations (and the KDE's sample count for the convergent run, a random subset of its bank) differ from the
 * pipelines; about 1-2 minutes on 2 idle cores. The long-run diagnosis must tell the two apart too.
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
        Verdict nonconvergentVerdict;
        Verdict convergentVerdict;
        try {
            Path nonconvergentCheckpoint = train("toy-gmm-nonconvergent", NONCONVERGENT_ITERATIONS);
            Path convergentCheckpoint = train("toy-gmm-convergent", CONVERGENT_ITERATIONS);
            nonconvergent = densityMaps(nonconvergentCheckpoint, 10_000);
            convergent = densityMaps(convergentCheckpoint, 2_000);
            nonconvergentVerdict = diagnose(nonconvergentCheckpoint);
            convergentVerdict = diagnose(convergentCheckpoint);
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
        assertEquals(Verdict.NON_CONVERGENT, nonconvergentVerdict.label(), nonconvergentVerdict.reasons().toString());
        assertEquals(Verdict.CONVERGENT, convergentVerdict.label(), convergentVerdict.reasons().toString());
        assertEquals(nonconvergent.klTrueLearned(), nonconvergentVerdict.stationaryKl(), 1e-9,
                "diagnose judges the same grid density the density step draws");
    }

    /** A short long-run diagnosis (the verdict's toy criterion does not depend on the chain length). */
    private Verdict diagnose(Path checkpoint) {
        LongRunSettings settings = new LongRunSettings(200, 16, LongRunSettings.Sampler.PLAIN, null,
                LongRunSettings.Starts.BOTH, 1);
        return CheckpointDiagnosis.run(checkpoint, settings, work.resolve("diagnose"), null).report().verdict();
    }

    private Path train(String pipeline, int iterations) {
        RunSpec run = SpecFiles.loader(work).loadPipeline(SpecFiles.root().resolve("pipelines/" + pipeline + ".yaml"),
                CommandLineValue.sets(List.of("learner.iterations=" + iterations, "checkpoints.grid_every=100000")))
                .get(0);
        return Trainer.start(run.train(), work.resolve(pipeline), new Trainer.Listener() {
        }).lastCheckpoint();
    }

    private static ToyDensityMaps densityMaps(Path checkpoint, int kdeSamples) {
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(checkpoint, manager)) {
            return sampler.densityMaps(kdeSamples, sampler.config().seed(), null);
        }
    }
}
