package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.Casts;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.util.Rng;

/**
 * f_theta(x): the negative energy. Samples climb it; training raises it on data and lowers it on samples. A plain
 * function of its {@link Parameters}, computed by its {@link Architecture} with explicit operations, so nothing
 * hides state or names.
 */
public final class EnergyNet implements Energy, AutoCloseable {
    private final NetConfig config;
    private final Parameters parameters;
    private final FusedInputGradient fused; // a chain's copy on the CPU only; null: autograd
    private final Precision precision; // of a chain's copy: its weights' format, the one its passes compute in
    private final LowPrecisionChain lowPrecision; // a low-precision chain's way to its float32 f; null otherwise

    private EnergyNet(NetConfig config, Parameters parameters, FusedInputGradient fused, Precision precision,
                      LowPrecisionChain lowPrecision) {
        this.config = config;
        this.parameters = parameters;
        this.fused = fused;
        this.precision = precision;
        this.lowPrecision = lowPrecision;
    }

    /**
     * Where a low-precision chain gets f: the float32 chain copy of the net it was made from, made on first use
     * (only MALA asks for f; a training chain never pays for the copy) and freed with the chain.
     */
    private static final class LowPrecisionChain {
        private final EnergyNet source;
        private final NDManager chain;
        private Energy exact;

        LowPrecisionChain(EnergyNet source, NDManager chain) {
            this.source = source;
            this.chain = chain;
        }

        NDArray f(NDArray x) {
            if (exact == null) {
                exact = source.forChain(chain);
            }
            return exact.forward(x); // the chains run with recording off: no graph is built
        }
    }

    /**
     * A network initialised as PyTorch initialises it ({@code nn.Conv2d}'s and {@code nn.Linear}'s default: weight
     * and bias uniform on +-1/sqrt(fan_in)), drawn from {@code rng}.
     */
    public static EnergyNet create(NetConfig config, NDManager manager, Rng rng) {
        Parameters params = new Parameters(manager.newSubManager());
        config.architecture().initialise(params, config, rng);
        return new EnergyNet(config, params, null, Precision.FP32, null);
    }

    /** f(x) for a batch: input (N, C, H, W) (or (N, 2) points for the toy), output shape (N). */
    @Override
    public NDArray forward(NDArray x) {
        return config.architecture().forward(parameters, config, x);
    }

    /**
     * {@code H f(x_i) v_i} for each example, exactly (see the architecture's tangent rule, e.g. a plain stack's). The
     * result belongs to {@code v}'s manager, in {@code x}'s shape; weights must not require gradients.
     *
     * @throws UnsupportedOperationException for networks without a tangent rule (nonlocal32)
     */
    public NDArray hessianVector(NDArray x, NDArray v) {
        return config.architecture().hessianVector(parameters, config, x, v);
    }

    /** Multiply-accumulates of one forward pass for one example (FLOPs = 2x this). */
    public static long macsPerExample(NetConfig config) {
        return config.architecture().macsPerExample(config);
    }

    /**
     * Sampling needs only the input gradient: weight gradients go off (the learner turns them back on). On the CPU
     * the chain then climbs a copy of this net whose convolution weights are channels-last like the chain's
     * activations ({@link ChannelsLast}); with the default layout libtorch's oneDNN convolutions copy every weight
     * into that layout on every call, twice per step (~2.5% of a step at n_f 32, 3% at n_f 64, measured). The copy
     * costs one pass over the weights per chain and is freed with {@code chain}. Training keeps the default layout,
     * so its arithmetic is unchanged; the chains' results are bit-identical either way. The copy's input gradient
     * is {@link FusedInputGradient}'s where that applies.
     */
    @Override
    public Energy forChain(NDManager chain) {
        parameters.requireGradients(false);
        if (!config.architecture().channelsLastChains() || !parameters.onCpu()) {
            return this;
        }
        Parameters copy = parameters.channelsLastCopy(chain);
        return new EnergyNet(config, copy, FusedInputGradient.forChain(config, copy, Precision.FP32), Precision.FP32,
                null);
    }

    /**
     * A bf16 chain climbs a bfloat16 copy of the weights (channels-last on the CPU, as above; one pass over the
     * weights per chain): its gradient passes take the state cast to bfloat16 and give grad f back as float32, so
     * the chain's update and the learner never see bfloat16. f itself (MALA's acceptance test) comes from the float32
     * chain copy: bf16's rounding of f swamps the differences the test compares (measured on an MNIST checkpoint at
     * eps 2e-3: acceptance 0.99 in fp32, 0.21 with a bf16 f), while a bf16 gradient in the proposal leaves MALA exact
     * (both proposal densities use the same deterministic drift). An fp32 chain is {@link #forChain(NDManager)}'s.
     */
    @Override
    public Energy forChain(NDManager chain, Precision precision) {
        if (precision == Precision.FP32) {
            return forChain(chain);
        }
        if (parameters.onCpu() && precision.problem("cpu") != null) {
            throw new IllegalArgumentException(precision.problem("cpu"));
        }
        parameters.requireGradients(false);
        Parameters copy = parameters.channelsLastCopy(chain); // a plain copy off the CPU and for 2D toys
        copy.castTo(precision);
        return new EnergyNet(config, copy, FusedInputGradient.forChain(config, copy, precision), precision,
                new LowPrecisionChain(this, chain));
    }

    @Override
    public NDArray inputGradient(NDArray x) {
        if (fusesInputGradient(x)) {
            return fused.of(x);
        }
        return precision == Precision.FP32 ? Energy.super.inputGradient(x) : lowPrecisionGradient(x);
    }

    @Override
    public ValueAndGradient valueAndGradient(NDArray x) {
        if (lowPrecision != null) {
            return new ValueAndGradient(lowPrecision.f(x), inputGradient(x));
        }
        return fusesInputGradient(x) ? fused.valueAndGradient(x) : Energy.super.valueAndGradient(x);
    }

    /**
     * grad f by autograd on the state cast to this copy's precision, back as float32. The backward seed is made by
     * {@link Casts}: DJL cannot make a bfloat16 one.
     */
    private NDArray lowPrecisionGradient(NDArray x) {
        try (NDArray low = Casts.to(x, precision)) {
            low.setRequiresGradient(true);
            Autograd.recording(() -> {
                NDArray total = forward(low).sum();
                Autograd.backward(total, Casts.onesLike(total), false, false);
                return total;
            });
            NDArray grad = Casts.to(low.getGradient(), Precision.FP32);
            grad.attach(x.getManager());
            return grad;
        }
    }

    /** Whether {@link #inputGradient} of a batch like {@code x} runs {@link FusedInputGradient} (tests). */
    boolean fusesInputGradient(NDArray x) {
        return fused != null && fused.appliesTo(x);
    }

    public NetConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
