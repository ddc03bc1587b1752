package dev.shortrun.config;

import dev.shortrun.steps.Objective;
import dev.shortrun.steps.RunSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * A resolved sweep: one {@link RunSpec} per point, in expansion order.
 *
 * @param name           names the sweep's runs, their directory and (by default) the MLflow experiment
 * @param maxConcurrency how many points may run at once
 * @param points         the runs
 * @param baseFiles      the pipeline specs the sweep varies (several: every point runs on each)
 * @param objective      what makes a point the best (its parent run names it), or null when the sweep names none
 * @param regression     what must not get worse than a baseline ({@code shortrun compare}), or null
 */
public record Sweep(String name, String description, int maxConcurrency, List<RunSpec> points,
                    List<Path> baseFiles, Objective objective, Regression regression) {
    public Sweep {
        points = List.copyOf(points);
        baseFiles = List.copyOf(baseFiles);
    }
}
