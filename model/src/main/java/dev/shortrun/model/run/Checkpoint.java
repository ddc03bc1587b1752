package dev.shortrun.model.run;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.JsonFiles;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One saved state of a run: {@code iter-NNNNNN.safetensors} (weights under the reference names, loadable by the
 * PyTorch seed code), {@code iter-NNNNNN.optim.safetensors} (optimiser moments) and {@code iter-NNNNNN.json}
 * (resolved config, iteration, optimiser step count, RNG state), and for persistent chains
 * {@code iter-NNNNNN.bank.safetensors} (the whole bank, float32, so a resumed run continues bit for bit). The JSON
 * is written last: a checkpoint exists exactly when its JSON does, so a crash mid-write never leaves a half
 * checkpoint. A bank is as large as the training set, so only the newest checkpoint keeps its bank (resuming
 * always starts from the newest); older ones keep weights and optimiser state, enough to sample and diagnose.
 *
 * @param bank     the bank file, or null when the run has no persistent bank (and in checkpoints from before banks)
 * @param restarts the run's automatic restarts so far, oldest first; null when it made none (left out of the JSON)
 */
public record Checkpoint(String format, long iteration, String weights, String optimizerState,
                         String optimizer, long optimizerSteps, String rngState, String dataFingerprint,
                         TrainConfig config, String bank, List<Restart> restarts) {
    public static final String FORMAT = "shortrun-checkpoint/1";
    static final String BANK_SUFFIX = ".bank.safetensors";
    static final String BANK_TENSOR = "s_t_0"; // the Anatomy code's name for the bank
    private static final Pattern ITER_JSON = Pattern.compile("iter-(\\d+)\\.json");
    private static final String KINDS = Arrays.stream(OptimizerConfig.Kind.values()).map(Enum::name)
            .collect(Collectors.joining(", "));
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Writes the learner's complete state into {@code dir}; returns the JSON path. */
    public static Path write(Path dir, TrainConfig config, Learner learner, String dataFingerprint) {
        return write(dir, config, learner, dataFingerprint, List.of());
    }

    /** As {@link #write(Path, TrainConfig, Learner, String)}, recording the run's automatic restarts so far. */
    public static Path write(Path dir, TrainConfig config, Learner learner, String dataFingerprint,
                             List<Restart> restarts) {
        String base = RunDirectory.iterName(learner.iteration());
        try {
            Files.createDirectories(dir);
            Map<String, String> meta = Map.of("format", "pt", "iteration", Long.toString(learner.iteration()));
            Safetensors.write(dir.resolve(base + ".safetensors"), learner.net().parameters().toTensors(), meta);
            Safetensors.write(dir.resolve(base + ".optim.safetensors"), learner.optimizer().stateTensors(), meta);
            String bank = null;
            if (learner.chainStarts().hasBank()) {
                bank = base + BANK_SUFFIX;
                LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
                tensors.put(BANK_TENSOR, learner.chainStarts().bank());
                Safetensors.write(dir.resolve(bank), tensors, meta);
            }
            Checkpoint c = new Checkpoint(FORMAT, learner.iteration(), base + ".safetensors",
                    base + ".optim.safetensors", config.learner().optimizer().kind().name(),
                    learner.optimizer().steps(), Long.toString(learner.rng().state()), dataFingerprint, config, bank,
                    restarts.isEmpty() ? null : List.copyOf(restarts));
            Path json = dir.resolve(base + ".json");
            AtomicFiles.writeString(json, GSON.toJson(c));
            if (bank != null) {
                deleteOlderBanks(dir, bank);
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + base + " in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Removes the banks of earlier checkpoints once the newer one is committed (banks are training-set sized). */
    private static void deleteOlderBanks(Path dir, String keep) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(BANK_SUFFIX) && name.compareTo(keep) < 0) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Reads a checkpoint's JSON (the safetensors files are read on demand), checking every field first: the
     * iteration a resume continues from, the files it loads (plain names beside the JSON), the RNG state and the
     * settings. A damaged or hand-edited checkpoint fails here, naming the file and the field, before a resumed run
     * touches anything.
     */
    public static Checkpoint read(Path json) {
        String text;
        try {
            text = JsonFiles.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + json + ": " + e.getMessage(), e);
        }
        JsonObject object;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException("checkpoint " + json + " is not valid JSON: expected an object");
            }
            object = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("checkpoint " + json + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonElement format = object.get("format");
        if (format == null || !format.isJsonPrimitive() || !FORMAT.equals(format.getAsString())) {
            throw new IllegalArgumentException("checkpoint " + json + " has format " + (format == null ? "none"
                    : format.isJsonPrimitive() ? format.getAsString() : "of the wrong type") + ", expected " + FORMAT);
        }
        return fromFields(json, new CheckpointFields(json, object));
    }

    private static Checkpoint fromFields(Path json, CheckpointFields f) {
        long iteration = f.wholeNumber("iteration", 1, "the number of completed iterations, a whole number >= 1");
        Matcher named = ITER_JSON.matcher(json.getFileName().toString());
        if (named.matches() && Long.parseLong(named.group(1)) != iteration) {
            throw f.invalid("iteration", "is " + iteration + " but the file is named for iteration "
                    + Long.parseLong(named.group(1)));
        }
        String weights = f.plainFileName("weights");
        String optimizerState = f.plainFileName("optimizerState");
        String optimizer = f.string("optimizer", "the optimiser's name (" + KINDS + ")");
        long optimizerSteps = f.wholeNumber("optimizerSteps", 0, "the optimiser's step count, a whole number >= 0");
        long rngState = f.longString("rngState", "the RNG state, a decimal 64-bit integer in a string");
        String dataFingerprint = f.string("dataFingerprint", "the fingerprint of the training data");
        TrainConfig config = config(f);
        if (!config.learner().optimizer().kind().name().equals(optimizer)) {
            throw f.invalid("optimizer", "is \"" + optimizer + "\" but config.learner.optimizer is "
                    + config.learner().optimizer().kind().name());
        }
        return new Checkpoint(FORMAT, iteration, weights, optimizerState, optimizer, optimizerSteps,
                Long.toString(rngState), dataFingerprint, config, f.optionalPlainFileName("bank"), restarts(f));
    }

    /** The recorded restarts: absent (none) or a list of complete {@link Restart} records. */
    private static List<Restart> restarts(CheckpointFields f) {
        String expected = "a list of the run's restarts (number, divergedAt, from, cause, lr, seed)";
        if (!f.has("restarts")) {
            return null;
        }
        List<Restart> restarts;
        try {
            restarts = List.of(GSON.fromJson(f.array("restarts", expected), Restart[].class));
        } catch (RuntimeException e) {
            throw f.invalid("restarts", "is not " + expected + ": " + e.getMessage());
        }
        for (int i = 0; i < restarts.size(); i++) {
            Restart r = restarts.get(i);
            if (r == null || r.number() != i + 1 || r.cause() == null || !(r.lr() > 0) || r.from() < 0
                    || r.divergedAt() <= r.from()) {
                throw f.invalid("restarts", "entry " + (i + 1) + " is not a complete restart record; expected "
                        + expected);
            }
        }
        return restarts;
    }

    /** The stored settings, checked by the settings records' own constructors (Gson calls them). */
    private static TrainConfig config(CheckpointFields f) {
        String expected = "the run's resolved settings (data, net, langevin, learner, ...)";
        JsonObject object = f.object("config", expected);
        TrainConfig config;
        try {
            config = GSON.fromJson(object, TrainConfig.class);
        } catch (RuntimeException e) { // Gson's parse errors and the records' checks (wrapped by Gson)
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw f.invalid("config", "is not " + expected + ": " + cause.getMessage());
        }
        return config;
    }

    /** The energy network with this checkpoint's weights. */
    public EnergyNet loadNet(Path json, NDManager manager) {
        EnergyNet net = EnergyNet.create(config.net(), manager, new Rng(0));
        Path weightsFile = json.resolveSibling(weights);
        net.parameters().load(readTensors(weightsFile), weightsFile.toString());
        return net;
    }

    /** Restores weights, optimiser and RNG into a fresh learner built from {@link #config()}. */
    public void restore(Path json, Learner learner) {
        Path weightsFile = json.resolveSibling(weights);
        learner.net().parameters().load(readTensors(weightsFile), weightsFile.toString());
        Path optimFile = json.resolveSibling(optimizerState);
        learner.optimizer().restore(readTensors(optimFile), optimizerSteps, optimFile.toString());
        if (bank != null) {
            Path bankFile = json.resolveSibling(bank);
            if (!Files.exists(bankFile)) {
                throw new IllegalStateException("cannot resume from " + json + ": its persistent bank " + bankFile
                        + " is gone (only the newest checkpoint keeps its bank)");
            }
            Tensor saved = readTensors(bankFile).get(BANK_TENSOR);
            if (saved == null) {
                throw new IllegalArgumentException(bankFile + " holds no tensor '" + BANK_TENSOR + "'");
            }
            learner.chainStarts().restoreBank(saved, bankFile.toString());
        } else if (config.learner().init().kind() == dev.shortrun.model.sampling.Initializer.Kind.PERSISTENT) {
            throw new IllegalStateException("cannot resume from " + json + ": the run uses persistent chains but "
                    + "the checkpoint has no bank");
        }
        learner.resumeAt(iteration);
    }

    /** The RNG exactly as it was after the checkpointed iteration. */
    public Rng rng() {
        return new Rng(Long.parseLong(rngState));
    }

    /**
     * The tensors of one of a checkpoint's files, all finite: NaN or infinite weights (a corrupted file, or a run saved
     * after it diverged) would otherwise sample and picture NaN without a word.
     */
    static LinkedHashMap<String, Tensor> readTensors(Path file) {
        LinkedHashMap<String, Tensor> tensors;
        try {
            tensors = Safetensors.read(file).tensors();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        tensors.forEach((name, t) -> {
            long bad = t.nonFiniteCount();
            if (bad > 0) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' holds " + bad + " NaN or infinite "
                        + "value(s) of " + t.size() + "; a checkpoint must hold finite numbers (use an earlier one)");
            }
        });
        return tensors;
    }
}
