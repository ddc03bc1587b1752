package dev.shortrun.model.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}; the body of an atomic write. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
