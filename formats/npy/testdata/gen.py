"""Writes the small .npy reference files next to this script with numpy's own
writer (numpy.lib.format), for formats/npy's tests. Run with Debian's python:

    /usr/bin/python3 gen.py

Every array's values are a closed form of its index (stated in expected.txt),
so the Go tests check them without Python. Deterministic: no randomness.
"""
import os
import numpy as np
from numpy.lib import format as npf

here = os.path.dirname(os.path.abspath(__file__))


def save(name, arr, version=None):
    with open(os.path.join(here, name), "wb") as f:
        npf.write_array(f, arr, version=version, allow_pickle=True)


lines = []


def note(s):
    lines.append(s)


# 2x3x4 float64 arange in Fortran order: element (i, j, k) = 100*i + 10*j + k.
i, j, k = np.indices((2, 3, 4))
a = np.asfortranarray((100 * i + 10 * j + k).astype("<f8"))
save("fortran_f8.npy", a)
note("fortran_f8.npy: <f8 shape (2,3,4) fortran_order True, a[i,j,k] = 100i+10j+k")

# Same values, C order, big-endian, header version 2.0.
save("c_be_f8_v2.npy", (100 * i + 10 * j + k).astype(">f8"), version=(2, 0))
note("c_be_f8_v2.npy: >f8 shape (2,3,4) version 2.0, a[i,j,k] = 100i+10j+k")

# Version 3.0 (utf-8 header) float32 row vector: a[n] = n/4 - 1.
save("v3_f4.npy", (np.arange(6) / 4 - 1).astype("<f4"), version=(3, 0))
note("v3_f4.npy: <f4 shape (6,) version 3.0, a[n] = n/4 - 1")

# Integer types with extremes.
for dt in ["i1", "u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", ">i4"]:
    info = np.iinfo(np.dtype(dt))
    arr = np.array([info.min, info.max, 0, 1], dtype=dt)
    name = "int_%s.npy" % dt.replace("<", "le").replace(">", "be").replace("|", "")
    save(name, arr)
    note("%s: %s shape (4,) = [min, max, 0, 1] of the type" % (name, np.dtype(dt).str))

# Booleans: 2x3, a[r, c] = (r + c) % 2 == 0.
r, c = np.indices((2, 3))
save("bool.npy", ((r + c) % 2 == 0))
note("bool.npy: |b1 shape (2,3), a[r,c] = (r+c)%2 == 0")

# float16: [0.5, -2, 65504, inf, nan]
save("f2.npy", np.array([0.5, -2, 65504, np.inf, np.nan], dtype="<f2"))
note("f2.npy: <f2 shape (5,) = [0.5, -2, 65504, inf, nan]")

# 0-d scalar and empty 0x3.
save("scalar_f8.npy", np.array(2.5))
note("scalar_f8.npy: <f8 shape () = 2.5")
save("empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
note("empty_0x3.npy: <f4 shape (0,3)")

# Must be rejected: pickled object array and a structured dtype.
save("object.npy", np.array([{"fs": 30.0}, "x"], dtype=object))
note("object.npy: |O shape (2,) (pickled) -> rejected")
save("structured.npy", np.zeros(2, dtype=[("t", "<f8"), ("x", "<i4")]))
note("structured.npy: [('t','<f8'),('x','<i4')] -> rejected")

with open(os.path.join(here, "expected.txt"), "w") as f:
    f.write("# written by gen.py with numpy %s\n" % np.__version__)
    f.write("\n".join(lines) + "\n")
