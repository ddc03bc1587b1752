package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow server for tests: the one named by env {@code MLFLOW_TRACKING_URI}, or one started through
 * {@code infra/mlflow/start.sh} on a free port with a temporary state directory. Never skips: failing to start is a
 * test failure that shows the script's output.
 */
final class MlflowTestServer implements AutoCloseable {
    private final String uri;
    private final Integer port;     // null for an external server
    private final Path stateDir;    // null for an external server

    private MlflowTestServer(String uri, Integer port, Path stateDir) {
        this.uri = uri;
        this.port = port;
        this.stateDir = stateDir;
    }

    /** The server of env MLFLOW_TRACKING_URI if set, else a fresh one of our own. */
    static MlflowTestServer fromEnvOrStart() {
        String external = System.getenv("MLFLOW_TRACKING_URI");
        if (external != null && !external.isBlank()) {
            return new MlflowTestServer(external.trim(), null, null);
        }
        return startOwn();
    }

    /** A fresh server that this test may stop and restart. */
    static MlflowTestServer startOwn() {
        try {
            MlflowTestServer server = new MlflowTestServer(null, freePort(),
                    Files.createTempDirectory("shortrun-mlflow-test-"));
            String printed = server.script("start.sh");
            return new MlflowTestServer(printed.lines().reduce((a, b) -> b).orElseThrow().trim(),
                    server.port, server.stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server of our own on a free port, not started: until {@link #restart()} connections to it are refused. */
    static MlflowTestServer notStarted() {
        try {
            int port = freePort();
            return new MlflowTestServer("http://127.0.0.1:" + port, port,
                    Files.createTempDirectory("shortrun-mlflow-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String uri() {
        return uri;
    }

    void stop() {
        script("stop.sh");
    }

    /** Starts (again) on the same port with the same database and artifacts. */
    void restart() {
        script("start.sh");
    }

    @Override
    public void close() {
        if (port != null) {
            stop();
        }
    }

    private String script(String name) {
        if (port == null) {
            throw new IllegalStateException("cannot start or stop the external server " + uri);
        }
        Path script = repoRoot().resolve("infra/mlflow").resolve(name);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("SHORTRUN_MLFLOW_PORT", Integer.toString(port));
        pb.environment().put("SHORTRUN_MLFLOW_STATE", stateDir.toString());
        try {
            Process process = pb.start();
            process.getOutputStream().close();
            // The first start installs mlflow into the venv, which can take minutes.
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " failed (exit " + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + script, e);
        }
    }

    /** System property shortrun.root (set by surefire), else the nearest ancestor of the working dir with infra/. */
    static Path repoRoot() {
        String property = System.getProperty("shortrun.root");
        if (property != null && Files.isDirectory(Paths.get(property, "infra", "mlflow"))) {
            return Paths.get(property);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra/mlflow"))) {
                return dir;
            }
        }
        throw new AssertionError("cannot find the repository root (a folder holding infra/mlflow) from "
                + Paths.get("").toAbsolutePath() + "; set -Dshortrun.root");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
