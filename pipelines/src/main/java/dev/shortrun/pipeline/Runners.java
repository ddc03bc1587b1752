package dev.shortrun.pipeline;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

import java.util.Locale;

/** Pipeline options for the three ways to run: Beam's DirectRunner, embedded Flink, a Flink cluster. */
public final class Runners {
    private Runners() {
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
