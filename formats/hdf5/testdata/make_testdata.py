#!/usr/bin/python3
"""Small HDF5 files for formats/hdf5 tests that the shared fixtures lack.

Run with Debian's /usr/bin/python3 (h5py 3.7 / libhdf5 1.10.8) from this
folder; it rewrites the files below. Values are closed forms stated in the
Go tests.

  filters_other.h5  /lzf: arange(100) float32, chunks (25,), LZF (id 32000)
                    /scaleoffset: arange(100) int32, chunks (25,), scale-offset (id 6)
                    /plain: arange(100) float32 contiguous
  dense_huge.h5     libver latest; group /g with 12 attributes (dense storage):
                    a00..a10 = int32 scalar i*i, and big = arange(10000) float64
                    (80 kB, above the 64 kB managed-object limit: a huge
                    fractal-heap object); 30 links c00..c29 (dense link
                    storage), each a scalar int32 dataset holding i;
                    group /many with 300 soft links s000..s299, s_k -> /g/c(k mod 30)
                    (about 12 kB of link messages: the fractal heap's root
                    becomes an indirect block)
  userblock1024.h5  1024-byte user block; /x = arange(12, dtype=int16).reshape(3, 4)
                    chunked (2, 3) with gzip, so the grid has edge chunks
"""
import h5py
import numpy as np

with h5py.File("filters_other.h5", "w", libver="earliest") as f:
    f.create_dataset("lzf", data=np.arange(100, dtype=np.float32), chunks=(25,), compression="lzf")
    f.create_dataset("scaleoffset", data=np.arange(100, dtype=np.int32), chunks=(25,), scaleoffset=0)
    f.create_dataset("plain", data=np.arange(100, dtype=np.float32))

with h5py.File("userblock1024.h5", "w", userblock_size=1024, libver="latest") as f:
    f.create_dataset("x", data=np.arange(12, dtype=np.int16).reshape(3, 4), chunks=(2, 3), compression="gzip")
with open("userblock1024.h5", "r+b") as fh:
    fh.write(b"neurotab test user block")

with h5py.File("dense_huge.h5", "w", libver="latest") as f:
    g = f.create_group("g")
    for i in range(11):
        g.attrs["a%02d" % i] = np.int32(i * i)
    g.attrs["big"] = np.arange(10000, dtype=np.float64)
    for i in range(30):
        g.create_dataset("c%02d" % i, data=np.int32(i))
    m = f.create_group("many")
    for k in range(300):
        m["s%03d" % k] = h5py.SoftLink("/g/c%02d" % (k % 30))
