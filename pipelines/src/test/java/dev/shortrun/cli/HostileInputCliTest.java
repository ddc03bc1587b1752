package dev.shortrun.cli;

import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile or broken inputs through the command line: one error line each, quickly, and nothing run or written. */
class HostileInputCliTest {
    @Test
    void anUnreachableFlinkClusterIsOneLineNamingTheAddress(@TempDir Path tmp) throws IOException {
        Path spec = Files.writeString(tmp.resolve("far.yaml"), String.join("\n", "name: far", "dataset: {name: gmm}",
                "model: {n_f: 8}", "sampler: {K: 5}", "learner: {iterations: 3, batch: 32}", "steps: []", ""));
        CliEndToEndTest.Outcome o = CliEndToEndTest.cli("run", spec.toString(), "--flink-master", "127.0.0.1:1",
                "--set", "output=" + tmp.resolve("out"));
        assertEquals(1, o.code(), o.err());
        // Beam retried for a minute and printed ~700 lines of stack traces before "Pipeline execution failed"
        assertEquals(1, o.errLines().size(), o.err());
        assertEquals("error: the Flink cluster at 127.0.0.1:1 is not reachable (GET http://127.0.0.1:1/config: "
                + "connection refused); start it (bash infra/flink/start.sh) or fix --flink-master / "
                + "runner.flink_master", o.errLines().get(0));
    }

    @Test
    void nonFiniteWeightsOrChainStartsAreRefused(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("toy");
        assertEquals(0, CliEndToEndTest.cli("train", "--dataset", "gmm", "--iterations", "2", "--checkpoint-every",
                "2", "--n-f", "8", "-K", "5", "--out", run.toString()).code());
        Path nan = tmp.resolve("nan.npy");
        float[] starts = new float[8];
        Arrays.fill(starts, Float.NaN);
        Npy.write(nan, new Tensor(new long[] {4, 2}, starts));
        CliEndToEndTest.Outcome o = CliEndToEndTest.cli("sample", run.toString(), "--init", nan.toString(),
                "--no-noise", "--save", tmp.resolve("x.npy").toString());
        assertEquals(List.of("error: " + nan + " holds 8 NaN or infinite value(s) of 8; --init needs finite chain "
                + "starts"), o.errLines());
        assertFalse(Files.exists(tmp.resolve("x.npy")));

        Path weights = run.resolve("checkpoints/iter-000002.safetensors");
        Safetensors.Loaded loaded = Safetensors.read(weights);
        loaded.tensors().get("f.0.bias").data()[3] = Float.NaN;
        Safetensors.write(weights, loaded.tensors(), loaded.metadata());
        o = CliEndToEndTest.cli("sample", run.toString(), "--n", "4");
        // it used to sample NaN and save an all-NaN picture with exit code 0
        assertEquals(List.of("error: " + weights + ": tensor 'f.0.bias' holds 1 NaN or infinite value(s) of 8; a "
                + "checkpoint must hold finite numbers (use an earlier one)"), o.errLines());
    }

    @Test
    void fetchInceptionUnpicklesOnlyTheOfficialWeights(@TempDir Path tmp) throws IOException {
        // right file name, wrong content: torch.load would have run whatever pickle it holds
        Path fake = Files.writeString(tmp.resolve("pt_inception-2015-12-05-6726825d.pth"), "not the weights");
        Path out = tmp.resolve("net");
        CliEndToEndTest.Outcome o = CliEndToEndTest.cli("fetch-inception", "--weights", fake.toString(), "--out",
                out.toString());
        assertEquals(1, o.code());
        assertEquals(List.of("error: --weights " + fake + " has sha256 "
                + "35245741e72e29edc737d79889c146307c8ca445834edf0e084d7c16f91da3c4, not that of "
                + "pt_inception-2015-12-05-6726825d.pth (" + "6726825d0af5f729cebd5821db510b11"
                + "b1cfad8faad88a03f1befd49fb9129b2); it is not loaded"), o.errLines());
        assertFalse(Files.exists(out), "the build script ran");
    }
}
