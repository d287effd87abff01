#!/usr/bin/python3
"""Calcium ingest speed, neurotab against the numpy peer (issue 17), interleaved rounds.

    /usr/bin/python3 bench/ingest.py [--set DIR] [--gb 1.0] [--rounds 5] [--jobs 2] [--neurotab BIN]

Builds the bench set with ingest/batch/testdata/make_bench.py when DIR holds none, builds neurotab
(go build ./cmd/neurotab) unless --neurotab names a binary, then runs, in each round and in this
order, `neurotab ingest --source auto FILES -o OUT.parquet --jobs J`, `calcium_peer.py OUT FILES
--jobs J` and the same with `--per-file` (../shared/bench, beside the repository), each under
/usr/bin/time. Prints medians of wall time, CPU time (user + system), CPU busy (CPU / wall) and
peak RSS, the ratio of each wall median to neurotab's, the output sizes, the machine and its load
average before and after.
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--set", default=os.path.join(tempfile.gettempdir(), "neurotab-bench-set"))
ap.add_argument("--gb", type=float, default=1.0)
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--jobs", type=int, default=2)
ap.add_argument("--neurotab")
ap.add_argument("--peer", default=os.path.join(root, "..", "shared", "bench", "calcium_peer.py"))
a = ap.parse_args()

files = sorted(glob.glob(os.path.join(a.set, "*.mat")) + glob.glob(os.path.join(a.set, "*.nwb")))
if not files:
    subprocess.run([sys.executable, os.path.join(root, "ingest/batch/testdata/make_bench.py"), a.set, str(a.gb)],
                   check=True)
    files = sorted(glob.glob(os.path.join(a.set, "*.mat")) + glob.glob(os.path.join(a.set, "*.nwb")))
size = sum(os.path.getsize(f) for f in files)
nt = a.neurotab
work = tempfile.mkdtemp(prefix="neurotab-bench-")
if not nt:
    nt = os.path.join(work, "neurotab")
    subprocess.run(["go", "build", "-o", nt, "./cmd/neurotab"], cwd=root, check=True)


def timed(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} … failed:\n{r.stderr[-2000:]}")
    e, u, s, m = r.stderr.strip().splitlines()[-1].split()
    return float(e), float(u) + float(s), int(m) / 1024


def outsize(p):
    if os.path.isfile(p):
        return os.path.getsize(p)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)


runs = {
    "neurotab ingest --source auto FILES -o OUT.parquet --jobs %d" % a.jobs:
        lambda o: [nt, "ingest", "--source", "auto", *files, "-o", o + ".parquet", "--jobs", str(a.jobs)],
    "calcium_peer.py OUT FILES --jobs %d" % a.jobs:
        lambda o: [sys.executable, a.peer, o, *files, "--jobs", str(a.jobs)],
    "calcium_peer.py OUT FILES --jobs %d --per-file" % a.jobs:
        lambda o: [sys.executable, a.peer, o, *files, "--jobs", str(a.jobs), "--per-file"],
}
res = {k: [] for k in runs}
sizes = {}
load0 = os.getloadavg()
for r in range(a.rounds):
    for i, (k, cmd) in enumerate(runs.items()):
        o = os.path.join(work, f"out{i}")
        shutil.rmtree(o, ignore_errors=True)
        if os.path.exists(o + ".parquet"):
            os.remove(o + ".parquet")
        res[k].append(timed(cmd(o)))
        sizes[k] = outsize(o + ".parquet") if i == 0 else outsize(o)
    print(f"round {r + 1}: " + ", ".join(f"{v[-1][0]:.2f} s" for v in res.values()), file=sys.stderr)
load1 = os.getloadavg()

cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                     text=True).stdout.strip()
print(f"{len(files)} files, {size / 1e9:.2f} GB; {os.cpu_count()} CPUs ({cpu}); "
      f"load average {load0[0]:.1f} before, {load1[0]:.1f} after; medians of {a.rounds} interleaved rounds\n")
print("| | wall | CPU | CPU busy | peak RSS | output | wall / neurotab |")
print("|---|---|---|---|---|---|---|")
base = statistics.median(x[0] for x in next(iter(res.values())))
for k, v in res.items():
    w = statistics.median(x[0] for x in v)
    c = statistics.median(x[1] for x in v)
    m = statistics.median(x[2] for x in v)
    print(f"| `{k}` | {w:.2f} s | {c:.2f} s | {c / w:.2f} | {m:,.0f} MiB | {sizes[k] / 1e6:,.1f} MB | {w / base:.2f} |")
shutil.rmtree(work, ignore_errors=True)
