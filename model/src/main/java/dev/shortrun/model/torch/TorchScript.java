package dev.shortrun.model.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module compiled by libtorch from source text, for the few libtorch operators DJL has no binding for
 * (oneDNN's fused convolutions). No Python is involved: the module archive is written here, as
 * {@code torch.jit.save} would write it for a module without parameters, and libtorch compiles its code on load.
 * Modules are compiled once per source text and kept for the life of the JVM; running one is thread-safe.
 */
public final class TorchScript {
    private static final Map<String, TorchScript> COMPILED = new ConcurrentHashMap<>();
    private static final NDManager OWNER = NDManager.newBaseManager(Device.cpu()); // for the JVM's life; CPU-only paths

    private final PtSymbolBlock module;

    private TorchScript(PtSymbolBlock module) {
        this.module = module;
    }

    /**
     * The module of class {@code className} whose body (attribute declarations aside) is {@code methods}: TorchScript
     * as the {@code code/} folder of a saved module spells it, with {@code self: __torch__.<className>} and
     * {@code ops.<namespace>.<name>} for custom operators.
     *
     * @throws ai.djl.engine.EngineException when libtorch rejects the code (an operator it lacks, a type error)
     */
    public static TorchScript compile(String className, String methods) {
        String code = "class " + className + "(Module):\n  __parameters__ = []\n  __buffers__ = []\n"
                + "  training : bool\n" + methods;
        return COMPILED.computeIfAbsent(code, c -> new TorchScript(load(archive(className, c))));
    }

    /**
     * Runs {@code forward} on positional tensor arguments; the results belong to the first argument's manager. They
     * are ordinary tensors (DJL's IValue calls run in inference mode, whose results refuse later in-place updates).
     * Arguments must be unnamed: DJL reads names as markers of list, tuple and dictionary arguments.
     */
    public NDList forward(NDArray... inputs) {
        for (NDArray a : inputs) {
            if (a.getName() != null) {
                throw new IllegalArgumentException("TorchScript arguments must be unnamed, got '" + a.getName() + "'");
            }
        }
        return IValueUtils.forward(module, new NDList(inputs), true);
    }

    private static PtSymbolBlock load(byte[] archive) {
        try {
            return JniUtils.loadModule((PtNDManager) OWNER, new ByteArrayInputStream(archive), false, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The zip archive {@code torch.jit.load} reads: the code, the pickled module object (an instance of the class
     * with its one attribute, {@code training = True}), an empty constants table and the format version. Entries are
     * stored uncompressed, as PyTorch writes them.
     */
    private static byte[] archive(String className, String code) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        // protocol 2; GLOBAL __torch__.<class>; () NEWOBJ; {} MARK "training" True SETITEMS; BUILD; STOP
        pickle.writeBytes(new byte[] {(byte) 0x80, 2, 'c'});
        pickle.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0});
        pickle.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {(byte) 0x88, 'u', 'b', '.'});
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            stored(out, "module/data.pkl", pickle.toByteArray());
            stored(out, "module/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            stored(out, "module/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // protocol 2; (); STOP
            stored(out, "module/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return zip.toByteArray();
    }

    private static void stored(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }
}
