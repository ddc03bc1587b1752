#!/usr/bin/env python3
"""PyTorch timing of the short-run seed code, driven by `shortrun bench` so both engines are timed in turns.

Runs exactly the seed code's Langevin step (autograd.grad of f(x).sum() w.r.t. x, x.data += f' + 0.01 z) and
learning iteration (K steps from uniform noise, then Adam on f(x+).mean() - f(x-).mean()) on random data of the
given shape and thread count. It reads commands on stdin, one per line, and answers each with one JSON line:
  steps NF COUNT [bf16]   time COUNT Langevin steps from the same uniform start  -> {"seconds": ...}
  iter NF [bf16]          time one learning iteration                              -> {"seconds": ...}
  quit
With bf16 the chain's f and grad f run under torch.autocast('cpu', bfloat16), PyTorch's own way to run a model in
bfloat16 (the state x, its update and the learning step stay float32), as shortrun's sampler.precision bf16 does.
Interleaving the two engines' timings cancels slow drifts in the machine's load, which on a shared 2-core
machine are larger than the differences being measured.
"""
import argparse
import json
import sys
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


class SeedCode:
    """The seed code's sampler and learner for one n_f."""

    def __init__(self, shape, n_f, K):
        self.shape, self.K = shape, K
        self.f = F(shape[1], n_f)
        self.optim = t.optim.Adam(self.f.parameters(), lr=1e-4, betas=[.9, .999])
        self.data = t.rand(*shape) * 2 - 1
        self.start = t.FloatTensor(*shape).uniform_(-1, 1)

    def steps(self, x_k, count, bf16=False):
        for _ in range(count):
            with t.autocast("cpu", dtype=t.bfloat16, enabled=bf16):
                f_sum = self.f(x_k).sum()
            f_prime = t.autograd.grad(f_sum, [x_k], retain_graph=True)[0]
            x_k.data += f_prime + 1e-2 * t.randn_like(x_k)
        return x_k.detach()

    def chain_from_start(self, count, bf16=False):
        return self.steps(t.autograd.Variable(self.start.clone(), requires_grad=True), count, bf16)

    def iteration(self, bf16=False):
        x_q = self.steps(t.autograd.Variable(t.FloatTensor(*self.shape).uniform_(-1, 1), requires_grad=True), self.K,
                         bf16)
        x_p = self.data + 0.03 * t.randn_like(self.data)
        L = self.f(x_p).mean() - self.f(x_q).mean()
        self.optim.zero_grad()
        (-L).backward()
        self.optim.step()


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
    ap.add_argument("--K", type=int, default=100)
    a = ap.parse_args()
    t.set_num_threads(a.threads)
    t.set_num_interop_threads(1)
    t.manual_seed(1)
    models = {}
    print(json.dumps({"ready": True, "torch": t.__version__, "threads": t.get_num_threads()}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        n_f = int(words[1])
        model = models.setdefault(n_f, SeedCode((a.batch, a.channels, a.size, a.size), n_f, a.K))
        bf16 = words[-1] == "bf16"
        if words[0] == "steps":
            seconds = timed(lambda: model.chain_from_start(int(words[2]), bf16))
        elif words[0] == "iter":
            seconds = timed(lambda: model.iteration(bf16))
        else:
            raise SystemExit("unknown command: " + line)
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
