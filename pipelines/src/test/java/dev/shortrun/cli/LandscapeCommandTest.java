package dev.shortrun.cli;

import static dev.shortrun.cli.CliEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code shortrun landscape} on a tiny real-MNIST checkpoint: numbers, files, the same map for the same seed. */
class LandscapeCommandTest {
    /** A CPU-cheap mapping: a few samples, short chains (the defaults run minutes). */
    private static final String[] TINY = {"--samples", "6", "--chain-steps", "5", "--quench-steps", "5",
        "--budget", "20", "--patience", "10", "--trials", "1", "--barrier-rounds", "1", "--shown", "2",
        "--batch", "16"};

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    private static String[] landscape(Path run, Path out) {
        String[] args = new String[TINY.length + 4];
        args[0] = "landscape";
        args[1] = run.toString();
        System.arraycopy(TINY, 0, args, 2, TINY.length);
        args[TINY.length + 2] = "--out";
        args[TINY.length + 3] = out.toString();
        return args;
    }

    @Test
    void mapsTheBasinsWritesTheFiguresAndRepeatsItselfForASeed(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, cli(CliEndToEndTest.train(run)).code());
        CliEndToEndTest.Outcome a = cli(landscape(run, tmp.resolve("a")));
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().matches("(?s)\\d+ basins from 6 metastable samples \\(members: [\\d ]+\\); \\d+ trees?.*"),
                a.out());
        assertTrue(a.out().contains("report:  "), a.out());
        for (String phase : new String[] {"long-run chains [", "quench [", "basins ["}) {
            assertTrue(a.err().contains(phase), "progress of " + phase + " on stderr: " + a.err());
        }
        Path json = tmp.resolve("a").resolve("landscape-iter-000004.json");
        JsonObject map = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        int basins = map.getAsJsonArray("basins").size();
        assertTrue(basins >= 1 && basins <= 6, "basins: " + basins);
        assertEquals(6, map.getAsJsonArray("energies").size());
        assertTrue(!map.has("grid") || map.get("grid").isJsonNull(), "no grid reference for images");
        BufferedImage tree = CliEndToEndTest.png(tmp.resolve("a").resolve("landscape-iter-000004.png"));
        assertTrue(tree.getHeight() > 300 + 2 * 32, "tree above columns of 32x32 member images: " + tree.getHeight());
        assertTrue(Files.notExists(tmp.resolve("a").resolve("landscape-map-iter-000004.png")), "toys only");

        CliEndToEndTest.Outcome b = cli(landscape(run, tmp.resolve("b")));
        assertEquals(0, b.code(), b.err());
        JsonObject again = JsonParser.parseString(Files.readString(tmp.resolve("b")
                .resolve("landscape-iter-000004.json"))).getAsJsonObject();
        for (String key : new String[] {"energies", "basins", "barriers", "merges"}) {
            assertEquals(map.get(key), again.get(key), "same seed, same " + key);
        }
    }

    @Test
    void badInputIsOneErrorLine(@TempDir Path tmp) {
        CliEndToEndTest.Outcome missing = cli("landscape", tmp.resolve("nothing.json").toString());
        assertEquals(1, missing.code());
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(missing.err().startsWith("error: checkpoint not found"), missing.err());
        Path run = tmp.resolve("run");
        assertEquals(0, cli(CliEndToEndTest.train(run)).code());
        CliEndToEndTest.Outcome hot = cli("landscape", run.toString(), "--temperature", "2");
        assertEquals(1, hot.code());
        assertEquals(1, hot.errLines().size(), hot.err());
        // the flags are the landscape.* settings: the resolver's messages name the flag as typed, the key and the range
        assertTrue(hot.err().startsWith("error: --temperature 2: landscape.temperature: must be in (0, 1]"),
                hot.err());
        CliEndToEndTest.Outcome from = cli("landscape", run.toString(), "--from", "sky");
        assertEquals(1, from.code());
        assertEquals(1, from.errLines().size(), from.err());
        assertTrue(from.err().startsWith("error: --from sky: landscape.from:") && from.err().contains("noise, data, "
                + "both"), from.err());
    }

    @Test
    void helpDocumentsEveryOption() {
        CliEndToEndTest.Outcome help = cli("landscape", "--help");
        assertEquals(0, help.code());
        for (String option : new String[] {"--samples", "--chain-steps", "--from", "--quench-steps",
            "--magnetization", "--barrier-magnetization", "--barrier-rounds", "--temperature", "--step-scale",
            "--budget", "--patience", "--arrival", "--trials", "--neighbours", "--batch", "--shown", "--min-depth",
            "--seed", "--out", "--threads"}) {
            assertTrue(help.out().contains(option), option);
        }
        // the defaults that differ by data come from LandscapeSettings.forToys() / forImages()
        String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("default: 200 for 2D toys, 64 for images. (Spec key landscape.samples.)"), flat);
    }
}
