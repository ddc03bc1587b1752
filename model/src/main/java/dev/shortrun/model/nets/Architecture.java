package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import com.google.gson.annotations.JsonAdapter;
import dev.shortrun.model.util.Rng;

import java.util.List;

/**
 * A kind of energy network: what it takes as input, how PyTorch would initialise its parameters, and f(x). One
 * instance serves every width and channel count (those are in {@link NetConfig}); {@link EnergyNet} holds the
 * weights. The registered kinds are listed in {@link EnergyNetworks}: a new network is a class implementing this
 * plus one line there. In JSON (checkpoints, run specs) an architecture is its upper-case name, {@code "CONV32"},
 * as when this was an enum.
 */
@JsonAdapter(ArchitectureJson.class)
public interface Architecture {
    /** The short-run paper's 32x32 net (Table 6), also the Anatomy paper's VanillaNet. */
    Architecture CONV32 = new ConvNet(32);
    /** Table 7: 64x64. */
    Architecture CONV64 = new ConvNet(64);
    /** Table 8: 128x128. */
    Architecture CONV128 = new ConvNet(128);
    /** The Anatomy paper's ToyNet for 2D points. */
    Architecture TOY = new ToyNet();
    /** The Anatomy paper's NonlocalNet for 32x32 images. */
    Architecture NONLOCAL32 = new NonlocalNet();

    /** Registry name, lower case: what specs ({@code model.architecture}) and {@code --architecture} say. */
    String name();

    /** One line for help texts and docs. */
    String description();

    /** Side length of the images it takes (1 for 2D points). */
    int imageSize();

    /** Whether it takes the (N, 2) points of a 2D toy rather than images. */
    default boolean takesPoints() {
        return false;
    }

    /** Throws an {@link IllegalArgumentException} saying why when it cannot take {@code channels} input channels. */
    default void checkChannels(int channels) {
    }

    /**
     * Adds freshly initialised parameters, in the reference {@code state_dict}'s order and names, drawn from
     * {@code rng} as PyTorch's default initialisation draws them ({@link Parameters#addUniform}).
     */
    void initialise(Parameters params, NetConfig config, Rng rng);

    /** f(x) for a batch: (N, C, H, W) images, or (N, 2) points; output shape (N). Differentiable in x. */
    NDArray forward(Parameters params, NetConfig config, NDArray x);

    /**
     * {@code H f(x_i) v_i} for each example (reconstruction through the chain, flow likelihood); see
     * {@link EnergyNet#hessianVector}. Networks without a tangent rule refuse.
     */
    default NDArray hessianVector(Parameters params, NetConfig config, NDArray x, NDArray v) {
        throw new UnsupportedOperationException("Hessian-vector products (reconstruction through the chain, flow "
                + "likelihood) are not implemented for the " + name() + " network");
    }

    /** Multiply-accumulates of one forward pass for one example (FLOPs = 2x this; the bench's GFLOP/s). */
    long macsPerExample(NetConfig config);

    /**
     * The convolutions, first to last, when the network is a plain LeakyReLU-ready stack of them over images that
     * {@link FusedInputGradient} can compile (parameters {@code f.0}, {@code f.2}, ..., the last layer's 4x4 kernel
     * spanning its whole input); empty otherwise, and the chains' input gradient is autograd's.
     */
    default List<ConvLayer> fusableLayers(NetConfig config) {
        return List.of();
    }

    /**
     * Whether a chain on the CPU climbs a channels-last copy of the weights ({@link EnergyNet#forChain}): worth it
     * for image convolutions, not for dense layers on points.
     */
    default boolean channelsLastChains() {
        return true;
    }
}
