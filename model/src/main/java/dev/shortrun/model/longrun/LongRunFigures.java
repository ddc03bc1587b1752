package dev.shortrun.model.longrun;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.LinePlot;
import dev.shortrun.model.io.Png;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.run.Pictures;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pictures of a long-run diagnosis: chain snapshots at log-spaced steps and energy against the data band. */
public final class LongRunFigures {
    private LongRunFigures() {
    }

    /**
     * Like the paper's Figure 2: one row per chain, one column per recorded step (0, 1, 2, 5, 10, ..., L); chains
     * from noise on top, chains from data below. 2D toys: one scatter per step over the data, per group.
     */
    public static void snapshots(Path png, LongRunDiagnostic.Result result, DataConfig data) {
        List<BufferedImage> rows = new ArrayList<>();
        for (List<Tensor> shots : List.of(result.noiseSnapshots(), result.dataSnapshots())) {
            if (shots.isEmpty()) {
                continue;
            }
            if (data.isToy()) {
                List<String> labels = result.recordedSteps().stream().map(k -> "step " + k).toList();
                rows.add(Pictures.scatterStrip(data.dataset(), shots, labels));
            } else {
                rows.add(ImageGrid.render(ImageGrid.chainMajor(shots), shots.size()));
            }
        }
        try {
            Png.write(png, ImageGrid.stack(rows, 8));
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    /** Median energy of each chain group over the steps (log x) against the data's 5-95% energy band. */
    public static void energy(Path png, LongRunReport report) {
        LinePlot plot = new LinePlot().logX(true).size(720, 440)
                .title(String.format(Locale.ROOT, "long run: %s, eps=%.3g, verdict %s", report.sampler(),
                        report.eps(), report.verdict().label()))
                .xLabel("chain step").yLabel("median energy U = -f/T");
        add(plot, "chains from noise", report.noise());
        add(plot, "chains from data", report.fromData());
        plot.band("data U, 5-95%", report.data().q05(), report.data().q95());
        try {
            plot.write(png);
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    private static void add(LinePlot plot, String name, List<LongRunReport.Point> trace) {
        if (trace.isEmpty()) {
            return;
        }
        plot.add(name, trace.stream().mapToDouble(LongRunReport.Point::step).toArray(),
                trace.stream().mapToDouble(LongRunReport.Point::medianEnergy).toArray());
    }
}
