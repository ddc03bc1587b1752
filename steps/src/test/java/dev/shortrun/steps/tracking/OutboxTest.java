package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import dev.shortrun.steps.tracking.MlflowRest.MlflowUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox without a server: a fake transport that fails as told, a fake clock that only sleeping advances. */
class OutboxTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration WINDOW = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private final FakeClock clock = new FakeClock();
    private final List<Duration> sleeps = new ArrayList<>();
    private final ServerHealth health = new ServerHealth("http://test", clock);
    private final FakeTransport server = new FakeTransport();

    @Test
    void theRunIsCreatedFirstThenRecordsGoInTheOrderLoggedThenMetricBatchesAndTheStatusLast() throws IOException {
        Outbox outbox = outbox(1_000_000);
        outbox.add(new Delivery.Tag("phase", "start"));
        logLoss(outbox, 0, 2500);
        outbox.add(new Delivery.Params(List.of(Map.entry("lr", "1e-4"), Map.entry("K", "100"))));
        Path copy = Files.writeString(temp.resolve("copy.bin"), "png");
        outbox.add(new Delivery.Artifact(copy, "samples", "grid.png"));
        outbox.finish(RunHandle.FINISHED);

        assertTrue(outbox.sendPass());
        assertEquals(List.of("create", "tag phase", "params lr,K", "artifact samples/grid.png", "metrics 0..999",
                "metrics 1000..1999", "metrics 2000..2499", "status FINISHED"), server.sent);
        assertEquals(LongStream.range(0, 2500).boxed().toList(), server.points.stream().map(MetricPoint::step).toList());
        assertFalse(Files.exists(copy), "the spooled copy goes once uploaded");
        assertFalse(outbox.hasPending());
    }

    @Test
    void aServerThatIsAwayIsRetriedWithABackoffThatDoublesUpToItsCeilingAndResetsWhenItAnswers() {
        Outbox outbox = outbox(1_000_000);
        logLoss(outbox, 0, 3);
        server.downUntil = Instant.MAX;
        assertFalse(outbox.sendPass());
        for (Duration delay : Stream.of(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000).map(Duration::ofMillis)
                .toList()) {
            clock.advance(delay.minusMillis(1));
            assertFalse(health.due(), "before the backoff of " + delay);
            clock.advance(Duration.ofMillis(1));
            assertTrue(health.due(), "after the backoff of " + delay);
            assertFalse(outbox.sendPass());
        }
        assertEquals(9, server.attempts, "one failed request per pass: it stops at the first");
        assertTrue(outbox.describePending().startsWith("the run's creation, 0 records"), outbox.describePending());

        server.downUntil = Instant.MIN;
        clock.advance(Duration.ofSeconds(30));
        assertTrue(outbox.sendPass());
        assertEquals(List.of("create", "metrics 0..2"), server.sent);
        logLoss(outbox, 3, 4);
        assertTrue(health.due(), "no backoff once the server answers");
        assertTrue(outbox.sendPass());
    }

    @Test
    void pointsBeyondTheMemoryBoundSpillToDiskAndReachTheServerInOrderWhenItReturns() throws IOException {
        Path spill = temp.resolve("spill");
        Outbox outbox = new Outbox("run-a", server, health, new PendingMetrics(10, spill), clock, this::sleep);
        server.downUntil = Instant.MAX;
        assertFalse(outbox.sendPass());
        for (long step = 0; step < 35; step++) {
            outbox.addMetrics(step, Map.of("loss", step * 0.5));
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertEquals(3, files.count(), "25 points beyond memory, in files of 10");
        }

        server.downUntil = Instant.MIN;
        clock.advance(Duration.ofSeconds(1));
        assertTrue(outbox.sendPass());
        assertEquals(LongStream.range(0, 35).boxed().toList(), server.points.stream().map(MetricPoint::step).toList());
        assertEquals(17.0, server.points.get(34).value());
        try (Stream<Path> files = Files.list(spill)) {
            assertEquals(0, files.count(), "spill files go once sent");
        }
    }

    @Test
    void aRunsEndWaitsForAnAwayServerOnlyUntilTheWindowFromTheOutagesFirstFailureEnds() {
        Outbox outbox = outbox(1_000_000);
        logLoss(outbox, 0, 5);
        server.downUntil = Instant.MAX;
        assertFalse(outbox.sendPass()); // the outage starts at the run's start: 0 s
        clock.advance(Duration.ofSeconds(4)); // the run goes on
        outbox.finish(RunHandle.FINISHED);

        assertFalse(outbox.flush(WINDOW, GRACE));
        assertEquals(START.plus(WINDOW), clock.instant(), "gave up when the window ended, not later");
        // at once, every half second of the grace (to 5 s), at the next backoff slot, and once at the window's end
        assertEquals(List.of(0.0, 4.0, 4.5, 5.0, 9.0, 10.0), server.attemptSeconds());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(1)), sleeps);
        assertTrue(outbox.hasPending());
        assertEquals("the run's creation, 0 records (params, tags, artifacts), 5 metric points and the status "
                + "FINISHED", outbox.describePending());

        // the run's close, then the tracker's: no waiting, and no attempt before the backoff allows one
        assertFalse(outbox.flush(WINDOW, GRACE));
        assertFalse(outbox.flush(WINDOW, GRACE));
        assertEquals(6, server.attempts);
        assertEquals(START.plus(WINDOW), clock.instant());
        clock.advance(Duration.ofSeconds(40));
        assertFalse(outbox.flush(WINDOW, GRACE));
        assertEquals(7, server.attempts, "the backoff allows one more");
    }

    @Test
    void aRunEndingLongAfterTheOutageBeganTriesOnlyThroughItsShortGrace() {
        Outbox earlier = outbox(1_000_000);
        server.downUntil = Instant.MAX;
        assertFalse(earlier.sendPass()); // another run (of any tracker of this server) met the outage an hour ago
        clock.advance(Duration.ofHours(1));

        Outbox step = outbox(1_000_000);
        step.addMetrics(600, Map.of("sample_grad_norm", 0.01));
        assertFalse(step.flush(WINDOW, GRACE));
        assertFalse(step.flush(WINDOW, GRACE));
        assertEquals(4, server.attempts, "one for the earlier run, three in this run's end's grace (0 to 1 s)");
        assertEquals(2, sleeps.size());
        assertEquals(START.plus(Duration.ofHours(1)).plus(GRACE), clock.instant(), "no longer than the grace");
    }

    @Test
    void aServerBackWithinTheWindowGetsEverythingAtTheRunsEnd() {
        Outbox outbox = outbox(1_000_000);
        logLoss(outbox, 0, 5);
        outbox.add(new Delivery.Tag("phase", "end"));
        outbox.finish(RunHandle.FAILED);
        server.downUntil = START.plusSeconds(3);

        assertTrue(outbox.flush(WINDOW, GRACE));
        // creation failed at once and every half second of the grace, then at 3 s (the next backoff slot) it and
        // the 3 records went
        assertEquals(List.of(0.0, 0.5, 1.0, 3.0, 3.0, 3.0, 3.0), server.attemptSeconds());
        assertEquals(List.of("create", "tag phase", "metrics 0..4", "status FAILED"), server.sent);
        assertTrue(outbox.flush(WINDOW, GRACE), "nothing left: no request");
        assertEquals(3 + 4, server.attempts);
    }

    @Test
    void nothingIsSentTwiceNorLostWhenTheServerFailsRequestsHalfWay() {
        Outbox outbox = outbox(700);
        for (int i = 0; i < 3; i++) {
            outbox.add(new Delivery.Params(List.of(Map.entry("p" + i, "" + i))));
            outbox.add(new Delivery.Tag("t" + i, "" + i));
        }
        logLoss(outbox, 0, 2500);
        outbox.finish(RunHandle.FINISHED);
        server.fails = n -> n % 3 == 1; // every third request, from the second on

        int passes = 0;
        while (!outbox.sendPass()) {
            assertTrue(++passes < 100, "no progress");
            clock.advance(ServerHealth.MAX_DELAY);
        }
        assertEquals(List.of("create", "params p0", "tag t0", "params p1", "tag t1", "params p2", "tag t2"),
                server.sent.subList(0, 7));
        assertEquals("status FINISHED", server.sent.get(server.sent.size() - 1));
        assertEquals(1, server.sent.stream().filter(r -> r.startsWith("status")).count());
        assertEquals(LongStream.range(0, 2500).boxed().toList(), server.points.stream().map(MetricPoint::step).toList());
    }

    @Test
    void aRecordTheServerRefusesOrKeepsFailingOnIsDroppedAndTheRestGoes() {
        Outbox outbox = outbox(1_000_000);
        outbox.add(new Delivery.Tag("refused", "x"));
        outbox.add(new Delivery.Tag("poison", "x"));
        outbox.add(new Delivery.Tag("fine", "x"));
        server.answers.put("tag refused", new MlflowRejectedException("HTTP 400", "INVALID_PARAMETER_VALUE"));
        server.answers.put("tag poison", new MlflowUnavailableException("HTTP 500", true));

        for (int pass = 1; pass < Outbox.MAX_SERVER_ERRORS; pass++) {
            assertFalse(outbox.sendPass());
            clock.advance(ServerHealth.MAX_DELAY);
        }
        assertTrue(outbox.sendPass());
        assertEquals(List.of("create", "tag fine"), server.sent);
        assertEquals(1 + 1 + Outbox.MAX_SERVER_ERRORS + 1, server.attempts);
    }

    @Test
    void aRunTheServerRefusesToCreateIsAbandonedAndNothingOfItIsEverSent() throws IOException {
        Outbox outbox = outbox(1_000_000);
        logLoss(outbox, 0, 3);
        server.answers.put("create", new MlflowRejectedException("HTTP 404", "RESOURCE_DOES_NOT_EXIST"));
        assertTrue(outbox.sendPass());
        assertTrue(outbox.abandoned());

        Path copy = Files.writeString(temp.resolve("late.bin"), "x");
        outbox.add(new Delivery.Artifact(copy, "", "late.txt"));
        logLoss(outbox, 3, 6);
        outbox.finish(RunHandle.FINISHED);
        assertFalse(outbox.hasPending());
        assertTrue(outbox.flush(WINDOW, GRACE));
        assertEquals(1, server.attempts);
        assertFalse(Files.exists(copy), "a record for an abandoned run is discarded at once");
    }

    @Test
    void pointsAnEarlierAttemptOfTheRunRecordedAreLeftOut() {
        server.recorded.add("loss", 5);
        Outbox outbox = outbox(1_000_000);
        outbox.skipRecorded();
        logLoss(outbox, 3, 7); // queued before the run is reopened: left out when sent
        assertTrue(outbox.sendPass());
        assertEquals(List.of(6L), server.points.stream().map(MetricPoint::step).toList());

        assertEquals(0, outbox.addMetrics(4, Map.of("loss", 1.0)), "left out as logged once the run is known");
        assertEquals(1, outbox.addMetrics(4, Map.of("other", 1.0)), "each metric's own last step counts");
    }

    @Test
    void aRunThatHadEndedAndIsReopenedToAddRecordsGetsItsStatusBackAtItsClose() {
        server.earlierStatus = RunHandle.FINISHED;
        Outbox step = outbox(1_000_000);
        step.addMetrics(6, Map.of("sample_grad_norm", 0.01));
        assertTrue(step.sendPass());
        assertEquals(List.of("create", "metrics 6..6"), server.sent, "open, the run is RUNNING while it adds records");
        step.close();
        assertTrue(step.hasPending());
        assertTrue(step.flush(WINDOW, GRACE));
        assertEquals(List.of("create", "metrics 6..6", "status FINISHED"), server.sent);
        assertEquals(List.of(1234L), server.endTimes, "its earlier end time, too");

        Outbox resumed = outbox(1_000_000);
        resumed.finish(RunHandle.FAILED);
        resumed.close();
        assertTrue(resumed.flush(WINDOW, GRACE));
        assertEquals("status FAILED", server.sent.get(server.sent.size() - 1), "a status given at finish wins");

        server.earlierStatus = "RUNNING"; // an attempt killed before its end: it stays as it was
        Outbox killed = outbox(1_000_000);
        killed.close();
        assertTrue(killed.flush(WINDOW, GRACE));
        assertEquals(List.of("create"), server.sent.subList(server.sent.size() - 1, server.sent.size()));
    }

    private Outbox outbox(int pointsInMemory) {
        return new Outbox("run-a", server, health, new PendingMetrics(pointsInMemory, temp.resolve("spill")), clock,
                this::sleep);
    }

    private void sleep(Duration duration) {
        sleeps.add(duration);
        clock.advance(duration);
    }

    private static void logLoss(Outbox outbox, long from, long to) {
        for (long step = from; step < to; step++) {
            outbox.addMetrics(step, Map.of("loss", 1.0 / (step + 1)));
        }
    }

    private static final class FakeClock implements InstantSource {
        private Instant now = START;

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    /** Records each request that succeeds; fails those it is told to, as an away or refusing server would. */
    private final class FakeTransport implements RunTransport {
        final List<String> sent = new ArrayList<>();
        final List<MetricPoint> points = new ArrayList<>();
        final List<Instant> attemptTimes = new ArrayList<>();
        final Map<String, RuntimeException> answers = new HashMap<>();
        final RecordedSteps recorded = new RecordedSteps();
        final List<Long> endTimes = new ArrayList<>();
        String earlierStatus;
        Instant downUntil = Instant.MIN;
        IntPredicate fails = n -> false;
        int attempts;

        @Override
        public RunOnServer create() {
            request("create");
            return new RunOnServer("run-1", "1", "mlflow-artifacts:/1/run-1/artifacts",
                    new RunOnServer.Earlier(recorded, earlierStatus, 1234));
        }

        @Override
        public void send(RunOnServer run, Delivery delivery) {
            String what = delivery instanceof Delivery.Params p
                    ? "params " + String.join(",", p.params().stream().map(Map.Entry::getKey).toList())
                    : delivery instanceof Delivery.Tag t ? "tag " + t.key()
                    : "artifact " + ((Delivery.Artifact) delivery).dir() + "/" + ((Delivery.Artifact) delivery).name();
            request(what);
        }

        @Override
        public void sendMetrics(RunOnServer run, List<MetricPoint> batch) {
            request("metrics " + batch.get(0).step() + ".." + batch.get(batch.size() - 1).step());
            points.addAll(batch);
        }

        @Override
        public void setStatus(RunOnServer run, String status, long endTimeMs) {
            request("status " + status);
            endTimes.add(endTimeMs);
        }

        List<Double> attemptSeconds() {
            return attemptTimes.stream().map(t -> Duration.between(START, t).toMillis() / 1000.0).toList();
        }

        private void request(String what) {
            attemptTimes.add(clock.instant());
            int attempt = attempts++;
            if (clock.instant().isBefore(downUntil) || fails.test(attempt)) {
                throw new MlflowUnavailableException("MLflow at http://test unreachable (" + what + ")", false);
            }
            RuntimeException answer = answers.get(what);
            if (answer != null) {
                throw answer;
            }
            sent.add(what);
        }
    }
}
