package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.HostileFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Tensor t(long[] shape, float... data) {
        return new Tensor(shape, data);
    }

    @Test
    void roundTripKeepsValuesOrderAndMetadata() throws IOException {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        // Names deliberately not alphabetical, to catch sorting by name.
        in.put("z.weight", t(new long[] {2, 3}, 1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f));
        in.put("a.bias", t(new long[] {3}, 0.25f, 0.5f, 0.75f));
        in.put("scalar", t(new long[] {}, 42f));
        in.put("empty", t(new long[] {0, 4}));
        in.put("m.conv", t(new long[] {1, 1, 2, 2}, 9, 8, 7, 6));
        Path f = dir.resolve("sub/ckpt.safetensors");
        Safetensors.write(f, in, Map.of("step", "1200", "format", "pt"));

        Safetensors.Loaded out = Safetensors.read(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()));
        for (String k : in.keySet()) {
            assertArrayEquals(in.get(k).shape(), out.tensors().get(k).shape(), k);
            assertArrayEquals(in.get(k).data(), out.tensors().get(k).data(), k);
        }
        assertEquals(Map.of("step", "1200", "format", "pt"), out.metadata());
    }

    @Test
    void tinyFileMatchesSpecByteForByte() throws IOException {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", t(new long[] {2}, 1f, 2f));
        in.put("b", t(new long[] {1}, -1f));
        Path f = dir.resolve("tiny.safetensors");
        Safetensors.write(f, in, Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        long n = b.getLong(0);
        assertEquals(0, n % 8, "header length padded to 8");
        assertEquals(8 + n + 12, bytes.length, "header + 3 floats");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals(header.strip(), header.substring(0, header.strip().length()), "padding only at the end");
        assertTrue(header.substring(header.strip().length()).chars().allMatch(c -> c == ' '), "space padding");

        JsonObject json = JsonParser.parseString(header).getAsJsonObject();
        assertEquals("v", json.getAsJsonObject("__metadata__").get("k").getAsString());
        JsonObject w = json.getAsJsonObject("w");
        assertEquals("F32", w.get("dtype").getAsString());
        assertEquals("[2]", w.get("shape").toString());
        assertEquals("[0,8]", w.get("data_offsets").toString());
        assertEquals("[8,12]", json.getAsJsonObject("b").get("data_offsets").toString());

        int data = (int) (8 + n);
        assertEquals(1f, b.getFloat(data));
        assertEquals(2f, b.getFloat(data + 4));
        assertEquals(-1f, b.getFloat(data + 8));
        // 1.0f little-endian is 00 00 80 3F.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(bytes, data, data + 4));
    }

    /**
     * The metadata's keys are written sorted: Map.of iterates in an order that changes from one JVM to the next, so
     * without sorting the same checkpoint would get other header bytes in another process.
     */
    @Test
    void metadataIsWrittenSortedWhateverTheMapsOrder() {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", t(new long[] {1}, 1f));
        Map<String, String> perJvmOrder = Map.of("k", "11", "f", "6", "b", "2", "j", "10", "e", "5", "i", "9",
                "c", "3", "h", "8", "a", "1", "g", "7");
        LinkedHashMap<String, String> reversed = new LinkedHashMap<>();
        for (String key : List.of("k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a")) {
            if (perJvmOrder.containsKey(key)) {
                reversed.put(key, perJvmOrder.get(key));
            }
        }
        String expected = "{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"e\":\"5\",\"f\":\"6\","
                + "\"g\":\"7\",\"h\":\"8\",\"i\":\"9\",\"j\":\"10\",\"k\":\"11\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals(expected, new String(Safetensors.header(tensors, perJvmOrder), StandardCharsets.UTF_8).strip());
        assertArrayEquals(Safetensors.header(tensors, perJvmOrder), Safetensors.header(tensors, reversed));
    }

    /** Builds a file from a raw header string and data bytes, bypassing the writer's checks. */
    private Path raw(String name, String header, long declaredLength, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(h).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static void assertMessage(IOException e, Path f, String... parts) {
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()), "names the file: " + m);
        for (String p : parts) assertTrue(m.contains(p), "mentions '" + p + "': " + m);
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", t(new long[] {4}, 1, 2, 3, 4));
        Path f = dir.resolve("trunc.safetensors");
        Safetensors.write(f, in, Map.of());
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 6));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "truncated", "expected 16 bytes", "found 10");
    }

    @Test
    void headerLengthBeyondFileIsReported() throws IOException {
        Path f = raw("long.safetensors", "{}      ", 1_000_000, new byte[0]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "header length 1000000", "larger than the file");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        String h = "{\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        Path f = raw("bf16.safetensors", h, h.length(), new byte[4]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "unsupported dtype BF16", "'x'");
    }

    @Test
    void badJsonIsReported() throws IOException {
        String h = "{\"x\": [1, 2";
        Path f = raw("json.safetensors", h, h.length(), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "not valid JSON");
    }

    @Test
    void offsetsNotMatchingShapeAreReported() throws IOException {
        String h = "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        Path f = raw("shape.safetensors", h, h.length(), new byte[8]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "'x'", "span 8 bytes", "needs 12");
    }

    @Test
    void overlappingTensorsAreReported() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        Path f = raw("overlap.safetensors", h, h.length(), new byte[12]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "overlaps");
    }

    @Test
    void readsFileOrderByOffsetAndConvertsF64() throws IOException {
        // Header lists "b" first but its data comes second: order must follow the offsets.
        String h = "{\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putDouble(-2.25);
        Path f = raw("order.safetensors", h, h.length(), data.array());
        Safetensors.Loaded out = Safetensors.read(f);
        assertEquals(List.of("a", "b"), List.copyOf(out.tensors().keySet()));
        assertArrayEquals(new float[] {1.5f}, out.tensors().get("a").data());
        assertArrayEquals(new float[] {-2.25f}, out.tensors().get("b").data());
        assertTrue(out.metadata().isEmpty());
    }

    @Test
    void headerNested200000DeepIsRefusedBeforeParsing() throws IOException {
        // Gson's JsonArray.getAsLong recursed into the nesting and overflowed the stack
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":" + HostileFiles.nestedArrays(200_000, "1")
                + ",\"data_offsets\":[0,4]}}";
        Path f = raw("deep.safetensors", h, h.length(), new byte[4]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertEquals(f + ": header: JSON nested more than 64 levels deep (the limit)", e.getMessage());
    }

    @Test
    void tensorLargerThanAnArrayIsRefused() throws IOException {
        String h = "{\"w\":{\"dtype\":\"F64\",\"shape\":[300000000],\"data_offsets\":[0,2400000000]}}";
        Path f = raw("big.safetensors", h, h.length(), new byte[0]);
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertMessage(e, f, "tensor 'w' has 300000000 elements of F64, more than the limit of 2147483639 bytes");
    }
}
