#!/usr/bin/python3
"""statsmodels peer of BenchmarkGrangerPairs (analysis/directed/bench_test.go).

Builds the same 10,000 x 100 AR(1) traces as the Go benchmark's sharedAR
(splitmix64 innovations, bit for bit) and times a loop of
statsmodels.tsa.stattools.grangercausalitytests over every ordered pair
(source -> target) at lag 5, the way a lab would write it. Prints

    pairs=9900 seconds=123.4 F01=5.678

F01 is the ssr F test of neuron 0 -> 1, which the Go benchmark reports too.
--pairs K times only the first K ordered pairs (row-major) and also prints
the extrapolation to all pairs.

Usage: /usr/bin/python3 bench/fc_granger.py [--pairs K]
"""
import argparse
import time
import warnings

import numpy as np
from statsmodels.tsa.stattools import grangercausalitytests

from fc_corr import unit  # the splitmix64 generator shared with the Go benchmarks

T, N, LAG = 10_000, 100, 5


def shared_ar(t, n):
    e = np.sqrt(3) * (2 * unit(np.arange(t * n, dtype=np.uint64)).reshape(t, n) - 1)
    x = np.zeros((t, n))
    x[0] = e[0]
    odd = np.arange(1, n, 2)
    for s in range(1, t):
        x[s] = 0.9 * x[s - 1] + e[s]
        x[s, odd] += 0.2 * x[s - 1, odd - 1]
    return x


def granger_f(x, source, target):
    r = grangercausalitytests(x[:, [target, source]], maxlag=[LAG], verbose=False)
    return r[LAG][0]["ssr_ftest"][0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=N * (N - 1))
    a = ap.parse_args()
    warnings.simplefilter("ignore")  # statsmodels' deprecation of verbose
    x = shared_ar(T, N)
    pairs = [(i, j) for i in range(N) for j in range(N) if i != j][: a.pairs]
    t0 = time.perf_counter()
    for i, j in pairs:
        granger_f(x, i, j)
    s = time.perf_counter() - t0
    line = f"pairs={len(pairs)} seconds={s:.3f} F01={granger_f(x, 0, 1):.10g}"
    if len(pairs) < N * (N - 1):
        line += f" all_pairs_seconds={s * N * (N - 1) / len(pairs):.1f}"
    print(line)


if __name__ == "__main__":
    main()
