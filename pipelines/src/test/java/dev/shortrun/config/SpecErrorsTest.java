package dev.shortrun.config;

import dev.shortrun.steps.StepRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every way a spec can be wrong gives one exact, actionable line: file, line, key path, problem. */
class SpecErrorsTest {
    @TempDir
    Path dir;

    /** A bad pipeline spec and the message it must give; {@code <f>} stands for the file's path. */
    record Bad(String name, String yaml, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badPipelines() {
        return Stream.of(
                new Bad("unknown key with suggestion", """
                        dataset:
                          name: gmm
                        learner:
                          itrations: 5
                        """, "<f>:4: learner.itrations: unknown key; did you mean `iterations`?"),
                new Bad("key in the wrong section", """
                        dataset:
                          name: gmm
                        learner:
                          K: 5
                        """, "<f>:4: learner.K: unknown key; did you mean `sampler.K`?"),
                new Bad("unknown section", """
                        dataset:
                          name: gmm
                        lerner:
                          lr: 0.1
                        """, "<f>:3: lerner: unknown key; did you mean `learner`?"),
                new Bad("unknown key without a near miss", """
                        dataset:
                          name: gmm
                          colour: blue
                        """, "<f>:3: dataset.colour: unknown key; allowed in dataset: name, dir, split, "
                        + "image_size, cap"),
                new Bad("wrong type", """
                        dataset:
                          name: gmm
                        learner:
                          batch: sixty-four
                        """, "<f>:4: learner.batch: expected an integer, found 'sixty-four'"),
                new Bad("fraction for an integer", """
                        dataset: {name: gmm}
                        model: {n_f: 32.5}
                        """, "<f>:2: model.n_f: expected an integer, found '32.5'"),
                new Bad("section given a value", """
                        dataset: gmm
                        """, "<f>:1: dataset: expected a mapping of settings (name, dir, split, image_size, cap), "
                        + "found 'gmm'"),
                new Bad("not a device", """
                        dataset: {name: gmm}
                        resources:
                          device: cuda
                        """, "<f>:3: resources.device: 'cuda' is not a device: expected cpu, gpu (a free GPU), "
                        + "gpu:N (GPU N, from 0) or auto (a GPU if libtorch sees one, else the CPU)"),
                new Bad("lr out of range", """
                        dataset:
                          name: gmm
                        learner:
                          lr: 0
                        """, "<f>:4: learner.lr: must be > 0, found 0"),
                new Bad("negative sigma", """
                        dataset: {name: gmm}
                        learner: {sigma: -0.03}
                        """, "<f>:2: learner.sigma: must be >= 0, found -0.03"),
                new Bad("decay factor out of (0, 1]", """
                        dataset: {name: gmm}
                        learner: {lr_decay: 1.5}
                        """, "<f>:2: learner.lr_decay: must be in (0, 1], found 1.5"),
                new Bad("beta out of [0, 1)", """
                        dataset: {name: gmm}
                        learner: {beta2: 1}
                        """, "<f>:2: learner.beta2: must be in [0, 1), found 1"),
                new Bad("batch below 1", """
                        dataset: {name: gmm}
                        learner: {batch: 0}
                        """, "<f>:2: learner.batch: must be in [1, 10000], found 0"),
                new Bad("image size not a network", """
                        dataset: {name: mnist, dir: data, image_size: 48}
                        """, "<f>:1: dataset.image_size: must be one of 32, 64, 128, found 48"),
                new Bad("density maps of an image model", """
                        dataset: {name: mnist, dir: data}
                        steps: [density]
                        """, "<f>:2: steps: the density step needs a 2D toy data set (gmm, rings), not mnist"),
                new Bad("nonlocal net on 64x64 images", """
                        dataset: {name: mnist, dir: data, image_size: 64}
                        model: {architecture: nonlocal32}
                        """, "<f>:2: model.architecture: nonlocal32 takes 32x32 images but dataset.image_size is 64"),
                new Bad("image net on a toy", """
                        dataset: {name: gmm}
                        model: {architecture: nonlocal32}
                        """, "<f>:2: model.architecture: 2D toys use the toy network; remove it"),
                new Bad("unknown chain start", """
                        dataset: {name: gmm}
                        sampler: {init: persistant}
                        """, "<f>:2: sampler.init: unknown value 'persistant'; allowed: uniform, gaussian, data, "
                        + "persistent, lowres"),
                new Bad("unknown chain precision", """
                        dataset: {name: gmm}
                        sampler: {precision: fp16}
                        """, "<f>:2: sampler.precision: unknown value 'fp16'; allowed: fp32, bf16"),
                new Bad("bank size without a bank", """
                        dataset: {name: gmm}
                        sampler: {init: uniform, bank_size: 500}
                        """, "<f>:2: sampler.bank_size: only used with sampler.init persistent (sampler.init is "
                        + "uniform)"),
                new Bad("bank size zero", """
                        dataset: {name: gmm}
                        sampler: {init: persistent, bank_size: 0}
                        """, "<f>:2: sampler.bank_size: must be in [1, 10000000], found 0"),
                new Bad("epsilon not positive", """
                        dataset: {name: gmm}
                        sampler: {epsilon: 0}
                        """, "<f>:2: sampler.epsilon: must be > 0, found 0"),
                new Bad("tau neither 0 nor 1", """
                        dataset: {name: gmm}
                        sampler: {epsilon: 0.125, tau: 2}
                        """, "<f>:2: sampler.tau: must be one of 0, 1, found 2"),
                new Bad("tau without epsilon", """
                        dataset: {name: gmm}
                        sampler: {tau: 0}
                        """, "<f>:2: sampler.tau: the noise indicator tau is only used with sampler.epsilon"),
                new Bad("epsilon and noise_std together", """
                        dataset: {name: gmm}
                        sampler:
                          epsilon: 0.125
                          noise_std: 0.01
                        """, "<f>:4: sampler.noise_std: not used with sampler.epsilon: the Anatomy "
                        + "parametrisation steps 1 on grad f with noise eps * tau; remove one of the two"),
                new Bad("gamma0 with adam", """
                        dataset: {name: gmm}
                        sampler: {epsilon: 0.125}
                        learner: {optimizer: adam, gamma0: 0.1}
                        """, "<f>:3: learner.gamma0: gamma0 is an SGD rate (the Anatomy code scales only SGD's "
                        + "lr); with adam set learner.lr"),
                new Bad("gamma0 without epsilon", """
                        dataset: {name: gmm}
                        learner: {optimizer: sgd, gamma0: 0.1}
                        """, "<f>:2: learner.gamma0: gamma0 is the SGD rate of the Anatomy parametrisation and "
                        + "needs sampler.epsilon (the lr is (eps^2/2) * gamma0); without it set learner.lr"),
                new Bad("gamma0 and lr together", """
                        dataset: {name: gmm}
                        sampler: {epsilon: 0.125}
                        learner: {optimizer: sgd, gamma0: 0.1, lr: 0.01}
                        """, "<f>:3: learner.lr: set either learner.gamma0 (and gamma0_min) or learner.lr (and "
                        + "lr_min), not both"),
                new Bad("gamma0_min alone", """
                        dataset: {name: gmm}
                        sampler: {epsilon: 0.125}
                        learner: {optimizer: sgd, gamma0_min: 0.001}
                        """, "<f>:3: learner.gamma0_min: only used with learner.gamma0"),
                new Bad("k_min above k_max", """
                        dataset:
                          name: gmm
                        sampler:
                          k_min: 10
                          k_max: 5
                        """, "<f>:5: sampler.k_max: need k_min <= k_max, found k_min=10 > k_max=5"),
                new Bad("unknown step", """
                        dataset:
                          name: gmm
                        steps:
                          - sample
                          - scor
                        """, "<f>:5: steps: unknown step 'scor'; known steps: "
                        + String.join(", ", StepRegistry.names())),
                new Bad("unknown enum value", """
                        dataset:
                          name: gmm
                        model:
                          activation: relu
                        """, "<f>:4: model.activation: unknown value 'relu'; allowed: leaky_relu, gelu, softplus"),
                new Bad("unknown dataset", """
                        dataset:
                          name: celeba
                        """, "<f>:2: dataset.name: unknown value 'celeba'; allowed: mnist, fashion-mnist, cifar10, "
                        + "folder, gmm, rings"),
                new Bad("missing dataset name", """
                        dataset:
                          split: train
                        """, "<f>:1: dataset.name: missing required key; allowed values: mnist, fashion-mnist, "
                        + "cifar10, folder, gmm, rings"),
                new Bad("image dataset without a directory", """
                        dataset:
                          name: mnist
                        """, "<f>:1: dataset.dir: missing required key: dataset mnist needs the directory of "
                        + "its files"),
                new Bad("YAML syntax error", """
                        dataset:
                          name: gmm
                        learner:
                          lr: [1, 2
                        model:
                          n_f: 3
                        """, "<f>:5: YAML syntax error: expected ',' or ']', but got : "
                        + "(while parsing a flow sequence started on line 4)"),
                new Bad("global java tag", """
                        dataset:
                          name: gmm
                          dir: !!java.io.File /etc
                        """, "<f>:3: explicit YAML tags are not allowed (found tag:yaml.org,2002:java.io.File); "
                        + "a spec holds plain values only"),
                new Bad("explicit standard tag", """
                        dataset:
                          name: gmm
                        learner:
                          batch: !!str 64
                        """, "<f>:4: learner.batch: explicit YAML tags are not allowed (found "
                        + "tag:yaml.org,2002:str); a spec holds plain values only"),
                new Bad("duplicate key", """
                        dataset:
                          name: gmm
                        learner:
                          lr: 0.1
                          lr: 0.2
                        """, "<f>:5: learner.lr: duplicate key (first set on line 4)"),
                new Bad("flink-cluster without flink_master", """
                        dataset:
                          name: gmm
                        runner:
                          kind: flink-cluster
                        """, "<f>:3: runner.flink_master: missing required key: runner.kind flink-cluster needs "
                        + "the job manager's host:port, e.g. 127.0.0.1:8081"),
                new Bad("flink_master with another runner", """
                        dataset:
                          name: gmm
                        runner:
                          kind: direct
                          flink_master: localhost:8081
                        """, "<f>:5: runner.flink_master: only used with runner.kind flink-cluster (runner.kind is "
                        + "direct)"),
                new Bad("bad pipeline name", """
                        name: my pipeline
                        dataset: {name: gmm}
                        """, "<f>:1: name: must start with a letter or digit and use only letters, digits, '.', '_' "
                        + "and '-' (it names directories), found 'my pipeline'"),
                new Bad("score on a 2D toy", """
                        dataset:
                          name: gmm
                        steps: [score]
                        """, "<f>:3: steps: the score step needs image data; gmm is a 2D toy"),
                new Bad("LeNet metrics for CIFAR-10", """
                        dataset:
                          name: cifar10
                          dir: /data/cifar
                        steps: [score]
                        score:
                          networks: lenet
                        """, "<f>:6: score.networks: the LeNet metrics exist for mnist and fashion-mnist only, not "
                        + "cifar10"),
                new Bad("fewer score samples than IS splits", """
                        dataset:
                          name: mnist
                          dir: /data/mnist
                        steps: [score]
                        score:
                          n: 5
                        """, "<f>:6: score.n: must be at least score.splits (10), found 5"),
                new Bad("not a mapping", """
                        - dataset
                        """, "<f>:1: expected a mapping of settings (key: value lines), found a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPipelines")
    void badPipelineGivesExactMessage(Bad bad) {
        Path file = SpecFiles.write(dir, "bad.yaml", bad.yaml());
        SpecException e = assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of())));
        assertEquals(bad.message().replace("<f>", file.toString()), e.getMessage());
    }

