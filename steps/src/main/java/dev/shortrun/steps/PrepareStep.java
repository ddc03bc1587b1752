package dev.shortrun.steps;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetCache;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code prepare} step: runs in, the same runs out, once the decoded data set each run trains
 * on sits in its cache ({@link DatasetCache}, the {@code cacheDir} of the run's {@link DataConfig}). Runs are grouped
 * by (dataset, dir, split, imageSize, cap, cacheDir) so each distinct data set is decoded once, however many runs
 * (sweep points) share it; toys and runs without a cache dir pass through. The runs are spread again afterwards,
 * because the grouping gathers them on one worker.
 */
public final class PrepareStep extends PTransform<PCollection<RunSpec>, PCollection<RunSpec>> {
    public static final String NAME = "prepare";
    private static final Logger LOG = LoggerFactory.getLogger(PrepareStep.class);

    @Override
    public PCollection<RunSpec> expand(PCollection<RunSpec> specs) {
        return specs
                .apply("Key by data", ParDo.of(new KeyFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), RunSpec.Coder.of()))
                .apply("Group by data", GroupByKey.create())
                .apply("Decode once", ParDo.of(new PrepareFn()))
                .apply("Spread again", Reshuffle.viaRandomKey());
    }

    /** The key of a run's data: equal keys share one cache file. */
    static String key(DataConfig d) {
        if (d.isToy() || d.cacheDir() == null) {
            return "pass";
        }
        return String.join("\u0000", d.dataset(), String.valueOf(d.dir()), d.split(),
                Integer.toString(d.imageSize()), Integer.toString(d.cap()), d.cacheDir());
    }

    static final class KeyFn extends DoFn<RunSpec, KV<String, RunSpec>> {
        @ProcessElement
        public void process(@Element RunSpec spec, OutputReceiver<KV<String, RunSpec>> out) {
            out.output(KV.of(key(spec.train().data()), spec));
        }
    }

    static final class PrepareFn extends DoFn<KV<String, Iterable<RunSpec>>, RunSpec> {
        @ProcessElement
        public void process(@Element KV<String, Iterable<RunSpec>> group, OutputReceiver<RunSpec> out) {
            // one pass over the group: Flink's GBK results cannot be iterated twice
            List<RunSpec> specs = new ArrayList<>();
            group.getValue().forEach(specs::add);
            DataConfig d = specs.get(0).train().data();
            if (!key(d).equals("pass")) {
                long t0 = System.nanoTime();
                Path file = DatasetCache.prepare(Path.of(d.cacheDir()), d.dataset(), Path.of(d.dir()), d.split(),
                        d.imageSize(), d.cap());
                LOG.info(String.format("[prepare] %s %s %dpx cap %d -> %s (%.1f s)", d.dataset(), d.split(),
                        d.imageSize(), d.cap(), file, (System.nanoTime() - t0) / 1e9));
            }
            for (RunSpec spec : specs) {
                out.output(spec);
            }
        }
    }
}
