#!/usr/bin/python3
"""Writes the small test files of package calcium (run from this folder with
/usr/bin/python3 gen.py; numpy and scipy from Debian 12). Every value is
written literally below so the Go tests can quote it.

  traces.csv            generic CSV: time column "t" (s), 3 traces, one empty cell, one "nan"
  traces.tsv            generic TSV: 2 traces, no time column
  traces.npy            generic NPY: float32 T=6 x N=3, value = 10*t + n
  session1/suite2p/plane0/*.npy   suite2p plane: 3 ROIs x 5 frames, ROIs 0 and 2 are cells,
                                  ops.npy {'fs': numpy.float64(15.5), ...}
  session1/suite2p/plane1/*.npy   2 ROIs x 4 frames, ROI 1 is a cell, ops.npy {'fs': 30.0} (Python float)
  lin_bad_times.mat     Lin 2023 layout with 4 times for 5 samples
  yemini_uneven.mat     Yemini 2021 layout whose traces differ in length within one recording
"""
import os

import numpy as np
import scipy.io

os.chdir(os.path.dirname(os.path.abspath(__file__)))

with open("traces.csv", "w", newline="") as f:
    f.write("t,AVAL,AVAR,RIML\n")
    f.write("0.5,1.0,2.0,3.0\n")
    f.write("1.0,1.5,,3.5\n")
    f.write("1.5,2.0,2.5,nan\n")
    f.write("2.0,2.5,3.0,4.5\n")

with open("traces.tsv", "w", newline="") as f:
    f.write("AVAL\tSMDVR\n")
    f.write("0.25\t-1\n")
    f.write("0.5\t-2\n")
    f.write("0.75\t-3\n")

T, N = 6, 3
np.save("traces.npy", (10.0 * np.arange(T)[:, None] + np.arange(N)[None, :]).astype("<f4"))


def plane(d, F, Fneu, spks, iscell, ops):
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "F.npy"), np.asarray(F, dtype="<f4"))
    np.save(os.path.join(d, "Fneu.npy"), np.asarray(Fneu, dtype="<f4"))
    np.save(os.path.join(d, "spks.npy"), np.asarray(spks, dtype="<f4"))
    np.save(os.path.join(d, "iscell.npy"), np.asarray(iscell, dtype="<f8"))
    np.save(os.path.join(d, "ops.npy"), ops, allow_pickle=True)


plane("session1/suite2p/plane0",
      F=[[100, 101, 102, 103, 104], [50, 50, 50, 50, 50], [200, 190, 180, 170, 160]],
      Fneu=[[10, 10, 20, 20, 30], [5, 5, 5, 5, 5], [40, 40, 40, 40, 40]],
      spks=[[0, 1, 0, 2, 0], [0, 0, 0, 0, 0], [3, 0, 0, 0, 1]],
      iscell=[[1, 0.9], [0, 0.2], [1, 0.7]],
      ops={"nplanes": 2, "fs": np.float64(15.5), "tau": 1.0, "meanImg": np.zeros((4, 4), np.float32)})
plane("session1/suite2p/plane1",
      F=[[1, 2, 3, 4], [8, 6, 4, 2]],
      Fneu=[[0, 0, 0, 0], [1, 1, 1, 1]],
      spks=[[0, 0, 0, 0], [0.5, 0, 0.25, 0]],
      iscell=[[0, 0.1], [1, 0.8]],
      ops={"fs": 30.0, "nplanes": 2})

scipy.io.savemat("lin_bad_times.mat", {
    "proofread_neurons": np.array([["AVAL", "AVAR"]], dtype=object),
    "use_flag": np.array([[1.0, 1.0]]),
    "corrected_F": np.arange(10, dtype=np.float64).reshape(2, 5),
    "F_0": np.array([[100.0], [200.0]]),
    "times": np.array([[0.0, 0.2, 0.4, 0.6]]),
})


def cell(items, shape):
    a = np.empty(shape, dtype=object)
    for i, x in enumerate(items):
        a.flat[i] = x
    return a


scipy.io.savemat("yemini_uneven.mat", {
    "files": cell(["w1"], (1, 1)),
    "neurons": cell(["AVA", "RID"], (2, 1)),
    "is_L": cell([np.array([[1.0, 0.0]]), np.array([[np.nan]])], (2, 1)),
    "norm_traces": cell([cell([np.zeros((8, 1)), np.ones((8, 1))], (1, 2)),
                         cell([np.ones((7, 1))], (1, 1))], (2, 1)),
    "fps": np.float64(4.0),
})
