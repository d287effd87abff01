# Reference values for analysis/covariance's OAS estimator.
# Run with Debian's python3 (numpy 1.24.2, scikit-learn 1.2.1):
#   /usr/bin/python3 make_oas.py   (writes oas.json beside this script)
# The input is the T = 30 signal matrix of
# /work/shared/data/analysis-reference/make_fixtures.py (signals(30), LCG
# seed 1), rebuilt here with the same closed form.
import json, os
import numpy as np
import sklearn
from sklearn.covariance import OAS


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


out = {"sklearn": sklearn.__version__, "numpy": np.__version__}
X = signals(30)
oas = OAS(store_precision=False).fit(X)
out["oas_T30"] = {"shrinkage": float(oas.shrinkage_), "covariance": oas.covariance_.tolist()}
# Few samples, many features: T = 5 rows of the same input, N = 4.
X5 = X[:5]
oas5 = OAS(store_precision=False).fit(X5)
out["oas_T5"] = {"shrinkage": float(oas5.shrinkage_), "covariance": oas5.covariance_.tolist()}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "oas.json"), "w") as f:
    json.dump(out, f, indent=1)
