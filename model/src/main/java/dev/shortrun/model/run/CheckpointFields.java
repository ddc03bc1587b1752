package dev.shortrun.model.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * The checks a checkpoint JSON passes before anything trusts it: every field present with its type and range, and
 * every file it names a plain name inside its own folder. A checkpoint decides where a resumed run continues and
 * which files it loads, so a missing {@code iteration} (Gson would read 0 and retrain over the run) or a
 * {@code weights} of {@code ../../other/iter-1.safetensors} (another run's weights) must fail before the run folder
 * is touched, with one line naming the file and the field.
 */
final class CheckpointFields {
    private final Path json;
    private final JsonObject fields;

    CheckpointFields(Path json, JsonObject fields) {
        this.json = json;
        this.fields = fields;
    }

    String string(String name, String expected) {
        JsonElement e = present(name, expected);
        if (!(e instanceof JsonPrimitive p) || !p.isString() || p.getAsString().isBlank()) {
            throw wrong(name, e, expected);
        }
        return p.getAsString();
    }

    long wholeNumber(String name, long min, String expected) {
        JsonElement e = present(name, expected);
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            try {
                long value = new BigDecimal(p.getAsString()).longValueExact();
                if (value >= min) {
                    return value;
                }
            } catch (ArithmeticException | NumberFormatException notWhole) {
                // reported below
            }
        }
        throw wrong(name, e, expected);
    }

    /** A decimal long held as a string (the RNG state: JSON numbers lose bits above 2^53 in other readers). */
    long longString(String name, String expected) {
        String text = string(name, expected);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw wrong(name, fields.get(name), expected);
        }
    }

    /** The name of a file beside the checkpoint JSON: no folder part, so it cannot point into another run. */
    String plainFileName(String name) {
        String expected = "a file name in " + json.getParent() + " (no folder part)";
        String value = string(name, expected);
        if (!isPlainFileName(value)) {
            throw wrong(name, fields.get(name), expected);
        }
        return value;
    }

    /** Like {@link #plainFileName} for a field that may be absent or null (a run without that file). */
    String optionalPlainFileName(String name) {
        JsonElement e = fields.get(name);
        return e == null || e.isJsonNull() ? null : plainFileName(name);
    }

    boolean has(String name) {
        JsonElement e = fields.get(name);
        return e != null && !e.isJsonNull();
    }

    JsonArray array(String name, String expected) {
        JsonElement e = present(name, expected);
        if (!e.isJsonArray()) {
            throw wrong(name, e, expected);
        }
        return e.getAsJsonArray();
    }

    JsonObject object(String name, String expected) {
        JsonElement e = present(name, expected);
        if (!e.isJsonObject()) {
            throw wrong(name, e, expected);
        }
        return e.getAsJsonObject();
    }

    /** An error naming the checkpoint, the field and what it should hold. */
    IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException("checkpoint " + json + ": field '" + name + "' " + problem);
    }

    static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private JsonElement present(String name, String expected) {
        JsonElement e = fields.get(name);
        if (e == null || e.isJsonNull()) {
            throw invalid(name, "is missing; expected " + expected);
        }
        return e;
    }

    private IllegalArgumentException wrong(String name, JsonElement value, String expected) {
        String shown = value.toString();
        return invalid(name, "is " + (shown.length() > 80 ? shown.substring(0, 77) + "..." : shown) + "; expected "
                + expected);
    }
}
