package dev.shortrun.steps.tracking;

import java.util.regex.Pattern;

/**
 * MLflow's layout of image series ({@code mlflow.log_image(image, key=..., step=...)}, MLflow 2.12 and later): each
 * picture is {@code images/<key>+step+<step>+timestamp+<ms>+<uuid>.png}, beside a small copy named
 * {@code ...+compressed.<ext>} that the UI shows in its grids (the full picture opens on a click), and the run carries
 * the tag {@value #TAG}. A '/' of the key becomes '~' in the file name. MLflow's Python client writes the small copy
 * as WebP; the UI takes PNG as well (it reads the extension png or webp and tells the small copy by its name), and
 * Java writes PNG without extra libraries.
 */
final class ImageLayout {
    static final String DIR = "images";
    static final String TAG = "mlflow.loggedImages";
    /** The longest side of the small copy, as MLflow's {@code COMPRESSED_IMAGE_SIZE}. */
    static final int THUMBNAIL_SIZE = 256;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_\\-./ ]+");

    private ImageLayout() {
    }

    /** The key as MLflow allows it: letters, digits, '_', '-', '.', ' ' and '/'. */
    static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("image key must use only letters, digits, '_', '-', '.', ' ' and '/', "
                    + "got '" + key + "'");
        }
        return key;
    }

    /** The file name (in {@link #DIR}) of a picture, or of its small copy. */
    static String fileName(String key, long step, long timestampMs, String uuid, boolean thumbnail) {
        return key.replace('/', '~') + "+step+" + step + "+timestamp+" + timestampMs + "+" + uuid
                + (thumbnail ? "+compressed" : "") + ".png";
    }
}
