// Package structure compares functional connectivity with a connectome
// (structure–function): on the neurons an FC matrix and a connectome share,
// the Spearman correlation of |FC| with synaptic weight, the ROC-AUC of |FC|
// for predicting a synapse, and a degree-preserving rewired-connectome null
// with a permutation p-value.
//
// Pairs are undirected. An FC matrix of correlations is symmetric, so each
// unordered pair {i, j}, i < j, is compared once: its score is |C[i][j]|
// and its structural weight is
//
//	w_ij = A[i][j] + A[j][i]   (chemical, A[pre][post] is directed)
//	     + G[i][j]             (gap junctions, G symmetric, counted once)
//
// so a chemical synapse in either direction makes the pair a positive
// (the comparison of a symmetric |C| with A + Aᵀ). The diagonal is left out.
//
// The null rewires the connectome with Maslov–Sneppen edge swaps (Maslov &
// Sneppen 2002, Science 296:910, doi:10.1126/science.1065103): the chemical
// graph as a directed graph keeping every neuron's in- and out-degree, the
// gap-junction graph as an undirected graph keeping every neuron's degree.
// Weights travel with their edges.
//
// Test has the estimator shape of package neurotab (see "Estimators" in
// [github.com/neurotab/neurotab]).
package structure
