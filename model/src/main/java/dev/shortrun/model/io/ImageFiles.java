package dev.shortrun.model.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Image files (PNG, JPEG, BMP, GIF) decoded with ImageIO within {@link InputLimits}: the file's size is checked before
 * it is read and the image's width and height, from its header, before any pixel memory is allocated, so a 1 MB PNG
 * that declares 20000 x 20000 pixels is refused at once instead of exhausting the heap.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** {@link #decode} of the file's bytes. */
    public static BufferedImage read(Path file) throws IOException {
        return decode(file, InputLimits.readDataFile(file));
    }

    /**
     * Decodes {@code bytes}, the content of {@code file}, as ImageIO.read would (the first reader that recognises
     * them), after checking the declared size; IOException naming the file when nothing recognises them or the image
     * is larger than {@link InputLimits#MAX_IMAGE_PIXELS}.
     */
    public static BufferedImage decode(Path file, byte[] bytes) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": cannot decode as PNG/JPEG (no image reader recognises it)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > InputLimits.MAX_IMAGE_PIXELS) {
                    throw new IOException(file + ": image of " + width + " x " + height + " pixels, more than the "
                            + "limit of " + InputLimits.MAX_IMAGE_PIXELS + " pixels (8192 x 8192)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }
}
