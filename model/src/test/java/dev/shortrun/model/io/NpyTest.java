package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import dev.shortrun.model.HostileFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripSeveralShapes() throws IOException {
        long[][] shapes = {{}, {5}, {2, 3}, {2, 1, 2, 2}, {0, 3}};
        for (long[] shape : shapes) {
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] data = new float[n];
            for (int i = 0; i < n; i++) data[i] = i * 0.5f - 1.25f;
            Path f = dir.resolve("a" + shape.length + ".npy");
            Npy.write(f, new Tensor(shape, data));
            Tensor back = Npy.read(f);
            assertArrayEquals(shape, back.shape(), Arrays.toString(shape));
            assertArrayEquals(data, back.data());
        }
    }

    @Test
    void headerIsNumpyV1AlignedTo64() throws IOException {
        Path f = dir.resolve("h.npy");
        Npy.write(f, new Tensor(new long[] {3}, new float[] {1, 2, 3}));
        byte[] b = Files.readAllBytes(f);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int dictLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        int dataStart = 10 + dictLen;
        assertEquals(0, dataStart % 64, "data starts at a multiple of 64");
        assertEquals(dataStart + 12, b.length);
        assertEquals('\n', b[dataStart - 1]);
        String dict = new String(b, 10, dictLen, StandardCharsets.US_ASCII);
        assertTrue(dict.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), dict);
        assertEquals(3f, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getFloat(dataStart + 8));
    }

    /** A hand-made file: magic, version, u16 or u32 length, padded dict, then data. */
    private Path handMade(String name, int major, String dict, byte[] data) throws IOException {
        int prefix = major == 1 ? 10 : 12;
        StringBuilder d = new StringBuilder(dict);
        while ((prefix + d.length() + 1) % 64 != 0) d.append(' ');
        d.append('\n');
        ByteBuffer b = ByteBuffer.allocate(prefix + d.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) d.length());
        else b.putInt(d.length());
        b.put(d.toString().getBytes(StandardCharsets.US_ASCII)).put(data);
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void readsF64() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(-2).putDouble(1e10).putDouble(3.75);
        Path f = handMade("f8.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", data.array());
        Tensor t = Npy.read(f);
        assertArrayEquals(new long[] {2, 2}, t.shape());
        assertArrayEquals(new float[] {0.1f, -2f, 1e10f, 3.75f}, t.data());
    }

    @Test
    void readsU8InVersion2() throws IOException {
        byte[] data = {0, 1, (byte) 128, (byte) 255};
        Path f = handMade("u1.npy", 2, "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", data);
        Tensor t = Npy.read(f);
        assertArrayEquals(new long[] {4}, t.shape());
        assertArrayEquals(new float[] {0, 1, 128, 255}, t.data());
    }

    @Test
    void truncatedDataIsReported() throws IOException {
        Path f = handMade("t.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new byte[10]);
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        String m = e.getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("expected 16 bytes") && m.contains("found 10"), m);
    }

    @Test
    void badMagicFortranOrderAndDtypeAreReported() throws IOException {
        Path magic = dir.resolve("m.npy");
        Files.write(magic, "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1));
        String m1 = assertThrows(IOException.class, () -> Npy.read(magic)).getMessage();
        assertTrue(m1.contains(magic.toString()) && m1.contains("bad magic"), m1);

        Path fortran = handMade("fo.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new byte[4]);
        String m2 = assertThrows(IOException.class, () -> Npy.read(fortran)).getMessage();
        assertTrue(m2.contains(fortran.toString()) && m2.contains("fortran_order"), m2);

        Path big = handMade("be.npy", 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        String m3 = assertThrows(IOException.class, () -> Npy.read(big)).getMessage();
        assertTrue(m3.contains(big.toString()) && m3.contains("'>f4'"), m3);
    }

    @Test
    void gigabyteArrayIsRefusedFromItsHeaderBeforeReading() throws IOException {
        // a sparse 3 GB file: the header is checked before any data is read (this used to exhaust the heap)
        Path small = handMade("h.npy", 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3000000000,), }",
                new byte[0]);
        Path f = HostileFiles.sparse(dir.resolve("huge.npy"), Files.readAllBytes(small), 3_000_000_128L);
        IOException e = assertThrows(IOException.class, () -> Npy.read(f));
        assertEquals(f + ": array of 3000000000 elements of U8 is more than the limit of 2147483639 bytes for "
                + "one array", e.getMessage());
    }

    @Test
    void oversizedHeaderAndRankAreRefused() throws IOException {
        Path header = handMade("hdr.npy", 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"
                + " ".repeat(20_000), new byte[4]);
        IOException e = assertThrows(IOException.class, () -> Npy.read(header));
        assertTrue(e.getMessage().startsWith(header + ": header of 20"), e.getMessage());
        assertTrue(e.getMessage().endsWith("more than the limit of 10000 (numpy's own for np.load)"), e.getMessage());

        String dims = "1, ".repeat(64) + "1";
        Path rank = handMade("rank.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }",
                new byte[4]);
        e = assertThrows(IOException.class, () -> Npy.read(rank));
        assertEquals(rank + ": shape has 65 dimensions, more than the limit of 64", e.getMessage());
    }
}
