#!/usr/bin/env python3
"""Builds the TorchScript FID/IS network that shortrun runs through DJL.

The network is pytorch-fid's FID Inception-v3 (REFERENCE.md section 3), defined here in plain torch (no
torchvision needed) with torchvision's module names so the official state dict loads unchanged:
  - torchvision's Inception3 layout, 1008 classes, no aux logits;
  - the FID patches: Mixed_5b..5d, 6b..6e and 7b average pools ignore padding (count_include_pad=False),
    Mixed_7c's pool branch is a 3x3 max pool;
  - input: float images in [0, 1], any size, bilinearly resized to 299x299 (align_corners=False, no antialias)
    inside the network, then 2x - 1, exactly as pytorch-fid's InceptionV3(resize_input=True, normalize_input=True).
forward(x) returns (pool3, logits): the 2048-d average-pool features (FID) and the 1008 logits without the fc bias
(IS: the TF original multiplies pool3 by the softmax weight only; torch-fidelity calls it "logits_unbiased").

Usage:
  build_inception.py --out DIR [--weights FILE.pth]   official weights (downloaded when no file is given)
  build_inception.py --out DIR --random-init SEED     random weights, for tests (no download)
  build_inception.py --reference NET DIR              (tests) pytorch-fid-style features, FID and IS in Python
Writes DIR/fid-inception.pt and DIR/fid-inception.json (provenance: weights sha256, mode, network sha256).
"""
import argparse
import functools
import hashlib
import inspect
import io
import json
import os
import shutil
import sys
import tempfile
import urllib.request

import torch
import torch.nn as nn
import torch.nn.functional as F

WEIGHTS_URL = ("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
               "pt_inception-2015-12-05-6726825d.pth")
# torch.hub names files by the first 8 hex digits of their sha256 (all pytorch-fid publishes); this is the whole
# digest of that file (95,628,359 bytes). A .pth file is a pickle and unpickling runs code: nothing else is loaded.
WEIGHTS_SHA256 = "6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2"
NETWORK_FILE = "fid-inception.pt"
MANIFEST_FILE = "fid-inception.json"


