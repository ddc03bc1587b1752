package dev.shortrun.steps;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The typed settings of a run's steps, by step name: each step's own record (see {@link StepDefinition}), resolved
 * once with the run. In JSON each entry is the record under its step's name; reading looks the record type up in the
 * {@link StepRegistry}.
 */
public final class StepSettings {
    private final Map<String, Object> byStep;

    public StepSettings(Map<String, Object> byStep) {
        this.byStep = Collections.unmodifiableMap(new LinkedHashMap<>(byStep));
    }

    /** The settings of {@code step}; an error if the run has none for it (a step it does not run). */
    public <S> S get(StepDefinition<S> step) {
        return get(step.name(), step.settingsType());
    }

    <S> S get(String step, Class<S> type) {
        Object settings = byStep.get(step);
        if (settings == null) {
            throw new IllegalStateException("the run has no resolved settings for step " + step);
        }
        return type.cast(settings);
    }

    public Map<String, Object> asMap() {
        return byStep;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepSettings other && byStep.equals(other.byStep);
    }

    @Override
    public int hashCode() {
        return byStep.hashCode();
    }

    @Override
    public String toString() {
        return byStep.toString();
    }

    /** Writes each step's record under its name; reads each back as its registered step's settings type. */
    static final class Json extends TypeAdapter<StepSettings> {
        private final Gson gson;

        Json(Gson gson) {
            this.gson = gson;
        }

        @Override
        public void write(JsonWriter out, StepSettings value) throws IOException {
            JsonObject object = new JsonObject();
            value.byStep.forEach((step, settings) -> object.add(step, gson.toJsonTree(settings)));
            gson.toJson(object, out);
        }

        @Override
        public StepSettings read(JsonReader in) throws IOException {
            JsonObject object = gson.fromJson(in, JsonObject.class);
            Map<String, Object> byStep = new LinkedHashMap<>();
            if (object != null) {
                for (Map.Entry<String, JsonElement> e : object.entrySet()) {
                    byStep.put(e.getKey(), gson.fromJson(e.getValue(), StepRegistry.get(e.getKey()).settingsType()));
                }
            }
            return new StepSettings(byStep);
        }
    }
}
