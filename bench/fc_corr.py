#!/usr/bin/python3
"""numpy peer of BenchmarkCorrelation (analysis/covariance/bench_test.go).

Builds the same T x N traces as the Go benchmark's sharedTraces (splitmix64
of the element index, so both time the same numbers) and times
np.corrcoef(x, rowvar=False). Prints one line per size:

    N=300/T=100000 seconds=0.2345 r01=0.123456789

Usage: /usr/bin/python3 bench/fc_corr.py [N:T ...]   (default 300:100000 1000:5000)
"""
import sys
import time

import numpy as np


def unit(k):
    """u(k) in [0, 1) from splitmix64 of the uint64 array k (the Go benchmarks' u)."""
    with np.errstate(over="ignore"):
        z = (k + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def u(k):
    """2 unit(k) - 1, in [-1, 1)."""
    return 2 * unit(k) - 1


def shared_traces(t, n):
    idx = np.arange(t * n, dtype=np.uint64).reshape(t, n)
    common = u(np.arange(t * n, t * n + t, dtype=np.uint64))
    return u(idx) + (np.arange(n) % 3 / 2)[None, :] * common[:, None]


def main(sizes):
    for n, t in sizes:
        x = shared_traces(t, n)
        t0 = time.perf_counter()
        r = np.corrcoef(x, rowvar=False)
        s = time.perf_counter() - t0
        print(f"N={n}/T={t} seconds={s:.6f} r01={r[0, 1]:.12g}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:] or ["300:100000", "1000:5000"]
    main([tuple(int(v) for v in a.split(":")) for a in args])
