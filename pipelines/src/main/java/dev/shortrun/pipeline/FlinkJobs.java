package dev.shortrun.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The jobs of a Flink session cluster, through its REST API: a pipeline's job is found by its name
 * ({@link Invocation#jobName}), so that stopping the command (Ctrl-C, SIGTERM) cancels it, and a command that was
 * killed outright leaves no job behind for the next one to collide with.
 */
public final class FlinkJobs {
    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");
    private final String rest;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param master the cluster's REST address, host:port */
    public FlinkJobs(String master) {
        this.rest = "http://" + master;
    }

    /** The id of the job named {@code name} that has not ended, if there is one. */
    public Optional<String> running(String name) throws IOException {
        JsonObject overview = get("/jobs/overview");
        if (!overview.has("jobs")) {
            return Optional.empty();
        }
        for (JsonElement e : overview.getAsJsonArray("jobs")) {
            JsonObject job = e.getAsJsonObject();
            if (name.equals(job.get("name").getAsString()) && !ENDED.contains(job.get("state").getAsString())) {
                return Optional.of(job.get("jid").getAsString());
            }
        }
        return Optional.empty();
    }

    /** Asks the cluster to cancel the job, then waits for it to end, at most {@code wait}; true when it ended. */
    public boolean cancel(String jobId, Duration wait) throws IOException {
        send(HttpRequest.newBuilder(URI.create(rest + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (ENDED.contains(get("/jobs/" + jobId).get("state").getAsString())) {
                return true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private JsonObject get(String path) throws IOException {
        String body = send(HttpRequest.newBuilder(URI.create(rest + path)).GET());
        JsonElement json = JsonParser.parseString(body);
        return json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
    }

    private String send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling Flink at " + rest, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Flink at " + rest + " answered HTTP " + response.statusCode() + " to "
                    + response.request().method() + " " + response.uri().getPath() + ": " + response.body());
        }
        return response.body();
    }
}
