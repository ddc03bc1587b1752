package dev.shortrun.steps.tracking;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.io.AtomicFiles;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The few MLflow REST calls the tracker needs, over {@link HttpClient} with short timeouts and no retries of its own:
 * retrying is the caller's job, so an outage costs one fast failure, not the Java client's slow internal retries.
 */
public final class MlflowRest {
    private final String trackingUri;
    private final HttpClient http;
    private final Duration requestTimeout;

    public MlflowRest(String trackingUri, Duration connectTimeout, Duration requestTimeout) {
        this.trackingUri = trackingUri.endsWith("/") ? trackingUri.substring(0, trackingUri.length() - 1) : trackingUri;
        // HTTP/1.1: no h2c upgrade, which MLflow's servers (gunicorn, uvicorn) do not speak
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
        this.requestTimeout = requestTimeout;
    }

    public String trackingUri() {
        return trackingUri;
    }

    /** GET {@code /api/2.0/mlflow/<endpoint>?query}. */
    public JsonObject get(String endpoint, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow/" + endpoint + q))
                .timeout(requestTimeout).GET().build();
        return json(send(request));
    }

    /** POST a JSON body to {@code /api/2.0/mlflow/<endpoint>}. */
    public JsonObject post(String endpoint, JsonObject body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow/" + endpoint))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return json(send(request));
    }

    /** PATCH a JSON body to {@code /api/2.0/mlflow/<endpoint>}. */
    public JsonObject patch(String endpoint, JsonObject body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow/" + endpoint))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return json(send(request));
    }

    /** The files and folders directly in a folder of the server's artifact proxy (see {@link #putArtifact}). */
    public JsonObject listArtifacts(String proxyPath) {
        URI uri = URI.create(trackingUri + "/api/2.0/mlflow-artifacts/artifacts?path=" + encode(proxyPath));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
        return json(send(request));
    }

    /** Downloads a file of the server's artifact proxy into {@code target} (replaced whole, or left untouched). */
    public void getArtifact(String proxyPath, Path target) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(trackingUri + "/api/2.0/mlflow-artifacts/artifacts/"
                + encodePath(proxyPath))).timeout(requestTimeout.multipliedBy(10)).GET().build();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                throw failure(request, response.statusCode(), text);
            }
            AtomicFiles.write(target, out -> body.transferTo(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + request.uri() + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Uploads a file through the server's artifact proxy. {@code proxyPath} is relative to the proxy's root: a run
     * whose artifact URI is {@code mlflow-artifacts:/1/abc/artifacts} keeps {@code x.png} at {@code 1/abc/artifacts/x.png}.
     */
    public void putArtifact(String proxyPath, Path file) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new MlflowRejectedException("artifact file " + file + " does not exist", "FILE_NOT_FOUND");
        }
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(trackingUri + "/api/2.0/mlflow-artifacts/artifacts/" + encodePath(proxyPath)))
                .timeout(requestTimeout.multipliedBy(10)) // files are larger than JSON calls
                .PUT(body)
                .build();
        send(request);
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return response.body();
        }
        throw failure(request, code, response.body());
    }

    /**
     * Sends the request; a connection the server had closed while it sat in the client's pool (uvicorn, MLflow 3's
     * server, closes idle ones after 5 s; Java keeps them for 20 minutes) is retried once on a new one: the server
     * read nothing of the request, so it cannot run twice.
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request, handler);
            } catch (IOException e) {
                if (attempt == 1 && closedWhileIdle(e)) {
                    continue;
                }
                throw new MlflowUnavailableException("MLflow at " + trackingUri + " unreachable (" + request.method()
                        + " " + request.uri().getPath() + "): " + e, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MlflowUnavailableException("interrupted while calling MLflow at " + trackingUri, false);
            }
        }
    }

    /** The JDK's failure for a pooled connection the server closed: no byte of an answer arrived. */
    private static boolean closedWhileIdle(IOException e) {
        return e instanceof EOFException
                || (e.getMessage() != null && e.getMessage().contains("header parser received no bytes"));
    }

    /** The exception for an answer that is not a success: worth retrying (5xx, 429) or not (other 4xx). */
    private RuntimeException failure(HttpRequest request, int code, String body) {
        String what = request.method() + " " + request.uri().getPath() + " -> HTTP " + code + ": " + abbreviate(body);
        if (code >= 500 || code == 429) {
            return new MlflowUnavailableException("MLflow at " + trackingUri + " failed: " + what, code >= 500);
        }
        return new MlflowRejectedException("MLflow at " + trackingUri + " rejected " + what, errorCode(body));
    }

    /** Each part of a slash-separated path URL-encoded (spaces as %20, '+' as %2B). */
    private static String encodePath(String path) {
        StringJoiner encoded = new StringJoiner("/");
        for (String part : path.split("/")) {
            encoded.add(encode(part).replace("+", "%20"));
        }
        return encoded.toString();
    }

    private static JsonObject json(String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        JsonElement parsed = JsonParser.parseString(body);
        return parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
    }

    private static String errorCode(String body) {
        try {
            JsonObject json = json(body);
            return json.has("error_code") ? json.get("error_code").getAsString() : "";
        } catch (RuntimeException notJson) {
            return "";
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The server could not be reached, timed out, or answered 5xx/429: worth retrying later. */
    public static final class MlflowUnavailableException extends RuntimeException {
        private final boolean serverError;

        MlflowUnavailableException(String message, boolean serverError) {
            super(message);
            this.serverError = serverError;
        }

        /** True when the server answered (5xx): a request that keeps failing this way is eventually dropped. */
        public boolean serverError() {
            return serverError;
        }
    }

    /** The server refused the request (4xx): retrying the same request cannot help. */
    public static final class MlflowRejectedException extends RuntimeException {
        private final String errorCode;

        MlflowRejectedException(String message, String errorCode) {
            super(message);
            this.errorCode = errorCode;
        }

        /** MLflow's error code, e.g. RESOURCE_DOES_NOT_EXIST, or "" when the body had none. */
        public String errorCode() {
            return errorCode;
        }
    }
}
