package connectome

import "sort"

// Datasets returns the dataset names of edges, sorted.
func Datasets(edges []Edge) []string {
	seen := map[string]bool{}
	var names []string
	for _, e := range edges {
		if !seen[e.Dataset] {
			seen[e.Dataset] = true
			names = append(names, e.Dataset)
		}
	}
	sort.Strings(names)
	return names
}

// SelectDataset returns the edges of dataset name, in their order.
func SelectDataset(edges []Edge, name string) []Edge {
	var out []Edge
	for _, e := range edges {
		if e.Dataset == name {
			out = append(out, e)
		}
	}
	return out
}

// ConsensusByDataset is the consensus over the datasets of one edges table
// (a table holding several imports): the edges are split by Dataset, the
// datasets taken in sorted order, and Consensus of them returned as an
// edges table of dataset name (ConsensusEdges): per directed pair, one
// Chemical edge whose weight is the mean chemical weight over the datasets
// reporting one, and one Electrical edge likewise.
func ConsensusByDataset(edges []Edge, name string) []Edge {
	names := Datasets(edges)
	sets := make([][]Edge, len(names))
	for i, n := range names {
		sets[i] = SelectDataset(edges, n)
	}
	return ConsensusEdges(Consensus(sets...), name)
}
