package dev.shortrun.steps.settings;

import dev.shortrun.steps.RunSpec;

import java.util.List;
import java.util.regex.Pattern;

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
    public static final Setting<String> REGISTER_MODEL = SECTION.add(Setting.text("register_model", "Registers "
            + "each run's final model in the MLflow Model Registry under this name (a new version per run; "
            + "letters, digits, '.', '_' and '-'); every run logs it as an MLflow model either way.")
            .unset("none: logged, not registered"));

    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private TrackingSettings() {
    }

    public static RunSpec.Tracking resolve(SettingsReader r) {
        String registerModel = r.getIfGiven(REGISTER_MODEL);
        if (registerModel != null && !MODEL_NAME.matcher(registerModel).matches()) {
            throw r.error(REGISTER_MODEL, "must use only letters, digits, '.', '_' and '-', found '"
                    + registerModel + "'");
        }
        return new RunSpec.Tracking(r.get(MLFLOW_URI), r.get(EXPERIMENT), r.get(TRIGGER), registerModel);
    }
}
