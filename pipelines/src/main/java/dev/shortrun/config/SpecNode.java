package dev.shortrun.config;

import java.util.List;
import java.util.Map;

/** A YAML value with the place it was written, so every later error can point at its line. */
sealed interface SpecNode {
    Where where();

    /** A short description of the value for error messages: {@code 'text'}, "a list" or "a mapping". */
    String shown();

    /**
     * A plain value. {@code isNull} is YAML's null ({@code ~}, {@code null} or nothing), meaning "use the default".
     */
    record Scalar(String text, boolean isNull, Where where) implements SpecNode {
        @Override
        public String shown() {
            return isNull ? "null" : "'" + text + "'";
        }
    }

    record Sequence(List<SpecNode> items, Where where) implements SpecNode {
        @Override
        public String shown() {
            return "a list";
        }
    }

    /** Entries in file order; keys are unique (duplicates are rejected while reading). */
    record Mapping(Map<String, Entry> entries, Where where) implements SpecNode {
        @Override
        public String shown() {
            return "a mapping";
        }
    }

    /** One key of a mapping: where the key itself was written, and its value. */
    record Entry(String key, Where where, SpecNode value) {
    }
}
