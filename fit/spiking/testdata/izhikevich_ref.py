# Reference spike counts of single Izhikevich (2003) neurons under a 1 s
# step current, written with numpy following the paper's MATLAB listing:
# spikes detected and reset first (v >= 30 -> v = c, u += d), then two
# 0.5 ms half-steps for v and one 1 ms step for u. Run with /usr/bin/python3;
# output: izhikevich_counts.csv (preset,a,b,c,d,I,count).
import numpy as np

presets = {"RS": (0.02, 0.2, -65.0, 8.0), "FS": (0.1, 0.2, -65.0, 2.0)}
currents = [3.0, 5.0, 7.0, 10.0, 15.0, 20.0]
rows = ["preset,a,b,c,d,I,count"]
for name, (a, b, c, d) in presets.items():
    for I in currents:
        v = np.float64(-65.0)
        u = np.float64(b) * v
        n = 0
        for t in range(1000):
            if v >= 30:
                n += 1
                v = np.float64(c)
                u = u + d
            v = v + 0.5 * (0.04 * v * v + 5 * v + 140 - u + I)
            v = v + 0.5 * (0.04 * v * v + 5 * v + 140 - u + I)
            u = u + a * (b * v - u)
        rows.append(f"{name},{a},{b},{c},{d},{I},{n}")
open("izhikevich_counts.csv", "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