    @Test
    void exceptionCarriesFileLineAndKeyPath() {
        Path file = SpecFiles.write(dir, "bad.yaml", "dataset:\n  name: gmm\nlearner:\n  lr: -1\n");
        SpecException e = assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of())));
        assertEquals(file.toString(), e.file());
        assertEquals(4, e.line());
        assertEquals("learner.lr", e.keyPath());
        assertEquals("must be > 0, found -1", e.problem());
    }

    @Test
    void setToUnknownKeyNamesTheSetArgument() {
        Path file = SpecFiles.write(dir, "ok.yaml", "dataset:\n  name: gmm\n");
        SpecException e = assertThrows(SpecException.class, () -> SpecFiles.loader(dir)
                .loadPipeline(file, CommandLineValue.sets(List.of("learner.itrations=5"))));
        assertEquals("--set learner.itrations=5: learner.itrations: unknown key; did you mean `iterations`?",
                e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void setWithWrongTypeIsValidatedLikeTheFile() {
        Path file = SpecFiles.write(dir, "ok.yaml", "dataset:\n  name: gmm\n");
        SpecException e = assertThrows(SpecException.class, () -> SpecFiles.loader(dir)
                .loadPipeline(file, CommandLineValue.sets(List.of("learner.batch=many"))));
        assertEquals("--set learner.batch=many: learner.batch: expected an integer, found 'many'", e.getMessage());
    }

    @Test
    void setWithoutEqualsSignSaysWhatIsExpected() {
        Path file = SpecFiles.write(dir, "ok.yaml", "dataset:\n  name: gmm\n");
        SpecException e = assertThrows(SpecException.class, () -> SpecFiles.loader(dir)
                .loadPipeline(file, CommandLineValue.sets(List.of("learner.lr"))));
        assertEquals("--set learner.lr: expected key.path=value, e.g. --set learner.lr=3e-4", e.getMessage());
    }

    @Test
    void zipListsOfUnequalLength() {
        Path base = SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                axes:
                  zip:
                    sampler.K: [5, 10, 25]
                    learner.sigma: [0.15, 0.1]
                """);
        assertEquals(sweep + ":5: axes.zip.learner.sigma: has 2 values but axes.zip.sampler.K has 3; zipped lists "
                + "must have equal length", sweepError(sweep, List.of()));
        assertEquals(base.getParent(), sweep.getParent());
    }

    @Test
    void axisOverUnknownKey() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                axes:
                  grid:
                    learner.lrr: [0.1, 0.2]
                """);
        assertEquals(sweep + ":4: learner.lrr: unknown key; did you mean `lr`?", sweepError(sweep, List.of()));
    }

    @Test
    void badValueOnAnAxisPointsAtTheSweepFile() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                axes:
                  grid:
                    learner.lr: [0.1,
                                 -0.2]
                """);
        assertEquals(sweep + ":5: learner.lr: must be > 0, found -0.2", sweepError(sweep, List.of()));
    }

    @Test
    void unknownSweepKeySuggestsTheRightOne() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\naxes:\n  grdi:\n    learner.lr: [0.1]\n");
        assertEquals(sweep + ":3: axes.grdi: unknown key; did you mean `grid`?", sweepError(sweep, List.of()));
    }

    @Test
    void missingBaseFile() {
        Path sweep = SpecFiles.write(dir, "sweep.yaml", "base: nowhere.yaml\n");
        assertEquals(sweep + ":1: base: no pipeline spec at " + dir.resolve("nowhere.yaml")
                + " (base is relative to the sweep file's directory)", sweepError(sweep, List.of()));
    }

    @Test
    void keySweptByTwoAxes() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                axes:
                  grid:
                    learner.seed: [1, 2]
                  seeds: [3, 4]
                """);
        assertEquals(sweep + ":5: learner.seed: is swept by two axes; sweep each key once",
                sweepError(sweep, List.of()));
    }

    @Test
    void repeatedPointIsRejected() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                axes:
                  grid:
                    learner.lr: [1e-4, 0.0001]
                """);
        String message = sweepError(sweep, List.of());
        assertEquals(sweep + ":1: axes: points {learner.lr=1.0E-4} and {learner.lr=1.0E-4} are the same run",
                message.substring(0, message.indexOf(" (hash")));
    }

    @Test
    void setCannotFixASweptKey() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\naxes:\n  grid:\n    sampler.K: [5, 10]\n");
        assertEquals("--set sampler.K=20: sampler.K: is swept by the axes of " + sweep + "; --set cannot fix a "
                + "swept key (edit the axes instead)", sweepError(sweep, List.of("sampler.K=20")));
    }

    @Test
    void setToUnknownKeyOnASweep() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\naxes:\n  grid:\n    sampler.K: [5, 10]\n");
        assertEquals("--set sampler.steps=20: sampler.steps: unknown key; did you mean `steps`?",
                sweepError(sweep, List.of("sampler.steps=20")));
    }

    @Test
    void regressionChecksNameTheBadKeyAndValue() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                regression:
                  checks:
                    - {metric: kl_true_kde, tolerance: 5 percent}
                """);
        assertEquals(sweep + ":4: regression.checks[0].tolerance: expected an amount >= 0 (0.05) or a percentage "
                + "(25%), found '5 percent'", sweepError(sweep, List.of()));
        SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\nregression:\n  checks:\n    - {metric: fid, seeds: best}\n");
        assertEquals(sweep + ":4: regression.checks[0].seeds: must be one of mean, median, worst, found 'best'",
                sweepError(sweep, List.of()));
        SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\nregression:\n  alpha: 0.9\n  checks: [{metric: fid}]\n");
        assertEquals(sweep + ":3: regression.alpha: must be in (0, 0.5] (the false-alarm level, e.g. 0.05), found 0.9",
                sweepError(sweep, List.of()));
        SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\nregression:\n  baseline: b.json\n");
        assertEquals(sweep + ":3: regression.checks: expected a non-empty list of checks, e.g. - {metric: "
                + "kl_true_kde, direction: min, tolerance: 0.05, seeds: mean}", sweepError(sweep, List.of()));
        SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\nregression:\n  checks: [{metric: fid, tolrance: 1}]\n");
        assertEquals(sweep + ":3: regression.checks[0].tolrance: unknown key; did you mean `tolerance`?",
                sweepError(sweep, List.of()));
    }

    @Test
    void regressionDefaultsFollowTheObjective() {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", """
                base: toy.yaml
                objective: {metric: is, direction: max}
                regression:
                  baseline: baselines/b.json
                  checks:
                    - {metric: is, tolerance: 10%}
                    - {metric: fid}
                """);
        Regression r = SpecFiles.loader(dir).loadSweep(sweep, List.of()).regression();
        assertEquals(dir.resolve("baselines/b.json"), r.baseline());
        assertEquals(Regression.DEFAULT_ALPHA, r.alpha());
        assertEquals(new Regression.Check("is", "max", new Regression.Tolerance(0.1, true), "mean"), r.checks().get(0));
        assertEquals(new Regression.Check("fid", "min", new Regression.Tolerance(0, false), "mean"), r.checks().get(1));
    }

    private String sweepError(Path sweep, List<String> sets) {
        return assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadSweep(sweep, CommandLineValue.sets(sets))).getMessage();
    }
}
