package dev.shortrun.cli;

import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.shortrun.cli.CliEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shortrun density}: maps and KL numbers for a toy checkpoint, one clear error line for an image model. */
class DensityCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void toyCheckpointGetsItsFigureAndBothNumbers() throws Exception {
        Path run = tmp.resolve("gmm");
        assertEquals(0, cli("train", "--dataset", "gmm", "--n-f", "8", "--K", "10", "--batch", "16",
                "--iterations", "20", "--checkpoint-every", "20", "--grid-every", "20", "--out", run.toString()).code());
        CliEndToEndTest.Outcome o = cli("density", run.toString(), "--samples", "400", "--threads", "1");
        assertEquals(0, o.code(), o.err());
        double learned = number(o.out(), "kl_true_learned");
        double kde = number(o.out(), "kl_true_kde");
        assertTrue(learned > 0 && Double.isFinite(learned), o.out());
        assertTrue(kde > 0 && Double.isFinite(kde), o.out());
        BufferedImage png = CliEndToEndTest.png(run.resolve("density").resolve("density-iter-000020.png"));
        assertTrue(png.getWidth() > png.getHeight() && png.getWidth() > 600, "2 x 3 panels: " + png.getWidth()
                + "x" + png.getHeight());
    }

    @Test
    void imageCheckpointIsOneErrorLine() {
        Path run = tmp.resolve("mnist");
        assertEquals(0, cli(CliEndToEndTest.train(run)).code());
        CliEndToEndTest.Outcome o = cli("density", run.toString());
        assertEquals(1, o.code());
        List<String> lines = o.errLines();
        assertEquals(1, lines.size(), o.err());
        assertTrue(lines.get(0).startsWith("error: density maps need a 2D toy model"), lines.get(0));
    }

    @Test
    void helpListsEveryOption() {
        CliEndToEndTest.Outcome o = cli("density", "--help");
        assertEquals(0, o.code());
        for (String option : List.of("--samples", "--seed", "--out", "--threads", "CHECKPOINT")) {
            assertTrue(o.out().contains(option), "density --help lacks " + option);
        }
    }

    private static double number(String out, String name) {
        Matcher m = Pattern.compile(name + "\\s*=\\s*([0-9.eE+-]+) nats").matcher(out);
        assertTrue(m.find(), name + " missing in:\n" + out);
        return Double.parseDouble(m.group(1));
    }
}
