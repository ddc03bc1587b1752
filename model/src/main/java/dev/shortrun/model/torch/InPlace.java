package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Overwrites an existing array's values (weights loaded from a checkpoint, optimiser moments), keeping the array
 * itself: whatever holds it (the optimiser, a gradient flag) stays valid. DJL's {@code NDArray.set(float[])} would
 * do the copy too, but under libtorch's deprecated {@code AutoNonVariableTypeMode}, which prints a multi-line
 * warning into every run's console; a full-slice copy with recording paused writes the same bits silently.
 */
public final class InPlace {
    private InPlace() {
    }

    /** Copies {@code values} (row-major, the array's logical order) into {@code target}, bit for bit. */
    public static void overwrite(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("cannot overwrite an array of shape " + target.getShape() + " ("
                    + target.size() + " values) with " + values.length + " values");
        }
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // an in-place write to a leaf that requires gradients is legal only unrecorded
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(new NDIndex("..."), source);
        } finally {
            JniUtils.setGradMode(recording);
        }
    }
}
