package dev.shortrun.model.io;

import dev.shortrun.model.io.LittleEndian.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files: writes v1.0 {@code <f4}; reads v1.0/v2.0 {@code <f4}, {@code <f8} and
 * {@code |u1} (converted to float), C order only. Lets Python and Java exchange arrays without
 * extra dependencies.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the data start to 64 bytes so that memory-mapped arrays are aligned. */
    static final int ALIGN = 64;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes a v1.0 {@code <f4} C-order file, atomically. */
    public static void write(Path path, Tensor tensor) throws IOException {
        byte[] header = header(tensor.shape());
        AtomicFiles.write(path, out -> {
            out.write(header);
            LittleEndian.writeFloats(out, tensor.data());
        });
    }

    /** Magic, version, length and the space-padded dict ending in '\n', total a multiple of 64. */
    static byte[] header(long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        // Python's tuple repr: "(3,)" for one dimension, "(2, 3)" for more, "()" for none.
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int prefix = MAGIC.length + 2 + 2;
        int unpadded = prefix + dict.length() + 1;
        int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
        int dictLen = total - prefix;
        if (dictLen > 0xffff) throw new IllegalArgumentException("shape too long for an npy v1.0 header");
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictLen);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (b.position() < total - 1) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    /**
     * Reads a file into float32; IOException naming the file on any format problem. The header is read and checked
     * against {@link InputLimits} (header size, rank, elements) and the file's length before the data is read.
     */
    public static Tensor read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 10) throw bad(path, "file is " + fileSize + " bytes, too short for an npy header");
            ByteBuffer b = LittleEndian.read(ch, 0, (int) Math.min(12, fileSize));
            for (int i = 0; i < MAGIC.length; i++) {
                if (b.get(i) != MAGIC[i]) {
                    byte[] found = new byte[MAGIC.length];
                    b.get(0, found);
                    throw bad(path, "bad magic: expected \\x93NUMPY, found "
                            + new String(found, StandardCharsets.ISO_8859_1));
                }
            }
            int major = b.get(6);
            long dictLen;
            int prefix;
            if (major == 1) {
                dictLen = Short.toUnsignedInt(b.getShort(8));
                prefix = 10;
            } else if (major == 2) {
                if (fileSize < 12) throw bad(path, "file too short for an npy v2.0 header");
                dictLen = Integer.toUnsignedLong(b.getInt(8));
                prefix = 12;
            } else {
                throw bad(path, "unsupported npy version " + major + "." + b.get(7) + " (expected 1.0 or 2.0)");
            }
            if (dictLen > InputLimits.MAX_NPY_HEADER_BYTES) {
                throw bad(path, "header of " + dictLen + " bytes, more than the limit of "
                        + InputLimits.MAX_NPY_HEADER_BYTES + " (numpy's own for np.load)");
            }
            if (prefix + dictLen > fileSize) {
                throw bad(path, "header length " + dictLen + " is larger than the file (" + fileSize + " bytes)");
            }
            String dict = StandardCharsets.ISO_8859_1.decode(LittleEndian.read(ch, prefix, (int) dictLen))
                    .toString();
            DType dtype = dtype(path, group(path, DESCR, dict, "descr"));
            if (group(path, FORTRAN, dict, "fortran_order").equals("True")) {
                throw bad(path, "fortran_order is True; only C-order arrays are supported");
            }
            long[] shape = shape(path, group(path, SHAPE, dict, "shape"));
            long count = InputLimits.product(shape);
            long expected = InputLimits.product(count, dtype.bytes);
            if (expected > InputLimits.MAX_ARRAY) {
                throw bad(path, "array of " + InputLimits.count(count) + " elements of " + dtype
                        + " is more than the limit of " + InputLimits.MAX_ARRAY + " bytes for one array");
            }
            long start = prefix + dictLen;
            long found = fileSize - start;
            if (found != expected) {
                throw bad(path, (found < expected ? "data truncated" : "unexpected trailing data")
                        + ": expected " + expected + " bytes of data, found " + found);
            }
            ByteBuffer data = LittleEndian.read(ch, start, (int) expected);
            return new Tensor(shape, LittleEndian.toFloats(data, dtype, (int) count));
        }
    }

    private static DType dtype(Path path, String descr) throws IOException {
        return switch (descr) {
            case "<f4" -> DType.F32;
            case "<f8" -> DType.F64;
            case "|u1", "<u1" -> DType.U8;
            default -> throw bad(path, "unsupported dtype '" + descr + "' (expected '<f4', '<f8' or '|u1')");
        };
    }

    private static long[] shape(Path path, String inner) throws IOException {
        String[] parts = inner.trim().isEmpty() ? new String[0] : inner.split(",");
        if (parts.length > InputLimits.MAX_NPY_RANK) {
            throw bad(path, "shape has " + parts.length + " dimensions, more than the limit of "
                    + InputLimits.MAX_NPY_RANK);
        }
        // "(3,)" splits into ["3"] and "(2, 3)" into ["2", " 3"]; a trailing empty part is dropped by split.
        long[] shape = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                shape[i] = Long.parseLong(parts[i].trim().replace("L", ""));
                if (shape[i] < 0) throw bad(path, "negative dimension in shape (" + inner + ")");
            }
        } catch (NumberFormatException e) {
            throw bad(path, "cannot parse shape (" + inner + ")");
        }
        return shape;
    }

    private static String group(Path path, Pattern p, String dict, String key) throws IOException {
        Matcher m = p.matcher(dict);
        if (!m.find()) throw bad(path, "header has no valid '" + key + "': " + dict.trim());
        return m.group(1);
    }

    private static IOException bad(Path path, String what) {
        return new IOException(path + ": " + what);
    }
}
