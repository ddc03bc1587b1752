#!/usr/bin/env python3
"""Per-layer floor of a Langevin step: each convolution's own kernels, timed alone, on the libtorch DJL runs.

A step of the seed code's chain is, per hidden layer, one convolution forward (LeakyReLU fused in, as shortrun's
fused path runs it), one LeakyReLU backward on its output and one input-gradient convolution backward; the 4x4 last
layer is a dot product. This times exactly those operators, layer by layer, at the bench's shapes (batch 64, 3x32x32, channels-last,
weights packed for oneDNN as shortrun packs them), and prints per layer the time, GFLOP/s and share of the measured
peak, then their sum: the step time no engine calling these kernels can beat. `shortrun bench` prints DJL's and
PyTorch's whole-step times to set beside it.

  .venv-torch-cuda/bin/python infra/bench/layer_profile.py [--n-f 32,64] [--threads 2] [--precision fp32,bf16]
"""
import argparse
import time

import torch as t

LAYERS = lambda c, nf: [  # (in, out, kernel, stride, padding) of the seed code's hidden layers
    (c, nf, 3, 1, 1), (nf, 2 * nf, 4, 2, 1), (2 * nf, 4 * nf, 4, 2, 1), (4 * nf, 8 * nf, 4, 2, 1)]


def best(fn, reps):
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak(dtype, reps):
    a = t.rand(2048, 2048, dtype=dtype)
    mm = 2 * 2048 ** 3 / best(lambda: a @ a, reps) / 1e9
    x = t.rand(64, 256, 16, 16, dtype=dtype).contiguous(memory_format=t.channels_last)
    w = t.rand(256, 256, 3, 3, dtype=dtype).contiguous(memory_format=t.channels_last)
    conv = 2 * 64 * 16 * 16 * 256 * 256 * 9 / best(lambda: t.conv2d(x, w, None, 1, 1), reps) / 1e9
    return max(mm, conv)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-f", default="32,64")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--precision", default="fp32")
    ap.add_argument("--reps", type=int, default=20)
    a = ap.parse_args()
    t.set_num_threads(a.threads)
    t.manual_seed(1)
    print(f"torch {t.__version__}, {a.threads} threads, batch {a.batch}, {a.channels}x32x32; best of {a.reps}")
    for precision in a.precision.split(","):
        dtype = {"fp32": t.float32, "bf16": t.bfloat16}[precision]
        p = peak(dtype, 3)
        print(f"\n{precision}: measured peak {p:.1f} GFLOP/s (best of a 2048^3 matmul and a 256->256 3x3 convolution)")
        print(f"{'n_f':<4} {'layer':<22} {'MFLOP':>7} | {'fwd ms':>7} {'GF/s':>6} {'%pk':>4} | {'bwd-in ms':>9} "
              f"{'GF/s':>6} {'%pk':>4} | {'lrelu-bwd ms':>12}")
        for nf in [int(v) for v in a.n_f.split(",")]:
            x = (t.rand(a.batch, a.channels, 32, 32, dtype=dtype) * 2 - 1).contiguous(memory_format=t.channels_last)
            total, flops_total, size = 0.0, 0.0, 32
            for i, (cin, cout, k, s, pad) in enumerate(LAYERS(a.channels, nf)):
                w = (t.randn(cout, cin, k, k, dtype=dtype) * 0.05).contiguous(memory_format=t.channels_last)
                b = t.zeros(cout, dtype=dtype)
                packed = t.ops.mkldnn._reorder_convolution_weight(w, [pad, pad], [s, s], [1, 1], 1, list(x.shape))
                fwd = lambda: t.ops.mkldnn._convolution_pointwise(x, packed, b, [pad, pad], [s, s], [1, 1], 1,
                                                                  "leaky_relu", [0.2], None)
                h = fwd()
                g = t.randn_like(h)
                bwd = lambda: t.ops.aten.convolution_backward(g, x, w, None, [s, s], [pad, pad], [1, 1], False,
                                                              [0, 0], 1, [True, False, False])[0]
                lrelu = lambda: t.ops.aten.leaky_relu_backward(g, h, 0.2, True)
                out = (size + 2 * pad - k) // s + 1
                flops = 2.0 * a.batch * cout * out * out * cin * k * k
                tf, tb, tl = best(fwd, a.reps), best(bwd, a.reps), best(lrelu, a.reps)
                total += tf + tb + tl
                flops_total += 2 * flops
                shape = f"{cin}->{cout} {k}x{k}/{s} {size}->{out}"
                print(f"{nf:<4} {shape:<22} {flops / 1e6:7.0f} | {tf * 1e3:7.2f} {flops / tf / 1e9:6.1f} "
                      f"{100 * flops / tf / 1e9 / p:3.0f}% | {tb * 1e3:9.2f} {flops / tb / 1e9:6.1f} "
                      f"{100 * flops / tb / 1e9 / p:3.0f}% | {tl * 1e3:12.2f}")
                x, size = h, out
            print(f"{nf:<4} {'kernel floor of a step':<22} {flops_total / 1e6:7.0f} | {total * 1e3:7.2f} ms = "
                  f"{flops_total / total / 1e9:.1f} GFLOP/s, {100 * flops_total / total / 1e9 / p:.0f}% of peak "
                  f"(the 4x4 last layer, the update and the noise not counted)")


if __name__ == "__main__":
    main()
