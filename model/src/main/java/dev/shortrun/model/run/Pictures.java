package dev.shortrun.model.run;

import ai.djl.ndarray.NDArray;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ToyDistribution;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.HeatMap;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.LinePlot;
import dev.shortrun.model.io.Png;
import dev.shortrun.model.io.ScatterPlot;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.nets.Parameters;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pictures a run shows: sample grids (images), samples over data (2D toys), training curves. */
public final class Pictures {
    /** Fixed seed for the data cloud behind toy samples, so every picture of a run shows the same data. */
    private static final long DATA_CLOUD_SEED = 20191208L;
    private static final int DATA_CLOUD_POINTS = 2000;

    private Pictures() {
    }

    /** A sample grid (images: clamp, min-max normalise, nrow = sqrt(n)) or a scatter over the data (toys). */
    public static void samples(Path png, NDArray samples, DataConfig data) {
        Tensor t = Parameters.toTensor(samples);
        try {
            if (data.isToy()) {
                ToyDistribution toy = DatasetFormats.toy(data.dataset());
                float[] cloud = toy.sample(DATA_CLOUD_POINTS, DATA_CLOUD_SEED);
                String title = data.dataset() + ": " + t.dim(0) + " short-run samples (orange) over data (blue)";
                ScatterPlot.write(png, cloud, t.data(), toy.extent(), title);
            } else {
                ImageGrid.write(png, t);
            }
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    /**
     * A row of scatters over the toy's data, one per column of chain states (e.g. after K steps), titled by
     * {@code labels}; extra columns without a label are left out.
     */
    public static BufferedImage scatterStrip(String toy, List<Tensor> columns, List<String> labels) {
        ToyDistribution distribution = DatasetFormats.toy(toy);
        float[] cloud = distribution.sample(DATA_CLOUD_POINTS / 2, DATA_CLOUD_SEED);
        int size = 220;
        int shown = Math.min(columns.size(), labels.size());
        BufferedImage row = new BufferedImage(size * Math.max(shown, 1), size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = row.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, row.getWidth(), row.getHeight());
        for (int j = 0; j < shown; j++) {
            g.drawImage(ScatterPlot.render(cloud, columns.get(j).data(), distribution.extent(), labels.get(j),
                    size), j * size, 0, null);
        }
        g.dispose();
        return row;
    }

    /** Log-scale panels show densities below this as this (the reference plots log(density + 1e-10)). */
    private static final double LOG_FLOOR = 1e-10;
    private static final int DENSITY_PANEL = 300;

    /**
     * The Anatomy paper's Figure 6 for one model: true density, learned density and KDE of short-run samples
     * (columns), linear on top and log10 below, each auto-scaled to its own range.
     */
    public static void densityMaps(Path png, ToyDensityMaps maps) {
        String learned = String.format(Locale.ROOT, "learned exp(2f/eps^2), KL %.3g", maps.klTrueLearned());
        String kde = String.format(Locale.ROOT, "KDE of %d samples%s, KL %.3g", maps.samples(),
                maps.kdeFromBank() ? " (bank)" : "", maps.klTrueKde());
        String[] titles = {"true density (" + maps.toy() + ")", learned, kde};
        double[][] columns = {maps.truth(), maps.learned(), maps.kde()};
        List<BufferedImage> panels = new ArrayList<>();
        for (boolean log : new boolean[] {false, true}) {
            for (int j = 0; j < columns.length; j++) {
                String title = log ? "log10 " + (j == 0 ? "true density" : j == 1 ? "learned" : "KDE") : titles[j];
                panels.add(HeatMap.render(perUnitArea(columns[j], maps.grid().cellArea()),
                        maps.grid().size(), title, log, LOG_FLOOR, DENSITY_PANEL));
            }
        }
        try {
            Png.write(png, HeatMap.tile(panels, columns.length));
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    private static double[] perUnitArea(double[] masses, double area) {
        double[] out = new double[masses.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = masses[i] / area;
        }
        return out;
    }

    /** f(x+) - f(x-) and the mean input-gradient norm per iteration, read back from {@code metrics.csv}. */
    public static void trainingCurves(Path metricsCsv, Path png) {
        double[][] c = MetricsLog.columns(metricsCsv, IterationMetrics.ITERATION.name(), IterationMetrics.F_DIFF.name(),
                IterationMetrics.GRAD_NORM.name());
        if (c[0].length == 0) {
            return;
        }
        double[] diff = java.util.Arrays.stream(c[1]).map(Math::abs).toArray();
        try {
            new LinePlot().title("training: |f(x+) - f(x-)| and mean ||df/dx|| over the chain")
                    .xLabel("iteration").yLabel("value (log)").logY(true)
                    .add("|f(x+) - f(x-)|", c[0], diff).add("mean ||grad f||", c[0], c[2]).write(png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw training curves " + png + ": " + e.getMessage(), e);
        }
    }
}
