#!/usr/bin/python3
"""Go's correlation matrix against np.corrcoef on the same traces, interleaved.

Builds the test binary of analysis/covariance (with -tags openblas when
--openblas is given), then runs, for ROUNDS rounds, the Go benchmark
BenchmarkCorrelation once and bench/fc_corr.py once, alternating, so that
both see the same load. Prints each round, then the medians and the ratio
Go / numpy per size, and checks that both computed the same r01 (the same
data). Run from the repository root:

    /usr/bin/python3 bench/fc_corr_compare.py [--openblas] [--rounds 5]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_go(binary):
    out = subprocess.run([binary, "-test.run", "^$", "-test.bench", "^BenchmarkCorrelation$",
                          "-test.benchtime", "1x"], cwd=os.path.join(ROOT, "analysis/covariance"),
                         check=True, capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.match(r"BenchmarkCorrelation/(N=\d+/T=\d+)\S*\s.*?([-\d.e+]+) r01\s+([\d.e+-]+) s/matrix", line)
        if m:
            res[m.group(1)] = (float(m.group(3)), float(m.group(2)))
    return res


def run_numpy():
    out = subprocess.run([sys.executable, os.path.join(HERE, "fc_corr.py")], check=True,
                         capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.match(r"(N=\d+/T=\d+) seconds=([\d.e+-]+) r01=([-\d.e+]+)", line)
        if m:
            res[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--openblas", action="store_true", help="build the Go side with -tags openblas")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "covariance.test")
        cmd = ["go", "test", "-c", "-o", binary]
        if a.openblas:
            cmd += ["-tags", "openblas"]
        subprocess.run(cmd + ["./analysis/covariance"], cwd=ROOT, check=True)
        go, py = {}, {}
        for r in range(a.rounds):
            g, p = run_go(binary), run_numpy()
            for k in sorted(g):
                go.setdefault(k, []).append(g[k][0])
                py.setdefault(k, []).append(p[k][0])
                if abs(g[k][1] - p[k][1]) > 1e-3:
                    sys.exit(f"{k}: Go r01 {g[k][1]} != numpy r01 {p[k][1]}: not the same data")
                print(f"round {r + 1}  {k:16s} Go {g[k][0]:.3f} s  numpy {p[k][0]:.3f} s", flush=True)
    tag = "Go -tags openblas" if a.openblas else "Go (pure)"
    for k in sorted(go):
        mg, mp = statistics.median(go[k]), statistics.median(py[k])
        print(f"median {k:16s} {tag} {mg:.3f} s  np.corrcoef {mp:.3f} s  ratio {mg / mp:.2f}")


if __name__ == "__main__":
    main()
