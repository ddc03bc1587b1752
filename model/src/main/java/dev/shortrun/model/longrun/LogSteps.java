package dev.shortrun.model.longrun;

import java.util.ArrayList;
import java.util.List;

/** Log-spaced chain steps 0, 1, 2, 5, 10, 20, 50, ... up to and including L: where long chains are looked at. */
public final class LogSteps {
    private LogSteps() {
    }

    public static List<Integer> upTo(int last) {
        List<Integer> steps = new ArrayList<>();
        steps.add(0);
        for (long decade = 1; decade <= last; decade *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                long step = m * decade;
                if (step < last) {
                    steps.add((int) step);
                }
            }
        }
        if (last > 0) {
            steps.add(last);
        }
        return steps;
    }
}
