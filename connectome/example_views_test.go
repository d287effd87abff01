package connectome_test

import (
	"fmt"

	"github.com/neurotab/neurotab/connectome"
)

func ExampleConsensusByDataset() {
	edges := []connectome.Edge{
		{Dataset: "white", Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 3},
		{Dataset: "cook", Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 9},
		{Dataset: "cook", Pre: "AVAL", Post: "AVAR", Type: connectome.Electrical, Weight: 2},
	}
	for _, e := range connectome.ConsensusByDataset(edges, "consensus") {
		fmt.Println(e.Dataset, e.Pre, e.Post, e.Type, e.Weight)
	}
	// Output:
	// consensus AVAL AVAR electrical 2
	// consensus AVAL DA1 chemical 6
}

func ExampleSparseEdges() {
	edges := []connectome.Edge{
		{Pre: "AVAL", Post: "AVAR", Type: connectome.Electrical, Weight: 2},
		{Pre: "AVAR", Post: "AVAL", Type: connectome.Electrical, Weight: 2},
		{Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 3},
		{Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 1},
	}
	sparse, _ := connectome.SparseEdges(edges, []string{"AVAL", "AVAR", "DA1"}, connectome.Chemical|connectome.Electrical, "view")
	for _, e := range sparse {
		fmt.Println(e.Pre, e.Post, e.Type, e.Weight)
	}
	// Output:
	// AVAL DA1 chemical 4
	// AVAL AVAR electrical 2
	// AVAR AVAL electrical 2
}
