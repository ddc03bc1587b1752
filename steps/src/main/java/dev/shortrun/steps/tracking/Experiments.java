package dev.shortrun.steps.tracking;

import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** MLflow experiment ids by name, created when missing; remembered for the tracker's runs. */
final class Experiments {
    private final MlflowRest rest;
    private final Map<String, String> idsByName = new ConcurrentHashMap<>();

    Experiments(MlflowRest rest) {
        this.rest = rest;
    }

    String id(String name) {
        String known = idsByName.get(name);
        if (known != null) {
            return known;
        }
        String id;
        try {
            id = rest.get("experiments/get-by-name", Map.of("experiment_name", name))
                    .getAsJsonObject("experiment").get("experiment_id").getAsString();
        } catch (MlflowRejectedException e) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                throw e;
            }
            JsonObject body = new JsonObject();
            body.addProperty("name", name);
            try {
                id = rest.post("experiments/create", body).get("experiment_id").getAsString();
            } catch (MlflowRejectedException raced) { // another process created it meanwhile
                if (!"RESOURCE_ALREADY_EXISTS".equals(raced.errorCode())) {
                    throw raced;
                }
                return id(name);
            }
        }
        idsByName.put(name, id);
        return id;
    }
}
