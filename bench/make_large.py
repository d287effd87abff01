#!/usr/bin/python3
"""Writes two ~200 MB single-recording calcium files for the ingest memory benchmark (issue 19):

    /usr/bin/python3 bench/make_large.py OUTDIR [MB]

- OUTDIR/20230101-data.h5: an HDF5 trace matrix in the Dag 2023 layout (the Flavell lab's
  Julia export, read by the Dag2023 adapter): gcamp/traces_array_F_F20 T×N float64,
  contiguous as Julia's HDF5.jl writes it, timing/timestamp_confocal T absolute seconds (3 Hz), and
  NeuroPAL_labels_dict.json beside it labelling 10 traces.
- OUTDIR/large.nwb: an NWB ophys file (h5py after pynwb's layout, as make_bench.py):
  processing/ophys/Fluorescence/RoiResponseSeries/data T×N float64, chunked and
  gzip-compressed (level 1) as pynwb's H5DataIO would, starting_time + rate, rois a
  DynamicTableRegion into a PlaneSegmentation with a neuron_label column.

Values are seeded AR(1) signals. Nothing is committed but this script.
"""
import json
import os
import sys

import h5py
import numpy as np

out = sys.argv[1]
mb = float(sys.argv[2]) if len(sys.argv) > 2 else 200.0
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(19)
N = 1000
T = int(mb * (1 << 20) / 8 / N)
NAMES = ["AVAL", "AVAR", "AVBL", "AVBR", "RIML", "RIMR", "AIBL", "AIBR", "SMDVL", "SMDVR"]


def ar1(T, N):
    x = np.empty((T, N))
    x[0] = 0
    e = rng.standard_normal((T, N)) * 0.3
    for t in range(1, T):
        x[t] = 0.95 * x[t - 1] + e[t]
    return x


data = ar1(T, N)

p = os.path.join(out, "20230101-data.h5")
with h5py.File(p, "w") as f:
    f.create_dataset("gcamp/traces_array_F_F20", data=data)
    f.create_dataset("timing/timestamp_confocal", data=1.7e9 + np.arange(T) / 3.0)
print(f"{p}: {T}×{N} float64, {os.path.getsize(p) / (1 << 20):.0f} MiB")
with open(os.path.join(out, "NeuroPAL_labels_dict.json"), "w") as f:
    json.dump({"20230101": [{str(i + 1): {"label": n} for i, n in enumerate(NAMES)}, {}]}, f)

p = os.path.join(out, "large.nwb")
with h5py.File(p, "w") as f:
    f.attrs["nwb_version"] = "2.5.0"
    f.attrs["neurodata_type"] = "NWBFile"
    g = f.create_group("processing/ophys/Fluorescence/RoiResponseSeries")
    g.attrs["neurodata_type"] = "RoiResponseSeries"
    d = g.create_dataset("data", data=data, chunks=(min(T, 4096), min(N, 64)), compression="gzip",
                         compression_opts=1)
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
print(f"{p}: {T}×{N} float64, {os.path.getsize(p) / (1 << 20):.0f} MiB")
