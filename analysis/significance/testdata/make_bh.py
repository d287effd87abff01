#!/usr/bin/python3
"""Reference q-values for significance.BenjaminiHochberg.

Run with Debian's python3 (apt-get install -y python3-statsmodels):
    /usr/bin/python3 make_bh.py > bh.json
The p vector is fixed: ties (0.04 three times, 0.03 twice), exact 0 and 1.0s,
and values on both sides of the step-up thresholds.
"""
import json
import sys

import numpy
import statsmodels
from statsmodels.stats.multitest import multipletests

P = [0.01, 0.04, 0.04, 0.03, 0.2, 1.0, 1.0, 0.5, 0.001, 0.049, 0.3, 0.03,
     0.0, 0.75, 0.04, 0.9, 0.011, 0.02, 0.0051, 1.0]

out = {
    "source": "statsmodels %s, numpy %s: multipletests(p, alpha, method='fdr_bh')"
              % (statsmodels.__version__, numpy.__version__),
    "p": P,
    "q": None,
    "reject": {},
}
for alpha in (0.05, 0.1):
    reject, q, _, _ = multipletests(P, alpha=alpha, method="fdr_bh")
    out["q"] = [float(v) for v in q]  # q does not depend on alpha
    out["reject"][repr(alpha)] = [bool(v) for v in reject]
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
