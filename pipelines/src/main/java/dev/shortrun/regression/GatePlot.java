package dev.shortrun.regression;

import dev.shortrun.model.io.SeedDotPlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The gate's picture: one panel per configuration and check, each seed of the baseline beside the candidate's. */
final class GatePlot {
    private GatePlot() {
    }

    static void write(Path png, RegressionGate.Result result) throws IOException {
        List<SeedDotPlot.Panel> panels = new ArrayList<>();
        for (RegressionGate.Row r : result.rows()) {
            int sign = r.check().worseSign();
            // with means, the candidate's mean fails beyond baseline mean + tolerance (plus the seeds' uncertainty)
            double limit = r.baseline().n() == 0 || Double.isNaN(r.tolerance()) ? Double.NaN
                    : r.baseline().mean() + sign * r.tolerance();
            panels.add(new SeedDotPlot.Panel(r.check().metric() + ": " + r.verdict().shown(), r.config(),
                    r.baseline().values(), r.candidate().values(), limit, sign > 0, r.verdict().fails()));
        }
        int columns = result.regression().checks().size() == 1 ? Math.min(4, panels.size())
                : result.regression().checks().size();
        SeedDotPlot.write(png, panels, columns);
    }
}
