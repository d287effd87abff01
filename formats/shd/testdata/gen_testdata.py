#!/usr/bin/python3
"""Writes the small SHD-layout files the formats/shd tests read.

Run with the Debian python3 (h5py 3.7 on libhdf5 1.10): /usr/bin/python3 gen_testdata.py [OUTDIR]
Object time stamps are off, so reruns give the same bytes on the same library versions.

edge.h5          4 samples: 2 spikes, 0 spikes (empty sample), 3 spikes with two at the same
                 time and channel 800 (beyond SHD's 700), 1 spike; int8 labels [3, 0, 1, 2];
                 times chosen so round(t*1e6) is known: 0.0, 0.5 | - | 0.25, 0.25, 1.0 | 2e-06
stream_bad.h5    4 samples, valid layout, each later sample one stream fault:
                 0 ok [0.1, 0.2]; 1 backwards [0.3, 0.1]; 2 NaN [0.1, nan]; 3 negative [-0.5]
bad_count.h5     /spikes/units has 2 samples, /spikes/times 3
bad_lengths.h5   sample 1 has 3 times but 2 units
bad_labels.h5    2 samples, 3 labels
bad_flat.h5      /spikes/times is a plain float32 array, not vlen
bad_nolabels.h5  no /labels dataset
bad_strlabels.h5 /labels holds strings
"""
import sys

import h5py
import numpy as np

F32 = h5py.vlen_dtype(np.float32)
U16 = h5py.vlen_dtype(np.uint16)


def write(path, times, units, labels, label_dtype=np.uint16, flat=False, nolabels=False):
    with h5py.File(path, "w", libver="earliest") as f:
        s = f.create_group("spikes")
        if flat:
            s.create_dataset("times", data=np.array(times[0], dtype=np.float32), track_times=False)
        else:
            t = s.create_dataset("times", (len(times),), dtype=F32, track_times=False)
            for i, v in enumerate(times):
                t[i] = np.array(v, dtype=np.float32)
        u = s.create_dataset("units", (len(units),), dtype=U16, track_times=False)
        for i, v in enumerate(units):
            u[i] = np.array(v, dtype=np.uint16)
        if not nolabels:
            f.create_dataset("labels", data=np.array(labels, dtype=label_dtype), track_times=False)


def main(out="."):
    write(f"{out}/edge.h5", [[0.0, 0.5], [], [0.25, 0.25, 1.0], [2e-6]],
          [[0, 699], [], [5, 800, 6], [1]], [3, 0, 1, 2], label_dtype=np.int8)
    write(f"{out}/stream_bad.h5", [[0.1, 0.2], [0.3, 0.1], [0.1, float("nan")], [-0.5]],
          [[1, 2], [3, 4], [5, 6], [7]], [0, 1, 2, 3])
    write(f"{out}/bad_count.h5", [[0.1], [0.2], [0.3]], [[1], [2]], [0, 1, 2])
    write(f"{out}/bad_lengths.h5", [[0.1], [0.2, 0.3, 0.4]], [[1], [2, 3]], [0, 1])
    write(f"{out}/bad_labels.h5", [[0.1], [0.2]], [[1], [2]], [0, 1, 2])
    write(f"{out}/bad_flat.h5", [[0.1, 0.2]], [[1, 2]], [0], flat=True)
    write(f"{out}/bad_nolabels.h5", [[0.1]], [[1]], [0], nolabels=True)
    with h5py.File(f"{out}/bad_strlabels.h5", "w", libver="earliest") as f:
        f.create_dataset("spikes/times", (1,), dtype=F32, track_times=False)[0] = np.array([0.1], np.float32)
        f.create_dataset("spikes/units", (1,), dtype=U16, track_times=False)[0] = np.array([1], np.uint16)
        f.create_dataset("labels", data=np.array([b"one"]), track_times=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
