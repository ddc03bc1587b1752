package dev.shortrun.steps.settings;

import dev.shortrun.steps.RunSpec;

import java.util.List;

/** {@code tracking.*}: where runs are recorded besides their own folders. */
public final class TrackingSettings {
    public static final Section SECTION = new Section("tracking", "where runs are recorded (MLflow)", false);

    public static final Setting<String> MLFLOW_URI = SECTION.add(Setting.text("mlflow_uri", "MLflow tracking "
            + "server; none records in local files only.").defaultTo("$MLFLOW_TRACKING_URI, else none", c -> {
                String fromEnv = c.env("MLFLOW_TRACKING_URI");
                return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
            }).flags("--mlflow-uri"));
    public static final Setting<String> EXPERIMENT = SECTION.add(Setting.text("experiment", "MLflow experiment.")
            .defaultTo("the pipeline's (or sweep's) name", DefaultContext::pipeline));
    public static final Setting<String> TRIGGER = SECTION.add(Setting.choice("trigger", "Why the runs happen, a "
            + "tag of every run: manual, schedule or ci.", List.of("manual", "schedule", "ci")).defaultValue("manual"));

    private TrackingSettings() {
    }

    public static RunSpec.Tracking resolve(SettingsReader r) {
        return new RunSpec.Tracking(r.get(MLFLOW_URI), r.get(EXPERIMENT), r.get(TRIGGER));
    }
}
