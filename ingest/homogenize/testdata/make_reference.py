#!/usr/bin/python3
"""Reference values for ingest/homogenize, computed with numpy/scipy/pandas.

Run once from this folder with the Debian python (numpy, scipy, pandas, h5py):

    /usr/bin/python3 make_reference.py

It writes reference.json: the seeded inputs and, for each step, the
expected output from an independent implementation:

  fill        np.interp(t, t[finite], x[finite])
  interp      np.interp(q, t, x)
  moving      pandas Series.rolling(w//2 + 1, min_periods=1).mean()  (w made odd)
  gaussian    the published causal half-Gaussian, full past, as an O(T^2) numpy loop
  exponential pandas Series.ewm(alpha=a, adjust=False).mean()
  zscore      scipy.stats.zscore(ddof=0), nan_policy="omit" for the NaN case
  causal      pandas expanding().mean() / expanding().std(ddof=0), variance floored at 1e-8
  resample    np.interp onto np.arange(0, t_max, dt) (up) or onto
              np.arange(0, t_max, dt/6) followed by reshape(-1, 6).mean(1) (down)
  blockmean   reshape(-1, k).mean(1)
  pipeline    the whole chain on a seeded raw recording
  dag2023     the whole chain on the real Dag et al. 2023 recording in
              ../shared/data/dag2023 (labels assigned here; the file has none)

NaN is written as null. Nothing here is copied from the published code; the
rules follow its description (worm-data-preprocess, preprocess/preprocessors).
"""
import json
import os

import numpy as np
import pandas as pd
import scipy.stats

SEED = 20240601
DT = 0.333
rng = np.random.default_rng(SEED)


def lst(a):
    """Flattened list, NaN as null, 13 significant digits (far below the 1e-6 tolerance)."""
    return [None if np.isnan(v) else float(f"{v:.13g}") for v in np.asarray(a, dtype=float).ravel()]


def fill(t, x):
    ok = ~np.isnan(x)
    return np.interp(t, t[ok], x[ok])


