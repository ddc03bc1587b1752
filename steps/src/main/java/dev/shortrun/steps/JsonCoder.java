package dev.shortrun.steps;

import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.common.ElementByteSizeObserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Beam coder that writes a record as its JSON text. The JSON of shortrun's records is deterministic (fields in
 * declaration order, maps sorted or in insertion order), so equal values encode to equal bytes, as Beam requires of
 * keys and of values compared across workers.
 *
 * @param <T> the record type
 */
public abstract class JsonCoder<T> extends AtomicCoder<T> {
    private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
    /** The value as one line of JSON. */
    protected abstract String write(T value);

    /** The value back from its JSON. */
    protected abstract T read(String json);

    @Override
    public void encode(T value, OutputStream out) throws IOException {
        TEXT.encode(write(value), out);
    }

    @Override
    public T decode(InputStream in) throws IOException {
        return read(TEXT.decode(in));
    }

    @Override
    public void verifyDeterministic() {
        // deterministic by construction (see the class comment); CoderDeterminismTest checks it
    }

    @Override
    public boolean consistentWithEquals() {
        return true;
    }

    @Override
    public void registerByteSizeObserver(T value, ElementByteSizeObserver observer) throws Exception {
        TEXT.registerByteSizeObserver(write(value), observer);
    }
}
