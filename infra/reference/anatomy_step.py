#!/usr/bin/env python3
"""One iteration of the Anatomy paper's Algorithm 1 (scaled energy, Appendix A) in PyTorch, on given weights,
inputs and noise, with its NonlocalNet.

Written from the paper and REFERENCE.md section 2 (point0bar1/ebm-anatomy's conventions: the network output F is
the energy, chains descend it, the loss is (2/eps^2)(mean F(x+) - mean F(x-)) and the SGD lr (eps^2/2) gamma0), so
shortrun's Java implementation can be compared number for number. Usage: anatomy_step.py DIR

DIR holds config.json (n_c, n_f, slope, epsilon, tau, gamma0, threads) and .npy files written by the test:
  param_<name>.npy       weights under the reference module names (convs.0.weight, convs.3.g.0.weight, ...)
  x.npy                  inputs for F(x) and grad F(x)
  noise.npy              (K, N, C, H, W) standard-normal noise, one slice per Langevin step
  x_pos.npy              the noisy data batch x+
It writes out_f.npy, out_grad.npy (F and its input gradient), out_traj.npy (K+1, N, ...): the chain
x <- x - F'(x) + eps * tau * z from x, out_r.npy (mean over steps of the mean per-sample ||F'(x)||_2),
out_d.npy (the scaled loss d_s_t on x+ and the chain's end), out_pgrad_<name>.npy (its weight gradients) and
out_param_<name>.npy (weights after one SGD step).
"""
import json
import os
import sys

import numpy as np
import torch as t
import torch.nn as nn
import torch.nn.functional as F


class NonLocal(nn.Module):
    """z = x + W(softmax(theta(x)^T phi(x)) g(x)), phi and g max-pooled 2x2, inter = max(1, C // 2)."""

    def __init__(self, c):
        super().__init__()
        self.inter = max(1, c // 2)
        # registration order fixes the state_dict order: g, W, theta, phi
        self.g = nn.Sequential(nn.Conv2d(c, self.inter, 1), nn.MaxPool2d(2))
        self.W = nn.Conv2d(self.inter, c, 1)
        self.theta = nn.Conv2d(c, self.inter, 1)
        self.phi = nn.Sequential(nn.Conv2d(c, self.inter, 1), nn.MaxPool2d(2))

    def forward(self, x):
        n = x.shape[0]
        g = self.g(x).view(n, self.inter, -1).permute(0, 2, 1)
        theta = self.theta(x).view(n, self.inter, -1).permute(0, 2, 1)
        phi = self.phi(x).view(n, self.inter, -1)
        y = t.matmul(F.softmax(t.matmul(theta, phi), dim=-1), g)
        y = y.permute(0, 2, 1).contiguous().view(n, self.inter, *x.shape[2:])
        return self.W(y) + x


class Nonlocal32(nn.Module):
    def __init__(self, n_c, n_f, slope):
        super().__init__()
        act = lambda: nn.LeakyReLU(slope)
        self.convs = nn.Sequential(
            nn.Conv2d(n_c, n_f, 3, 1, 1), act(), nn.MaxPool2d(2),
            NonLocal(n_f), nn.Conv2d(n_f, 2 * n_f, 3, 1, 1), act(), nn.MaxPool2d(2),
            NonLocal(2 * n_f), nn.Conv2d(2 * n_f, 4 * n_f, 3, 1, 1), act(), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Linear(16 * 4 * n_f, 8 * n_f), act(), nn.Linear(8 * n_f, 1))

    def forward(self, x):
        return self.fc(self.convs(x).view(x.shape[0], -1)).view(x.shape[0])


def main(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    t.set_num_threads(int(cfg.get("threads", 1)))
    load = lambda name: t.from_numpy(np.load(os.path.join(d, name)))
    save = lambda name, a: np.save(os.path.join(d, name), a)
    net = Nonlocal32(cfg["n_c"], cfg["n_f"], cfg["slope"])
    names = list(net.state_dict().keys())
    save_names = open(os.path.join(d, "out_names.txt"), "w")
    save_names.write("\n".join(names) + "\n")
    save_names.close()
    net.load_state_dict({name: load("param_%s.npy" % name) for name in names})
    eps, tau = cfg["epsilon"], cfg["tau"]

    x = load("x.npy").requires_grad_(True)
    fx = net(x)
    save("out_f.npy", fx.detach().numpy())
    save("out_grad.npy", t.autograd.grad(fx.sum(), [x])[0].numpy())

    # Algorithm 1 on the scaled energy: x <- x - F'(x) + eps * tau * z
    noise = load("noise.npy")
    x_k = load("x.npy").clone().requires_grad_(True)
    traj = [x_k.detach().clone()]
    r = 0.0
    for k in range(noise.shape[0]):
        f_prime = t.autograd.grad(net(x_k).sum(), [x_k])[0]
        x_k.data += -f_prime + eps * tau * noise[k]
        r += f_prime.view(f_prime.shape[0], -1).norm(dim=1).mean().item()
        traj.append(x_k.detach().clone())
    save("out_traj.npy", t.stack(traj).numpy())
    save("out_r.npy", np.array([r / noise.shape[0]], dtype=np.float64))

    # one SGD step on the scaled loss
    optim = t.optim.SGD(net.parameters(), lr=(eps ** 2) / 2 * cfg["gamma0"])
    d_s_t = (net(load("x_pos.npy")).mean() - net(x_k.detach()).mean()) * (2 / eps ** 2)
    optim.zero_grad()
    d_s_t.backward()
    save("out_d.npy", np.array([d_s_t.item()], dtype=np.float64))
    for name, p in net.named_parameters():
        save("out_pgrad_%s.npy" % name, p.grad.numpy())
    optim.step()
    for name, p in net.state_dict().items():
        save("out_param_%s.npy" % name, p.numpy())


if __name__ == "__main__":
    main(sys.argv[1])
