package structure

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"

	"github.com/neurotab/neurotab/connectome"
)

// trapz is the area under the polyline (x, y).
func trapz(x, y []float64) float64 {
	a := 0.0
	for i := 1; i < len(x); i++ {
		a += (x[i] - x[i-1]) * (y[i] + y[i-1]) / 2
	}
	return a
}

// TestROCReference compares the ROC curve with sklearn.metrics.roc_curve
// (drop_intermediate=False; testdata/gen_reference.py) point by point, on
// scores with ties, and checks that its area is the AUC; the null keeps a
// standard deviation equal to gonum's of the null values, and each
// rewiring's gridded curve encloses its AUC within the grid's resolution.
func TestROCReference(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		FC, Chemical, Gap [][]float64
		Cases             map[string]struct{ AUC, FPR, TPR []float64 }
	}
	// AUC is a scalar in the file; decode it apart.
	var aucs struct {
		Cases map[string]struct{ AUC float64 }
	}
	if err := json.Unmarshal(raw, &aucs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(raw), `"auc":`, `"_auc":`)), &ref); err != nil {
		t.Fatal(err)
	}
	fc, chem, gap := referenceMatrices(ref.FC, ref.Chemical, ref.Gap)
	for name, want := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			typ := connectome.EdgeType(0)
			for _, s := range strings.Split(name, "|") {
				ty, _ := connectome.ParseEdgeType(s)
				typ |= ty
			}
			tst := Test{Rewirings: 200, Type: typ, Seed: 3}
			if err := tst.FitAdjacency(fc, chem, gap); err != nil {
				t.Fatal(err)
			}
			fpr, tpr, err := tst.ROC()
			if err != nil {
				t.Fatal(err)
			}
			if !floats.EqualApprox(fpr, want.FPR, 1e-12) || !floats.EqualApprox(tpr, want.TPR, 1e-12) {
				t.Fatalf("ROC\n fpr %v\n tpr %v\nwant\n fpr %v\n tpr %v", fpr, tpr, want.FPR, want.TPR)
			}
			res, _ := tst.Result()
			if a := trapz(fpr, tpr); math.Abs(a-aucs.Cases[name].AUC) > 1e-12 || math.Abs(a-res.AUC) > 1e-12 {
				t.Errorf("area under the ROC %v, AUC %v, sklearn %v", a, res.AUC, aucs.Cases[name].AUC)
			}
			nullAUC, nullRho, _ := tst.Null()
			if sd := stat.StdDev(nullAUC, nil); math.Abs(sd-res.NullAUCSD) > 1e-12 {
				t.Errorf("null AUC sd %v, gonum %v", res.NullAUCSD, sd)
			}
			if sd := stat.StdDev(nullRho, nil); math.Abs(sd-res.NullSpearmanSD) > 1e-12 {
				t.Errorf("null Spearman sd %v, gonum %v", res.NullSpearmanSD, sd)
			}
			grid, null, err := tst.NullROC()
			if err != nil {
				t.Fatal(err)
			}
			if len(grid) != ROCGrid || len(null) != 200 || grid[0] != 0 || grid[ROCGrid-1] != 1 {
				t.Fatalf("grid of %d, %d curves", len(grid), len(null))
			}
			worst := 0.0
			for k, c := range null {
				if c[ROCGrid-1] != 1 {
					t.Fatalf("rewiring %d: tpr at fpr 1 is %v", k, c[ROCGrid-1])
				}
				worst = math.Max(worst, math.Abs(trapz(grid, c)-nullAUC[k]))
			}
			t.Logf("largest |area of the gridded null curve − null AUC| %.4f", worst)
			if worst > 0.02 {
				t.Errorf("gridded null curves differ from their AUC by up to %v", worst)
			}
		})
	}
}

// TestROCByHand: scores 0.9 (pos), 0.5 (neg), 0.5 (pos), 0.1 (neg): the
// tie enters as one step, from (0, 0.5) to (0.5, 1).
func TestROCByHand(t *testing.T) {
	fpr, tpr := ROC([]float64{0.9, 0.5, 0.5, 0.1}, []bool{true, false, true, false})
	if !floats.Equal(fpr, []float64{0, 0, 0.5, 1}) || !floats.Equal(tpr, []float64{0, 0.5, 1, 1}) {
		t.Fatalf("fpr %v tpr %v", fpr, tpr)
	}
	dst := make([]float64, 5)
	tprAt(dst, fpr, tpr)
	if !floats.EqualApprox(dst, []float64{0.5, 0.75, 1, 1, 1}, 1e-15) {
		t.Fatalf("gridded tpr %v", dst)
	}
}
