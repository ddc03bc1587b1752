package dev.shortrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The log lines a user sees, as src/main/resources/simplelogger.properties configures slf4j-simple: shortrun's own
 * (every dev.shortrun.* logger) from info up, other libraries' warnings only, each line the level and the message.
 */
class LogLinesTest {
    @Test
    void shortrunsLinesAreTheLevelAndTheMessageAndLibrariesOnlyWarn() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoggerFactory.getLogger("dev.shortrun.steps.TenthsProgress").info("[run-a] 6/60 (10%)");
            LoggerFactory.getLogger("dev.shortrun.model.run.Trainer").warn("careful");
            LoggerFactory.getLogger("dev.shortrun.steps.tracking.Outbox").debug("details");
            LoggerFactory.getLogger("org.apache.beam.sdk.Pipeline").info("library chatter");
            LoggerFactory.getLogger("org.apache.beam.sdk.Pipeline").warn("library warning");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(List.of("INFO [run-a] 6/60 (10%)", "WARN careful", "WARN library warning"),
                captured.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
