#!/usr/bin/python3
"""Reference values for fit/readout, computed with numpy (and scikit-learn).

Run once from this folder with the Debian python (python3-numpy, python3-sklearn):

    /usr/bin/python3 gen_reference.py

It writes reference.json: seeded inputs and, for each case, the expected
output of an independent implementation:

  ridge     W = np.linalg.solve(X'X + a I, X'Y) on raw data (no intercept), or
            on column-centred X, Y with b = mean(Y) - mean(X) W (intercept),
            for a in {0.1, 10}; sklearn.linear_model.Ridge(solver="cholesky")
            as a second check (stored separately, not copied from numpy)
  predict   Xtest W + b for every ridge case
  forget    exponentially weighted ridge, the closed form that RLS with
            forgetting factor lam and P0 = I/delta reaches after n samples:
            W = solve(lam^n delta I + sum_i lam^(n-i) x_i x_i',
                      sum_i lam^(n-i) x_i y_i')          (Haykin, RLS chapter)
  exact     noise-free targets Y0 = X W* (RLS must recover W*)
  metrics   R2 = 1 - SS_res/SS_tot and NRMSE = RMSE/std(y, ddof=0) per column,
            with numpy formulas; sklearn.metrics.r2_score(multioutput=
            "raw_values") as a second check

Matrices are lists of rows. Floats are written with repr (17 significant
digits), so they round-trip exactly.
"""
import json

import numpy as np

try:
    import sklearn
    from sklearn.linear_model import Ridge
    from sklearn.metrics import r2_score
except ImportError:  # the numpy values alone are enough for the Go tests
    sklearn = None

SEED = 20250214
T, F, K = 300, 8, 3
TTEST = 50
rng = np.random.default_rng(SEED)

# Features with non-zero means and unequal scales, so the intercept matters
# and the system is not trivially conditioned.
scale = rng.uniform(0.5, 3.0, size=F)
offset = rng.normal(0.0, 2.0, size=F)
X = rng.normal(size=(T, F)) * scale + offset
Xtest = rng.normal(size=(TTEST, F)) * scale + offset
Wtrue = rng.normal(size=(F, K))
btrue = rng.normal(0.0, 3.0, size=K)
noise = 0.1 * rng.normal(size=(T, K))
Y = X @ Wtrue + btrue + noise
Ytest = Xtest @ Wtrue + btrue + 0.1 * rng.normal(size=(TTEST, K))
Y0 = X @ Wtrue  # noise-free, no intercept


def mat(a):
    return [[float(v) for v in row] for row in np.atleast_2d(a)]


def vec(a):
    return [float(v) for v in np.asarray(a).ravel()]


def ridge_numpy(X, Y, alpha, intercept):
    if intercept:
        mx, my = X.mean(axis=0), Y.mean(axis=0)
        Xc, Yc = X - mx, Y - my
        W = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ Yc)
        b = my - mx @ W
    else:
        W = np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ Y)
        b = np.zeros(Y.shape[1])
    return W, b


ridge = []
for alpha in (0.1, 10.0):
    for intercept in (False, True):
        W, b = ridge_numpy(X, Y, alpha, intercept)
        case = {
            "name": f"alpha={alpha:g}/intercept={intercept}",
            "alpha": alpha,
            "fit_intercept": intercept,
            "W": mat(W),
            "b": vec(b),
            "predict": mat(Xtest @ W + b),
        }
        if sklearn is not None:
            m = Ridge(alpha=alpha, fit_intercept=intercept, solver="cholesky").fit(X, Y)
            Ws, bs = m.coef_.T, np.broadcast_to(m.intercept_, (K,))
            assert np.allclose(Ws, W, rtol=1e-10, atol=1e-12), case["name"]
            assert np.allclose(bs, b, rtol=1e-10, atol=1e-12), case["name"]
            case["sklearn_W"] = mat(Ws)
            case["sklearn_b"] = vec(bs)
        ridge.append(case)

forget = []
# lam = 0.75 takes the scale s = lam^-n of the Go code past 1e30 (its
# renormalization) at n ~ 240.
for lam, delta in ((0.98, 1.0), (0.995, 0.1), (0.75, 1.0)):
    n = T
    wts = lam ** (n - 1 - np.arange(n))  # sample i (0-based) has weight lam^(n-1-i)
    A = lam**n * delta * np.eye(F) + (X * wts[:, None]).T @ X
    B = (X * wts[:, None]).T @ Y
    forget.append({"name": f"lambda={lam:g}/delta={delta:g}", "lambda": lam, "delta": delta,
                   "W": mat(np.linalg.solve(A, B))})


def r2(y, yhat):
    ss_res = ((y - yhat) ** 2).sum(axis=0)
    ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    return 1.0 - ss_res / ss_tot


def nrmse(y, yhat):
    return np.sqrt(((y - yhat) ** 2).mean(axis=0)) / y.std(axis=0, ddof=0)


W01, b01 = ridge_numpy(X, Y, 0.1, True)
metric_cases = {
    "good": Xtest @ W01 + b01,            # a fitted readout on held-out data
    "zero": np.zeros_like(Ytest),         # worse than the mean: negative R2
    "biased": Xtest @ W01 + b01 + 0.5,    # constant offset per column
}
metrics = []
for name, yhat in metric_cases.items():
    case = {"name": name, "Yhat": mat(yhat), "r2": vec(r2(Ytest, yhat)), "nrmse": vec(nrmse(Ytest, yhat))}
    if sklearn is not None:
        s = r2_score(Ytest, yhat, multioutput="raw_values")
        assert np.allclose(s, case["r2"], rtol=1e-12), name
        case["sklearn_r2"] = vec(s)
    metrics.append(case)

out = {
    "seed": SEED,
    "numpy": np.__version__,
    "sklearn": sklearn.__version__ if sklearn is not None else None,
    "X": mat(X),
    "Y": mat(Y),
    "Xtest": mat(Xtest),
    "Ytest": mat(Ytest),
    "Wtrue": mat(Wtrue),
    "Y0": mat(Y0),
    "ridge": ridge,
    "forget": forget,
    "metrics": metrics,
}
with open("reference.json", "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote reference.json:", len(ridge), "ridge,", len(forget), "forget,", len(metrics), "metrics cases")
