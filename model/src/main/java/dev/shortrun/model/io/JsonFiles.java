package dev.shortrun.model.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON read within {@link InputLimits}: a file's size is checked before it is read, the nesting depth before any
 * parser sees the text (Gson's getters recurse, so a document nested 200,000 deep would overflow the stack).
 */
public final class JsonFiles {
    private JsonFiles() {
    }

    /** The text of a JSON file of at most {@link InputLimits#MAX_JSON_BYTES}, nested at most the depth limit. */
    public static String read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > InputLimits.MAX_JSON_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than the limit of " + InputLimits.MAX_JSON_BYTES
                    + " bytes for a JSON file");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        checkDepth(file, text);
        return text;
    }

    /** Fails, naming {@code source}, when {@code text} nests deeper than {@link InputLimits#MAX_JSON_DEPTH}. */
    public static void checkDepth(Object source, CharSequence text) throws IOException {
        if (InputLimits.jsonDepth(text, InputLimits.MAX_JSON_DEPTH) > InputLimits.MAX_JSON_DEPTH) {
            throw new IOException(source + ": JSON nested more than " + InputLimits.MAX_JSON_DEPTH
                    + " levels deep (the limit)");
        }
    }
}
