#!/usr/bin/env python3
"""PyTorch timing of the short-run seed code, for `shortrun bench` to compare against in the same invocation.

Runs exactly the seed code's Langevin step (autograd.grad of f(x).sum() w.r.t. x, x.data += f' + 0.01 z) and
learning iteration (K steps from uniform noise, then Adam on f(x+).mean() - f(x-).mean()) on random data of the
given shape, with the given thread count. Prints one JSON line per n_f with best-of-N times.
"""
import argparse
import json
import time

import torch as t
import torch.nn as nn


class F(nn.Module):
    def __init__(self, n_c, n_f, l=0.2):
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv2d(n_c, n_f, 3, 1, 1), nn.LeakyReLU(l),
            nn.Conv2d(n_f, n_f * 2, 4, 2, 1), nn.LeakyReLU(l),
            nn.Conv2d(n_f * 2, n_f * 4, 4, 2, 1), nn.LeakyReLU(l),
            nn.Conv2d(n_f * 4, n_f * 8, 4, 2, 1), nn.LeakyReLU(l),
            nn.Conv2d(n_f * 8, 1, 4, 1, 0))

    def forward(self, x):
        return self.f(x).squeeze()


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--nf", type=int, nargs="+", default=[32, 64])
    ap.add_argument("--K", type=int, default=100)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    a = ap.parse_args()
    t.set_num_threads(a.threads)
    t.set_num_interop_threads(1)
    t.manual_seed(1)
    shape = (a.batch, a.channels, a.size, a.size)
    for n_f in a.nf:
        f = F(a.channels, n_f)
        optim = t.optim.Adam(f.parameters(), lr=1e-4, betas=[.9, .999])
        data = t.rand(*shape) * 2 - 1

        def steps(x_k, count):
            for _ in range(count):
                f_prime = t.autograd.grad(f(x_k).sum(), [x_k], retain_graph=True)[0]
                x_k.data += f_prime + 1e-2 * t.randn_like(x_k)
            return x_k.detach()

        def iteration():
            x_q = steps(t.autograd.Variable(t.FloatTensor(*shape).uniform_(-1, 1), requires_grad=True), a.K)
            x_p = data + 0.03 * t.randn_like(data)
            L = f(x_p).mean() - f(x_q).mean()
            optim.zero_grad()
            (-L).backward()
            optim.step()

        # Best of several timings: the least disturbed by whatever else the machine is doing.
        x = t.autograd.Variable(t.FloatTensor(*shape).uniform_(-1, 1), requires_grad=True)
        steps(x, 3)
        step_s = min(timed(lambda: steps(x, a.steps)) for _ in range(3)) / a.steps
        for _ in range(a.warmup):
            iteration()
        iteration_s = min(timed(iteration) for _ in range(a.iterations))
        print(json.dumps({"nf": n_f, "step_s": step_s, "iteration_s": iteration_s, "torch": t.__version__,
                          "threads": t.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
