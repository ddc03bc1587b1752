package dev.shortrun.cli;

import static dev.shortrun.cli.CliEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code shortrun diagnose} on a tiny real-MNIST checkpoint: the verdict with its numbers, files, clear errors. */
class DiagnoseCommandTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void printsTheVerdictWithItsNumbersAndWritesTheFigures(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, cli(CliEndToEndTest.train(run)).code());
        CliEndToEndTest.Outcome d = cli("diagnose", run.toString(), "--steps", "20", "--chains", "3", "--mala",
                "--eps", "0.005");
        assertEquals(0, d.code(), d.err());
        String out = d.out();
        assertTrue(out.matches("(?s)verdict: (convergent|non-convergent)\n.*"), out);
        assertTrue(out.contains("L=20 mala steps at eps=0.00500 (T=5.00e-05)"), out);
        assertTrue(out.contains("acceptance "), out);
        assertTrue(out.contains("data:    U 5%/50%/95% = "), out);
        assertTrue(out.contains("from noise: median U ") && out.contains("from data: median U "), out);
        assertTrue(d.err().contains("diagnose ["), "progress bar on stderr: " + d.err());
        for (String file : new String[] {"longrun-iter-000004.png", "longrun-energy-iter-000004.png",
            "longrun-iter-000004.json"}) {
            assertTrue(Files.isRegularFile(run.resolve("diagnose").resolve(file)), file);
        }
    }

    @Test
    void badInputIsOneErrorLine(@TempDir Path tmp) {
        CliEndToEndTest.Outcome missing = cli("diagnose", tmp.resolve("nothing.json").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(missing.err().startsWith("error: checkpoint not found"), missing.err());
    }

    @Test
    void helpDocumentsEveryOption() {
        CliEndToEndTest.Outcome help = cli("diagnose", "--help");
        assertEquals(0, help.code());
        for (String option : new String[] {"--steps", "--chains", "--mala", "--eps", "--from", "--seed", "--out",
            "--threads"}) {
            assertTrue(help.out().contains(option), option);
        }
    }
}
