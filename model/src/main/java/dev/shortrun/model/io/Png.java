package dev.shortrun.model.io;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG output shared by the figure classes: always atomic, so a viewer never sees half a file. */
public final class Png {
    private Png() {}

    public static void write(Path path, RenderedImage image) throws IOException {
        AtomicFiles.write(path, out -> {
            // cached in memory: ImageIO's default cache is a temp file plus a JVM-exit hook that fails noisily
            // after a failed write (seen on a full disk), and a picture fits in memory anyway
            try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", png)) {
                    throw new IOException("no PNG writer available for this image type");
                }
            }
        });
    }
}
