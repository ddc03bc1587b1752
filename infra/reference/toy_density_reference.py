"""Reference numbers for shortrun's 2D toy density maps (Anatomy paper, Figure 6), computed the way the authors'
code does: scipy.stats.gaussian_kde with a scalar bw_method and multivariate_normal true densities, on a
numpy.linspace grid.

usage: toy_density_reference.py DIR TOY FACTOR SIZE
  reads  DIR/samples.npy  (N x 2 float32 short-run samples)
  writes DIR/kde.npy      (SIZE x SIZE float32 KDE density, row = y index, column = x index)
         DIR/truth.npy    (SIZE x SIZE float32 true density, same layout)
  prints one JSON line: the KL divergences on the grid and the kernel covariance
"""
import json
import sys

import numpy as np
from scipy.stats import gaussian_kde, multivariate_normal, norm

SD = 0.15


def true_density(toy, x, y):
    if toy == "gmm":
        angles = 2 * np.pi * np.arange(8) / 8
        pts = np.stack([x, y], -1)
        return sum(multivariate_normal.pdf(pts, mean=[np.cos(a), np.sin(a)], cov=SD ** 2 * np.eye(2))
                   for a in angles) / 8
    r = np.hypot(x, y)
    return sum(norm.pdf(r, loc=k, scale=SD) / (2 * np.pi * k) for k in range(1, 5)) / 4


def kl(p, q, floor=1e-12):
    p = p.ravel() / p.sum()
    q = q.ravel() / q.sum()
    m = p > 0
    return float(np.sum(p[m] * (np.log(p[m]) - np.log(np.maximum(q[m], floor)))))


def main():
    out, toy, factor, size = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    samples = np.load(out + "/samples.npy").astype(np.float64)
    extent = (1 if toy == "gmm" else 4) + 4 * SD
    axis = np.linspace(-extent, extent, size)
    gx, gy = np.meshgrid(axis, axis)  # gx[iy, ix] = axis[ix]: row = y
    kde = gaussian_kde(samples.T, bw_method=factor)
    density = kde(np.stack([gx.ravel(), gy.ravel()])).reshape(size, size)
    truth = true_density(toy, gx, gy)
    np.save(out + "/kde.npy", density.astype(np.float32))
    np.save(out + "/truth.npy", truth.astype(np.float32))
    print(json.dumps({"kl_true_kde": kl(truth, density), "kernel_cov": kde.covariance.ravel().tolist()}))


if __name__ == "__main__":
    main()
