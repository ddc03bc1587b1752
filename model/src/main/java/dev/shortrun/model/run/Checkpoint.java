package dev.shortrun.model.run;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.JsonFiles;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One saved state of a run: {@code iter-NNNNNN.safetensors} (weights under the reference names, loadable by the
 * PyTorch seed code), {@code iter-NNNNNN.optim.safetensors} (optimiser moments) and {@code iter-NNNNNN.json}
 * (resolved config, iteration, optimiser step count, RNG state), and for persistent chains
 * {@code iter-NNNNNN.bank.safetensors} (the whole bank, float32, so a resumed run continues bit for bit). The JSON
 * is written last: a checkpoint exists exactly when its JSON does, so a crash mid-write never leaves a half
 * checkpoint. A bank is as large as the training set, so only the newest checkpoint keeps its bank (resuming
 * always starts from the newest); older ones keep weights and optimiser state, enough to sample and diagnose.
 *
 * @param bank the bank file, or null when the run has no persistent bank (and in checkpoints from before banks)
 */
public record Checkpoint(String format, long iteration, String weights, String optimizerState,
                         String optimizer, long optimizerSteps, String rngState, String dataFingerprint,
                         TrainConfig config, String bank) {
    public static final String FORMAT = "shortrun-checkpoint/1";
    static final String BANK_SUFFIX = ".bank.safetensors";
    static final String BANK_TENSOR = "s_t_0"; // the Anatomy code's name for the bank
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Writes the learner's complete state into {@code dir}; returns the JSON path. */
    public static Path write(Path dir, TrainConfig config, Learner learner, String dataFingerprint) {
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
                    learner.optimizer().steps(), Long.toString(learner.rng().state()), dataFingerprint, config, bank);
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

    /** Reads a checkpoint's JSON (the safetensors files are read on demand). */
    public static Checkpoint read(Path json) {
        String text;
        try {
            text = JsonFiles.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + json + ": " + e.getMessage(), e);
        }
        Checkpoint c;
        try {
            c = GSON.fromJson(text, Checkpoint.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint " + json + " is not valid JSON: " + e.getMessage(), e);
        }
        if (c == null || !FORMAT.equals(c.format())) {
            throw new IllegalArgumentException("checkpoint " + json + " has format "
                    + (c == null ? "none" : c.format()) + ", expected " + FORMAT);
        }
        return c;
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
