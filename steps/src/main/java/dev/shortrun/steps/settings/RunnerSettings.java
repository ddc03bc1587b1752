package dev.shortrun.steps.settings;

import dev.shortrun.steps.RunSpec;

import java.util.List;
import java.util.regex.Pattern;

/** {@code runner.*}: which Beam runner executes the pipeline. */
public final class RunnerSettings {
    public static final Section SECTION = new Section("runner", "which Beam runner executes the pipeline", false);
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:/]+:[0-9]{1,5}");

    public static final Setting<String> KIND = SECTION.add(Setting.choice("kind", "flink-embedded (one machine), "
            + "flink-cluster (a Flink session cluster at flink_master) or direct (Beam's DirectRunner).",
            List.of("flink-embedded", "flink-cluster", "direct"))
            .derivedFrom("flink-cluster when flink_master is given, else flink-embedded").flags("--runner"));
    public static final Setting<String> FLINK_MASTER = SECTION.add(Setting.text("flink_master", "With kind "
            + "flink-cluster: the job manager's REST address host:port, e.g. 127.0.0.1:8081.").unset("none")
            .flags("--flink-master"));

    private RunnerSettings() {
    }

    public static RunSpec.Runner resolve(SettingsReader r) {
        String master = r.getIfGiven(FLINK_MASTER);
        String kind = r.get(KIND, master != null ? "flink-cluster" : "flink-embedded");
        boolean cluster = kind.equals("flink-cluster");
        if (cluster && master == null) {
            throw r.error(FLINK_MASTER, "missing required key: runner.kind flink-cluster needs the job manager's "
                    + "host:port, e.g. 127.0.0.1:8081");
        }
        if (!cluster && master != null) {
            throw r.error(FLINK_MASTER, "only used with runner.kind flink-cluster (runner.kind is " + kind + ")");
        }
        if (master != null && !HOST_PORT.matcher(master).matches()) {
            throw r.error(FLINK_MASTER, "expected host:port, e.g. 127.0.0.1:8081, found '" + master + "'");
        }
        return new RunSpec.Runner(kind, master);
    }
}
