#!/usr/bin/python3
"""Independent reference counts for the connectome importers.

Run with Debian's /usr/bin/python3 (pandas, openpyxl, xlrd from apt):

    /usr/bin/python3 reference_counts.py ../../../shared/data varshney > reference_counts.csv

For every source it keeps only edges whose two ends are among the 300
canonical neurons of worm-graph (neuron_labels.txt) after stripping
whitespace and zero padding (DA01 -> DA1), and then applies the published
worm-graph rules:
  * chemical: the first occurrence of a directed (pre, post) pair is kept
    (Varshney: S and Sp rows are summed per pair first, because they are
    different synapses; keeping the first row would give 2,192 / 5,662
    instead of 2,194 / 6,394);
  * electrical: per unordered pair, the mean of the raw weights of all rows
    (either direction), emitted in both directions (a self pair once).
It prints: source, neurons with an edge, chemical edges, chemical weight sum,
electrical directed edges, electrical weight sum; with the second argument
"varshney" it also prints the raw Varshney row counts and sums as comments
(S, Sp, R, Rp, EJ, NMJ; self-pair gap rows; NMJ neurons).
This script shares no code with the Go importers.
"""
import re
import sys
from collections import OrderedDict

import pandas as pd
import xlrd

root = sys.argv[1] if len(sys.argv) > 1 else "../../../shared/data"
labels = set(open(f"{root}/worm-graph/neuron_labels.txt").read().split())


def norm(s):
    s = str(s).strip()
    m = re.match(r"^([A-Z]+)0+(\d+)$", s)
    return m.group(1) + m.group(2) if m else s


def edges(rows):
    """rows: iterable of (pre, post, kind, weight) with kind chemical/electrical.
    Returns the chemical and the electrical edges as {(pre, post): weight}."""
    chem = OrderedDict()
    gap = {}
    for pre, post, kind, w in rows:
        pre, post = norm(pre), norm(post)
        if pre not in labels or post not in labels:
            continue
        w = float(w)
        if kind == "chemical":
            if (pre, post) not in chem:
                chem[(pre, post)] = w
        elif kind == "electrical":
            gap.setdefault(tuple(sorted((pre, post))), []).append(w)
        else:
            raise ValueError(kind)
    chem = {k: v for k, v in chem.items() if v != 0}
    el = {}
    for (a, b), ws in gap.items():
        m = sum(ws) / len(ws)
        if m == 0:
            continue
        el[(a, b)] = m
        el[(b, a)] = m
    return chem, el


def count(rows):
    chem, el = edges(rows)
    neurons = set()
    for a, b in list(chem) + list(el):
        neurons.add(a)
        neurons.add(b)
    return (len(neurons), len(chem), sum(chem.values()), len(el), sum(el.values()))


def nemanode(path):
    # tab-separated rows; the _A header is space-separated, so split on any whitespace
    d = pd.read_csv(path, sep=r"\s+", engine="python")
    return zip(d.pre, d.post, d.type, d.synapses)


def witvliet(n):
    d = pd.read_excel(f"{root}/c302/witvliet_2020_{n}.xlsx")
    return zip(d.pre, d.post, d.type, d.synapses)


def varshney():
    # S (monadic) and Sp (polyadic) rows are different synapses of the same
    # directed pair: sum them per pair first (R/Rp are the receive side of the
    # same synapses and are not read). EJ rows are already in both directions.
    d = pd.read_excel(f"{root}/c302/NeuronConnectFormatted.xlsx")
    c = d[d.Type.isin(["S", "Sp"])].groupby(["Neuron 1", "Neuron 2"], sort=False).Nbr.sum()
    for (a, b), w in c.items():
        yield a, b, "chemical", w
    e = d[d.Type == "EJ"]
    yield from zip(e["Neuron 1"], e["Neuron 2"], ["electrical"] * len(e), e.Nbr)


def varshney_totals():
    """Raw totals of the Varshney file, to reconcile with the paper."""
    d = pd.read_excel(f"{root}/c302/NeuronConnectFormatted.xlsx")
    out = {}
    for t in ["S", "Sp", "R", "Rp", "EJ", "NMJ"]:
        x = d[d.Type == t]
        out[f"rows_{t}"] = len(x)
        out[f"sum_{t}"] = int(x.Nbr.sum())
    e = d[d.Type == "EJ"]
    out["ej_self_rows"] = int((e["Neuron 1"] == e["Neuron 2"]).sum())
    out["ej_self_sum"] = int(e[e["Neuron 1"] == e["Neuron 2"]].Nbr.sum())
    out["ej_unordered_pairs"] = len({tuple(sorted(p)) for p in zip(e["Neuron 1"], e["Neuron 2"])})
    n = d[d.Type == "NMJ"]
    out["nmj_neurons"] = n["Neuron 1"].nunique()
    return out


def openworm():
    s = xlrd.open_workbook(f"{root}/c302/CElegansNeuronTables.xls").sheet_by_name("Connectome")
    kind = {"Send": "chemical", "GapJunction": "electrical"}
    for r in range(1, s.nrows):
        yield s.cell_value(r, 0), s.cell_value(r, 1), kind[s.cell_value(r, 2)], s.cell_value(r, 3)


def cook(sex):
    sheets = {"herm": ("hermaphrodite chemical", "herm gap jn symmetric"),
              "male": ("male chemical", "male gap jn symmetric")}[sex]
    for sheet, kind in zip(sheets, ("chemical", "electrical")):
        v = pd.read_excel(f"{root}/c302/SI 5 Connectome adjacency matrices.xlsx",
                          sheet_name=sheet, header=None)
        post = v.iloc[2, 3:]
        for r in range(3, v.shape[0]):
            pre = v.iloc[r, 2]
            if pd.isna(pre):
                continue
            for c, p in post.items():
                w = v.iloc[r, c]
                if pd.isna(p) or pd.isna(w) or w == 0:
                    continue
                yield pre, p, kind, w


def herm_full():
    d = pd.read_csv(f"{root}/c302/herm_full_edgelist.csv")
    return zip(d.Source, d.Target, d.Type.str.strip(), d.Weight)


sources = [
    ("white1986_whole", lambda: nemanode(f"{root}/c302/aconnectome_white_1986_whole.csv")),
    ("white1986_n2u", lambda: nemanode(f"{root}/c302/aconnectome_white_1986_A.csv")),
    ("white1986_jsh", lambda: nemanode(f"{root}/c302/aconnectome_white_1986_L4.csv")),
    ("white1986_jse", lambda: nemanode(f"{root}/worm-graph/white_1986_jse.csv")),
] + [(f"witvliet2020_{n}", (lambda n=n: witvliet(n))) for n in range(1, 9)] + [
    ("varshney2011", varshney),
    ("openworm", openworm),
    ("cook2019_herm", lambda: cook("herm")),
    ("cook2019_male", lambda: cook("male")),
    ("cook2015_herm_full", herm_full),
]

if __name__ == "__main__":
    print("source,neurons,chemical_edges,chemical_weight,electrical_edges,electrical_weight")
    for name, f in sources:
        n, ce, cw, ee, ew = count(f())
        print(f"{name},{n},{ce},{cw:g},{ee},{ew:g}")

    if len(sys.argv) > 2 and sys.argv[2] == "varshney":
        for k, v in varshney_totals().items():
            print(f"# varshney {k}={v}")
