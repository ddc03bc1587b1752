#!/usr/bin/env python3
"""The short-run reference algorithm in PyTorch, on given weights, inputs and noise.

Written from the seed code's definitions (enijkamp/short_run, REFERENCE.md section 1) so shortrun's Java
implementation can be compared number for number. Usage: reference_step.py DIR

DIR holds config.json and .npy files written by the conformance test:
  param_<name>.npy   weights under the reference names (f.0.weight, f.0.bias, ...)
  x.npy              inputs for f(x) and grad f(x)
  noise.npy          (K, N, ...) standard-normal noise, one slice per Langevin step
  x_pos.npy, x_neg.npy  batches for one Adam update of L = mean f(x+) - mean f(x-)
It writes out_f.npy, out_grad.npy, out_traj.npy (K+1, N, ...), out_pgrad_<name>.npy (weight gradients of -L)
and out_param_<name>.npy (weights after the update).
"""
import json
import os
import sys

import numpy as np
import torch as t
import torch.nn as nn


def conv_layers(arch, n_c, n_f):
    """(in, out, kernel, stride, padding) per conv, as the seed code's nn.Sequential `f`."""
    if arch == "toy":
        return [(n_c, n_f, 1, 1, 0), (n_f, 2 * n_f, 1, 1, 0), (2 * n_f, 2 * n_f, 1, 1, 0),
                (2 * n_f, 2 * n_f, 1, 1, 0), (2 * n_f, 1, 1, 1, 0)]
    layers = [(n_c, n_f, 3, 1, 1), (n_f, 2 * n_f, 4, 2, 1), (2 * n_f, 4 * n_f, 4, 2, 1), (4 * n_f, 8 * n_f, 4, 2, 1)]
    extra = {"conv32": 0, "conv64": 1, "conv128": 2}[arch]
    layers += [(8 * n_f, 8 * n_f, 4, 2, 1)] * extra
    return layers + [(8 * n_f, 1, 4, 1, 0)]


class F(nn.Module):
    def __init__(self, arch, n_c, n_f, activation, slope):
        super().__init__()
        act = {"leaky_relu": lambda: nn.LeakyReLU(slope), "gelu": nn.GELU, "softplus": nn.Softplus}[activation]
        mods = []
        for i, (cin, cout, k, s, p) in enumerate(conv_layers(arch, n_c, n_f)):
            if i > 0:
                mods.append(act())
            mods.append(nn.Conv2d(cin, cout, k, s, p))
        self.f = nn.Sequential(*mods)

    def forward(self, x):
        if x.dim() == 2:
            x = x.view(x.shape[0], x.shape[1], 1, 1)
        return self.f(x).view(x.shape[0])


def main(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    t.set_num_threads(int(cfg.get("threads", 1)))
    load = lambda name: t.from_numpy(np.load(os.path.join(d, name)))
    f = F(cfg["arch"], cfg["channels"], cfg["n_f"], cfg["activation"], cfg["slope"])
    state = {name: load("param_%s.npy" % name) for name in f.state_dict().keys()}
    f.load_state_dict(state)

    # f(x) and its input gradient, as autograd.grad(f(x).sum(), x) in the seed code
    x = load("x.npy").requires_grad_(True)
    fx = f(x)
    grad = t.autograd.grad(fx.sum(), [x])[0]
    np.save(os.path.join(d, "out_f.npy"), fx.detach().numpy())
    np.save(os.path.join(d, "out_grad.npy"), grad.numpy())

    # K Langevin steps with the given noise: x.data += step * f'(x) + noise_std * z_k
    noise = load("noise.npy")
    x_k = t.autograd.Variable(load("x.npy").clone(), requires_grad=True)
    traj = [x_k.detach().clone()]
    for k in range(noise.shape[0]):
        f_prime = t.autograd.grad(f(x_k).sum(), [x_k], retain_graph=True)[0]
        x_k.data += cfg["step_size"] * f_prime + cfg["noise_std"] * noise[k]
        traj.append(x_k.detach().clone())
    np.save(os.path.join(d, "out_traj.npy"), t.stack(traj).numpy())

    # one update of the seed code's learner
    optim = t.optim.Adam(f.parameters(), lr=cfg["lr"], betas=[cfg["beta1"], cfg["beta2"]], eps=cfg["eps"])
    x_pos, x_neg = load("x_pos.npy"), load("x_neg.npy")
    L = f(x_pos).mean() - f(x_neg).mean()
    optim.zero_grad()
    (-L).backward()
    for name, p in f.named_parameters():
        np.save(os.path.join(d, "out_pgrad_%s.npy" % name), p.grad.numpy())
    optim.step()
    for name, p in f.state_dict().items():
        np.save(os.path.join(d, "out_param_%s.npy" % name), p.numpy())


if __name__ == "__main__":
    main(sys.argv[1])
