#!/usr/bin/python3
"""Per-edge reference values for the connectome importers.

Run with Debian's /usr/bin/python3 (pandas, openpyxl, xlrd from apt), beside
reference_counts.py whose readers and rules it reuses (no code shared with
the Go importers):

    /usr/bin/python3 reference_edges.py ../../../shared/data > reference_edges.csv

reference_counts.csv checks how many edges each source has and their weight
sums; this file checks where each weight sits. For each source and type,
with slot(x) the index of x among the 300 canonical labels in byte order
(worm-graph neuron_labels.txt) and A the adjacency A[pre][post]:

    position_sum = sum over edges of A[pre][post] * (300*slot(pre) + slot(post) + 1)

which changes when a weight moves to another pair, changes value, or flips
direction. It also prints the heaviest chemical edge (ties: the smallest
(pre, post) in byte order) so that a failure names one concrete edge.
"""
import reference_counts as rc

slot = {l: i for i, l in enumerate(sorted(rc.labels))}


def position_sum(es):
    return sum(w * (300 * slot[a] + slot[b] + 1) for (a, b), w in es.items())


print("source,chemical_position_sum,electrical_position_sum,heaviest_pre,heaviest_post,heaviest_weight")
for name, f in rc.sources:
    chem, el = rc.edges(f())
    (a, b), w = min(chem.items(), key=lambda kv: (-kv[1], kv[0]))
    print(f"{name},{position_sum(chem):.17g},{position_sum(el):.17g},{a},{b},{w:g}")
