package dev.shortrun.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Checksum;
import java.util.zip.Deflater;

/**
 * Hostile input files built on the fly and small on disk: compression bombs (a few MB that expand to GB), images
 * whose header declares 20000 x 20000 pixels, sparse files that claim gigabytes, JSON nested 200,000 deep.
 */
public final class HostileFiles {
    private static final int CHUNK = 1 << 20;

    private HostileFiles() {
    }

    /** A gzip file of {@code head} followed by {@code zeros} zero bytes (2.6 GB of zeros: 2.6 MB, in a second). */
    public static Path gzipBomb(Path file, byte[] head, long zeros) throws IOException {
        CRC32 crc = new CRC32();
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
            out.write(deflateZeros(head, zeros, crc));
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue())
                    .putInt((int) (head.length + zeros)).array());
        }
        return file;
    }

    /** A valid RGB PNG of {@code width x height} black pixels: 20000 x 20000 is 1.1 MB on disk, 1.2 GB decoded. */
    public static Path pngBomb(Path file, int width, int height) throws IOException {
        Adler32 adler = new Adler32();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        idat.write(new byte[] {0x78, (byte) 0xda});
        // every row is filter byte 0 and 3 x width zero bytes: all zeros
        idat.write(deflateZeros(new byte[0], (long) height * (1 + 3L * width), adler));
        idat.write(ByteBuffer.allocate(4).putInt((int) adler.getValue()).array());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            pngChunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                    .put((byte) 0).put((byte) 0).put((byte) 0).array());
            pngChunk(out, "IDAT", idat.toByteArray());
            pngChunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /** {@code head} at the start of a sparse file of {@code size} bytes: gigabytes that take no disk space. */
    public static Path sparse(Path file, byte[] head, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(head);
            f.setLength(size);
        }
        return file;
    }

    /** {@code depth} nested JSON arrays around {@code inner}: "[[[...1...]]]". */
    public static String nestedArrays(int depth, String inner) {
        return "[".repeat(depth) + inner + "]".repeat(depth);
    }

    /**
     * Raw deflate data of {@code head} then {@code zeros} zero bytes, with {@code checksum} updated over all of them.
     * Only the first two 1 MB chunks are compressed: once the 32 KB window holds zeros, the block that encodes a chunk
     * of zeros decodes the same wherever it stands, so it is written again for every further chunk.
     */
    private static byte[] deflateZeros(byte[] head, long zeros, Checksum checksum) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        checksum.update(head, 0, head.length);
        deflater.setInput(head);
        out.writeBytes(flush(deflater, false));
        byte[] block = null;
        for (long left = zeros; left > 0; left -= CHUNK) {
            int n = (int) Math.min(CHUNK, left);
            checksum.update(chunk, 0, n);
            if (block == null || n < CHUNK || left == zeros) {
                deflater.setInput(chunk, 0, n);
                byte[] made = flush(deflater, false);
                block = left == zeros ? null : made; // the first chunk's block still reaches back into head
                out.writeBytes(made);
            } else {
                out.writeBytes(block);
            }
        }
        out.writeBytes(flush(deflater, true));
        deflater.end();
        return out.toByteArray();
    }

    /** All output for the input given so far (SYNC_FLUSH: byte-aligned, not final), or the rest once finished. */
    private static byte[] flush(Deflater deflater, boolean finish) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        if (finish) {
            deflater.finish();
        }
        while (true) {
            int n = deflater.deflate(buf, 0, buf.length, finish ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
            if (finish ? deflater.finished() : n < buf.length) {
                return out.toByteArray();
            }
        }
    }

    private static void pngChunk(OutputStream out, String type, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(type.getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
