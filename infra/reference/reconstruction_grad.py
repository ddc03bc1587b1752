#!/usr/bin/env python3
"""dL/dz of L(z) = ||x - M(z)||^2 by PyTorch autograd through the K-step deterministic chain (create_graph).

Usage: reconstruction_grad.py DIR. DIR holds config.json (arch, channels, n_f, activation, slope, step_size, K) and
param_<name>.npy, z.npy, x.npy (float32, computed in float64); writes out_m.npy (M(z)) and out_grad.npy
(dL/dz), float32. The network is
reference_step.F, the seed code's architecture.
"""
import json
import os
import sys

import numpy as np
import torch as t

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_step import F  # noqa: E402


def main(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    t.set_num_threads(1)
    load = lambda name: t.from_numpy(np.load(os.path.join(d, name)))
    f = F(cfg["arch"], cfg["channels"], cfg["n_f"], cfg["activation"], cfg["slope"]).double()
    f.load_state_dict({name: load("param_%s.npy" % name) for name in f.state_dict().keys()})
    for p in f.parameters():
        p.requires_grad_(False)
    z = load("z.npy").double().requires_grad_(True)
    x_k = z
    for _ in range(cfg["K"]):
        g = t.autograd.grad(f(x_k).sum(), [x_k], create_graph=True)[0]
        x_k = x_k + cfg["step_size"] * g
    loss = ((load("x.npy").double() - x_k) ** 2).sum()
    grad = t.autograd.grad(loss, [z])[0]
    np.save(os.path.join(d, "out_m.npy"), x_k.detach().float().numpy())
    np.save(os.path.join(d, "out_grad.npy"), grad.float().numpy())


if __name__ == "__main__":
    main(sys.argv[1])
