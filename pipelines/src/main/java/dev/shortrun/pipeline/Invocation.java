package dev.shortrun.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.run.ProcessIdentity;
import dev.shortrun.model.run.RunState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code shortrun run} or {@code shortrun sweep} of a pipeline or sweep, as {@code <output>/<name>/invocation.json}
 * records it: which runs it works on, who runs it, where, and how it ended. The next invocation of the same name
 * reads it to keep the sweep's MLflow parent (same code), to refuse to run while it still runs, and to mark the runs
 * of one that was killed (SIGKILL: no handler ran) KILLED; {@code shortrun status} reads it to say how far it is.
 *
 * @param id         new for every invocation; the Flink job's name ends with it
 * @param kind       "sweep" or "pipeline"
 * @param code       the shortrun code it runs ({@code CodeVersion})
 * @param parentKey  the key of the sweep's parent run (tag {@code shortrun.run_key}); null for a pipeline
 * @param status     RUNNING, or how it ended: FINISHED, FAILED, KILLED
 * @param client     the process of the command
 * @param runner     flink-embedded, flink-cluster or direct
 * @param flinkMaster the cluster's REST address with flink-cluster, else null
 * @param points     the run names, in order: their folders are {@code <output>/<name>/<run>}
 */
public record Invocation(String id, String name, String kind, String code, String parentKey, String status,
                         ProcessIdentity client, long startedMs, long endedMs, String runner, String flinkMaster,
                         List<String> points) {
    public static final String FILE = "invocation.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    /** The invocations this process runs now (tests run one command after another in one JVM). */
    private static final Set<String> HERE = ConcurrentHashMap.newKeySet();

    public Invocation {
        points = List.copyOf(points);
    }

    /** A new invocation by this process, RUNNING. */
    public static Invocation start(String name, String kind, String code, String parentKey, String runner,
                                   String flinkMaster, List<String> points) {
        return new Invocation(UUID.randomUUID().toString(), name, kind, code, parentKey, RunState.RUNNING,
                ProcessIdentity.current(), System.currentTimeMillis(), 0, runner, flinkMaster, points);
    }

    /** The Flink job that runs it: "shortrun-NAME-" and the start of its id, so that it can be found again. */
    public String jobName() {
        return "shortrun-" + name + "-" + id.substring(0, 8);
    }

    public Invocation ended(String how) {
        return new Invocation(id, name, kind, code, parentKey, how, client, startedMs, System.currentTimeMillis(),
                runner, flinkMaster, points);
    }

    public boolean ended() {
        return RunState.ended(status);
    }

    /**
     * Whether it still runs: not ended, and its process alive (empty when that cannot be told: another host). An
     * invocation whose process died without ending it was killed.
     */
    public Optional<Boolean> alive() {
        if (ended()) {
            return Optional.of(false);
        }
        if (client.equals(ProcessIdentity.current())) {
            return Optional.of(HERE.contains(id)); // this process: alive while its command runs
        }
        return client.alive();
    }

    public static Optional<Invocation> read(Path root) {
        Path file = root.resolve(FILE);
        try {
            return Optional.ofNullable(GSON.fromJson(Files.readString(file), Invocation.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JsonParseException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path root) {
        try {
            AtomicFiles.writeString(root.resolve(FILE), GSON.toJson(this) + "\n");
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    /** Marks it as run by this process, until {@link #leave}. */
    public void enter() {
        HERE.add(id);
    }

    public void leave() {
        HERE.remove(id);
    }
}
