package dev.shortrun.model.data;

import dev.shortrun.model.io.ImageFiles;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * PNG/JPEG images under a folder (recursively), as 3-channel square images.
 *
 * <p>Files are ordered by their '/'-separated path relative to the folder so results are the same on
 * every machine; they are decoded in parallel but returned in that order. Each image is centre-cropped
 * to a square (offset {@code (size - side) / 2}, rounded down), converted to RGB (grey replicated to
 * three channels, alpha dropped without compositing, as PIL's {@code convert('RGB')}), then resized with
 * {@link Resize#antialiased}: torchvision's {@code Resize} on PIL images antialiases, and without it a
 * large downscale (e.g. 178 -> 64 for CelebA) would alias badly. JPEG decoding by javax.imageio may
 * differ from libjpeg by a grey level here and there.
 *
 * <p>Labels follow torchvision {@code ImageFolder}: the index of the top-level sub-folder in sorted
 * order; images directly in the folder get -1. {@code contentMd5} is the MD5 of the text made of one line
 * {@code relative/path<TAB>md5-of-file-bytes\n} per image, in order, so renames change it too.
 */
public final class ImageFolderReader {
    static final String DATASET = "folder";

    private ImageFolderReader() {}

    public static ImageDataset load(Path dir, int imageSize) {
        if (imageSize <= 0) throw new IllegalArgumentException("imageSize must be > 0, got " + imageSize);
        List<String> files = list(dir);
        if (files.isEmpty()) {
            throw new DataFormatException(DATASET + ": no .png, .jpg or .jpeg files found under " + dir);
        }
        List<String> classes = files.stream().filter(f -> f.contains("/"))
                .map(f -> f.substring(0, f.indexOf('/'))).distinct().sorted().toList();

        int n = files.size();
        int dim = 3 * imageSize * imageSize;
        float[] pixels = new float[Sources.arrayLength(DATASET + ": " + dir, n, 3, imageSize)];
        int[] labels = new int[n];
        String[] fileMd5 = new String[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            String rel = files.get(i);
            byte[] bytes = Sources.readAll(dir.resolve(rel));
            fileMd5[i] = Md5.hex(bytes);
            decode(dir.resolve(rel), bytes, imageSize, pixels, i * dim);
            labels[i] = rel.contains("/") ? classes.indexOf(rel.substring(0, rel.indexOf('/'))) : -1;
        });

        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < n; i++) manifest.append(files.get(i)).append('\t').append(fileMd5[i]).append('\n');
        return new ImageDataset(DATASET, n, 3, imageSize, imageSize, pixels, labels, Md5.hex(manifest.toString()));
    }

    /** Relative '/'-separated paths of image files under {@code dir}, sorted. */
    static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(DATASET + ": directory " + dir
                    + " does not exist (looked for .png, .jpg, .jpeg files under it)");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            walk.filter(Files::isRegularFile).filter(ImageFolderReader::isImage)
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
            out.sort(Comparator.naturalOrder());
            return out;
        } catch (IOException | UncheckedIOException e) {
            throw new DataFormatException(DATASET + ": cannot list " + dir + " (" + e + ")", e);
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    private static void decode(Path file, byte[] bytes, int size, float[] out, int offset) {
        BufferedImage img;
        try {
            img = ImageFiles.decode(file, bytes);
        } catch (IOException e) {
            throw new DataFormatException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataFormatException(file + ": cannot decode as PNG/JPEG (" + e + ")", e);
        }
        int side = Math.min(img.getWidth(), img.getHeight());
        float[] unit = unitRgb(img, (img.getWidth() - side) / 2, (img.getHeight() - side) / 2, side);
        if (side == size) {
            System.arraycopy(unit, 0, out, offset, unit.length);
        } else {
            Resize.antialiased(side, side, size, size).apply(unit, 0, out, offset, 3);
        }
        for (int k = offset; k < offset + 3 * size * size; k++) out[k] = Pixels.symmetric(out[k]);
    }

    /** The square crop as CHW RGB in [0, 1]. */
    private static float[] unitRgb(BufferedImage img, int x0, int y0, int side) {
        int plane = side * side;
        float[] unit = new float[3 * plane];
        ColorModel cm = img.getColorModel();
        // Grey is read from the raster: getRGB would push it through a linear-grey to sRGB conversion
        // and change the values.
        boolean grey = !(cm instanceof IndexColorModel) && cm.getNumColorComponents() == 1;
        Raster raster = img.getRaster();
        float greyMax = grey ? (1 << cm.getComponentSize(0)) - 1 : 1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int k = y * side + x;
                if (grey) {
                    float v = raster.getSample(x0 + x, y0 + y, 0) / greyMax;
                    unit[k] = v;
                    unit[plane + k] = v;
                    unit[2 * plane + k] = v;
                } else {
                    int rgb = img.getRGB(x0 + x, y0 + y);
                    unit[k] = ((rgb >> 16) & 0xff) / 255f;
                    unit[plane + k] = ((rgb >> 8) & 0xff) / 255f;
                    unit[2 * plane + k] = (rgb & 0xff) / 255f;
                }
            }
        }
        return unit;
    }
}
