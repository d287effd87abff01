package structure_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/analysis/structure"
	"github.com/neurotab/neurotab/connectome"
)

// ExampleTest compares a 4-neuron FC matrix with a connectome whose two
// synapses (A → B chemical, C – D gap junction) join the two pairs of
// highest |FC|. Every pair with a synapse outscores every pair without:
// AUC 1. Ranks of |FC| over the pairs AB, AC, AD, BC, BD, CD are
// (6, 2.5, 1, 4, 2.5, 5) and of the weights (6, 2.5, 2.5, 2.5, 2.5, 5),
// so ρ = 12.5 / √(17 · 12.5) = 0.857.
func ExampleTest() {
	fc := mat.NewSymDense(4, []float64{
		1, 0.8, 0.1, 0.0,
		0.8, 1, 0.2, 0.1,
		0.1, 0.2, 1, -0.7,
		0.0, 0.1, -0.7, 1,
	})
	edges := []connectome.Edge{
		{Pre: "A", Post: "B", Type: connectome.Chemical, Weight: 3},
		{Pre: "C", Post: "D", Type: connectome.Electrical, Weight: 1},
		{Pre: "D", Post: "C", Type: connectome.Electrical, Weight: 1},
	}
	t := structure.Test{Rewirings: 100, Seed: 1}
	if err := t.Fit(fc, []string{"A", "B", "C", "D"}, edges); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := t.Result()
	fmt.Printf("%d neurons, %d of %d pairs with a synapse: AUC %.2f, Spearman %.3f\n", r.Neurons, r.Positives, r.Pairs, r.AUC, r.Spearman)

	err := t.Fit(fc, []string{"W", "X", "Y", "Z"}, edges)
	fmt.Println(err)
	// Output:
	// 4 neurons, 2 of 6 pairs with a synapse: AUC 1.00, Spearman 0.857
	// structure: no neuron shared between the FC (4 neurons) and the connectome (4 neurons): not found
}

// ExampleRewire rewires a directed 4-cycle: every neuron keeps one input
// and one output.
func ExampleRewire() {
	a := mat.NewDense(4, 4, []float64{
		0, 1, 0, 0,
		0, 0, 1, 0,
		0, 0, 0, 1,
		1, 0, 0, 0,
	})
	b, _ := structure.Rewire(a, true, 1)
	fmt.Println(mat.Sum(b), mat.Sum(b.RowView(0)), mat.Sum(b.ColView(0)))
	// Output:
	// 4 1 1
}

// ExampleROC: two positives and two negatives with a tie between a
// positive and a negative, which enters as one diagonal step.
func ExampleROC() {
	fpr, tpr := structure.ROC([]float64{0.9, 0.5, 0.5, 0.1}, []bool{true, false, true, false})
	fmt.Println(fpr, tpr)
	// Output:
	// [0 0 0.5 1] [0 0.5 1 1]
}
