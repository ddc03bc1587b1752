package dev.shortrun.steps.record;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PictureKeysTest {
    @Test
    void picturesOfOneKindAcrossCheckpointsFormOneSeries() {
        assertEquals("samples", PictureKeys.of("samples", Path.of("/r/samples/iter-000100.png")));
        assertEquals("samples/fresh", PictureKeys.of("samples", Path.of("/r/samples/fresh-iter-000100.png")));
        assertEquals("samples/k-transition", PictureKeys.of("samples", Path.of("k-transition-iter-000030.png")));
        assertEquals("density", PictureKeys.of("density", Path.of("/r/density/density-iter-000200.png")));
        assertEquals("diagnose/longrun-energy", PictureKeys.of("diagnose", Path.of("longrun-energy-iter-000009.png")));
        assertEquals("interpolation", PictureKeys.of("", Path.of("interpolation-iter-000009.png")));
        assertEquals("generator/odd_name_", PictureKeys.of("generator", Path.of("odd,name+.png")));
    }

    @Test
    void theStepIsTheIterationInTheName() {
        assertEquals(OptionalLong.of(100), PictureKeys.iteration(Path.of("samples/iter-000100.png")));
        assertEquals(OptionalLong.of(30), PictureKeys.iteration(Path.of("fresh-iter-000030.png")));
        assertEquals(OptionalLong.empty(), PictureKeys.iteration(Path.of("training.png")));
    }
}
