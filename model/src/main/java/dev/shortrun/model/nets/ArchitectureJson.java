package dev.shortrun.model.nets;

import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.util.Locale;

/**
 * An {@link Architecture} in JSON: its name in upper case ({@code "CONV32"}), the form Gson gave the enum it used to
 * be, so checkpoints and run specs written before and after read alike.
 */
final class ArchitectureJson extends TypeAdapter<Architecture> {
    @Override
    public void write(JsonWriter out, Architecture value) throws IOException {
        out.value(value.name().toUpperCase(Locale.ROOT)); // nulls never get here: @JsonAdapter is null-safe
    }

    @Override
    public Architecture read(JsonReader in) throws IOException {
        String name = in.nextString();
        try {
            return EnergyNetworks.get(name);
        } catch (IllegalArgumentException e) {
            throw new JsonParseException(e.getMessage(), e);
        }
    }
}
