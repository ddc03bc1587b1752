package dev.shortrun.cli;

import java.util.regex.Pattern;

/** The one line a failed command prints: the message a user can act on, without runner wrappers or class names. */
final class ErrorLine {
    /** "dev.shortrun.x.SomeException: " as Flink's serialized copies of an exception start their message. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: ");

    private ErrorLine() {
    }

    /**
     * The message a user can act on. Runners wrap what a step raised in layers of their own ("Pipeline execution
     * failed", "Job execution failed", copies prefixed with the original class name), so the outermost error raised
     * by shortrun's own code wins; otherwise the first non-blank message.
     */
    static String of(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String own = c.getMessage();
            if (raisedByShortrun(c) && own != null && !own.isBlank()) {
                return CLASS_PREFIX.matcher(own).replaceFirst("");
            }
        }
        String message = e.getMessage();
        Throwable cause = e;
        while ((message == null || message.isBlank()) && cause.getCause() != null) {
            cause = cause.getCause();
            message = cause.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static boolean raisedByShortrun(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("dev.shortrun.");
    }

}
