# Reference values of the behavior of ../shared/data/dag2023/2022-07-26-31-data.h5
# for behavior_test.go, read with h5py (Debian python3-h5py) and numpy:
#   /usr/bin/python3 testdata/dag2023_behavior.py > testdata/dag2023_behavior.json
import json, math, sys
import h5py, numpy as np

f = h5py.File(sys.argv[1] if len(sys.argv) > 1 else "../../../shared/data/dag2023/2022-07-26-31-data.h5", "r")
T = f["gcamp/traces_array_F_F20"].shape[0]
t = f["timing/timestamp_confocal"][()][:T]
ot = t - t[0]
dt = 0.333
n = math.ceil((ot[-1] - ot[0]) / dt)  # np.arange(0, ot[-1], dt) length: the published grid
grid = np.arange(n) * dt
out = {"frames": T, "grid_len": n, "variables": {}}
for k in sorted(f["behavior"]):
    d = f["behavior"][k][()]
    if d.shape != (T,):
        continue
    d = d.astype(float)
    fin = np.isfinite(d)
    v = {"finite": int(fin.sum())}
    if fin.all():
        v["sum"] = float(d.sum())
        v["frame100"] = float(d[100])
        v["t100"] = float(ot[100])
        # linear interpolation at a few grid points (upsampling: 0.333 s < median 0.6 s)
        idx = [0, 7, 500, n - 1]
        v["grid_idx"] = idx
        v["grid_val"] = [float(np.interp(grid[i], ot, d)) for i in idx]
    out["variables"][k] = v
ev = f["behavior/reversal_events"][()]  # 2 × E start/stop frames
rv = f["behavior/reversal_vec"][()]
# reversal_vec is 1 on the 0-based frames s … e−1 of each event (s, e):
# the 1-based frames after the start up to the stop.
inside = np.zeros(T, bool)
for s, e in ev.T:
    inside[s:e] = True
out["reversal_events"] = int(ev.shape[1])
out["reversal_frames"] = int(rv.sum())
out["reversal_vec_equals_events"] = bool((inside == (rv == 1)).all())
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
