package dev.shortrun.model.nets;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.torch.Casts;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.InPlace;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.util.Rng;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A network's weights by their reference names ({@code f.0.weight}, {@code f.0.bias}, ...), in layer order. Owns the
 * arrays; gradients are switched on only around the training backward pass.
 */
public final class Parameters implements AutoCloseable {
    private final NDManager manager;
    private final LinkedHashMap<String, NDArray> arrays = new LinkedHashMap<>();

    Parameters(NDManager manager) {
        this.manager = manager;
    }

    void add(String name, NDArray array) {
        array.attach(manager);
        array.setName(name);
        arrays.put(name, array);
    }

    /**
     * Adds a parameter drawn uniformly on [-bound, bound) from {@code rng}: PyTorch's default initialisation of
     * {@code nn.Conv2d} and {@code nn.Linear} (kaiming_uniform with a = sqrt(5)) with bound 1/sqrt(fan_in), for
     * weight and bias alike.
     */
    public void addUniform(String name, Shape shape, double bound, Rng rng) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        add(name, manager.create(v, shape));
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' (have " + arrays.keySet() + ")");
        }
        return a;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(arrays.keySet());
    }

    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(arrays);
    }

    public NDManager manager() {
        return manager;
    }

    /** Total number of scalars. */
    public long count() {
        return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** Copies owned by a sub-manager of {@code scope}: 4D (convolution) weights channels-last, the rest as they are. */
    Parameters channelsLastCopy(NDManager scope) {
        Parameters copy = new Parameters(scope.newSubManager());
        arrays.forEach((name, a) -> copy.add(name, ChannelsLast.copyOf(a)));
        return copy;
    }

    boolean onCpu() {
        return arrays.values().stream().allMatch(a -> a.getDevice().getDeviceType().equals(Device.Type.CPU));
    }

    /** Switches weight gradients on (training backward) or off (sampling: only the input gradient is needed). */
    public void requireGradients(boolean on) {
        for (NDArray a : arrays.values()) {
            a.setRequiresGradient(on);
        }
    }

    /** Zeroes accumulated gradients; PyTorch adds each backward into {@code .grad}. */
    public void zeroGradients() {
        for (NDArray a : arrays.values()) {
            JniUtils.zeroGrad((PtNDArray) a);
        }
    }

    /** Converts every weight to {@code type} in place (float64 for finite-difference checks). */
    public void castTo(DataType type) {
        replaceEach(a -> a.toType(type, true));
    }

    /** Converts every weight to {@code precision} in place (a bf16 chain's copy; {@link Casts}). */
    void castTo(Precision precision) {
        replaceEach(a -> Casts.to(a, precision));
    }

    private void replaceEach(UnaryOperator<NDArray> convert) {
        arrays.replaceAll((name, a) -> {
            NDArray converted = convert.apply(a);
            converted.attach(manager);
            converted.setName(name);
            a.close();
            return converted;
        });
    }

    /** Copies the weights to host tensors, in order, for checkpoints. */
    public LinkedHashMap<String, Tensor> toTensors() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, toTensor(a)));
        return out;
    }

    /** Overwrites every weight from {@code tensors}; names and shapes must match exactly. */
    public void load(Map<String, Tensor> tensors, String source) {
        if (!tensors.keySet().equals(arrays.keySet())) {
            throw new IllegalArgumentException(source + ": parameter names " + tensors.keySet()
                    + " do not match the network's " + arrays.keySet());
        }
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            Shape expected = e.getValue().getShape();
            if (!Arrays.equals(t.shape(), expected.getShape())) {
                throw new IllegalArgumentException(source + ": parameter " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", the network expects " + expected);
            }
            InPlace.overwrite(e.getValue(), t.data());
        }
    }

    public static Tensor toTensor(NDArray a) {
        NDArray host = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return new Tensor(a.getShape().getShape(), host.toFloatArray());
    }

    @Override
    public void close() {
        arrays.values().forEach(NDArray::close);
        arrays.clear();
    }
}
