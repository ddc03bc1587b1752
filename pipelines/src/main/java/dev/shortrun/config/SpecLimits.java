package dev.shortrun.config;

import java.util.regex.Pattern;

/**
 * Explicit limits on what a spec may ask of the reader, so that a hostile or mistaken file fails fast with the limit
 * named instead of exhausting time or memory: its size, how far YAML aliases may expand it, how deep it may nest,
 * how many runs a sweep may expand to, and what names may be (they name directories).
 */
final class SpecLimits {
    /** Largest spec file (or command-line value) read: real specs are a few kilobytes. */
    static final int MAX_SPEC_BYTES = 1 << 20;
    /** Most YAML aliases (*ref) in one spec: a handful is normal; many are the start of an expansion bomb. */
    static final int MAX_ALIASES = 50;
    /** Most values a spec may expand to, aliases included. */
    static final int MAX_VALUES = 100_000;
    /** Deepest nesting of mappings and lists (a spec is two levels; sweeps four). */
    static final int MAX_DEPTH = 32;
    /** Most runs one sweep may expand to. */
    static final int MAX_SWEEP_POINTS = 10_000;
    /** A name of a pipeline or sweep: it names directories, so no "." or ".." and no separators. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    static final String NAME_RULE = "must start with a letter or digit and use only letters, digits, '.', '_' and "
            + "'-' (it names directories)";

    private SpecLimits() {
    }
}
