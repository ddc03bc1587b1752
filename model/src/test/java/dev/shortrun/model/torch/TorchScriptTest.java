package dev.shortrun.model.torch;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modules compiled from source text by libtorch through the archive {@link TorchScript} writes. */
class TorchScriptTest {
    private static final String AFFINE = "  def forward(self: __torch__.Affine, x: Tensor, y: Tensor) -> "
            + "Tuple[Tensor, Tensor]:\n    return (torch.add(torch.mul(x, 2.0), y), torch.neg(y))\n";

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @Test
    void compilesAndRunsTheCodeItIsGiven() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1, 2, 3});
            NDArray y = manager.create(new float[] {10, 20, 30});
            NDList out = TorchScript.compile("Affine", AFFINE).forward(x, y);
            assertEquals(2, out.size());
            assertArrayEquals(new float[] {12, 24, 36}, out.get(0).toFloatArray());
            assertArrayEquals(new float[] {-10, -20, -30}, out.get(1).toFloatArray());
            assertSame(manager, out.get(0).getManager(), "results belong to the first argument's manager");
            out.get(0).muli(2); // an ordinary tensor: DJL's inference-mode calls would refuse this update
            assertArrayEquals(new float[] {24, 48, 72}, out.get(0).toFloatArray());
            assertSame(TorchScript.compile("Affine", AFFINE), TorchScript.compile("Affine", AFFINE),
                    "the same code is compiled once");
        }
    }

    @Test
    void rejectsNamedArgumentsAndCodeLibtorchCannotCompile() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray named = manager.create(new float[] {1});
            named.setName("f.0.weight");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TorchScript.compile("Affine", AFFINE).forward(named, manager.create(new float[] {1})));
            assertTrue(e.getMessage().contains("f.0.weight"), e.getMessage());
            EngineException bad = assertThrows(EngineException.class, () -> TorchScript.compile("Missing",
                    "  def forward(self: __torch__.Missing, x: Tensor) -> Tensor:\n"
                            + "    return ops.nowhere.no_such_op(x)\n"));
            assertTrue(bad.getMessage().contains("no_such_op"), bad.getMessage());
        }
    }
}
