package dev.shortrun.steps;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One row of a run's results: a step's numbers at one checkpoint, and the pictures it wrote. */
@DefaultCoder(StepResult.Coder.class)
public record StepResult(String runName, String step, long iteration, Map<String, Double> metrics,
                         List<String> artifacts) {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    public StepResult {
        metrics = Collections.unmodifiableSortedMap(new TreeMap<>(metrics)); // sorted: equal rows encode alike
        artifacts = List.copyOf(artifacts);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static StepResult fromJson(String json) {
        return GSON.fromJson(json, StepResult.class);
    }

    /** Beam's coder of result rows: their JSON. */
    public static final class Coder extends JsonCoder<StepResult> {
        public static Coder of() {
            return new Coder();
        }

        /** How {@code @DefaultCoder} finds this coder for the record. */
        public static CoderProvider getCoderProvider() {
            return CoderProviders.forCoder(TypeDescriptor.of(StepResult.class), of());
        }

        @Override
        protected String write(StepResult value) {
            return value.toJson();
        }

        @Override
        protected StepResult read(String json) {
            return fromJson(json);
        }
    }
}
