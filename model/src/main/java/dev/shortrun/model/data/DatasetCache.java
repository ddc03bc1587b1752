package dev.shortrun.model.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.io.JsonFiles;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Decoded data sets cached as safetensors, so a data set's native files (IDX, CIFAR-10 binary, image folder) are
 * decoded, checksum-verified, normalised and resized once, and every later run reads the tensor directly.
 *
 * <p>File: {@code <cacheDir>/<dataset>-<sourceMd5>-<imageSize>-cap<cap>.safetensors}. The key is
 * {@link ImageFormat#sourceMd5}: the MD5 of the raw source bytes (computed without decoding, so looking the cache up
 * costs one read of the source files, not a decode); the file therefore changes whenever the source does. Tensors:
 * {@code pixels} F32 {@code N x C x H x W} in [-1, 1], {@code labels} F32 {@code N} (integers, -1 = unknown).
 * Metadata: {@code format}, {@code dataset}, {@code split}, {@code source_md5}, {@code content_md5} (the decoded
 * data set's own {@link ImageDataset#contentMd5}, which training fingerprints), {@code image_size}, {@code cap},
 * {@code source_dir}. The reader's decoding choices are part of {@link #FORMAT}: bump it when a reader changes
 * what it produces. Writes are atomic (temporary file then rename), so concurrent writers of the same key are safe.
 */
public final class DatasetCache {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetCache.class);
    public static final String FORMAT = "shortrun-dataset-cache/1";
    private static final String SUFFIX = ".safetensors";

    private DatasetCache() {}

    public static Path pathFor(Path cacheDir, String dataset, String split, int imageSize, int cap, String sourceMd5) {
        Sources.split(split);
        return cacheDir.resolve(dataset + "-" + sourceMd5 + "-" + imageSize + "-cap" + cap + SUFFIX);
    }

    /** Writes {@code d} (decoded from the source with fingerprint {@code sourceMd5}) and returns the file. */
    public static Path write(Path cacheDir, ImageDataset d, String split, int cap, String sourceMd5,
                             Path sourceDir) {
        Path file = pathFor(cacheDir, d.name(), split, d.imageSize(), cap, sourceMd5);
        float[] labels = new float[d.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = d.labels()[i];
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("pixels", new Tensor(new long[] {d.count(), d.channels(), d.height(), d.width()}, d.pixels()));
        tensors.put("labels", new Tensor(new long[] {d.count()}, labels));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("dataset", d.name());
        meta.put("split", split);
        meta.put("source_md5", sourceMd5);
        meta.put("content_md5", d.contentMd5());
        meta.put("image_size", Integer.toString(d.imageSize()));
        meta.put("cap", Integer.toString(cap));
        meta.put("source_dir", sourceDir == null ? "" : sourceDir.toAbsolutePath().normalize().toString());
        try {
            Files.createDirectories(cacheDir);
            Safetensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot write the data set cache (" + e + ")", e);
        }
        return file;
    }

    /** Reads and validates a cache file; any problem is a {@link DataFormatException} naming the file. */
    public static ImageDataset read(Path file) {
        Safetensors.Loaded loaded;
        try {
            loaded = Safetensors.read(file);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            throw new DataFormatException(msg.contains(file.toString()) ? "data set cache " + msg
                    : file + ": cannot read data set cache (" + e + ")", e);
        }
        Map<String, String> meta = loaded.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw bad(file, "expected format " + FORMAT + ", found " + meta.get("format"));
        }
        for (String key : List.of("dataset", "split", "source_md5", "content_md5", "image_size", "cap")) {
            if (meta.get(key) == null || meta.get(key).isEmpty()) throw bad(file, "metadata has no " + key);
        }
        Tensor pixels = loaded.tensors().get("pixels");
        Tensor labels = loaded.tensors().get("labels");
        if (pixels == null || labels == null || loaded.tensors().size() != 2) {
            throw bad(file, "expected tensors pixels and labels, found " + loaded.tensors().keySet());
        }
        int size;
        try {
            size = Integer.parseInt(meta.get("image_size"));
            Integer.parseInt(meta.get("cap"));
        } catch (NumberFormatException e) {
            throw bad(file, "image_size and cap must be integers, found " + meta.get("image_size") + ", "
                    + meta.get("cap"));
        }
        if (pixels.rank() != 4 || pixels.dim(2) != size || pixels.dim(3) != size || pixels.dim(1) < 1) {
            throw bad(file, "expected pixels N x C x " + size + " x " + size + ", found shape "
                    + java.util.Arrays.toString(pixels.shape()));
        }
        int n = pixels.dim(0);
        if (labels.rank() != 1 || labels.dim(0) != n) {
            throw bad(file, "expected " + n + " labels, found shape " + java.util.Arrays.toString(labels.shape()));
        }
        int[] ints = new int[n];
        for (int i = 0; i < n; i++) {
            float v = labels.data()[i];
            if (v != Math.rint(v) || v < -1) throw bad(file, "label " + i + " is not an integer >= -1: " + v);
            ints[i] = (int) v;
        }
        return new ImageDataset(meta.get("dataset"), n, pixels.dim(1), size, size, pixels.data(), ints,
                meta.get("content_md5"));
    }

    /**
     * The data set as {@link ImageFormat#read} would return it, from the cache when it holds this source; otherwise
     * decoded and written to the cache. When the source files cannot be found (a worker without the raw data), a
     * cache file made from the same directory, split, size and cap is used instead.
     */
    public static ImageDataset load(Path cacheDir, String dataset, Path dir, String split, int imageSize, int cap) {
        ImageFormat format = DatasetFormats.image(dataset);
        String sourceMd5;
        try {
            sourceMd5 = format.sourceMd5(dir, split);
        } catch (DataFormatException missing) {
            Optional<Path> cached = findByLocation(cacheDir, dataset, dir, split, imageSize, cap);
            if (cached.isEmpty()) throw missing;
            LOG.info("{}; using the cached copy {}", missing.getMessage(), cached.get());
            return read(cached.get());
        }
        Path file = pathFor(cacheDir, dataset, split, imageSize, cap, sourceMd5);
        if (Files.isRegularFile(file)) {
            try {
                return read(file);
            } catch (DataFormatException e) {
                LOG.warn("{}; decoding the source again", e.getMessage());
            }
        }
        ImageDataset data = format.read(dir, split, imageSize, cap);
        try {
            write(cacheDir, data, split, cap, sourceMd5, dir);
        } catch (DataFormatException e) {
            LOG.warn("{}; going on without the cache", e.getMessage());
        }
        return data;
    }

    /** Makes sure the cache file for this data exists (decoding only when it does not); returns it. */
    public static Path prepare(Path cacheDir, String dataset, Path dir, String split, int imageSize, int cap) {
        ImageFormat format = DatasetFormats.image(dataset);
        String sourceMd5 = format.sourceMd5(dir, split);
        Path file = pathFor(cacheDir, dataset, split, imageSize, cap, sourceMd5);
        if (Files.isRegularFile(file)) {
            try {
                read(file);
                return file;
            } catch (DataFormatException e) {
                LOG.warn("{}; decoding the source again", e.getMessage());
            }
        }
        return write(cacheDir, format.read(dir, split, imageSize, cap), split, cap, sourceMd5, dir);
    }

    /** A cache file whose metadata says it was made from {@code dir}/{@code split}; newest first. */
    static Optional<Path> findByLocation(Path cacheDir, String dataset, Path dir, String split, int imageSize,
                                         int cap) {
        if (!Files.isDirectory(cacheDir)) return Optional.empty();
        String where = dir.toAbsolutePath().normalize().toString();
        String tail = "-" + imageSize + "-cap" + cap + SUFFIX;
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(dataset + "-") && name.endsWith(tail);
            }).filter(p -> {
                Map<String, String> meta = metadata(p);
                return where.equals(meta.get("source_dir")) && split.equals(meta.get("split"))
                        && dataset.equals(meta.get("dataset"));
            }).max((a, b) -> {
                try {
                    return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                    return 0;
                }
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The metadata of a safetensors file from its header alone; empty when unreadable. */
    static Map<String, String> metadata(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (len.hasRemaining()) if (ch.read(len) < 0) return Map.of();
            long n = len.flip().getLong();
            if (n <= 0 || n > 1 << 20 || n > ch.size() - 8) return Map.of();
            ByteBuffer header = ByteBuffer.allocate((int) n);
            while (header.hasRemaining()) if (ch.read(header) < 0) return Map.of();
            String text = StandardCharsets.UTF_8.decode(header.flip()).toString();
            JsonFiles.checkDepth(file, text);
            JsonObject root = JsonParser.parseString(text).getAsJsonObject();
            Map<String, String> out = new LinkedHashMap<>();
            if (root.has("__metadata__")) {
                for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("__metadata__").entrySet()) {
                    out.put(e.getKey(), e.getValue().getAsString());
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static DataFormatException bad(Path file, String what) {
        return new DataFormatException(file + ": data set cache: " + what);
    }
}
