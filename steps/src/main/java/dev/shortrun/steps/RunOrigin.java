package dev.shortrun.steps;

import java.util.List;

/**
 * Where a run's settings came from and who started it: what its record shows people (the MLflow run's name,
 * description and lineage tags). Not part of the run's hash: the same settings from another sweep or command are the
 * same run.
 *
 * @param basePipeline the pipeline spec the run follows, by name (its file name without .yaml)
 * @param baseFile     that spec's path
 * @param sweep        the sweep the run is a point of, or null
 * @param label        the run's display name: the swept values first, distinct within the sweep in its first
 *                     {@value #DISTINCT_PREFIX} characters; the run's name when not swept
 * @param changes      the settings the sweep or the command line changed from the base pipeline, in the order given
 * @param launch       who started the run, and how; null until the command that starts it says
 */
public record RunOrigin(String basePipeline, String baseFile, Sweep sweep, String label, List<Change> changes,
                        Launch launch) {
    /** How many leading characters of the labels of a sweep's points differ (MLflow's run table cuts names). */
    public static final int DISTINCT_PREFIX = 24;

    public RunOrigin {
        changes = List.copyOf(changes);
    }

    /**
     * The sweep a run is a point of.
     *
     * @param file        the sweep spec's path
     * @param description the sweep's description
     * @param index       the point's place in the sweep, from 1
     * @param count       the sweep's points
     * @param objective   what makes a point the sweep's best, or null when the sweep names none
     */
    public record Sweep(String file, String description, int index, int count, Objective objective) {
    }

    /**
     * One setting changed from the base pipeline.
     *
     * @param base  its value in the base pipeline alone, or null when that was not resolvable on its own
     * @param value its value in this run
     */
    public record Change(String key, String base, String value) {
    }

    /**
     * Who started a run and how.
     *
     * @param user        the user name of the process that started it
     * @param commandLine the shortrun command, e.g. {@code shortrun sweep sweeps/ci-smoke.yaml}
     * @param command     the shortrun command's name (run, sweep): its entry point
     * @param version     shortrun's version
     */
    public record Launch(String user, String commandLine, String command, String version) {
    }

    /** What is known of a run that was resolved without its origin (a spec.json written before origins). */
    public static RunOrigin unknown(String pipeline, String runName) {
        return new RunOrigin(pipeline, null, null, runName, List.of(), null);
    }

    /** The same origin, started by {@code launch}. */
    public RunOrigin withLaunch(Launch by) {
        return new RunOrigin(basePipeline, baseFile, sweep, label, changes, by);
    }
}
