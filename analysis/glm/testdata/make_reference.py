#!/usr/bin/python3
# Reference fits for analysis/glm tests, made with Debian's statsmodels
# (apt-get install -y python3-statsmodels; run with /usr/bin/python3):
#   /usr/bin/python3 make_reference.py > reference.json
# Inputs, t = 0..59 (rebuilt in Go by referenceInputs in regression_test.go):
#   X = [sin(0.3t), cos(0.7t), ((7t) % 11) / 10], an intercept added in front
#   w = 0.5 + 0.5 cos(0.2t)^2
#   bernoulli y = [(3t+1) % 5 == 0 or sin(0.3t) > 0.5]
#   gaussian  y = 1 + 0.5 sin(0.3t) - cos(0.7t) + 0.3 sin(2.3t)
#   poisson   y = [(3t+1)%5==0] + [t%7==0] + [sin(0.3t)>0.5]
import json, math
import numpy as np
import statsmodels
import statsmodels.api as sm

T = 60
t = np.arange(T, dtype=float)
X = np.column_stack([np.sin(0.3 * t), np.cos(0.7 * t), ((7 * np.arange(T)) % 11) / 10.0])
Xi = sm.add_constant(X, prepend=True)
w = 0.5 + 0.5 * np.cos(0.2 * t) ** 2
yb = np.array([float(((3 * i + 1) % 5 == 0) or math.sin(0.3 * i) > 0.5) for i in range(T)])
yg = 1 + 0.5 * np.sin(0.3 * t) - np.cos(0.7 * t) + 0.3 * np.sin(2.3 * t)
yp = np.array([int((3 * i + 1) % 5 == 0) + int(i % 7 == 0) + int(math.sin(0.3 * i) > 0.5) for i in range(T)], float)

out = {"statsmodels": statsmodels.__version__}
rb = sm.GLM(yb, Xi, family=sm.families.Binomial(), freq_weights=w).fit(tol=1e-14, maxiter=200)
out["bernoulli_logit"] = {"beta": rb.params.tolist(), "llf": float(rb.llf)}
rg = sm.GLM(yg, Xi, family=sm.families.Gaussian(), freq_weights=w).fit()
out["gaussian_identity"] = {"beta": rg.params.tolist()}
rp = sm.GLM(yp, Xi, family=sm.families.Poisson(), freq_weights=w).fit(tol=1e-14, maxiter=200)
out["poisson_exp"] = {"beta": rp.params.tolist(), "llf": float(rp.llf)}
# ridge, intercept unpenalized: (X'WX + lam*D) b = X'W y with D = diag(0, 1, 1, 1)
lam = 2.5
A = Xi.T @ (Xi * w[:, None]) + lam * np.diag([0.0, 1, 1, 1])
out["gaussian_ridge_l2_2.5"] = {"beta": np.linalg.solve(A, Xi.T @ (w * yg)).tolist()}
print(json.dumps(out, indent=1))
