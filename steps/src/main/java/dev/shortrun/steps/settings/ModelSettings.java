package dev.shortrun.steps.settings;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNetworks;
import dev.shortrun.model.nets.NetConfig;

import java.util.List;

/** {@code model.*}: the energy network f_theta. */
public final class ModelSettings {
    public static final Section SECTION = new Section("model", "the energy network f_theta", true);

    public static final Setting<String> ARCHITECTURE = SECTION.add(Setting.choice("architecture", "Energy network: "
            + "conv32/conv64/conv128 (short-run paper, Tables 6-8; conv32 is also the Anatomy VanillaNet), "
            + "nonlocal32 (Anatomy NonlocalNet) or toy (2D points).", ModelSettings::architectures)
            .unset("by image size: conv32, conv64 or conv128; toy for 2D data"));
    public static final Setting<Integer> N_F = SECTION.add(Setting.integer("n_f", "Base width n_f of the network.")
            .between(1, 1024).defaultTo("64 for images, 32 for 2D toys", c -> NetConfig.defaultNf(c.toy())));
    public static final Setting<String> ACTIVATION = SECTION.add(Setting.choice("activation", "Non-linearity: "
            + "leaky_relu (the papers'), or the smooth gelu or softplus.", List.of("leaky_relu", "gelu", "softplus"))
            .defaultValue("leaky_relu"));
    public static final Setting<Double> SLOPE = SECTION.add(Setting.number("slope", "LeakyReLU negative slope.")
            .range(Range.FRACTION).defaultTo("0.2 for images (short-run seed code), 0.05 for 2D toys (Anatomy)",
                    c -> NetConfig.defaultSlope(c.toy())));

    private ModelSettings() {
    }

    static List<String> architectures() {
        return EnergyNetworks.names();
    }

    static NetConfig resolve(SettingsReader r, DataConfig data, boolean toy) {
        int nf = r.get(N_F);
        Activation activation = Activation.parse(r.get(ACTIVATION));
        double slope = r.get(SLOPE);
        return new NetConfig(architecture(r, toy, data.imageSize()), data.format().channels(), nf, activation,
                slope);
    }

    /** The network: by image size unless {@code model.architecture} names one (read only when given). */
    private static Architecture architecture(SettingsReader r, boolean toy, int imageSize) {
        if (!r.isGiven(ARCHITECTURE)) {
            return EnergyNetworks.defaultFor(toy, imageSize);
        }
        Architecture a = EnergyNetworks.get(r.get(ARCHITECTURE));
        if (toy != a.takesPoints()) {
            throw r.error(ARCHITECTURE, toy ? "2D toys use the toy network; remove it"
                    : "the " + a.name() + " network is for 2D toys");
        }
        if (!toy && a.imageSize() != imageSize) {
            throw r.error(ARCHITECTURE, a.name() + " takes " + a.imageSize() + "x" + a.imageSize()
                    + " images but dataset.image_size is " + imageSize);
        }
        return a;
    }
}
