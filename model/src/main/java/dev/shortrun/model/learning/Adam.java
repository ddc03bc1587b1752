package dev.shortrun.model.learning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.torch.InPlace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam exactly as PyTorch's single-tensor implementation computes it (DJL's own Adam places eps differently):
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= (lr / (1-b1^t)) * m / (sqrt(v) / sqrt(1-b2^t) + eps).
 */
final class Adam implements Optimizer {
    private static final String M = "exp_avg.";
    private static final String V = "exp_avg_sq.";

    private final OptimizerConfig config;
    private final NDManager manager;
    private final LinkedHashMap<String, NDArray> m = new LinkedHashMap<>();
    private final LinkedHashMap<String, NDArray> v = new LinkedHashMap<>();
    private long steps;

    Adam(OptimizerConfig config, Parameters params) {
        this.config = config;
        this.manager = params.manager().newSubManager();
        params.asMap().forEach((name, p) -> {
            m.put(name, manager.zeros(p.getShape()));
            v.put(name, manager.zeros(p.getShape()));
        });
    }

    @Override
    public void step(Parameters params, double lr) {
        steps++;
        double b1 = config.beta1();
        double b2 = config.beta2();
        double stepSize = lr / (1 - Math.pow(b1, steps));
        double correction2Sqrt = Math.sqrt(1 - Math.pow(b2, steps));
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
                NDArray p = e.getValue();
                NDArray grad = p.getGradient();
                grad.attach(scope);
                NDArray mi = m.get(e.getKey());
                NDArray vi = v.get(e.getKey());
                mi.muli((float) b1).addi(grad.mul((float) (1 - b1)));
                vi.muli((float) b2).addi(grad.mul(grad).muli((float) (1 - b2)));
                // results of ops on m, v and p belong to *their* (run-long) manager: move them to the step's scope
                NDArray denom = scoped(scope, vi.sqrt()).divi((float) correction2Sqrt).addi((float) config.eps());
                p.subi(scoped(scope, mi.mul((float) stepSize)).divi(denom));
            }
        }
    }

    private static NDArray scoped(NDManager scope, NDArray temporary) {
        temporary.attach(scope);
        return temporary;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public LinkedHashMap<String, Tensor> stateTensors() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((name, a) -> out.put(M + name, Parameters.toTensor(a)));
        v.forEach((name, a) -> out.put(V + name, Parameters.toTensor(a)));
        return out;
    }

    @Override
    public void restore(Map<String, Tensor> tensors, long steps, String source) {
        for (String name : m.keySet()) {
            copyInto(m.get(name), tensors.get(M + name), M + name, source);
            copyInto(v.get(name), tensors.get(V + name), V + name, source);
        }
        this.steps = steps;
    }

    private static void copyInto(NDArray target, Tensor t, String name, String source) {
        if (t == null) {
            throw new IllegalArgumentException(source + ": optimizer state lacks '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), target.getShape().getShape())) {
            throw new IllegalArgumentException(source + ": optimizer state '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + target.getShape());
        }
        InPlace.overwrite(target, t.data());
    }

    @Override
    public void close() {
        manager.close();
    }
}
