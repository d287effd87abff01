// Package curbd fits data-constrained recurrent neural networks: Current-
// Based Decomposition (CURBD; Perich, Arlt, Soares, Young, Mosher, Minxha,
// Carter, Rutishauser, Rudebeck, Mandelli & Rajan 2020, "Inferring
// brain-wide interactions using data-constrained recurrent neural network
// models", bioRxiv doi:10.1101/2020.12.18.423348). One rate unit stands for
// each recorded neuron, and the recurrent weights J are trained online by
// recursive least squares so that the network's activity reproduces every
// recorded trace; J then reads as the directed interactions between the
// neurons (the current unit j sends to unit i is J[i][j]·r_j).
//
// # Notation and orientation
//
// As in package neurotab (see "Matrix orientation" in
// [github.com/neurotab/neurotab]): recorded traces R are T×N (rows are
// time), J is N×N in the recurrent-weights orientation J[post][pre]
// (r ← J r), so it compares with connectome.Adjacency transposed.
//
// # Errors
//
// Errors start with "curbd:" and wrap neurotab.ErrParam (a bad setting),
// neurotab.ErrShape (too few samples or neurons), neurotab.ErrNotFinite
// (NaN in R, or a fit that blew up), neurotab.ErrOutOfRange (traces outside
// (−1, 1) without Scale) or neurotab.ErrNotFitted (results before a fit).
package curbd
