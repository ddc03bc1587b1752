package dev.shortrun.steps.settings;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.nets.EnergyNetworks;

import java.util.List;

/** {@code dataset.*}: which examples a run learns from. */
public final class DatasetSettings {
    public static final Section SECTION = new Section("dataset", "the examples a run learns from", true);

    public static final Setting<String> NAME = SECTION.add(Setting.choice("name", "The data set: image data read "
            + "from its native files, or a 2D toy of the Anatomy paper.", DatasetSettings::names)
            .flags("--dataset"));
    public static final Setting<String> DIR = SECTION.add(Setting.path("dir", "Directory of the data set's native "
            + "files (IDX for MNIST and Fashion-MNIST, CIFAR-10's binary batches, a PNG/JPEG tree for folder); "
            + "required for image data, not used by toys. Part of the run's hash only for folder: where a named "
            + "data set lives does not change the results.").unset("none").flags("--data-dir"));
    public static final Setting<String> SPLIT = SECTION.add(Setting.choice("split", "Which split to learn from.",
            List.of("train", "test")).defaultValue("train"));
    public static final Setting<Integer> IMAGE_SIZE = SECTION.add(Setting.integer("image_size", "Side length the "
            + "images are resized to; picks the network of Tables 6, 7 and 8. Not used by 2D toys.")
            .oneOf(EnergyNetworks.imageSizes().stream().mapToLong(Integer::longValue).toArray())
            .defaultValue(DataConfig.DEFAULT_IMAGE_SIZE));
    public static final Setting<Integer> CAP = SECTION.add(Setting.integer("cap", "Learn from the first N examples "
            + "only; 0 uses all (the short-run paper uses 40,000).").min(0).defaultValue(0));

    private DatasetSettings() {
    }

    /** The registered data sets ({@link DatasetFormats}). */
    public static List<String> names() {
        return DatasetFormats.names();
    }

    /** The dataset's name; it decides which other defaults apply (toys have their own). */
    static String name(SettingsReader r) {
        return r.get(NAME);
    }

    static DataConfig resolve(SettingsReader r, String dataset, boolean toy) {
        String dir = r.getIfGiven(DIR);
        if (dir == null && !toy) {
            throw r.error(DIR, "missing required key: dataset " + dataset + " needs the directory of its files");
        }
        String split = r.get(SPLIT);
        if (toy && r.isGiven(IMAGE_SIZE)) {
            throw r.error(IMAGE_SIZE, "not used by the 2D toy " + dataset + "; remove it");
        }
        int size = toy ? 1 : r.get(IMAGE_SIZE);
        int cap = r.get(CAP);
        return new DataConfig(dataset, dir, split, size, cap);
    }
}
