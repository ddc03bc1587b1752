package dev.shortrun.model.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The number format a sampling chain computes grad f in. The chain's state, its update, MALA's f and everything the
 * learner does stay float32: bf16 only changes the arithmetic of the gradient passes inside a chain (weights and the
 * state are cast to bfloat16 for them, the gradient comes back as float32). Worth it only where the hardware
 * multiplies bfloat16 natively: CPUs with AVX512-BF16 or AMX-BF16, and GPUs; elsewhere libtorch emulates it, slower
 * than float32, so asking for it there is an error ({@link #problem}).
 */
public enum Precision {
    FP32(6),
    BF16(15);

    /** The CPU flags (as /proc/cpuinfo spells them) of native bfloat16 arithmetic. */
    private static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");
    public static final List<String> NAMES_LIST = Arrays.stream(values()).map(Precision::settingName).toList();
    public static final String NAMES = String.join(", ", NAMES_LIST);
    private static volatile Boolean cpuHasBf16;

    private final int scalarType;

    Precision(int scalarType) {
        this.scalarType = scalarType;
    }

    /** libtorch's number for the type (c10::ScalarType), as TorchScript's serialized code spells dtypes. */
    public int scalarType() {
        return scalarType;
    }

    /** The setting's spelling: fp32 or bf16. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String name) {
        return Arrays.stream(values()).filter(p -> p.settingName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a precision: expected "
                        + NAMES));
    }

    /**
     * Null when chains on {@code device} (a {@link Devices} setting) can run in this precision here, else why not:
     * bf16 on the CPU needs native bfloat16 arithmetic ({@link #cpuHasBf16}).
     */
    public String problem(String device) {
        if (this == FP32 || cpuHasBf16() || String.valueOf(device).startsWith("gpu")
                || ("auto".equals(device) && Devices.gpuCount() > 0)) {
            return null;
        }
        return "bf16 chains need a CPU with native bfloat16 arithmetic (the flag avx512_bf16 or amx_bf16 in "
                + "/proc/cpuinfo; this CPU has neither, and emulated bf16 is slower than fp32) or a GPU "
                + "(resources.device gpu); use fp32";
    }

    /** Whether this CPU multiplies bfloat16 natively: one of {@link #BF16_FLAGS} in /proc/cpuinfo's flags. */
    public static boolean cpuHasBf16() {
        if (cpuHasBf16 == null) {
            cpuHasBf16 = cpuFlags().stream().anyMatch(BF16_FLAGS::contains);
        }
        return cpuHasBf16;
    }

    /** The first processor's flags in /proc/cpuinfo; empty where there is no such file (not Linux). */
    public static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException e) {
            return Set.of();
        }
    }
}
