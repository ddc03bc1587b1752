#!/usr/bin/env python3
"""One Metropolis-adjusted Langevin proposal as the Anatomy reference evaluation computes it (point0bar1/ebm-anatomy
eval.py, langevin_mh), written from its definitions so shortrun's MalaSampler can be checked number for number.

The reference network outputs an energy and samples descend it; shortrun's f is its negative, so here
U(x) = -f(x) / T. The acceptance ratio is written as the reference writes it, as a one-step Hamiltonian move:
momentum p = z, proposal x' = x - (eps^2/2) dU/dx + eps p, p' = p - (eps/2)(dU/dx + dU/dx'),
log ratio = (U(x) + |p|^2/2) - (U(x') + |p'|^2/2).

Usage: mala_step.py DIR with config.json (arch, channels, n_f, activation, slope, eps, temperature) and
param_<name>.npy, x.npy, z.npy; writes out_log_ratio.npy (one value per chain) and out_proposal.npy.
"""
import json
import os
import sys

import numpy as np
import torch as t

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_step import F  # noqa: E402  the seed code's network, shared with the short-run conformance test


def main(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    t.set_num_threads(1)
    load = lambda name: t.from_numpy(np.load(os.path.join(d, name)))
    f = F(cfg["arch"], cfg["channels"], cfg["n_f"], cfg["activation"], cfg["slope"]).double()
    f.load_state_dict({name: load("param_%s.npy" % name).double() for name in f.state_dict().keys()})
    eps, temp = cfg["eps"], cfg["temperature"]

    def energy_and_grad(x):
        x = x.clone().requires_grad_(True)
        en = -f(x) / temp
        return en.detach(), t.autograd.grad(en.sum(), [x])[0]

    x = load("x.npy").double()
    p = load("z.npy").double()
    en, grad = energy_and_grad(x)
    x_prop = x - (eps ** 2 / 2) * grad + eps * p
    en_prop, grad_prop = energy_and_grad(x_prop)
    p_prop = p - (eps / 2) * (grad + grad_prop)
    joint_orig = en + 0.5 * (p ** 2).view(x.shape[0], -1).sum(1)
    joint_prop = en_prop + 0.5 * (p_prop ** 2).view(x.shape[0], -1).sum(1)
    np.save(os.path.join(d, "out_log_ratio.npy"), (joint_orig - joint_prop).numpy())
    np.save(os.path.join(d, "out_proposal.npy"), x_prop.float().numpy())


if __name__ == "__main__":
    main(sys.argv[1])
