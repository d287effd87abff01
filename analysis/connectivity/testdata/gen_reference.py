#!/usr/bin/python3
"""Reference values for analysis/connectivity, computed with numpy.

Run once from this folder with the Debian python (python3-numpy):

    /usr/bin/python3 gen_reference.py

It writes reference.json: a seeded T x N trace matrix (rows are time,
columns are neurons) and, computed independently of the Go code:

  pearson      np.corrcoef(x, rowvar=False)
  lagged       for lag in [-max_lag, max_lag]:
                   r[lag][i][j] = np.corrcoef(x[:T-lag, i], x[lag:, j])[0, 1]  (lag >= 0)
                   r[lag][i][j] = np.corrcoef(x[-lag:, i], x[:T+lag, j])[0, 1] (lag < 0)
               i.e. corr(x_i(t), x_j(t+lag)) on the overlapping samples,
               and per pair the lag of the largest |r| (np.argmax) and r there
  partial      P = np.linalg.inv(np.cov(x, rowvar=False))            (ridge 0)
               P = np.linalg.inv(np.corrcoef(x, rowvar=False) + l*I) (ridge l > 0)
               rho_ij = -P_ij / sqrt(P_ii P_jj), rho_ii = 1
  partial_wide the same with ridge on a T < N matrix (np.cov is singular there)

Nothing here calls the Go code; the Go tests never call Python.
"""
import json
import os

import numpy as np

SEED = 20250611
T, N = 200, 6
MAX_LAG = 5
RIDGES = [0.0, 0.1, 1.0]
rng = np.random.default_rng(SEED)

# Independent noise, then some structure: column 1 follows column 0,
# column 2 is column 0 delayed by 3 samples, column 4 anti-follows column 3,
# column 5 mixes 1 and 3. An offset and a scale per column make sure the
# code centres and scales.
z = rng.standard_normal((T + 3, N))
x = np.empty((T, N))
x[:, 0] = z[3:, 0]
x[:, 1] = 0.8 * x[:, 0] + 0.6 * z[3:, 1]
x[:, 2] = 0.7 * z[:T, 0] + 0.5 * z[3:, 2]  # x2(t) ~ x0(t-3): x0 leads by 3
x[:, 3] = z[3:, 3]
x[:, 4] = -0.9 * x[:, 3] + 0.4 * z[3:, 4]
x[:, 5] = 0.5 * x[:, 1] + 0.5 * x[:, 3] + 0.7 * z[3:, 5]
x = x * np.array([1.0, 2.5, 0.3, 10.0, 1.0, 4.0]) + np.array([0.0, 5.0, -3.0, 100.0, 0.5, -7.0])


def partial_from_precision(p):
    d = np.sqrt(np.diag(p))
    rho = -p / np.outer(d, d)
    np.fill_diagonal(rho, 1.0)
    return rho


def partial(x, ridge):
    if ridge == 0:
        p = np.linalg.inv(np.cov(x, rowvar=False))
    else:
        p = np.linalg.inv(np.corrcoef(x, rowvar=False) + ridge * np.eye(x.shape[1]))
    return partial_from_precision(p)


def lagged(x, max_lag):
    t, n = x.shape
    lags = list(range(-max_lag, max_lag + 1))
    r = np.empty((len(lags), n, n))
    for k, lag in enumerate(lags):
        for i in range(n):
            for j in range(n):
                if lag >= 0:
                    a, b = x[: t - lag, i], x[lag:, j]
                else:
                    a, b = x[-lag:, i], x[: t + lag, j]
                r[k, i, j] = np.corrcoef(a, b)[0, 1]
    best = np.argmax(np.abs(r), axis=0)  # no ties in this data
    peak_lag = np.array(lags)[best]
    peak = np.take_along_axis(r, best[None], axis=0)[0]
    return lags, r, peak_lag, peak


def mat(a):
    return [[float(v) for v in row] for row in a]


lags, r, peak_lag, peak = lagged(x, MAX_LAG)

# A wide matrix: more neurons than samples, invertible only with a ridge.
TW, NW = 8, 12
xw = rng.standard_normal((TW, NW))

out = {
    "seed": SEED,
    "numpy": np.__version__,
    "t": T,
    "n": N,
    "x": mat(x),
    "pearson": mat(np.corrcoef(x, rowvar=False)),
    "lagged": {
        "max_lag": MAX_LAG,
        "lags": lags,
        "r": [mat(m) for m in r],
        "peak_lag": [[int(v) for v in row] for row in peak_lag],
        "peak": mat(peak),
    },
    "partial": [{"ridge": l, "rho": mat(partial(x, l))} for l in RIDGES],
    "partial_wide": {
        "x": mat(xw),
        "cov_rank": int(np.linalg.matrix_rank(np.cov(xw, rowvar=False))),
        "ridge": 0.5,
        "rho": mat(partial(xw, 0.5)),
    },
}

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