class Conv(nn.Module):
    """torchvision's BasicConv2d: conv without bias, batch norm (eps 1e-3), ReLU."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg_pool_3x3(x):
    # FID patch: TensorFlow's average pool does not count the zero padding.
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class BlockA(nn.Module):
    def __init__(self, cin, pool_features):
        super().__init__()
        self.branch1x1 = Conv(cin, 64, 1)
        self.branch5x5_1 = Conv(cin, 48, 1)
        self.branch5x5_2 = Conv(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = Conv(cin, 64, 1)
        self.branch3x3dbl_2 = Conv(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = Conv(96, 96, 3, padding=1)
        self.branch_pool = Conv(cin, pool_features, 1)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch5x5_2(self.branch5x5_1(x))
        c = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        d = self.branch_pool(avg_pool_3x3(x))
        return torch.cat([a, b, c, d], 1)


class BlockB(nn.Module):
    """Grid reduction 35 -> 17 (Mixed_6a): not patched."""

    def __init__(self, cin):
        super().__init__()
        self.branch3x3 = Conv(cin, 384, 3, stride=2)
        self.branch3x3dbl_1 = Conv(cin, 64, 1)
        self.branch3x3dbl_2 = Conv(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = Conv(96, 96, 3, stride=2)

    def forward(self, x):
        a = self.branch3x3(x)
        b = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([a, b, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class BlockC(nn.Module):
    def __init__(self, cin, c7):
        super().__init__()
        self.branch1x1 = Conv(cin, 192, 1)
        self.branch7x7_1 = Conv(cin, c7, 1)
        self.branch7x7_2 = Conv(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = Conv(c7, 192, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = Conv(cin, c7, 1)
        self.branch7x7dbl_2 = Conv(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = Conv(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = Conv(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = Conv(c7, 192, (1, 7), padding=(0, 3))
        self.branch_pool = Conv(cin, 192, 1)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        c = self.branch7x7dbl_1(x)
        c = self.branch7x7dbl_3(self.branch7x7dbl_2(c))
        c = self.branch7x7dbl_5(self.branch7x7dbl_4(c))
        d = self.branch_pool(avg_pool_3x3(x))
        return torch.cat([a, b, c, d], 1)


class BlockD(nn.Module):
    """Grid reduction 17 -> 8 (Mixed_7a): not patched."""

    def __init__(self, cin):
        super().__init__()
        self.branch3x3_1 = Conv(cin, 192, 1)
        self.branch3x3_2 = Conv(192, 320, 3, stride=2)
        self.branch7x7x3_1 = Conv(cin, 192, 1)
        self.branch7x7x3_2 = Conv(192, 192, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = Conv(192, 192, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = Conv(192, 192, 3, stride=2)

    def forward(self, x):
        a = self.branch3x3_2(self.branch3x3_1(x))
        b = self.branch7x7x3_1(x)
        b = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(b)))
        return torch.cat([a, b, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class BlockE(nn.Module):
    """Mixed_7b (average pool without padding) and Mixed_7c (max pool: the FID network's quirk)."""

    def __init__(self, cin, max_pool: bool):
        super().__init__()
        self.max_pool = max_pool
        self.branch1x1 = Conv(cin, 320, 1)
        self.branch3x3_1 = Conv(cin, 384, 1)
        self.branch3x3_2a = Conv(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = Conv(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = Conv(cin, 448, 1)
        self.branch3x3dbl_2 = Conv(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = Conv(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = Conv(384, 384, (3, 1), padding=(1, 0))
        self.branch_pool = Conv(cin, 192, 1)

    def forward(self, x):
        a = self.branch1x1(x)
        b = self.branch3x3_1(x)
        b = torch.cat([self.branch3x3_2a(b), self.branch3x3_2b(b)], 1)
        c = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        c = torch.cat([self.branch3x3dbl_3a(c), self.branch3x3dbl_3b(c)], 1)
        if self.max_pool:
            pooled = F.max_pool2d(x, kernel_size=3, stride=1, padding=1)
        else:
            pooled = avg_pool_3x3(x)
        return torch.cat([a, b, c, self.branch_pool(pooled)], 1)


class FidInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.Conv2d_1a_3x3 = Conv(3, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = Conv(32, 32, 3)
        self.Conv2d_2b_3x3 = Conv(32, 64, 3, padding=1)
        self.Conv2d_3b_1x1 = Conv(64, 80, 1)
        self.Conv2d_4a_3x3 = Conv(80, 192, 3)
        self.Mixed_5b = BlockA(192, 32)
        self.Mixed_5c = BlockA(256, 64)
        self.Mixed_5d = BlockA(288, 64)
        self.Mixed_6a = BlockB(288)
        self.Mixed_6b = BlockC(768, 128)
        self.Mixed_6c = BlockC(768, 160)
        self.Mixed_6d = BlockC(768, 160)
        self.Mixed_6e = BlockC(768, 192)
        self.Mixed_7a = BlockD(768)
        self.Mixed_7b = BlockE(1280, max_pool=False)
        self.Mixed_7c = BlockE(2048, max_pool=True)
        self.fc = nn.Linear(2048, 1008)

    def forward(self, x):
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = self.Mixed_5d(self.Mixed_5c(self.Mixed_5b(x)))
        x = self.Mixed_6a(x)
        x = self.Mixed_6e(self.Mixed_6d(self.Mixed_6c(self.Mixed_6b(x))))
        x = self.Mixed_7c(self.Mixed_7b(self.Mixed_7a(x)))
        pool = torch.flatten(F.adaptive_avg_pool2d(x, (1, 1)), 1)
        return pool, pool.matmul(self.fc.weight.t())


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def official_weights(path):
    """The official state dict from PATH, or downloaded from the canonical release; sha256-checked."""
    if path is None:
        cache = os.path.join(os.path.expanduser("~"), ".cache", "shortrun", "inception")
        os.makedirs(cache, exist_ok=True)
        path = os.path.join(cache, os.path.basename(WEIGHTS_URL))
        if not os.path.exists(path):
            print("downloading " + WEIGHTS_URL, file=sys.stderr)
            try:
                fd, tmp = tempfile.mkstemp(dir=cache, suffix=".part")
                with os.fdopen(fd, "wb") as out, urllib.request.urlopen(WEIGHTS_URL, timeout=60) as r:
                    shutil.copyfileobj(r, out)
                os.replace(tmp, path)
            except OSError as e:
                sys.exit("error: cannot download the FID weights (%s). Download %s elsewhere and pass "
                         "--weights FILE" % (e, WEIGHTS_URL))
    if not os.path.isfile(path):
        sys.exit("error: weights file not found: " + path)
    with open(path, "rb") as f:
        data = f.read()  # hashed and unpickled from the same bytes: the file cannot change in between
    digest = hashlib.sha256(data).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit("error: %s has sha256 %s, expected %s (not the FID Inception weights); it is not loaded"
                 % (path, digest, WEIGHTS_SHA256))
    load = torch.load
    if "weights_only" in inspect.signature(torch.load).parameters:  # torch >= 1.13: tensors only, no code
        load = functools.partial(torch.load, weights_only=True)
    state = load(io.BytesIO(data), map_location="cpu")
    return state, digest


def load_official(net, state):
    """Loads every weight and batch-norm statistic; only num_batches_tracked (unused in eval) may be absent."""
    mine = net.state_dict()
    missing = [k for k in mine if k not in state and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in state if k not in mine]
    if missing or unexpected:
        sys.exit("error: weights do not fit the FID Inception: missing %s, unexpected %s"
                 % (missing[:5], unexpected[:5]))
    for k, v in mine.items():
        if k in state:
            if tuple(state[k].shape) != tuple(v.shape):
                sys.exit("error: %s has shape %s, the network expects %s" % (k, tuple(state[k].shape), tuple(v.shape)))
            v.copy_(state[k])


def random_init(net, seed):
    """Random but well-scaled weights (activations stay O(1) through ~100 layers) and non-trivial BN stats."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) * (2.0 / fan_in) ** 0.5)
            elif isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(1 + 0.1 * torch.randn(c, generator=g))
                m.bias.copy_(0.1 * torch.randn(c, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=g))
                m.running_var.copy_(1 + 0.2 * torch.rand(c, generator=g))
            elif isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) / m.in_features ** 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g))


def build(seed=None, weights=None):
    net = FidInception().eval()
    if seed is not None:
        random_init(net, seed)
        provenance = {"mode": "random-init", "seed": seed, "weights_sha256": None}
    else:
        state, digest = official_weights(weights)
        with torch.no_grad():
            load_official(net, state)
        provenance = {"mode": "official", "weights_url": WEIGHTS_URL, "weights_sha256": digest}
    return net, provenance


def export(net, provenance, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    scripted = torch.jit.script(net)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".pt.part")
    os.close(fd)
    scripted.save(tmp)
    os.replace(tmp, os.path.join(out_dir, NETWORK_FILE))
    manifest = dict(provenance, format="shortrun-fid-inception/1", torch=torch.__version__,
                    network_sha256=sha256(os.path.join(out_dir, NETWORK_FILE)),
                    outputs=["pool3 (N, 2048)", "logits without bias (N, 1008)"],
                    input="float32 (N, 3, H, W) in [0, 1]")
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".json.part")
    with os.fdopen(fd, "w") as f:
        json.dump(manifest, f, indent=2)
    os.replace(tmp, os.path.join(out_dir, MANIFEST_FILE))
    return manifest


def reference(net, d):
    """pytorch-fid's pipeline on uint8 images d/a.npy and d/b.npy (N, C, H, W): features, FID and IS."""
    import numpy as np
    from scipy import linalg

    def features(name):
        u8 = np.load(os.path.join(d, name))
        x = torch.from_numpy(u8).float() / 255  # torchvision ToTensor
        if x.shape[1] == 1:
            x = x.repeat(1, 3, 1, 1)
        with torch.no_grad():
            pool, logits = net(x)
        return pool.double().numpy(), logits.double().numpy()

    pa, la = features("a.npy")
    pb, _ = features("b.npy")
    np.save(os.path.join(d, "ref_pool_a.npy"), pa.astype(np.float32))
    np.save(os.path.join(d, "ref_logits_a.npy"), la.astype(np.float32))
    m1, s1 = pa.mean(0), np.cov(pa, rowvar=False)
    m2, s2 = pb.mean(0), np.cov(pb, rowvar=False)
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        off = np.eye(s1.shape[0]) * 1e-6
        covmean = linalg.sqrtm((s1 + off).dot(s2 + off))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("Imaginary component %g" % np.max(np.abs(covmean.imag)))
        covmean = covmean.real
    diff = m1 - m2
    fid = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)
    p = torch.softmax(torch.from_numpy(la), dim=1).numpy()
    splits, n, scores = 10, len(p), []
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        kl = part * (np.log(part) - np.log(part.mean(0, keepdims=True)))
        scores.append(np.exp(kl.sum(1).mean()))
    with open(os.path.join(d, "ref.json"), "w") as f:
        json.dump({"fid": float(fid), "is_mean": float(np.mean(scores)), "is_std": float(np.std(scores))}, f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", help="output directory for fid-inception.pt and fid-inception.json")
    p.add_argument("--weights", help="path of pt_inception-2015-12-05-6726825d.pth (default: download)")
    p.add_argument("--random-init", type=int, metavar="SEED", help="random weights (tests only)")
    p.add_argument("--reference", nargs=2, metavar=("SEED", "DIR"),
                   help="tests: the random-init network SEED run eagerly, pytorch-fid style, on DIR/a.npy, DIR/b.npy")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.reference:
        net, _ = build(seed=int(a.reference[0]))
        reference(net, a.reference[1])
        return
    if not a.out:
        p.error("--out is required")
    net, provenance = build(seed=a.random_init, weights=a.weights)
    manifest = export(net, provenance, a.out)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
