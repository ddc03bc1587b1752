package dev.shortrun.cli;

import dev.shortrun.model.landscape.LandscapeMapping;
import dev.shortrun.model.scoring.CheckpointScorer;

/** One progress bar per phase of a multi-phase job (sampling, features, reference statistics, ...). */
final class PhaseProgress implements CheckpointScorer.Listener, LandscapeMapping.Listener {
    private String phase;
    private ProgressBar bar;

    @Override
    public void update(String phase, int done, int total) {
        if (!phase.equals(this.phase)) {
            this.phase = phase;
            bar = new ProgressBar(System.err, phase, 0, total);
        }
        bar.update(done, "");
    }
}
