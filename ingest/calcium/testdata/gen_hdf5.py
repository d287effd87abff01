#!/usr/bin/python3
"""Writes the small HDF5-based test files of package calcium (run from this folder with
/usr/bin/python3 gen_hdf5.py; numpy, h5py 3.7 and hdf5storage 0.1.19 from Debian 12).
Every value is written literally or by the formula stated here, so the Go tests can quote it.
All neuron labels and numbers are invented; no lab's recording data is included.

MAT v7.3 (hdf5storage, MATLAB conventions; struct named after the file, as the labs publish):
  n2_let.mat            Nichols 2017 layout: struct n2_let {traces, IDs, timeVectorSeconds},
                        2 worms: T=5 N=3 and T=4 N=2; traces{w}(t,n) = 10*w + n + 0.1*t
                        (w, n, t 0-based), timeVectorSeconds{1} = t/2, {2} = 0.3*t
  WT_fasted.mat         Skora 2018 layout: struct WT_fasted, 1 worm T=4 N=2,
                        traces(t,n) = 100 + 10*n + t, timeVectorSeconds = 0.25*t
  Uzel_WT.mat           Uzel 2022 layout: struct Uzel_WT {traces, IDs, tv}, 1 worm T=3 N=2,
                        traces(t,n) = -(n + 1) * (t + 1), tv = 1 + 0.5*t
  kato_alt_fields.mat   Kato 2015 alternative names: struct WT_NoStim {deltaFOverF_bc,
                        NeuronNames, tv}, 1 worm T=3 N=2, deltaFOverF_bc(t,n) = t + 0.5*n, tv = t
  bad/kato_bad_time.mat     struct WT_Stim: worm 2 has 3 times for 4 samples
  bad/kato_no_traces.mat    struct WT_Stim without traces or deltaFOverF_bc
  bad/kato_extra_ids.mat    struct WT_Stim: 3 IDs for 2 traces

HDF5 (h5py):
  wormwideweb_like.h5   WormWideWeb .h5 export as the published reader indexes it:
                        trace_array (N=4 rows x T=6), timestamp_confocal (6, s),
                        labeled/<1-based index>/label; trace_array[n][t] = n + t/10,
                        trace_array[2][3] = NaN; labeled 1 -> AVAL, 3 -> IL2?L; uid "2023-01-02-03"
  bad/www_bad_label.h5  the same with a label for trace 9 of 4
  2000-01-01-01-data.h5 Dag 2023 layout (gcamp/traces_array_F_F20 T=5 x N=3,
                        timing/timestamp_confocal 7 values: two more than traces, as the published
                        reader truncates); F_F20(t,n) = 1 + t + 10*n, timestamps 500 + 0.6*t
  bad/2000-01-01-02-data.h5  Dag layout with 4 timestamps for 5 samples
  NeuroPAL_labels_dict.json  NeuroPAL label dictionary in the published layout
                        {"<date-id>": [{"<1-based trace>": {"label": ...}, ...}, {label: trace}]}
                        for 2022-07-26-31 (invented labels for traces 1, 5, 146) and
                        2000-01-01-01 (traces 1 and 3)
  bad/labels_too_many.json   2022-07-26-31 naming trace 147 of 146
  nejatbakhsh_4hz.nwb   Nejatbakhsh 2020 NWB layout without timestamps or rate:
                        SignalCalciumImResponseSeries data 4 x 2 = 7 + t + 0.5*n, NeuronIDs/labels
                        ["AVAL", "RMDVR"] -> the published 4 Hz time base
  bad/nejatbakhsh_extra_labels.nwb  the same with 3 labels for 2 traces
"""
import json
import os
import random

import h5py
import hdf5storage
import numpy as np

os.chdir(os.path.dirname(os.path.abspath(__file__)))
os.makedirs("bad", exist_ok=True)


def cell(items, shape):
    a = np.empty(shape, dtype=object)
    for i, x in enumerate(items):
        a.flat[i] = x
    return a


EMPTY = np.zeros((0, 0))  # MATLAB [] (an unidentified neuron)


def savemat73(path, mdict):
    if os.path.exists(path):
        os.remove(path)
    random.seed(7)  # hdf5storage names #refs# members with random bits
    hdf5storage.savemat(path, mdict, format="7.3", matlab_compatible=True, oned_as="row",
                        store_python_metadata=False, truncate_existing=True)


def worm_struct(worms, fields):
    """worms: list of (traces T x N, ids list, time T) -> struct of 1 x W cells."""
    W = len(worms)
    tr = cell([w[0] for w in worms], (1, W))
    ids = cell([cell([EMPTY if x is None else (cell(x, (1, len(x))) if isinstance(x, list) else x)
                      for x in w[1]], (1, len(w[1]))) for w in worms], (1, W))
    tv = cell([np.asarray(w[2], dtype=np.float64).reshape(-1, 1) for w in worms], (1, W))
    return {fields[0]: tr, fields[1]: ids, fields[2]: tv}


def grid(T, N, f):
    return np.array([[f(t, n) for n in range(N)] for t in range(T)], dtype=np.float64)


STD = ("traces", "IDs", "timeVectorSeconds")

