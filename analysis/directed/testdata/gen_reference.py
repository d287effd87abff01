# Reference values for analysis/directed, written to reference.json.
# Run with Debian's python3 (numpy 1.24, scipy 1.10, statsmodels 0.13.5):
#   /usr/bin/python3 testdata/gen_reference.py
# Inputs: the signals of /work/shared/data/analysis-reference/make_fixtures.py
# (LCG noise, T = 60, 4 channels), rebuilt by the Go tests.
import json, math, os
import numpy as np
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.tsa.stattools import grangercausalitytests


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


X = signals(60)
T, N = X.shape
out = {"t": T, "n": N, "x": X.tolist()}


def nan_matrix():
    # the diagonal (no pair) stays null: JSON has no NaN
    return [[None] * N for _ in range(N)]


def lags(col, p):
    # column of x[t - l] for t = p..T-1, l = 1..p
    return np.column_stack([X[p - l:T - l, col] for l in range(1, p + 1)])


def record(ssr_r, ssr_u, nobs, df, p):
    f = (ssr_r - ssr_u) / ssr_u / p * df
    chi2 = nobs * (ssr_r - ssr_u) / ssr_u
    lr = nobs * math.log(ssr_r / ssr_u)
    return {"f": f, "f_p": stats.f.sf(f, p, df), "chi2": chi2, "chi2_p": stats.chi2.sf(chi2, p),
            "lr": lr, "lr_p": stats.chi2.sf(lr, p), "gaussian_te": 0.5 * math.log(ssr_r / ssr_u)}


for p in (1, 2, 3):
    # Bivariate: statsmodels grangercausalitytests for every ordered pair
    # (source i, target j): column order [target, source].
    biv = {k: nan_matrix() for k in ("f", "f_p", "chi2", "chi2_p", "lr", "lr_p", "df")}
    for i in range(N):
        for j in range(N):
            if i == j:
                continue
            r = grangercausalitytests(np.column_stack([X[:, j], X[:, i]]), maxlag=[p], verbose=False)[p][0]
            biv["f"][i][j], biv["f_p"][i][j], biv["df"][i][j] = r["ssr_ftest"][0], r["ssr_ftest"][1], r["ssr_ftest"][2]
            biv["chi2"][i][j], biv["chi2_p"][i][j] = r["ssr_chi2test"][:2]
            biv["lr"][i][j], biv["lr_p"][i][j] = r["lrtest"][:2]
    # Conditional: OLS of x_j[t] on a constant and the p lags of every
    # neuron (unrestricted) vs. the same without source i's lags.
    cond = {k: nan_matrix() for k in ("f", "f_p", "chi2", "chi2_p", "lr", "lr_p", "gaussian_te")}
    nobs = T - p
    for j in range(N):
        y = X[p:, j]
        full = np.column_stack([lags(c, p) for c in range(N)] + [np.ones(nobs)])
        ru = OLS(y, full).fit()
        for i in range(N):
            if i == j:
                continue
            restricted = np.column_stack([lags(c, p) for c in range(N) if c != i] + [np.ones(nobs)])
            rr = OLS(y, restricted).fit()
            rec = record(rr.ssr, ru.ssr, nobs, ru.df_resid, p)
            # cross-check F with statsmodels' own nested-model test
            fs, fp, _ = ru.compare_f_test(rr)
            assert abs(fs - rec["f"]) < 1e-9 * max(1, fs) and abs(fp - rec["f_p"]) < 1e-12
            for k, v in rec.items():
                cond[k][i][j] = v
    cond["df"] = T - p - N * p - 1
    out["lag%d" % p] = {"bivariate": biv, "conditional": cond}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, default=float, allow_nan=False)
