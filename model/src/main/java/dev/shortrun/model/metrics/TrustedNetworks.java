package dev.shortrun.model.metrics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.InputLimits;
import dev.shortrun.model.io.JsonFiles;
import dev.shortrun.model.io.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The TorchScript networks this user let shortrun run: the full SHA-256 of every file {@code fetch-inception} built,
 * in one manifest kept apart from the network folders ({@code ~/.config/shortrun/trusted-networks.json}, or
 * {@code $SHORTRUN_TRUSTED_NETWORKS}, or the system property {@code shortrun.trusted_networks}). A TorchScript file is
 * code: libtorch runs whatever it defines. So a network found in a folder that a spec or an option names is loaded
 * only when its exact bytes are listed here, and from the very bytes that were hashed. A manifest inside the folder
 * would not do: whoever can plant the network there can plant its manifest too.
 */
public final class TrustedNetworks {
    static final String FORMAT = "shortrun-trusted-networks/1";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** One network fetch-inception built: its digest, where it was written and how (official or random-init). */
    public record Entry(String sha256, String builtAs, String mode) {
    }

    /** The manifest file as written. */
    record Manifest(String format, List<Entry> networks) {
    }

    private TrustedNetworks() {
    }

    /** Where the manifest lives (see the class comment). */
    public static Path file() {
        String property = System.getProperty("shortrun.trusted_networks");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("SHORTRUN_TRUSTED_NETWORKS");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".config", "shortrun", "trusted-networks.json");
    }

    /** Records the network fetch-inception built at {@code network}, whose bytes hash to {@code sha}, in a mode. */
    public static void add(Path network, String sha, String mode) {
        List<Entry> entries = new ArrayList<>(entries());
        entries.removeIf(e -> e.sha256().equals(sha));
        entries.add(new Entry(sha, network.toAbsolutePath().normalize().toString(), mode));
        try {
            AtomicFiles.writeString(file(), GSON.toJson(new Manifest(FORMAT, entries)));
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    /** The network's bytes together with the manifest entry that vouches for exactly those bytes. */
    public record Verified(byte[] bytes, Entry entry) {
    }

    /**
     * Reads {@code network} once, hashes what was read and finds that digest in the manifest; the caller loads these
     * bytes, never the file again, so the file cannot be swapped between the check and the load.
     *
     * @throws IllegalStateException naming the file, its digest and the manifest when the bytes are not listed
     */
    public static Verified read(Path network) {
        byte[] bytes;
        try {
            bytes = InputLimits.readDataFile(network);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + network + ": " + e.getMessage(), e);
        }
        var digest = Sha256.newDigest();
        digest.update(bytes);
        String sha = Sha256.hex(digest);
        Optional<Entry> entry = entries().stream().filter(e -> e.sha256().equals(sha)).findFirst();
        if (entry.isEmpty()) {
            throw new IllegalStateException(network + " (sha256 " + sha + ") is not a network fetch-inception built "
                    + "here (" + file() + " does not list it); a TorchScript file runs code, so it is not loaded: "
                    + "build it with `./shortrun fetch-inception --out " + network.toAbsolutePath().getParent() + "`");
        }
        return new Verified(bytes, entry.get());
    }

    /** The listed networks; none when the manifest does not exist yet. */
    static List<Entry> entries() {
        Path file = file();
        if (!Files.exists(file)) {
            return List.of();
        }
        Manifest m;
        try {
            m = GSON.fromJson(JsonFiles.read(file), Manifest.class);
        } catch (IOException | JsonParseException e) {
            throw new IllegalStateException("cannot read the trusted-network manifest " + file + ": " + e.getMessage()
                    + " (delete it and run fetch-inception again)", e);
        }
        if (m == null || !FORMAT.equals(m.format()) || m.networks() == null) {
            throw new IllegalStateException("the trusted-network manifest " + file + " is not a " + FORMAT
                    + " file (delete it and run fetch-inception again)");
        }
        return m.networks().stream().filter(e -> e != null && e.sha256() != null).toList();
    }
}