savemat73("n2_let.mat", {"n2_let": worm_struct([
    (grid(5, 3, lambda t, n: 10 * 0 + n + 0.1 * t), ["AVAL", None, "SMDVR"], [t / 2 for t in range(5)]),
    (grid(4, 2, lambda t, n: 10 * 1 + n + 0.1 * t), ["RIS", ["RIML", "RIMR"]], [0.3 * t for t in range(4)]),
], STD)})

savemat73("WT_fasted.mat", {"WT_fasted": worm_struct([
    (grid(4, 2, lambda t, n: 100 + 10 * n + t), ["ALA", [None, "RIS"]], [0.25 * t for t in range(4)]),
], STD)})

savemat73("Uzel_WT.mat", {"Uzel_WT": worm_struct([
    (grid(3, 2, lambda t, n: -(n + 1) * (t + 1)), ["AVAL", "AVAR"], [1 + 0.5 * t for t in range(3)]),
], ("traces", "IDs", "tv"))})

savemat73("kato_alt_fields.mat", {"WT_NoStim": worm_struct([
    (grid(3, 2, lambda t, n: t + 0.5 * n), ["AVBL", None], [float(t) for t in range(3)]),
], ("deltaFOverF_bc", "NeuronNames", "tv"))})

savemat73("bad/kato_bad_time.mat", {"WT_Stim": worm_struct([
    (grid(3, 2, lambda t, n: t), ["AVAL", "AVAR"], [0.0, 1.0, 2.0]),
    (grid(4, 2, lambda t, n: t), ["AVAL", "AVAR"], [0.0, 1.0, 2.0]),
], STD)})

st = worm_struct([(grid(3, 2, lambda t, n: t), ["AVAL", "AVAR"], [0.0, 1.0, 2.0])], STD)
del st["traces"]
savemat73("bad/kato_no_traces.mat", {"WT_Stim": st})

savemat73("bad/kato_extra_ids.mat", {"WT_Stim": worm_struct([
    (grid(3, 2, lambda t, n: t), ["AVAL", "AVAR", "RIS"], [0.0, 1.0, 2.0]),
], STD)})


def wormwideweb_h5(path, labeled):
    N, T = 4, 6
    tr = np.array([[n + t / 10 for t in range(T)] for n in range(N)], dtype=np.float64)
    tr[2, 3] = np.nan
    with h5py.File(path, "w") as f:
        f["trace_array"] = tr
        f["timestamp_confocal"] = np.array([0.0, 0.6, 1.2, 1.8, 2.4, 3.0])
        f["uid"] = "2023-01-02-03"
        g = f.create_group("labeled")
        for k, lab in labeled.items():
            r = g.create_group(k)
            r["label"] = lab
            r["confidence"] = 4.0


wormwideweb_h5("wormwideweb_like.h5", {"1": "AVAL", "3": "IL2?L"})
wormwideweb_h5("bad/www_bad_label.h5", {"1": "AVAL", "9": "RIS"})


def dag_h5(path, T, N, nts):
    with h5py.File(path, "w") as f:
        f["gcamp/traces_array_F_F20"] = grid(T, N, lambda t, n: 1 + t + 10 * n)
        f["timing/timestamp_confocal"] = np.array([500 + 0.6 * t for t in range(nts)])


dag_h5("2000-01-01-01-data.h5", 5, 3, 7)
dag_h5("bad/2000-01-01-02-data.h5", 5, 3, 4)


def labels_entry(m):
    roi_to_label = {str(k): {"label": v, "roi_id": 10 + k, "confidence": 4, "region": "head"}
                    for k, v in m.items()}
    label_to_roi = {v: k for k, v in m.items()}
    return [roi_to_label, label_to_roi]


with open("NeuroPAL_labels_dict.json", "w") as f:
    json.dump({"2022-07-26-31": labels_entry({1: "AVAL", 5: "RMDDL", 146: "IL2?L"}),
               "2000-01-01-01": labels_entry({1: "ASEL", 3: "AWCR"})}, f, indent=1, sort_keys=True)
with open("bad/labels_too_many.json", "w") as f:
    json.dump({"2022-07-26-31": labels_entry({1: "AVAL", 147: "RIS"})}, f, indent=1, sort_keys=True)


def nejatbakhsh_nwb(path, labels):
    T, N = 4, 2
    vstr = h5py.string_dtype("utf-8")
    with h5py.File(path, "w") as f:
        f.attrs["neurodata_type"] = "NWBFile"
        f.attrs["namespace"] = "core"
        f.attrs["nwb_version"] = "2.6.0"
        pm = f.create_group("processing/CalciumActivity")
        pm.attrs["neurodata_type"] = "ProcessingModule"
        fl = pm.create_group("SignalRawFluor")
        fl.attrs["neurodata_type"] = "Fluorescence"
        s = fl.create_group("SignalCalciumImResponseSeries")
        s.attrs["neurodata_type"] = "RoiResponseSeries"
        d = s.create_dataset("data", data=grid(T, N, lambda t, n: 7 + t + 0.5 * n).astype(np.float32))
        d.attrs["unit"] = "a.u."
        ids = pm.create_group("NeuronIDs")
        ids.attrs["neurodata_type"] = "SegmentationLabels"
        ids.create_dataset("labels", data=np.array(labels, dtype=object), dtype=vstr)


nejatbakhsh_nwb("nejatbakhsh_4hz.nwb", ["AVAL", "RMDVR"])
nejatbakhsh_nwb("bad/nejatbakhsh_extra_labels.nwb", ["AVAL", "RMDVR", "RIS"])
