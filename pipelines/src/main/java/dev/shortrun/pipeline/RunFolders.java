package dev.shortrun.pipeline;

import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.steps.RunSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pipeline or sweep run again keeps of its runs' folders, decided before it starts. A run folder holds the
 * results of the code that computed it (its {@code state.json} names the code): with the same code, a finished run
 * is reused and an unfinished one continues from its newest checkpoint; results of other code (or from before run
 * states existed) are never reused unless asked ({@code --reuse-other-code}): they are moved aside, whole, with their
 * local tracking records, into {@code <output>/<name>/previous/<time>/} (each run's {@code state.json} there names
 * the code that computed it), and the run starts over under a new key, so it is a new run in MLflow too.
 * {@code --fresh} moves every run aside. Nothing is deleted.
 */
public final class RunFolders {
    /** Where folders moved aside go, under the pipeline's or sweep's folder. */
    public static final String PREVIOUS = "previous";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * What became of the runs' folders.
     *
     * @param finished  runs that finished earlier with this code: reused
     * @param continued runs that continue from where they stopped (their newest checkpoint)
     * @param fresh     runs that start now (no folder, theirs was moved aside, or no worker reached it yet)
     * @param movedTo   where folders computed by other code were moved; null when none was
     */
    public record Plan(List<String> finished, List<String> continued, List<String> fresh, Path movedTo) {
    }

    /** What the user asked for. */
    public record Reuse(boolean fresh, boolean otherCode) {
        public static final Reuse DEFAULT = new Reuse(false, false);
    }

    private RunFolders() {
    }

    /** Where this invocation moves what it does not reuse: {@code root/previous/<time>}, made when first used. */
    public static Path aside(Path root) {
        Path previous = root.resolve(PREVIOUS);
        String stamp = LocalDateTime.now().format(STAMP);
        Path aside = previous.resolve(stamp);
        for (int n = 2; Files.exists(aside); n++) {
            aside = previous.resolve(stamp + "-" + n);
        }
        return aside;
    }

    /**
     * Moves aside (into {@code aside}) what must not be reused and queues every run for {@code invocation}: a run's
     * state names the code and the invocation from now on.
     */
    public static Plan prepare(List<RunSpec> runs, Path root, Path aside, String code, String invocation,
                               Reuse reuse) {
        List<String> finished = new ArrayList<>();
        List<String> continued = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        boolean moved = false;
        long now = System.currentTimeMillis();
        for (RunSpec run : runs) {
            Path dir = Path.of(run.outputDir());
            RunState state = Files.isDirectory(dir) ? RunStateFile.read(dir).orElse(null) : null;
            boolean keep = Files.isDirectory(dir) && !reuse.fresh()
                    && (reuse.otherCode() || state != null && code.equals(state.code()));
            if (Files.isDirectory(dir) && !keep) {
                moveAside(dir, aside.resolve(dir.getFileName()));
                moveAside(root.resolve("tracking").resolve(run.runName()),
                        aside.resolve("tracking").resolve(run.runName()));
                moved = true;
            }
            RunState queued = RunStateFile.update(dir, s -> s == null ? RunState.fresh(code, invocation, now)
                    : s.queued(code, invocation, now));
            // a run queued before that no worker reached (the command was stopped first) starts now, too
            List<String> group = !keep || queued.startedMs() == 0 ? fresh
                    : RunState.FINISHED.equals(queued.status()) ? finished : continued;
            group.add(run.runName());
        }
        return new Plan(finished, continued, fresh, moved ? aside : null);
    }

    /** Moves a sweep's parent record aside (a new parent starts: other code, or {@code --fresh}). */
    public static void moveParentAside(Path root, Path aside, String name) {
        moveAside(root.resolve("tracking").resolve(name), aside.resolve("tracking").resolve(name));
    }

    private static void moveAside(Path from, Path to) {
        if (!Files.exists(from)) {
            return;
        }
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " aside to " + to + ": " + e.getMessage(), e);
        }
    }
}
