package dev.shortrun.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Shared byte-level helpers for the binary formats (both are little-endian on disk). */
final class LittleEndian {
    private LittleEndian() {}

    /** Streams floats in chunks so a large tensor never needs a second full-size byte copy. */
    static void writeFloats(OutputStream out, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        while (i < data.length) {
            int n = Math.min(buf.capacity() / Float.BYTES, data.length - i);
            buf.clear();
            buf.asFloatBuffer().put(data, i, n);
            out.write(buf.array(), 0, n * Float.BYTES);
            i += n;
        }
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** {@code length} bytes of {@code ch} from {@code position}, little-endian; a short file is an IOException. */
    static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buf.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Decodes {@code count} elements of a dtype into floats; {@code src} is positioned at the first byte. */
    static float[] toFloats(ByteBuffer src, DType dtype, int count) {
        ByteBuffer b = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < count; i++) out[i] = (float) b.getDouble(i * 8);
            }
            case I64 -> {
                for (int i = 0; i < count; i++) out[i] = (float) b.getLong(i * 8);
            }
            case I32 -> {
                for (int i = 0; i < count; i++) out[i] = (float) b.getInt(i * 4);
            }
            case U8 -> {
                for (int i = 0; i < count; i++) out[i] = (float) (b.get(i) & 0xff);
            }
        }
        return out;
    }

    /** Element types this package can read; all are converted to float32 on load. */
    enum DType {
        F32(4), F64(8), I64(8), I32(4), U8(1);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }
}
