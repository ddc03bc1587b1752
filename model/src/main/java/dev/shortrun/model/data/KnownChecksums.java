package dev.shortrun.model.data;

import java.util.Map;
import java.util.Optional;

/**
 * MD5 of the DECOMPRESSED content of data files whose names we know, so that a damaged or mislabelled
 * file fails loudly instead of silently training on bad data. Keyed by data set, because MNIST and
 * Fashion-MNIST use the same file names. Checking the decompressed bytes means a re-compressed copy
 * (Debian's Fashion-MNIST has a different gzip header) still matches.
 *
 * <p>Provenance: MNIST and Fashion-MNIST values were computed here with {@code zcat FILE | md5sum} on
 * shared/data/mnist (whose .gz files match the official compressed md5s in shared/data/MD5SUMS) and on
 * the Debian package dataset-fashion-mnist 0.0~git20200523.55506a9-1. The CIFAR-10 sample values are
 * taken from shared/data/MD5SUMS (those files are uncompressed). Full CIFAR-10 batch files are not
 * listed: their per-file md5s could not be verified here, and guessing would defeat the purpose.
 */
public final class KnownChecksums {
    private KnownChecksums() {}

    private static final Map<String, Map<String, String>> KNOWN = Map.of(
            "mnist", Map.of(
                    "train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb",
                    "train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624",
                    "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea",
                    "t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637"),
            "fashion-mnist", Map.of(
                    "train-images-idx3-ubyte", "f4a8712d7a061bf5bd6d2ca38dc4d50a",
                    "train-labels-idx1-ubyte", "9018921c3c673c538a1fc5bad174d6f9",
                    "t10k-images-idx3-ubyte", "8181f5470baa50b63fa0f6fddb340f0a",
                    "t10k-labels-idx1-ubyte", "15d484375f8d13e6eb1aabb0c3f46965"),
            "cifar10", Map.of(
                    "data_batch_1.first761.bin", "18b4d4a9bf23f1b5690510b9c206ff72",
                    "data_batch_2.first761.bin", "1057d3c8c942c86167ed2486551a6fae",
                    "data_batch_3.first761.bin", "3c179cd2a6069110e5f9df75089ddc87",
                    "data_batch_4.first761.bin", "8a4940036b9ab664af5254088badad91",
                    "data_batch_5.first761.bin", "20f1be50ae1768fba67ca747edcdf0eb",
                    "test_batch.first761.bin", "58073feae3e93a94bb7d15339ffd71ba"));

    /** The known md5 of a file's decompressed content; a trailing ".gz" on the name is ignored. */
    public static Optional<String> expected(String dataset, String fileName) {
        String base = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return Optional.ofNullable(KNOWN.getOrDefault(dataset, Map.of()).get(base));
    }

    /**
     * Throws when the file's name is known for {@code dataset} and {@code actualMd5} differs; unknown names
     * pass unchecked. {@code fileLabel} is how the file is named in the message (usually its path).
     */
    public static void verify(String dataset, String fileName, String fileLabel, String actualMd5) {
        expected(dataset, fileName).ifPresent(want -> {
            if (!want.equals(actualMd5)) {
                throw new DataFormatException("checksum mismatch for " + fileLabel + ": expected " + want
                        + ", found " + actualMd5 + " (md5 of the decompressed content, known " + dataset
                        + " file)");
            }
        });
    }
}