def moving(x, w):
    if w % 2 == 0:
        w += 1
    return pd.Series(x).rolling(w // 2 + 1, min_periods=1).mean().to_numpy()


def gaussian(x, sigma):
    # y[i] = sum_k w_k x[i-k] / sum_k w_k over the whole past, w_k = exp(-k^2/(2 sigma^2))
    y = np.empty_like(x)
    for i in range(len(x)):
        k = np.arange(i, -1, -1, dtype=float)  # distance of x[0..i] from i
        w = np.exp(-(k ** 2) / (2 * sigma ** 2))
        y[i] = np.dot(w, x[: i + 1]) / w.sum()
    return y


def exponential(x, a):
    return pd.Series(x).ewm(alpha=a, adjust=False).mean().to_numpy()


def zscore(x):
    return scipy.stats.zscore(x, ddof=0, nan_policy="omit")


def causal(x):
    s = pd.Series(x)
    m = s.expanding().mean().to_numpy()
    v = s.expanding().var(ddof=0).to_numpy()
    return (x - m) / np.sqrt(np.maximum(v, 1e-8))


def resample(t, x, dt):
    """Returns (times, values, direction) for t already starting at 0."""
    med = np.median(np.diff(t))
    if dt < med:
        q = np.arange(0.0, t.max(), dt)
        return q, np.interp(q, t, x), "up"
    f = np.arange(0.0, t.max(), dt / 6)
    width = max(1, int(np.round(dt / np.median(np.diff(f)[1:]))))
    assert width == 6, width
    n = len(f) // 6
    y = np.interp(f, t, x)[: n * 6].reshape(n, 6).mean(axis=1)
    return dt * np.arange(n), y, "down"


def pipeline(t, X, keep, smooth="moving", norm="zscore", do_resample=True):
    """The chain on columns `keep` of X: rebase, fill, normalize, smooth, resample."""
    t = t - t[0]
    data, orig = [], []
    tt = t
    for j in keep:
        x = fill(t, X[:, j])
        x = {"zscore": zscore, "causal": causal, "none": lambda v: v}[norm](x)
        orig.append(x)
        if smooth == "moving":
            s = moving(x, 15)
        elif smooth == "gaussian":
            s = gaussian(x, 5.0)
        elif smooth == "exponential":
            s = exponential(x, 0.5)
        else:
            s = x
        if do_resample:
            tt, s, _ = resample(t, s, DT)
        data.append(s)
    return tt, np.stack(data, axis=1), t, np.stack(orig, axis=1)


ref = {"seed": SEED, "dt": DT}

# --- one irregular trace with NaN gaps --------------------------------------
n = 80
t = 1000.0 + np.cumsum(0.6 + 0.05 * rng.uniform(-1, 1, n))
x = np.cumsum(rng.normal(0, 1, n)) + 3 * np.sin(np.arange(n) / 5.0)
xn = x.copy()
for i in [0, 1, 10, 11, 12, 13, 30, n - 2, n - 1]:
    xn[i] = np.nan
ref["series"] = {"t": lst(t), "x": lst(x), "x_nan": lst(xn)}
ref["fill"] = {"expected": lst(fill(t, xn)), "filled": int(np.isnan(xn).sum())}
q = np.concatenate([[t[0] - 5, t[-1] + 5, t[-1], t[0]], rng.uniform(t[0], t[-1], 20), np.sort(rng.uniform(t[0], t[-1], 20))])
ref["interp"] = {"q": lst(q), "expected": lst(np.interp(q, t, x))}
ref["moving"] = [{"window": w, "expected": lst(moving(x, w))} for w in (15, 4, 1, 200)]
ref["gaussian"] = [{"sigma": s, "expected": lst(gaussian(x, s))} for s in (5.0, 1.5)]
ref["exponential"] = [{"alpha": a, "expected": lst(exponential(x, a))} for a in (0.5, 0.2, 1.0)]
ref["zscore"] = {"expected": lst(zscore(x)), "expected_nan": lst(zscore(xn))}
big = x + 1.0e4
ref["causal"] = {"expected": lst(causal(x)), "x_big": lst(big), "expected_big": lst(causal(big))}

# --- resampling: slow (upsample) and fast (downsample) ----------------------
ts = np.cumsum(np.r_[0.0, 0.6 + 0.05 * rng.uniform(-1, 1, 79)])
xs = np.sin(ts / 3.0) + 0.1 * rng.normal(size=80)
tq, yq, d = resample(ts, xs, DT)
assert d == "up"
ref["resample_up"] = {"t": lst(ts), "x": lst(xs), "t_new": lst(tq), "expected": lst(yq)}
tf = np.cumsum(np.r_[0.0, 0.1 + 0.01 * rng.uniform(-1, 1, 199)])
xf = np.cos(tf) + 0.1 * rng.normal(size=200)
tq, yq, d = resample(tf, xf, DT)
assert d == "down"
ref["resample_down"] = {"t": lst(tf), "x": lst(xf), "t_new": lst(tq), "expected": lst(yq)}
xb = rng.normal(size=20)
ref["blockmean"] = {"x": lst(xb), "k": 6, "expected": lst(xb[:18].reshape(3, 6).mean(axis=1))}

# --- the whole chain on a seeded raw recording -------------------------------
T, N = 620, 4
traw = 1234.5 + np.cumsum(0.2 + 0.02 * rng.uniform(-1, 1, T))
Xraw = np.cumsum(rng.normal(0, 1, (T, N)), axis=0) + 50.0
Xraw[5:9, 0] = np.nan
Xraw[0:3, 1] = np.nan
Xraw[-4:, 2] = np.nan
Xraw[100:140, 3] = np.nan
labels = ["DA01", "roi_7", "AVAL", "DA1"]
# expected columns: the canonical neurons in atlas (byte) order, AVAL (raw 2)
# then DA1 (raw 0, from "DA01"); then the unlabeled "roi_7" (raw 1). Raw 3
# ("DA1") normalizes to the same label as raw 0 and is dropped.
keep = [2, 0, 1]
cases = []
for name, kw in [
    ("defaults", {}),
    ("causal_gaussian", {"smooth": "gaussian", "norm": "causal"}),
    ("exponential_noresample", {"smooth": "exponential", "norm": "none", "do_resample": False}),
]:
    tt, D, to, O = pipeline(traw, Xraw, keep, **kw)
    cases.append({"name": name, "time": lst(tt), "rows": D.shape[0], "every": 3, "data_every": lst(D[::3]),
                  "original_every": lst(O[::10]), "original_rows": O.shape[0]})
ref["pipeline"] = {"t": lst(traw), "x": lst(Xraw), "rows": T, "cols": N, "original_step": 10, "labels": labels,
                   "neurons": ["AVAL", "DA1", "roi_7"], "raw_columns": keep, "cases": cases}

# --- the real Dag et al. 2023 recording ---------------------------------------
h5 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "shared", "data",
                  "dag2023", "2022-07-26-31-data.h5")
if os.path.exists(h5):
    import h5py

    with h5py.File(h5, "r") as f:
        X = np.array(f["gcamp/traces_array_F_F20"], dtype=float)
        tc = np.array(f["timing/timestamp_confocal"], dtype=float)
    assert X.shape == (800, 146), X.shape
    dlabels = {3: "AVAL", 10: "RIML", 20: "DA01"}  # assigned for the test; the file has no labels
    dkeep = [3, 20, 10, 0]  # AVAL, DA1, RIML (atlas byte order), then the first unlabeled (raw 0)
    tt, D, to, O = pipeline(tc, X, dkeep)
    every = 50  # a sparse sample of derived values: the recording itself is not copied here
    ref["dag2023"] = {
        "labels": {str(k): v for k, v in dlabels.items()},
        "raw_columns": dkeep,
        "nan_samples": int(np.isnan(X).sum()),
        "median_dt": float(np.median(np.diff(tc))),
        "rows": D.shape[0],
        "every": every,
        "time_every": lst(tt[::every]),
        "data_every": lst(D[::every]),
        "original_row100": lst(O[100]),
    }

with open("reference.json", "w") as f:
    json.dump(ref, f, separators=(",", ":"))
print("wrote reference.json", os.path.getsize("reference.json"), "bytes")
