package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResizeTest {
    private static final float EPS = 1e-6f;

    @Test
    void upsample2x2To4x4MatchesPyTorchAlignCornersFalse() {
        float[] out = Resize.bilinear(2, 2, 4, 4).apply(new float[] {0, 1, 2, 3}, 1);
        // Sample positions (o + 0.5) / 2 - 0.5 clamped to [0, 1] give fractions 0, .25, .75, 1 on each axis,
        // so out[i][j] = 2 * f[i] + f[j].
        assertArrayEquals(new float[] {
                0f, 0.25f, 0.75f, 1f,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2f, 2.25f, 2.75f, 3f}, out, EPS);
    }

    @Test
    void bilinearDownsampleSamplesWithoutAntialias() {
        float[] ramp = {0, 1, 2, 3, 4, 5, 6, 7};
        // 8 -> 2: positions 1.5 and 5.5, so only pixels 1,2 and 5,6 contribute.
        assertArrayEquals(new float[] {1.5f, 5.5f}, Resize.bilinear(1, 8, 1, 2).apply(ramp, 1), EPS);
        float[] delta = {0, 0, 0, 9, 0, 0, 0, 0};
        assertArrayEquals(new float[] {0f, 0f}, Resize.bilinear(1, 8, 1, 2).apply(delta, 1), EPS,
                "pixel 3 falls between the sample positions and is skipped (aliasing)");
    }

    @Test
    void antialiasedDownsampleUsesWidenedTriangle() {
        float[] delta = {0, 0, 1, 0, 0, 0, 0, 0};
        float[] out = Resize.antialiased(1, 8, 1, 4).apply(delta, 1);
        // Interior output 1 (centre 3): weights 1/8, 3/8, 3/8, 1/8 on pixels 1..4.
        // Border output 0 (centre 1): weights .75, .75, .25 on pixels 0..2, renormalised by 1.75.
        assertArrayEquals(new float[] {0.25f / 1.75f, 3f / 8f, 0f, 0f}, out, EPS);
    }

    @Test
    void antialiasedEqualsBilinearWhenUpsampling() {
        float[] src = new float[2 * 5 * 7];
        for (int i = 0; i < src.length; i++) src[i] = (float) Math.sin(i * 0.7);
        assertArrayEquals(Resize.bilinear(5, 7, 13, 11).apply(src, 2),
                Resize.antialiased(5, 7, 13, 11).apply(src, 2), EPS);
    }

    @Test
    void constantImageStaysConstantAndChannelsStaySeparate() {
        float[] src = new float[3 * 10 * 10];
        for (int c = 0; c < 3; c++) java.util.Arrays.fill(src, c * 100, (c + 1) * 100, c + 0.5f);
        for (Resize r : new Resize[] {Resize.bilinear(10, 10, 3, 7), Resize.antialiased(10, 10, 3, 7)}) {
            float[] out = r.apply(src, 3);
            assertEquals(3 * 21, out.length);
            for (int i = 0; i < out.length; i++) assertEquals(i / 21 + 0.5f, out[i], 1e-5f, "index " + i);
        }
    }

    @Test
    void rejectsNonPositiveSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resize.bilinear(0, 2, 4, 4));
        assertEquals("sizes must be > 0, got 0x2 -> 4x4", e.getMessage());
    }
}
