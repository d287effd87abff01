#!/usr/bin/python3
"""Writes a synthetic ~1 GB calcium-imaging input set for the ingest throughput benchmark:
MAT v7.3 files in the Kato 2015 layout (hdf5storage, MATLAB conventions: struct WT_Stim with
cells traces / IDs / timeVectorSeconds, one cell per worm) and NWB ophys files (h5py: a
RoiResponseSeries under processing/ophys/Fluorescence with rate and starting_time, its rois a
DynamicTableRegion into a PlaneSegmentation with a neuron_label column).

    /usr/bin/python3 make_bench.py OUTDIR [GB]

Values are seeded AR(1) signals; labels are canonical C. elegans names. Nothing is committed
but this script: the files are large and made on demand.
"""
import os
import random
import sys

import h5py
import hdf5storage
import numpy as np

out = sys.argv[1]
gb = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(1)
NAMES = ["AVAL", "AVAR", "AVBL", "AVBR", "RIML", "RIMR", "AIBL", "AIBR", "SMDVL", "SMDVR",
         "RMDVL", "RMDVR", "DA01", "DA02", "VB01", "VB02", "ALA", "RID", "AVEL", "AVER"]


def ar1(T, N):
    x = np.zeros((T, N))
    e = rng.standard_normal((T, N)) * 0.3
    for t in range(1, T):
        x[t] = 0.95 * x[t - 1] + e[t]
    return x


def cell(items):
    a = np.empty((1, len(items)), dtype=object)
    for i, x in enumerate(items):
        a[0, i] = x
    return a


T, N, W = 3000, 120, 5          # per worm: 3000 samples × 120 traces of float64 = 2.9 MB
target = gb * (1 << 30)
written = 0
k = 0
while written < target:
    if k % 3 == 2:              # every third file an NWB ophys file of 8 recordings' size
        p = os.path.join(out, f"session{k:03d}.nwb")
        data = ar1(T * 8, N)
        with h5py.File(p, "w") as f:
            f.attrs["nwb_version"] = "2.5.0"
            g = f.create_group("processing/ophys/Fluorescence/RoiResponseSeries")
            g.attrs["neurodata_type"] = "RoiResponseSeries"
            d = g.create_dataset("data", data=data)
            d.attrs["unit"] = "n.a."
            st = g.create_dataset("starting_time", data=0.0)
            st.attrs["rate"] = 3.0
            ps = f.create_group("processing/ophys/ImageSegmentation/PlaneSegmentation")
            ps.attrs["neurodata_type"] = "PlaneSegmentation"
            ps.attrs["colnames"] = np.array([b"neuron_label"])
            ps.create_dataset("id", data=np.arange(N))
            ps.create_dataset("neuron_label", data=np.array([n.encode() for n in NAMES] + [b""] * (N - len(NAMES))))
            r = g.create_dataset("rois", data=np.arange(N))
            r.attrs["neurodata_type"] = "DynamicTableRegion"
            r.attrs["table"] = ps.ref
    else:
        p = os.path.join(out, f"WT_Stim_{k:03d}.mat")
        worms = [ar1(T, N) for _ in range(W)]
        ids = [cell([cell([NAMES[n]]) if n < len(NAMES) else np.zeros((0, 0)) for n in range(N)]) for _ in range(W)]
        tv = [np.arange(T, dtype=np.float64).reshape(-1, 1) / 2.85 for _ in range(W)]
        random.seed(k)
        hdf5storage.savemat(p, {"WT_Stim": {"traces": cell(worms), "IDs": cell(ids), "timeVectorSeconds": cell(tv)}},
                            format="7.3", matlab_compatible=True, oned_as="row", store_python_metadata=False,
                            truncate_existing=True)
    written += os.path.getsize(p)
    k += 1
print(f"wrote {k} files, {written / (1 << 20):.0f} MB into {out}")
