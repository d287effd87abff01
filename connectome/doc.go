// Package connectome holds the canonical C. elegans neuron atlas, the label
// normalization shared by connectome importers and trace ingest, importers
// for the published connectomes, and adjacency views of them.
//
// # Notation and orientation
//
// N is the number of neurons of a view (300 for the full atlas). An
// adjacency matrix A is N×N with rows the presynaptic and columns the
// postsynaptic neuron: A[i][j] is the weight of the edge labels[i] →
// labels[j]. Weights are synapse counts (White et al. 1986
// doi:10.1098/rstb.1986.0056; Varshney et al. 2011
// doi:10.1371/journal.pcbi.1001066; Witvliet et al. 2021
// doi:10.1038/s41586-021-03778-8), EM serial-section counts (Cook et al.
// 2019 doi:10.1038/s41586-019-1352-7) or response amplitudes (functional
// atlases). Gap junctions are undirected; every electrical edge is emitted
// in both directions, so an electrical adjacency is symmetric.
//
// # The canonical list
//
// The atlas follows the homogenized C. elegans data of Simeon et al.
// ("Homogenized C. elegans Neural Activity and Connectivity Data"): the 302
// hermaphrodite neurons without CANL/CANR, which Cook et al. 2019 reclassified
// as end organs, sorted in byte (Python string) order, so AS10 comes before
// AS2. A neuron's slot is its index in that order.
//
// # Edges table
//
// Every importer returns []Edge, the rows of the canonical connectome edges
// table (dataset, pre, post, type, weight, q_value). Importers apply the
// published worm-graph rules unless Options say otherwise: labels are
// normalized (DA01 → DA1, whitespace trimmed), edges with an end outside the
// 300 neurons are dropped, the first row of a duplicated chemical (pre, post)
// pair is kept, and gap junctions are symmetrized per unordered pair by the
// mean of the raw rows (GapMean). Varshney's S and Sp rows are summed per
// pair first, because they are different synapses.
//
// # Views
//
// Adjacency, Triplets and SparseEdges view an edges table over a label list
// and a set of types; SparseEdges keeps the types apart (a summed chemical
// and electrical weight is no edge type of its own). Consensus and
// ConsensusByDataset average datasets per directed pair and type.
//
// # Errors
//
// Malformed input is a *FormatError naming the file and the sheet and
// cell (spreadsheets) or the line and column (text, read with
// formats/csvtab); its Err wraps neurotab.ErrMalformed, or
// neurotab.ErrNotFound for a column missing from a text header, or
// neurotab.ErrUnsupported for an encrypted or pre-BIFF8 workbook.
//
// Nothing in this package holds memory that must be released.
package connectome
