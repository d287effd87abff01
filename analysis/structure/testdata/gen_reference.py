"""Reference values for analysis/structure: Spearman and ROC-AUC of |FC|
against a connectome's pair weights, with Debian's python3-scipy
(scipy.stats.spearmanr) and python3-sklearn (sklearn.metrics.roc_auc_score).

Run: /usr/bin/python3 gen_reference.py > reference.json

Inputs come from a deterministic LCG (x <- (6364136223846793005 x +
1442695040888963407) mod 2^64, u = (x >> 11) / 2^53) and are written to the
JSON, so the Go test reads them rather than rebuilding them. FC values are
rounded to one decimal and weights are small integers, so both have ties.
"""
import json

import numpy as np
import scipy
import sklearn
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score, roc_curve

state = 20261206


def u():
    global state
    state = (6364136223846793005 * state + 1442695040888963407) % 2**64
    return (state >> 11) / 2**53


n = 14
fc = np.eye(n)
for i in range(n):
    for j in range(i + 1, n):
        fc[i, j] = fc[j, i] = round(2 * u() - 1, 1)
chem = np.zeros((n, n))
gap = np.zeros((n, n))
for i in range(n):
    for j in range(n):
        if i != j and u() < 0.2:
            chem[i, j] = 1 + int(4 * u())
for i in range(n):
    for j in range(i + 1, n):
        if u() < 0.15:
            gap[i, j] = gap[j, i] = 1 + int(3 * u())

iu = np.triu_indices(n, 1)
score = np.abs(fc[iu])
cases = {}
for name, w in {
    "chemical": (chem + chem.T)[iu],
    "electrical": gap[iu],
    "chemical|electrical": (chem + chem.T)[iu] + gap[iu],
}.items():
    cases[name] = {
        "spearman": float(spearmanr(score, w).correlation),
        "auc": float(roc_auc_score(w != 0, score)),
    }
    fpr, tpr, _ = roc_curve(w != 0, score, drop_intermediate=False)
    cases[name]["fpr"], cases[name]["tpr"] = fpr.tolist(), tpr.tolist()

json.dump(
    {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
        "fc": fc.tolist(),
        "chemical": chem.tolist(),
        "gap": gap.tolist(),
        "cases": cases,
    },
    __import__("sys").stdout,
    indent=1,
)
