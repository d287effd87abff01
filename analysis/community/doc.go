// Package community finds communities (modules) in weighted undirected
// graphs such as |FC| matrices, and compares partitions.
//
//   - Graph: N nodes, non-negative weights, built from a symmetric N × N
//     matrix C[i][j] (FromMatrix: diagonal ignored; negative entries
//     rejected, dropped or replaced by |C_ij| as asked) or from an edge list
//     (FromEdges). Strengths count a self-loop twice, as in networkx.
//   - Modularity(g, partition, γ): Newman's modularity with a resolution,
//     equal to networkx's community.modularity.
//   - Louvain and Leiden: estimators (see "Estimators" in
//     [github.com/neurotab/neurotab]) that Fit(g) a partition maximizing
//     modularity at resolution γ, read with PartitionTo, Communities and
//     Modularity. Louvain follows networkx's louvain_communities; Leiden
//     (Traag, Waltman & van Eck 2019, doi:10.1038/s41598-019-41695-z) adds
//     the refinement that keeps every community connected.
//   - Consensus: the partition that restarts of Louvain or Leiden agree on
//     (Lancichinetti & Fortunato 2012, doi:10.1038/srep00336).
//   - NMI and ARI: agreement of two partitions, equal to scikit-learn's
//     normalized_mutual_info_score and adjusted_rand_score.
//
// A partition is a []int of length N: partition[i] is the community of
// node i. Results are in canonical form, labels 0…k−1 numbered by first
// appearance (node 0 is in community 0), so equal groupings are equal
// slices (Relabel puts any labels in this form). Every random step takes a
// neurotab.Seed: the same seed gives the same partition.
//
// Reference values (karate club, networkx's Louvain timing, sklearn's
// NMI/ARI) come from testdata/make_reference.py with Debian's networkx and
// scikit-learn.
package community
