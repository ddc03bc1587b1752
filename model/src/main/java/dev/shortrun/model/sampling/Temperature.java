package dev.shortrun.model.sampling;

/**
 * How f (the network's output, "higher = more likely") relates to the Anatomy paper's energy U, whose Langevin
 * step is {@code X <- X - (eps^2/2) dU/dX + eps Z} and whose density is {@code exp(-U)}.
 *
 * <p>Our training step is {@code x <- x + s grad f + n Z}. It is the paper's step with {@code eps = n} exactly when
 * {@code (n^2/2) dU/dx = -s grad f}, i.e. {@code U = -f * 2s / n^2 = -f / T} with {@code T = n^2 / (2s)}. With the
 * seed code's s = 1 this is the scaled energy of Appendix A, {@code U = -f / (eps^2/2)}, and matches the reference
 * evaluation's {@code en = f(x) / temp, temp = train_eps^2 / 2}. Training without noise (n = 0, tau = 0) defines no
 * temperature; then T = 1 (U = -f), as the reference evaluation does when {@code train_epsilon} is 0.
 *
 * @param value T > 0; the learned density is {@code exp(f / T)}
 */
public record Temperature(double value) {
    public Temperature {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + value);
        }
    }

    /** The temperature at which the training chain samples: n^2 / (2s), or 1 without noise. */
    public static Temperature ofTraining(LangevinConfig training) {
        double n = training.noiseStd();
        return new Temperature(n > 0 ? n * n / (2 * training.stepSize()) : 1.0);
    }

    /** U = -f / T for one value of f. */
    public double energy(double f) {
        return -f / value;
    }

    /** The gradient factor of the paper's step at {@code eps}: (eps^2/2) dU/dx = -(eps^2 / 2T) grad f. */
    public double stepOnGradF(double eps) {
        return eps * eps / (2 * value);
    }

    /** Plain (unadjusted) Langevin at the paper's step {@code eps} on this energy, {@code steps} steps. */
    public LangevinConfig langevinAt(double eps, int steps) {
        return new LangevinConfig(stepOnGradF(eps), eps, steps, steps);
    }
}
