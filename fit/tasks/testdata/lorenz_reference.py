#!/usr/bin/python3
"""Reference trajectory of Lorenz-63 for fit/tasks' TestLorenz.

sigma=10, rho=28, beta=8/3 from (1, 1, 1), integrated by scipy's DOP853 at
rtol = atol = 1e-13 and sampled every 0.01 time units for t in [0, 5]
(501 samples). Writes lorenz_reference.csv: t,x,y,z with 17 significant
digits. Run: /usr/bin/python3 lorenz_reference.py > lorenz_reference.csv
"""
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp


def f(t, s, sigma=10.0, rho=28.0, beta=8.0 / 3.0):
    x, y, z = s
    return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]


t = np.arange(501) * 0.01
sol = solve_ivp(f, (0.0, t[-1]), [1.0, 1.0, 1.0], method="DOP853", t_eval=t, rtol=1e-13, atol=1e-13)
assert sol.success, sol.message
print(f"# scipy {scipy.__version__} numpy {np.__version__} DOP853 rtol=atol=1e-13")
print("t,x,y,z")
for i in range(len(t)):
    print(",".join(f"{v:.17g}" for v in (t[i], *sol.y[:, i])))
