#!/usr/bin/python3
"""Peer of BenchmarkRidgeLarge (fit/readout/bench_test.go): the ridge fit
of T = 10,000 states x F = 1,000 units to K = 10 targets, W = (X^T X + aI)^-1 X^T Y,
with numpy's X.T @ X and solve, on the same data as the Go benchmark:
X[i][j] = 2u - 1 and Y[i][k] = 2v - 1 with u, v the splitmix64 uniforms of the
flat indices i*F + j and T*F + i*K + k (see splitmix below).

Prints the best of --repeat wall times (seconds per fit) and the sum of W,
which the Go benchmark logs too, so the two solve the same problem.
Run: /usr/bin/python3 ridge_peer.py [--repeat 3]; OPENBLAS_NUM_THREADS=1 for one core.
"""
import argparse
import time

import numpy as np

T, F, K, ALPHA = 10_000, 1_000, 10, 1.0


def splitmix(idx):
    """Uniforms in [0, 1) from the splitmix64 hash of uint64 indices."""
    with np.errstate(over="ignore"):
        z = idx.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    X = 2 * splitmix(np.arange(T * F, dtype=np.uint64)).reshape(T, F) - 1
    Y = 2 * splitmix(np.arange(T * F, T * F + T * K, dtype=np.uint64)).reshape(T, K) - 1
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        A = X.T @ X
        A[np.diag_indices(F)] += ALPHA
        W = np.linalg.solve(A, X.T @ Y)
        best = min(best, time.perf_counter() - t0)
    print(f"numpy {np.__version__}: ridge fit {T}x{F} -> {K}: {best:.4f} s (best of {a.repeat}); sum(W) = {W.sum():.12g}")


if __name__ == "__main__":
    main()
