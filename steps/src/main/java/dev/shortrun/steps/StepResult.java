package dev.shortrun.steps;

import com.google.gson.Gson;

import java.util.List;
import java.util.Map;

/** One row of a run's results: a step's numbers at one checkpoint, and the pictures it wrote. */
public record StepResult(String runName, String step, long iteration, Map<String, Double> metrics,
                         List<String> artifacts) {
    private static final Gson GSON = new Gson();

    public String toJson() {
        return GSON.toJson(this);
    }

    public static StepResult fromJson(String json) {
        return GSON.fromJson(json, StepResult.class);
    }
}
