#!/usr/bin/python3
"""Reference values for analysis/community, made with Debian's networkx and
scikit-learn (apt-get install -y python3-networkx python3-sklearn; run with
/usr/bin/python3 from this folder: ./make_reference.py > reference.json).

- karate: Zachary's karate club as networkx ships it (weighted edges), the
  modularity (weight="weight", resolution 1) of louvain_communities for seeds
  0..9, and networkx's modularity of one of those partitions.
- bench: the 10,000-node, 200,000-edge weighted graph of the benchmark, built
  by the LCG below (rebuilt bit for bit by the Go test helper benchGraph),
  with networkx's louvain_communities(seed=1) time and modularity on this
  machine.
- labels: fixed label vectors and sklearn's normalized_mutual_info_score
  (arithmetic, the default) and adjusted_rand_score on each pair.
"""
import json
import sys
import time

import networkx as nx
import sklearn
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

MASK = (1 << 64) - 1


class LCG:
    """x ← 6364136223846793005·x + 1442695040888963407 (mod 2⁶⁴); u = (x >> 11)/2⁵³."""

    def __init__(self, seed):
        self.x = seed & MASK

    def uniform(self):
        self.x = (6364136223846793005 * self.x + 1442695040888963407) & MASK
        return (self.x >> 11) / float(1 << 53)


def bench_graph(n=10000, m=200000, block=200, p_in=0.8, seed=12345):
    """Distinct pairs i<j: i uniform; j in i's block with probability p_in,
    else uniform; weight 0.5+u. Self-pairs and repeats are skipped."""
    r = LCG(seed)
    seen = set()
    edges = []
    while len(edges) < m:
        i = int(r.uniform() * n)
        if r.uniform() < p_in:
            j = (i // block) * block + int(r.uniform() * block)
        else:
            j = int(r.uniform() * n)
        w = 0.5 + r.uniform()
        if i == j:
            continue
        a, b = min(i, j), max(i, j)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        edges.append((a, b, w))
    return edges


def labels(n, k, seed):
    r = LCG(seed)
    return [int(r.uniform() * k) for _ in range(n)]


def main():
    out = {"networkx": nx.__version__, "sklearn": sklearn.__version__}

    g = nx.karate_club_graph()
    edges = [[u, v, float(d.get("weight", 1.0))] for u, v, d in g.edges(data=True)]
    runs = []
    for seed in range(10):
        parts = nx.community.louvain_communities(g, weight="weight", resolution=1, seed=seed)
        runs.append(nx.community.modularity(g, parts, weight="weight", resolution=1))
    parts = nx.community.louvain_communities(g, weight="weight", resolution=1, seed=0)
    part = [0] * g.number_of_nodes()
    for c, nodes in enumerate(sorted(parts, key=min)):
        for v in nodes:
            part[v] = c
    out["karate"] = {
        "n": g.number_of_nodes(),
        "edges": edges,
        "louvain_modularity": runs,
        "partition": part,
        "partition_modularity": nx.community.modularity(g, parts, weight="weight", resolution=1),
        "partition_modularity_gamma_0_5": nx.community.modularity(g, parts, weight="weight", resolution=0.5),
    }

    edges = bench_graph()
    b = nx.Graph()
    b.add_nodes_from(range(10000))
    b.add_weighted_edges_from(edges)
    t0 = time.perf_counter()
    parts = nx.community.louvain_communities(b, weight="weight", resolution=1, seed=1)
    secs = time.perf_counter() - t0
    out["bench"] = {
        "n": 10000,
        "m": len(edges),
        "total_weight": sum(w for _, _, w in edges),
        "first_edges": [list(e) for e in edges[:5]],
        "last_edge": list(edges[-1]),
        "networkx_louvain_seconds": secs,
        "networkx_louvain_modularity": nx.community.modularity(b, parts, weight="weight"),
        "networkx_louvain_communities": len(parts),
    }

    pairs = [
        ("identical", [0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2]),
        ("relabelled", [0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9]),
        ("one cluster vs split", [0, 0, 0, 0], [0, 0, 1, 1]),
        ("both one cluster", [7, 7, 7], [1, 1, 1]),
        ("all distinct vs one", [0, 1, 2, 3], [0, 0, 0, 0]),
        ("small", [0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2, 2, 0, 1]),
        ("sklearn doc", [0, 0, 1, 1], [1, 1, 0, 0]),
        ("lcg 500 4v6", labels(500, 4, 1), labels(500, 6, 2)),
        ("lcg 300 correlated", labels(300, 5, 3), [x if i % 3 else (x + 1) % 5 for i, x in enumerate(labels(300, 5, 3))]),
    ]
    out["labels"] = [
        {"name": name, "a": a, "b": bb,
         "nmi": float(normalized_mutual_info_score(a, bb)),
         "ari": float(adjusted_rand_score(a, bb))}
        for name, a, bb in pairs
    ]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
