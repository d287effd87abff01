#!/usr/bin/python3
"""Write the HDF5 benchmark file for formats/hdf5 (BenchmarkRead*).

    NEUROTAB_HDF5_BENCH=/tmp/hdf5_bench.h5 /usr/bin/python3 make_bench.py
    NEUROTAB_HDF5_BENCH=/tmp/hdf5_bench.h5 /usr/bin/python3 make_bench.py --time

The file holds the same 3200 x 4096 float32 array (52.4 MB; 400 traces of
smooth random walks plus noise, like calcium imaging) twice:
  /contiguous       contiguous, no filters
  /deflate_shuffle  chunked (32, 4096), shuffle + deflate level 4
With --time it reads both datasets with h5py (best of 5, time.perf_counter)
and prints MB/s, the reference figure the Go benchmark is compared with.
"""
import os
import sys
import time

import h5py
import numpy as np

path = os.environ.get("NEUROTAB_HDF5_BENCH")
if not path:
    sys.exit("set NEUROTAB_HDF5_BENCH to the output path")

SHAPE = (3200, 4096)

if "--time" not in sys.argv:
    rng = np.random.default_rng(20231)
    steps = rng.normal(0, 0.05, size=SHAPE).astype(np.float32)
    data = np.cumsum(steps, axis=0, dtype=np.float32) + rng.normal(0, 0.01, size=SHAPE).astype(np.float32)
    with h5py.File(path, "w") as f:
        f.create_dataset("contiguous", data=data)
        f.create_dataset("deflate_shuffle", data=data, chunks=(32, 4096), shuffle=True, compression="gzip", compression_opts=4)
    print("wrote", path, os.path.getsize(path), "bytes")
    sys.exit(0)

with h5py.File(path, "r") as f:
    for name in ("contiguous", "deflate_shuffle"):
        ds = f[name]
        nbytes = ds.size * ds.dtype.itemsize
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            a = ds[...]
            best = min(best, time.perf_counter() - t0)
        print(f"h5py {name}: {nbytes / best / 1e6:.0f} MB/s ({best * 1e3:.1f} ms for {nbytes / 1e6:.1f} MB), sum={float(a.sum(dtype=np.float64)):.6f}")
