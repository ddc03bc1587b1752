package dev.shortrun.pipeline;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;

/** Pipeline options for the three ways to run: Beam's DirectRunner, embedded Flink, a Flink cluster. */
public final class Runners {
    /** How long the Flink cluster's REST endpoint may take to answer before a run gives up on it. */
    static final Duration REACH_TIMEOUT = Duration.ofSeconds(5);

    private Runners() {
    }

    /**
     * Fails in seconds, with one line naming the address, unless a Flink REST endpoint answers at {@code flinkMaster}
     * (host:port): Beam's submission to an unreachable cluster retried for a minute and printed hundreds of lines of
     * stack traces before "Pipeline execution failed".
     */
    public static void requireReachable(String flinkMaster, Duration timeout) {
        URI uri = URI.create("http://" + flinkMaster + "/config");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        String problem;
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return;
            }
            problem = "GET " + uri + " answered HTTP " + response.statusCode() + ": is it a Flink REST endpoint?";
        } catch (HttpTimeoutException e) {
            problem = "no answer from " + uri + " within " + timeout.toSeconds() + " s";
        } catch (IOException e) {
            problem = "GET " + uri + ": " + (e.getMessage() != null ? e.getMessage()
                    : e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        throw new IllegalStateException("the Flink cluster at " + flinkMaster + " is not reachable (" + problem
                + "); start it (bash infra/flink/start.sh) or fix --flink-master / runner.flink_master");
    }

    /**
     * @param kind        direct | flink-embedded | flink-cluster
     * @param flinkMaster host:port of the cluster's REST endpoint (flink-cluster only)
     * @param parallelism concurrent runs (worker slots)
     */
    public static PipelineOptions options(String kind, String flinkMaster, int parallelism, String jobName) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "direct" -> {
                DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
                o.setRunner(DirectRunner.class);
                o.setTargetParallelism(parallelism);
                o.setBlockOnRun(true);
                o.setJobName(jobName);
                return o;
            }
            case "flink-embedded", "flink-cluster" -> {
                FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
                o.setRunner(FlinkRunner.class);
                boolean cluster = kind.equalsIgnoreCase("flink-cluster");
                if (cluster && (flinkMaster == null || flinkMaster.isBlank())) {
                    throw new IllegalArgumentException("runner flink-cluster needs a Flink master (host:port), "
                            + "e.g. --flink-master 127.0.0.1:8081");
                }
                if (cluster) {
                    requireReachable(flinkMaster, REACH_TIMEOUT);
                }
                o.setFlinkMaster(cluster ? flinkMaster : "[local]");
                o.setParallelism(parallelism);
                o.setFasterCopy(true); // elements are immutable JSON strings: no defensive copies needed
                o.setJobName(jobName);
                return o;
            }
            default -> throw new IllegalArgumentException("unknown runner '" + kind
                    + "' (allowed: flink-embedded, flink-cluster, direct)");
        }
    }
}
