package dev.shortrun.steps;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * What the train step emits for every checkpoint: where it is, after which iteration, and the run it belongs to
 * (the resolved spec travels along, so downstream steps need nothing else).
 *
 * @param checkpointJson the checkpoint's {@code iter-N.json}
 * @param trackingRunId  the tracker's id of the run (MLflow run id, or the local run name)
 * @param last           true for the run's final checkpoint
 */
@DefaultCoder(CheckpointRef.Coder.class)
public record CheckpointRef(String checkpointJson, long iteration, boolean last, String trackingRunId,
                           RunSpec spec) {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    public CheckpointRef {
        if (checkpointJson == null || spec == null) {
            throw new IllegalArgumentException("a checkpoint reference needs its file and its run");
        }
    }

    public String toJson() {
        JsonObject json = GSON.toJsonTree(new Fields(checkpointJson, iteration, last, trackingRunId)).getAsJsonObject();
        json.add("spec", JsonParser.parseString(spec.toJson())); // the run's own JSON: typed step settings
        return GSON.toJson(json);
    }

    public static CheckpointRef fromJson(String json) {
        JsonObject object = GSON.fromJson(json, JsonObject.class);
        Fields f = GSON.fromJson(object, Fields.class);
        return new CheckpointRef(f.checkpointJson(), f.iteration(), f.last(), f.trackingRunId(),
                RunSpec.fromJson(object.get("spec").toString()));
    }

    private record Fields(String checkpointJson, long iteration, boolean last, String trackingRunId) {
    }

    /** Beam's coder of checkpoint references: their JSON. */
    public static final class Coder extends JsonCoder<CheckpointRef> {
        public static Coder of() {
            return new Coder();
        }

        /** How {@code @DefaultCoder} finds this coder for the record. */
        public static CoderProvider getCoderProvider() {
            return CoderProviders.forCoder(TypeDescriptor.of(CheckpointRef.class), of());
        }

        @Override
        protected String write(CheckpointRef value) {
            return value.toJson();
        }

        @Override
        protected CheckpointRef read(String json) {
            return fromJson(json);
        }
    }
}
