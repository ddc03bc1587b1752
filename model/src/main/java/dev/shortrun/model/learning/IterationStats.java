package dev.shortrun.model.learning;

/**
 * What one learning iteration measured.
 *
 * @param iteration  1-based count of completed updates
 * @param fPositive  mean f(x+) on the noisy data batch
 * @param fNegative  mean f(x-) on the short-run samples
 * @param gradNorm   mean per-sample ||df/dx||_2 over the chain
 * @param steps      K used for this iteration's chains
 */
public record IterationStats(long iteration, double fPositive, double fNegative, double gradNorm, int steps,
                             double lr, double sigma, double seconds) {
    /** f(x+) - f(x-): the quantity maximised; its drift is the first sign of trouble. */
    public double difference() {
        return fPositive - fNegative;
    }

    public IterationStats withSeconds(double total) {
        return new IterationStats(iteration, fPositive, fNegative, gradNorm, steps, lr, sigma, total);
    }

    public static String csvHeader() {
        return "iteration,f_pos,f_neg,diff,grad_norm,K,lr,sigma,seconds";
    }

    public String csvRow() {
        return iteration + "," + fPositive + "," + fNegative + "," + difference() + "," + gradNorm + "," + steps
                + "," + lr + "," + sigma + "," + seconds;
    }
}
