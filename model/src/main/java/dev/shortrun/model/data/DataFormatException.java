package dev.shortrun.model.data;

/**
 * A data file is missing, truncated, corrupt or not what its name says. Unchecked because callers cannot
 * recover from bad data; the message always names the file and what was expected versus found.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
