package dev.shortrun.model.io;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** PNG output shared by the figure classes: always atomic, so a viewer never sees half a file. */
public final class Png {
    private Png() {}

    public static void write(Path path, RenderedImage image) throws IOException {
        AtomicFiles.write(path, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for this image type");
            }
        });
    }
}
