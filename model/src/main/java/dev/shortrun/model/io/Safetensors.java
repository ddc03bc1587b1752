package dev.shortrun.model.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.shortrun.model.io.LittleEndian.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hugging Face safetensors: u64 LE header length, JSON header, raw LE tensor bytes. Chosen for
 * checkpoints because Python ({@code safetensors.torch.load_file}) reads it directly.
 */
public final class Safetensors {
    static final String METADATA_KEY = "__metadata__";
    /** Same cap as the reference implementation: a larger header is almost surely garbage. */
    static final long MAX_HEADER = 100L * 1024 * 1024;

    private Safetensors() {}

    /** Tensors in file order, plus the string metadata (empty if the file has none). */
    public record Loaded(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes all tensors as F32, contiguous in insertion order, atomically. */
    public static void write(Path path, LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(path, out -> {
            out.write(LittleEndian.u64(header.length));
            out.write(header);
            for (Tensor t : tensors.values()) {
                LittleEndian.writeFloats(out, t.data());
            }
        });
    }

    /**
     * The JSON header, space-padded to a multiple of 8 so the data section stays aligned. Metadata keys are sorted:
     * the same tensors and metadata give the same bytes whatever the map's iteration order ({@code Map.of}'s
     * changes from one JVM to the next), so a checkpoint written twice is byte for byte the same file.
     */
    static byte[] header(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
        JsonObject json = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new TreeMap<>(metadata).forEach(meta::addProperty);
            json.add(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved");
            }
            Tensor t = e.getValue();
            JsonObject info = new JsonObject();
            info.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) shape.add(d);
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += t.size() * Float.BYTES;
            offsets.add(offset);
            info.add("data_offsets", offsets);
            json.add(e.getKey(), info);
        }
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) out[i] = ' ';
        return out;
    }

    /** Reads and validates a file; every problem is reported as an IOException naming the file. */
    public static Loaded read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw bad(path, "file is " + fileSize + " bytes, too short for the 8-byte header length");
            }
            long n = LittleEndian.read(ch, 0, 8).getLong();
            if (n < 0 || n > fileSize - 8) {
                throw bad(path, "header length " + Long.toUnsignedString(n) + " is larger than the file ("
                        + (fileSize - 8) + " bytes after the length field)");
            }
            if (n > MAX_HEADER) {
                throw bad(path, "header length " + n + " exceeds the " + MAX_HEADER + "-byte limit");
            }
            String text = StandardCharsets.UTF_8.decode(LittleEndian.read(ch, 8, (int) n)).toString();
            List<Entry> entries = new ArrayList<>();
            Map<String, String> metadata = parseHeader(path, text, entries);

            long dataStart = 8 + n;
            long dataSize = fileSize - dataStart;
            entries.sort(Comparator.comparingLong(Entry::begin));
            long expectedEnd = checkLayout(path, entries);
            if (expectedEnd > dataSize) {
                throw bad(path, "file truncated: expected " + expectedEnd + " bytes of data, found " + dataSize);
            }
            if (expectedEnd < dataSize) {
                throw bad(path, (dataSize - expectedEnd) + " unexpected bytes after the last tensor (expected "
                        + expectedEnd + " bytes of data, found " + dataSize + ")");
            }
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer bytes = LittleEndian.read(ch, dataStart + e.begin, Math.toIntExact(e.end - e.begin));
                tensors.put(e.name, new Tensor(e.shape, LittleEndian.toFloats(bytes, e.dtype, (int) e.count)));
            }
            return new Loaded(tensors, metadata);
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long count, long begin, long end) {}

    private static Map<String, String> parseHeader(Path path, String text, List<Entry> entries)
            throws IOException {
        JsonFiles.checkDepth(path + ": header", text);
        JsonObject root;
        try {
            JsonElement el = JsonParser.parseString(text);
            if (!el.isJsonObject()) throw bad(path, "header is not a JSON object");
            root = el.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw bad(path, "header is not valid JSON: " + e.getMessage());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            String name = kv.getKey();
            try {
                if (name.equals(METADATA_KEY)) {
                    for (Map.Entry<String, JsonElement> m : kv.getValue().getAsJsonObject().entrySet()) {
                        if (!m.getValue().isJsonPrimitive() || !m.getValue().getAsJsonPrimitive().isString()) {
                            throw bad(path, "metadata value for '" + m.getKey() + "' is not a string");
                        }
                        metadata.put(m.getKey(), m.getValue().getAsString());
                    }
                } else {
                    entries.add(parseEntry(path, name, kv.getValue().getAsJsonObject()));
                }
            } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException
                    | NullPointerException | ArithmeticException e) {
                // Gson signals wrong JSON types with unchecked exceptions; report them as format errors.
                throw bad(path, "malformed header entry '" + name + "': " + e.getMessage());
            }
        }
        return metadata;
    }

    private static Entry parseEntry(Path path, String name, JsonObject info) throws IOException {
        for (String key : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!info.has(key)) throw bad(path, "tensor '" + name + "' has no '" + key + "'");
        }
        String dtypeName = info.get("dtype").getAsString();
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw bad(path, "tensor '" + name + "' has unsupported dtype " + dtypeName
                    + " (supported: F32, F64, I64, I32, U8)");
        }
        JsonArray shapeJson = info.getAsJsonArray("shape");
        long[] shape = new long[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeJson.get(i).getAsLong();
            if (shape[i] < 0) throw bad(path, "tensor '" + name + "' has a negative dimension");
            count = Math.multiplyExact(count, shape[i]);
        }
        if (InputLimits.product(count, dtype.bytes) > InputLimits.MAX_ARRAY) {
            throw bad(path, "tensor '" + name + "' has " + count + " elements of " + dtype + ", more than the limit of "
                    + InputLimits.MAX_ARRAY + " bytes for one array");
        }
        JsonArray off = info.getAsJsonArray("data_offsets");
        if (off.size() != 2) throw bad(path, "tensor '" + name + "' data_offsets must have 2 entries");
        long begin = off.get(0).getAsLong();
        long end = off.get(1).getAsLong();
        if (begin < 0 || end < begin) {
            throw bad(path, "tensor '" + name + "' has invalid data_offsets [" + begin + ", " + end + "]");
        }
        if (end - begin != count * dtype.bytes) {
            throw bad(path, "tensor '" + name + "' data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + shapeJson + " of " + dtype + " needs " + count * dtype.bytes);
        }
        return new Entry(name, dtype, shape, count, begin, end);
    }

    /** Tensors must tile the data section from 0 without gaps or overlaps; returns its expected size. */
    private static long checkLayout(Path path, List<Entry> sorted) throws IOException {
        long pos = 0;
        String prev = null;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw bad(path, "tensor '" + e.name + "' at offset " + e.begin + " overlaps '" + prev
                        + "' which ends at " + pos);
            }
            if (e.begin > pos) {
                throw bad(path, "gap in data: tensor '" + e.name + "' starts at " + e.begin + ", expected " + pos);
            }
            pos = e.end;
            prev = e.name;
        }
        return pos;
    }

    private static IOException bad(Path path, String what) {
        return new IOException(path + ": " + what);
    }
}
