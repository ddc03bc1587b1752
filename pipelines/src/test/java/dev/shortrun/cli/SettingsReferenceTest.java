package dev.shortrun.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings reference in the repository is the one the declarations print: docs cannot drift from the code. */
class SettingsReferenceTest {
    @Test
    void settingsMdIsWhatTheDeclarationsSay() throws IOException {
        Path file = Path.of("SETTINGS.md");
        String expected = SettingsCommand.markdown(SettingsCommand.sections());
        assertTrue(Files.isRegularFile(file), "pipelines/SETTINGS.md is missing; write it with "
                + "./shortrun settings --markdown > pipelines/SETTINGS.md");
        assertEquals(expected, Files.readString(file), "pipelines/SETTINGS.md is out of date; regenerate it with "
                + "./shortrun settings --markdown > pipelines/SETTINGS.md");
    }
}
