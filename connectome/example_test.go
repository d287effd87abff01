package connectome_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/neurotab/neurotab/connectome"
	"gonum.org/v1/gonum/mat"
)

func ExampleNormalize() {
	for _, raw := range []string{"DA01", " AVAL ", "AVA", "IL2?L", "BWM-DL01", "dBWML1", "CEPshDR", "CANL", "R1AL"} {
		n := connectome.Normalize(raw)
		fmt.Printf("%-10q %-9s %-9s %q %v\n", raw, n.Kind, n.Status, n.Label, n.Candidates)
	}
	// Output:
	// "DA01"     neuron    exact     "DA1" []
	// " AVAL "   neuron    exact     "AVAL" []
	// "AVA"      neuron    candidate "" [AVAL AVAR]
	// "IL2?L"    neuron    candidate "" [IL2DL IL2L IL2VL]
	// "BWM-DL01" muscle    exact     "MDL01" []
	// "dBWML1"   muscle    exact     "MDL01" []
	// "CEPshDR"  glia      exact     "CEPshDR" []
	// "CANL"     end organ exact     "CANL" []
	// "R1AL"     neuron    rejected  "R1AL" []
}

func ExampleDefaultAtlas() {
	a := connectome.DefaultAtlas()
	labels := a.Labels()
	fmt.Println(a.Len(), labels[:3], labels[len(labels)-1])
	n, _ := a.Neuron("AS10") // line 30 of worm-graph neuron_labels.txt: slot 29
	fmt.Println(n.Slot, n.Class, n.Type, n.Neurotransmitter)
	// Output:
	// 300 [ADAL ADAR ADEL] VD9
	// 29 AS motor ACh
}

func ExampleImportNemaNode() {
	dir, _ := os.MkdirTemp("", "connectome")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "white.csv")
	// A space-separated header with tab-separated rows, as in the N2U file.
	os.WriteFile(path, []byte("pre post type synapses\n"+
		"AVAL\tAVAR\telectrical\t2\n"+
		"AVAL\tDA01\tchemical\t3\n"+
		"AVAL\tDA01\tchemical\t5\n"+ // duplicate pair: first row kept
		"AVAL\tBWM-VL01\tchemical\t1\n"), 0o644) // muscle: dropped
	edges, err := connectome.ImportNemaNode(path, connectome.Options{Dataset: "demo"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range edges {
		fmt.Println(e.Dataset, e.Pre, e.Post, e.Type, e.Weight)
	}
	// Output:
	// demo AVAL DA1 chemical 3
	// demo AVAL AVAR electrical 2
	// demo AVAR AVAL electrical 2
}

func ExampleAdjacency() {
	edges := []connectome.Edge{
		{Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 3},
		{Pre: "AVAL", Post: "AVAR", Type: connectome.Electrical, Weight: 2},
		{Pre: "AVAR", Post: "AVAL", Type: connectome.Electrical, Weight: 2},
	}
	a, _ := connectome.Adjacency(edges, []string{"AVAL", "AVAR", "DA1"}, connectome.Chemical|connectome.Electrical)
	fmt.Println(mat.Formatted(a))
	// Output:
	// ⎡0  2  3⎤
	// ⎢2  0  0⎥
	// ⎣0  0  0⎦
}

func ExampleConsensus() {
	white := []connectome.Edge{{Dataset: "white", Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 3}}
	cook := []connectome.Edge{{Dataset: "cook", Pre: "AVAL", Post: "DA1", Type: connectome.Chemical, Weight: 9}}
	for _, e := range connectome.Consensus(white, cook) {
		fmt.Println(e.Pre, e.Post, e.Chemical, math.IsNaN(e.Electrical), e.Sources)
	}
	// Output:
	// AVAL DA1 6 true [cook white]
}

func ExampleSign() {
	a := connectome.DefaultAtlas()
	for _, l := range []string{"AVAL", "DD1", "ADEL"} {
		fmt.Println(l, connectome.Sign(a, l, connectome.SignRule{}))
	}
	// Output:
	// AVAL 1
	// DD1 -1
	// ADEL 0
}

// Sign an adjacency by Dale's law: the sign of the presynaptic neuron
// scales its row (diag(s)·A), so the GABAergic DD1's outputs turn negative.
func ExampleSignedAdjacency() {
	labels := []string{"AVAL", "DD1", "ADEL"}
	edges := []connectome.Edge{
		{Pre: "AVAL", Post: "DD1", Type: connectome.Chemical, Weight: 3},
		{Pre: "DD1", Post: "AVAL", Type: connectome.Chemical, Weight: 2},
		{Pre: "ADEL", Post: "AVAL", Type: connectome.Chemical, Weight: 1},
	}
	A, err := connectome.Adjacency(edges, labels, connectome.Chemical)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := connectome.Signs(connectome.DefaultAtlas(), labels, connectome.SignRule{})
	signed, err := connectome.SignedAdjacency(A, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("signs", s)
	fmt.Printf("%v\n", mat.Formatted(signed))
	// Output:
	// signs [1 -1 0]
	// ⎡ 0   3   0⎤
	// ⎢-2   0   0⎥
	// ⎣ 0   0   0⎦
}

func ExampleSources() {
	for _, s := range connectome.Sources()[:4] {
		fmt.Println(s.Name, s.DOI)
	}
	// Output:
	// white1986_whole 10.1098/rstb.1986.0056
	// white1986_n2u 10.1098/rstb.1986.0056
	// white1986_jsh 10.1098/rstb.1986.0056
	// white1986_jse 10.1098/rstb.1986.0056
}
