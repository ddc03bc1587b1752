#!/usr/bin/env python3
"""Loads a shortrun model into the reference PyTorch networks (reference_step.F, anatomy_step.Nonlocal32).

A shortrun model is a folder holding checkpoints/iter-N.json and the weights it names (checkpoints/iter-N.safetensors,
under the PyTorch reference names f.0.weight, ...): the MLflow model every run logs (fetch it with
`./shortrun sample models:/NAME/VERSION`, which keeps it in ~/.cache/shortrun/models/MODEL_ID/, or with MLflow's own
`mlflow artifacts download -u models:/NAME/VERSION -d DIR`), or a run folder itself. Needs torch and numpy only; the
safetensors file is read here, no extra package.

As a library, from a shortrun checkout:
    import os, sys, torch; sys.path.insert(0, "infra/reference")
    from load_model import load
    f, checkpoint = load(os.path.expanduser("~/.cache/shortrun/models/m-0123..."))  # or a run folder
    y = f(torch.rand(64, 2) * 2 - 1)   # f(x), the negative energy, one number per example; 2D toys take N x 2,
                                       # images N x C x H x W, float32 in [-1, 1]; checkpoint["config"] has the
                                       # run's Langevin settings for the short-run chain

As a script: load_model.py MODEL_DIR X.npy OUT.npy writes f(x) of the float32 array X.npy to OUT.npy.
"""
import json
import os
import struct
import sys

import numpy as np
import torch as t

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_step import F  # noqa: E402

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """{name: tensor} of a .safetensors file: 8-byte little-endian header length, JSON header, raw data."""
    with open(path, "rb") as fh:
        header = json.loads(fh.read(struct.unpack("<Q", fh.read(8))[0]))
        data = fh.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=DTYPES[meta["dtype"]]).reshape(meta["shape"])
        tensors[name] = t.from_numpy(array.copy())
    return tensors


def newest_checkpoint(model_dir):
    folder = os.path.join(model_dir, "checkpoints")
    names = sorted(n for n in os.listdir(folder) if n.startswith("iter-") and n.endswith(".json")
                   and n.count(".") == 1)
    if not names:
        raise SystemExit("no checkpoints/iter-N.json in " + model_dir)
    return os.path.join(folder, names[-1])


def load(model_dir):
    """(f, checkpoint): f(x) of the model's newest checkpoint, and that checkpoint's JSON (config, iteration)."""
    path = newest_checkpoint(model_dir)
    checkpoint = json.load(open(path))
    net = checkpoint["config"]["net"]
    arch = net["architecture"].lower()
    if arch == "nonlocal32":
        from anatomy_step import Nonlocal32
        module = Nonlocal32(net["channels"], net["nf"], net["slope"])
    else:
        module = F(arch, net["channels"], net["nf"], net["activation"].lower(), net["slope"])
    module.load_state_dict(read_safetensors(os.path.join(os.path.dirname(path), checkpoint["weights"])))
    module.eval()
    # shortrun's f is the network's output; the Anatomy NonlocalNet outputs the energy, so f is minus it
    f = (lambda x: -module(x)) if arch == "nonlocal32" else module
    return f, checkpoint


def main(model_dir, x_file, out_file):
    f, _ = load(model_dir)
    with t.no_grad():
        np.save(out_file, f(t.from_numpy(np.load(x_file))).numpy())


if __name__ == "__main__":
    main(*sys.argv[1:4])
