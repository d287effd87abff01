package structure

import (
	"testing"

	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestPlantedWhite1986 plants the real White 1986 connectome (c302,
// whole animal: 2,266 chemical edges, 1,132 gap junctions) in a linear
// network over the atlas labels (x ← W x with W = (A + G)ᵀ, noise seed 9),
// labels the Pearson FC with the atlas order and runs Fit on the edges
// (1000 rewirings, seed 1) for each type: the AUC is far above the
// rewired null (p < 0.01). FC of the independent traces (the network cut)
// is not (p > 0.01).
func TestPlantedWhite1986(t *testing.T) {
	if testing.Short() {
		t.Skip("15 s: 6 × 1000 rewirings of a 299-neuron connectome")
	}
	edges, err := connectome.ImportNemaNode(fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv"), connectome.Options{})
	if err != nil {
		t.Fatal(err)
	}
	labels := connectome.DefaultAtlas().Labels()
	a, err := connectome.Adjacency(edges, labels, connectome.Chemical|connectome.Electrical)
	if err != nil {
		t.Fatal(err)
	}
	for _, coupled := range []bool{true, false} {
		fc := simulatedFC(t, a, coupled, 9)
		for _, typ := range []connectome.EdgeType{connectome.Chemical, connectome.Electrical, 0} {
			name := map[bool]string{true: "planted ", false: "independent "}[coupled] + (&Test{Type: typ}).types().String()
			t.Run(name, func(t *testing.T) {
				tst := Test{Seed: 1, Type: typ}
				if err := tst.Fit(fc, labels, edges); err != nil {
					t.Fatal(err)
				}
				r, _ := tst.Result()
				t.Logf("%d neurons, %d of %d pairs positive: AUC %.3f (null mean %.3f, p %.4f), Spearman %.3f (null mean %.3f, p %.4f)",
					r.Neurons, r.Positives, r.Pairs, r.AUC, r.NullAUCMean, r.PAUC, r.Spearman, r.NullSpearmanMean, r.PSpearman)
				if coupled && (r.PAUC >= 0.01 || r.AUC < r.NullAUCMean+0.2) {
					t.Errorf("planted White 1986 not detected: %+v", r)
				}
				if !coupled && r.PAUC <= 0.01 {
					t.Errorf("independent traces look structured: %+v", r)
				}
			})
		}
	}
}
