package dev.shortrun.steps.tracking;

/** One metric value at a training step, stamped when it was logged. */
record MetricPoint(String key, double value, long step, long timestampMs) {}
