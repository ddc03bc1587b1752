package dev.shortrun.model.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Inception Score's splits and its closed forms on confident and on uninformative classifiers. */
class InceptionScoreTest {
    private static final float CONFIDENT = 60f; // softmax is one-hot to ~1e-26

    private static float[][] oneHot(int[] classes, int k) {
        float[][] logits = new float[classes.length][k];
        for (int i = 0; i < classes.length; i++) {
            logits[i][classes[i]] = CONFIDENT;
        }
        return logits;
    }

    @Test
    void uninformativeClassifierScoresOne() {
        float[][] logits = new float[50][7];
        InceptionScore.Result r = InceptionScore.of(logits, 10);
        assertEquals(1.0, r.mean(), 1e-12);
        assertEquals(0.0, r.std(), 1e-12);
    }

    @Test
    void confidentAndBalancedOverKClassesScoresK() {
        int[] classes = new int[100];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = i % 5;
        }
        InceptionScore.Result r = InceptionScore.of(oneHot(classes, 10), 10);
        assertEquals(5.0, r.mean(), 1e-9);
        assertEquals(0.0, r.std(), 1e-9);
    }

    @Test
    void splitsAreConsecutiveBlocksAndStdIsPopulationStd() {
        // 20 samples, 10 splits of 2: even splits hold one class twice (IS 1), odd splits two classes (IS 2)
        int[] classes = new int[20];
        for (int s = 0; s < 10; s++) {
            classes[2 * s] = 0;
            classes[2 * s + 1] = s % 2 == 0 ? 0 : 1;
        }
        InceptionScore.Result r = InceptionScore.of(oneHot(classes, 3), 10);
        assertArrayEquals(new double[] {1, 2, 1, 2, 1, 2, 1, 2, 1, 2}, r.perSplit(), 1e-9);
        assertEquals(1.5, r.mean(), 1e-9);
        assertEquals(0.5, r.std(), 1e-9);
        // unequal parts: 25 samples -> boundaries floor(i * 25 / 10) = 0, 2, 5, 7, 10, ...
        int[] uneven = new int[25];
        uneven[3] = 1; // in the second part [2, 5): three samples, one of class 1
        InceptionScore.Result u = InceptionScore.of(oneHot(uneven, 2), 10);
        double p = 1.0 / 3;
        double kl = p * Math.log(1 / p) + (1 - p) * Math.log(1 / (1 - p)); // mean KL of one-hot vs (2/3, 1/3)
        assertEquals(Math.exp(kl), u.perSplit()[1], 1e-9);
        assertEquals(1.0, u.perSplit()[0], 1e-9);
        assertEquals(1.0, u.perSplit()[2], 1e-9);
    }

    @Test
    void fewerSamplesThanSplitsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(new float[9][3], 10));
    }
}
