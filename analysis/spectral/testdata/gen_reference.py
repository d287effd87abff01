# Reference values for analysis/spectral, written to reference.json.
# Run with Debian's python3 (numpy 1.24, scipy 1.10):
#   /usr/bin/python3 testdata/gen_reference.py
# Inputs: three channels from a deterministic LCG (stored in the JSON as x).
# Sign convention of package spectral (MNE-connectivity's): S_xy = X conj(Y),
# so scipy.signal.csd(x, y) is conj(S_xy): we store csd(y, x).
import json, os
import numpy as np
from scipy import signal


def lcg_noise(T, N, seed):
    s = seed
    u = np.zeros((T, N))
    for t in range(T):
        for j in range(N):
            s = (1103515245 * s + 12345) % (2 ** 31)
            u[t, j] = s / 2 ** 31 - 0.5
    return u


T, FS = 400, 100.0
t = np.arange(T) / FS
u = lcg_noise(T, 3, 7)
x0 = np.sin(2 * np.pi * 10 * t) + 0.5 * u[:, 0] + 0.3
x1 = 0.8 * np.sin(2 * np.pi * 10 * t - 0.7) + 0.4 * np.cos(2 * np.pi * 23 * t) + 0.5 * u[:, 1]
x2 = 0.5 * x0 + np.sin(2 * np.pi * 31.5 * t + 0.2) + 0.6 * u[:, 2] - 1.0
X = np.column_stack([x0, x1, x2])
out = {"t": T, "fs": FS, "x": X.tolist()}


def cplx(z):
    return {"re": np.real(z).tolist(), "im": np.imag(z).tolist()}


# Welch cross-spectral densities and coherence (scipy.signal.csd/coherence,
# Hann window, constant detrend, one-sided density, mean over segments).
welch = []
for nperseg, noverlap in ((64, 32), (50, 10), (63, 0)):
    case = {"nperseg": nperseg, "noverlap": noverlap, "csd": {}, "coherence": {}}
    for i, j in ((0, 1), (0, 0), (1, 2), (2, 0)):
        f, pyx = signal.csd(X[:, j], X[:, i], fs=FS, window="hann", nperseg=nperseg,
                            noverlap=noverlap, detrend="constant", scaling="density")
        case["csd"]["%d%d" % (i, j)] = cplx(pyx)
        if i != j:
            _, c = signal.coherence(X[:, i], X[:, j], fs=FS, window="hann", nperseg=nperseg,
                                    noverlap=noverlap, detrend="constant")
            case["coherence"]["%d%d" % (i, j)] = c.tolist()
    case["f"] = f.tolist()
    welch.append(case)
out["welch"] = welch

# DPSS tapers and concentrations.
dpss = []
for M, NW, K in ((64, 4.0, 7), (101, 2.5, 4), (256, 3.5, 6), (17, 1.0, 2), (1000, 4.0, 8)):
    w, r = signal.windows.dpss(M, NW, K, return_ratios=True)
    dpss.append({"n": M, "nw": NW, "k": K, "tapers": w.tolist(), "ratios": r.tolist()})
out["dpss"] = dpss


# Multitaper cross-spectral density of package spectral, written out with
# scipy's tapers: S_xy(f) = c(f)/fs * sum_k lam_k X_k(f) conj(Y_k(f)) / sum_k lam_k,
# X_k the rfft of the mean-removed signal times taper k, c = 2 except at DC
# and (even length) Nyquist; tapers K = floor(2 NW), those with lam < 0.9 dropped
# (MNE's low_bias).
def mt_csd(x, y, nw):
    n = len(x)
    k = int(2 * nw)
    tap, lam = signal.windows.dpss(n, nw, k, return_ratios=True)
    keep = lam > 0.9
    tap, lam = tap[keep], lam[keep]
    xk = np.fft.rfft((x - x.mean()) * tap, axis=-1)
    yk = np.fft.rfft((y - y.mean()) * tap, axis=-1)
    s = (lam[:, None] * xk * np.conj(yk)).sum(0) / lam.sum() / FS
    c = np.full(s.shape, 2.0)
    c[0] = 1
    if n % 2 == 0:
        c[-1] = 1
    return s * c


mt = []
for n, bw in ((400, 2.0), (399, 1.5)):
    nw = bw * n / (2 * FS)
    case = {"n": n, "bandwidth": bw, "csd": {}}
    for i, j in ((0, 1), (1, 1), (1, 2)):
        case["csd"]["%d%d" % (i, j)] = cplx(mt_csd(X[:n, i], X[:n, j], nw))
    case["f"] = np.fft.rfftfreq(n, 1 / FS).tolist()
    mt.append(case)
out["multitaper"] = mt


# The MNE-connectivity measures (spectral_connectivity_epochs accumulators,
# re-written in numpy) over epochs: X cut into 8 epochs of 50 samples,
# each epoch's cross-spectrum from Welch (nperseg 25, noverlap 12: one
# segment per epoch would do for MNE; two exercise the mean) and from
# multitaper (bandwidth 8 Hz).
def epoch_csd(ep, kind):
    n = ep.shape[1]
    S = np.zeros((n, n, 0))
    rows = []
    for i in range(n):
        row = []
        for j in range(n):
            if kind == "welch":
                f, p = signal.csd(ep[:, j], ep[:, i], fs=FS, window="hann", nperseg=25, noverlap=12,
                                  detrend="constant", scaling="density")
            else:
                p = mt_csd(ep[:, i], ep[:, j], 8.0 * ep.shape[0] / (2 * FS))
            row.append(p)
        rows.append(row)
    return np.array(rows)  # N x N x F


def measures(csds):
    n = len(csds)
    S = np.array(csds)  # E x N x N x F
    out = {}
    mean = S.mean(0)
    psd = np.real(np.einsum("eiif->eif", S)).mean(0)
    den = np.sqrt(psd[:, None, :] * psd[None, :, :])
    out["coh"] = np.abs(mean) / den
    out["imcoh"] = np.imag(mean) / den
    ph = (S / np.abs(S)).sum(0)
    out["plv"] = np.abs(ph) / n
    out["ppc"] = (np.real(ph * np.conj(ph)) - n) / (n * (n - 1.0))
    out["pli"] = np.abs(np.sign(np.imag(S)).sum(0)) / n
    im = np.imag(S)
    num, den2 = np.abs(im.sum(0)), np.abs(im).sum(0)
    out["wpli"] = np.where(den2 == 0, 0, num / np.where(den2 == 0, 1, den2))
    s, a, q = im.sum(0), np.abs(im).sum(0), (im ** 2).sum(0)
    d = a ** 2 - q
    out["wpli2_debiased"] = np.where(d == 0, 0, (s ** 2 - q) / np.where(d == 0, 1, d))
    N = S.shape[1]
    for k in out:
        v = out[k]
        for i in range(N):
            v[i, i, :] = np.nan
        out[k] = [[[None if np.isnan(z) else z for z in v[i, j]] for j in range(N)] for i in range(N)]
    return out


epochs = [X[e * 50:(e + 1) * 50] for e in range(8)]
out["measures"] = {
    "epochs": 8, "epoch_length": 50,
    "welch": {"nperseg": 25, "noverlap": 12, "f": np.fft.rfftfreq(25, 1 / FS).tolist(),
              **measures([epoch_csd(ep, "welch") for ep in epochs])},
    "multitaper": {"bandwidth": 8.0, "f": np.fft.rfftfreq(50, 1 / FS).tolist(),
                   **measures([epoch_csd(ep, "multitaper") for ep in epochs])},
}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json"), "w") as fh:
    json.dump(out, fh)
