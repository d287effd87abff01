# Reference for fc's Hann-tapered windows: the weighted Pearson correlation
# numpy gives (np.cov with aweights = np.hanning(L), then normalized) for
# windows of 10 samples every 5 of signals(30) of
# /work/shared/data/analysis-reference/make_fixtures.py (same LCG, seed 1).
# Run with Debian's python3 (numpy 1.24.2): /usr/bin/python3 hann_pearson.py > hann_pearson.json
import json
import numpy as np

def lcg_noise(T, N, seed):
    s = seed
    u = np.zeros((T, N))
    for t in range(T):
        for j in range(N):
            s = (1103515245 * s + 12345) % (2 ** 31)
            u[t, j] = s / 2 ** 31 - 0.5
    return u

def signals(T, offset=0, seed=1):
    t = np.arange(T, dtype=float) + offset
    u = lcg_noise(T, 4, seed)
    x0 = np.sin(0.5 * t) + 0.3 * u[:, 0]
    x1 = 0.8 * np.sin(0.5 * (t - 1)) + 0.3 * np.cos(1.7 * t) + 0.3 * u[:, 1]
    x2 = np.cos(0.9 * t) + 0.2 * np.sin(2.3 * t) + 0.3 * u[:, 2]
    x3 = 0.5 * x2 - 0.4 * x0 + 0.1 * np.sin(3.1 * t) + 0.3 * u[:, 3]
    return np.column_stack([x0, x1, x2, x3])

X = signals(30)
w = np.hanning(10)
out = {"numpy": np.__version__, "hann10": w.tolist(), "windows": []}
for s in range(0, 30 - 10 + 1, 5):
    c = np.cov(X[s:s + 10].T, aweights=w)
    d = np.sqrt(np.diag(c))
    out["windows"].append({"start": s, "corr": (c / np.outer(d, d)).tolist()})
print(json.dumps(out, indent=1))
