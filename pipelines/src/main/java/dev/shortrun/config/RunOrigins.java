package dev.shortrun.config;

import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Says where each resolved run came from ({@link RunOrigin}): the pipeline spec it follows, the sweep point it is, the
 * settings the sweep ({@code set}, the axes) and the command line ({@code --set}) changed from that spec, and its
 * label. A setting counts as changed when its value differs from the one the spec alone resolves to.
 */
final class RunOrigins {
    /** The base value of a setting the base pipeline does not have (a step it does not list). */
    static final String UNSET = "(unset)";

    private RunOrigins() {
    }

    /**
     * A pipeline's run.
     *
     * @param fileParams the params of the spec resolved alone (without --set), or null when it is not valid alone
     */
    static RunSpec ofPipeline(RunSpec run, Path file, Path workingDir, Map<String, String> fileParams,
                              Collection<String> setKeys) {
        return run.withOrigin(new RunOrigin(SweepReader.stem(file), shown(file, workingDir), null, run.runName(),
                changes(run, fileParams, setKeys), null));
    }

    /**
     * A sweep's points, in order.
     *
     * @param baseParams the params of a base pipeline resolved alone, or null when it is not valid alone
     */
    static List<RunSpec> ofSweep(Path sweepFile, SweepReader.SweepFile sweep, List<RunSpec> points,
                                 Collection<String> setKeys, Path workingDir,
                                 Function<Path, Map<String, String>> baseParams) {
        Set<String> keys = new LinkedHashSet<>(sweep.fixed().keySet());
        keys.addAll(sweep.sweptKeys());
        keys.addAll(setKeys);
        keys.remove(SweepReader.PIPELINE_AXIS);
        List<String> labels = RunLabels.of(points);
        List<RunSpec> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            RunSpec run = points.get(i);
            Path base = baseOf(run, sweep.baseFiles());
            RunOrigin.Sweep point = new RunOrigin.Sweep(shown(sweepFile, workingDir), sweep.description(), i + 1,
                    points.size(), sweep.objective());
            out.add(run.withOrigin(new RunOrigin(SweepReader.stem(base), shown(base, workingDir), point,
                    labels.get(i), changes(run, baseParams.apply(base), keys), null)));
        }
        return out;
    }

    /** The base pipeline of a point: the one of its {@code pipeline} axis, or the sweep's only one. */
    private static Path baseOf(RunSpec run, List<Path> baseFiles) {
        String stem = run.sweepPoint().get(SweepReader.PIPELINE_AXIS);
        return stem == null ? baseFiles.get(0)
                : baseFiles.stream().filter(f -> SweepReader.stem(f).equals(stem)).findFirst().orElseThrow();
    }

    /** The given keys whose value differs from the base's (all of them when the base is not known). */
    private static List<RunOrigin.Change> changes(RunSpec run, Map<String, String> base, Collection<String> keys) {
        List<RunOrigin.Change> changes = new ArrayList<>();
        for (String key : new LinkedHashSet<>(keys)) {
            String value = run.params().get(key);
            String before = base == null ? null : base.getOrDefault(key, UNSET);
            if (base == null || !Objects.equals(before, value)) {
                changes.add(new RunOrigin.Change(key, before, value));
            }
        }
        return changes;
    }

    /** A spec file's path as a user reads it: relative to the working directory when inside it. */
    private static String shown(Path file, Path workingDir) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(workingDir) ? workingDir.relativize(absolute).toString() : absolute.toString();
    }
}
