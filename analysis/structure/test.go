package structure

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
)

// DefaultRewirings is the number of rewirings of the zero Test.
const DefaultRewirings = 1000

// Test compares an FC matrix with a connectome against a degree-preserving
// rewired null. It has the estimator shape of package neurotab (see
// "Estimators" in [github.com/neurotab/neurotab]): the exported fields are
// the configuration, Fit keeps the result, read with Result and Null
// (errors wrapping neurotab.ErrNotFitted before a Fit).
//
// For each of the R rewirings (rewiring r draws from Seed.Rand(2r) for the
// chemical graph and Seed.Rand(2r+1) for gap junctions, each from the
// original graph), AUC and Spearman are recomputed with the FC fixed; the
// p-values are
//
//	p = (1 + #{null ≥ observed}) / (1 + R)
//
// (Phipson & Smyth 2010, Stat Appl Genet Mol Biol 9:39,
// doi:10.2202/1544-6115.1585).
type Test struct {
	// Rewirings is R; 0 means DefaultRewirings. Values below 0 are invalid.
	Rewirings int
	// Seed seeds the rewirings.
	Seed neurotab.Seed
	// Type is the synapse to predict: connectome.Chemical,
	// connectome.Electrical, or both (either counts); 0 means both.
	Type connectome.EdgeType

	res     *Result
	nullAUC []float64
	nullRho []float64
	// The observed ROC curve, and the true-positive rates of each
	// rewiring at the ROCGrid false-positive rates.
	rocFPR, rocTPR []float64
	nullTPR        [][]float64
}

// Result is the outcome of a Fit.
type Result struct {
	// Neurons is N, the shared neurons; Pairs = N(N−1)/2; Positives the
	// pairs with a synapse of the tested type.
	Neurons, Pairs, Positives int
	// AUC of |FC| for a synapse, and Spearman ρ of |FC| with w_ij (see
	// the package doc).
	AUC, Spearman float64
	// NullAUCMean and NullSpearmanMean are the means of the null, and
	// NullAUCSD and NullSpearmanSD its standard deviations (with R − 1 in
	// the denominator; 0 for one rewiring).
	NullAUCMean, NullSpearmanMean float64
	NullAUCSD, NullSpearmanSD     float64
	// PAUC and PSpearman are the one-sided p-values (1 + #{null ≥
	// observed}) / (1 + R).
	PAUC, PSpearman float64
}

func (t *Test) rewirings() int {
	if t.Rewirings == 0 {
		return DefaultRewirings
	}
	return t.Rewirings
}

func (t *Test) types() connectome.EdgeType {
	if t.Type == 0 {
		return connectome.Chemical | connectome.Electrical
	}
	return t.Type
}

// Check reports whether the configuration is valid: Rewirings ≥ 0 and Type
// within chemical|electrical. Errors wrap neurotab.ErrParam.
func (t *Test) Check() error {
	if t.Rewirings < 0 {
		return fmt.Errorf("structure: Rewirings %d < 0: %w", t.Rewirings, neurotab.ErrParam)
	}
	if t.Type&^(connectome.Chemical|connectome.Electrical) != 0 {
		return fmt.Errorf("structure: Type %s, want chemical, electrical or both: %w", t.Type, neurotab.ErrParam)
	}
	return nil
}

// Parameters returns the configuration as provenance parameters:
// rewirings, seed and type (defaults filled in).
func (t *Test) Parameters() map[string]any {
	return map[string]any{"rewirings": t.rewirings(), "seed": t.Seed.String(), "type": t.types().String()}
}

// Align returns the labels of fcLabels found in the connectome (as Pre or
// Post of any edge), in FC order, the FC restricted to them, and the
// chemical (A[pre][post]) and gap-junction adjacencies over them
// (connectome.Adjacency). fc is N × N with N = len(fcLabels). Errors: a
// size mismatch (neurotab.ErrShape) and no shared neuron
// (neurotab.ErrNotFound, naming both sizes).
func Align(fc mat.Symmetric, fcLabels []string, edges []connectome.Edge) (labels []string, sub *mat.SymDense, chem, gap *mat.Dense, err error) {
	n := fc.SymmetricDim()
	if n != len(fcLabels) {
		return nil, nil, nil, nil, fmt.Errorf("structure: FC is %d × %d but has %d labels: %w", n, n, len(fcLabels), neurotab.ErrShape)
	}
	in := map[string]bool{}
	for _, e := range edges {
		in[e.Pre], in[e.Post] = true, true
	}
	var keep []int
	for i, l := range fcLabels {
		if in[l] {
			keep = append(keep, i)
			labels = append(labels, l)
		}
	}
	if len(keep) == 0 {
		return nil, nil, nil, nil, fmt.Errorf("structure: no neuron shared between the FC (%d neurons) and the connectome (%d neurons): %w", n, len(in), neurotab.ErrNotFound)
	}
	sub = mat.NewSymDense(len(keep), nil)
	for a, i := range keep {
		for b := a; b < len(keep); b++ {
			sub.SetSym(a, b, fc.At(i, keep[b]))
		}
	}
	if chem, err = connectome.Adjacency(edges, labels, connectome.Chemical); err != nil {
		return nil, nil, nil, nil, err
	}
	if gap, err = connectome.Adjacency(edges, labels, connectome.Electrical); err != nil {
		return nil, nil, nil, nil, err
	}
	return labels, sub, chem, gap, nil
}

// Fit aligns fc (N × N, labelled by fcLabels) with the connectome edges
// (see Align) and runs FitAdjacency on the shared neurons.
func (t *Test) Fit(fc mat.Symmetric, fcLabels []string, edges []connectome.Edge) error {
	t.res, t.nullAUC, t.nullRho = nil, nil, nil
	if err := t.Check(); err != nil {
		return err
	}
	_, sub, chem, gap, err := Align(fc, fcLabels, edges)
	if err != nil {
		return err
	}
	return t.FitAdjacency(sub, chem, gap)
}

// FitAdjacency runs the test on aligned matrices: fc N × N, chem the
// directed chemical adjacency A[pre][post] and gap the symmetric
// gap-junction adjacency, both N × N (either may be nil when Type does not
// use it). Errors: an invalid configuration (neurotab.ErrParam), sizes
// (neurotab.ErrShape), a non-finite FC or weight off the diagonal
// (neurotab.ErrNotFinite), and a connectome with no synapse of the type or
// no pair without one among the neurons (neurotab.ErrShape: the AUC is
// undefined). After an error the test is unfitted.
func (t *Test) FitAdjacency(fc mat.Symmetric, chem, gap mat.Matrix) error {
	t.res, t.nullAUC, t.nullRho, t.rocFPR, t.rocTPR, t.nullTPR = nil, nil, nil, nil, nil, nil
	if err := t.Check(); err != nil {
		return err
	}
	n := fc.SymmetricDim()
	if n < 2 {
		return fmt.Errorf("structure: %d shared neurons, want at least 2: %w", n, neurotab.ErrShape)
	}
	types := t.types()
	var graphs []*rewirer
	for _, g := range []struct {
		use      bool
		a        mat.Matrix
		name     string
		directed bool
	}{{types&connectome.Chemical != 0, chem, "chemical", true}, {types&connectome.Electrical != 0, gap, "gap-junction", false}} {
		if !g.use {
			graphs = append(graphs, nil)
			continue
		}
		if g.a == nil {
			return fmt.Errorf("structure: Type %s needs a %s adjacency: %w", types, g.name, neurotab.ErrParam)
		}
		if r, c := g.a.Dims(); r != n || c != n {
			return fmt.Errorf("structure: %s adjacency is %d × %d, FC %d × %d: %w", g.name, r, c, n, n, neurotab.ErrShape)
		}
		w, err := newRewirer(g.a, g.directed)
		if err != nil {
			return err
		}
		graphs = append(graphs, w)
	}
	score := make([]float64, 0, n*(n-1)/2)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := fc.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("structure: FC [%d][%d] = %v: %w", i, j, v, neurotab.ErrNotFinite)
			}
			score = append(score, math.Abs(v))
		}
	}
	rank := Ranks(score)
	order := newROCOrder(score)
	weight := make([]float64, len(score))
	wrank := make([]float64, len(score))
	positive := make([]bool, len(score))
	eval := func() (auc, rho float64) {
		clear(weight)
		for _, g := range graphs {
			if g == nil {
				continue
			}
			for k := range g.pre {
				i, j := g.pre[k], g.post[k]
				if i > j {
					i, j = j, i
				}
				weight[pairIndex(n, i, j)] += g.weight[k]
			}
		}
		for p, w := range weight {
			positive[p] = w != 0
		}
		sparseRanksTo(wrank, weight)
		return aucRanked(rank, positive), pearson(rank, wrank)
	}
	for _, g := range graphs {
		if g != nil {
			g.reset()
		}
	}
	res := &Result{Neurons: n, Pairs: len(score)}
	res.AUC, res.Spearman = eval()
	for _, p := range positive {
		if p {
			res.Positives++
		}
	}
	if res.Positives == 0 || res.Positives == res.Pairs {
		return fmt.Errorf("structure: %d of %d pairs have a synapse of type %s, want some with and some without: %w", res.Positives, res.Pairs, types, neurotab.ErrShape)
	}
	rocFPR, rocTPR := rocPoints(order, positive)
	r := t.rewirings()
	nullAUC, nullRho := make([]float64, r), make([]float64, r)
	nullTPR := make([][]float64, r)
	geAUC, geRho := 1, 1
	for k := range r {
		for s, g := range graphs {
			if g != nil {
				g.rewire(SwapsPerEdge*len(g.pre), t.Seed.Rand(uint64(2*k+s)))
			}
		}
		nullAUC[k], nullRho[k] = eval()
		nullTPR[k] = make([]float64, ROCGrid)
		f, tp := rocPoints(order, positive)
		tprAt(nullTPR[k], f, tp)
		if nullAUC[k] >= res.AUC {
			geAUC++
		}
		if nullRho[k] >= res.Spearman {
			geRho++
		}
		res.NullAUCMean += nullAUC[k] / float64(r)
		res.NullSpearmanMean += nullRho[k] / float64(r)
	}
	res.PAUC = float64(geAUC) / float64(1+r)
	res.PSpearman = float64(geRho) / float64(1+r)
	res.NullAUCSD, res.NullSpearmanSD = sd(nullAUC, res.NullAUCMean), sd(nullRho, res.NullSpearmanMean)
	t.res, t.nullAUC, t.nullRho = res, nullAUC, nullRho
	t.rocFPR, t.rocTPR, t.nullTPR = rocFPR, rocTPR, nullTPR
	return nil
}

// sd is the sample standard deviation of x about its mean m (0 for fewer
// than two values).
func sd(x []float64, m float64) float64 {
	if len(x) < 2 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// ROC returns the observed ROC curve of |FC| for a synapse of the tested
// type (see the function ROC); the error wraps neurotab.ErrNotFitted
// before a fit.
func (t *Test) ROC() (fpr, tpr []float64, err error) {
	if t.res == nil {
		return nil, nil, fmt.Errorf("structure: ROC before Fit: %w", neurotab.ErrNotFitted)
	}
	return slices.Clone(t.rocFPR), slices.Clone(t.rocTPR), nil
}

// NullROC returns the ROC curves of the rewired connectomes: the ROCGrid
// false-positive rates 0, 0.01, …, 1 and, for each rewiring in order, the
// true-positive rate at each of them (linear interpolation along the
// curve). Pointwise quantiles of tpr over the rewirings give the null
// band of the ROC figure. The error wraps neurotab.ErrNotFitted before a
// fit.
func (t *Test) NullROC() (fpr []float64, tpr [][]float64, err error) {
	if t.res == nil {
		return nil, nil, fmt.Errorf("structure: NullROC before Fit: %w", neurotab.ErrNotFitted)
	}
	fpr = make([]float64, ROCGrid)
	for g := range fpr {
		fpr[g] = float64(g) / float64(ROCGrid-1)
	}
	tpr = make([][]float64, len(t.nullTPR))
	for k, v := range t.nullTPR {
		tpr[k] = slices.Clone(v)
	}
	return fpr, tpr, nil
}

// pairIndex is the position of pair i < j in row-major upper-triangle
// order.
func pairIndex(n, i, j int) int { return i*n - i*(i+1)/2 + j - i - 1 }

// Result returns the outcome of the fit; the error wraps
// neurotab.ErrNotFitted before one.
func (t *Test) Result() (Result, error) {
	if t.res == nil {
		return Result{}, fmt.Errorf("structure: Result before Fit: %w", neurotab.ErrNotFitted)
	}
	return *t.res, nil
}

// Null returns copies of the null distributions, one value per rewiring
// in order: the AUC and the Spearman ρ of the rewired connectomes. The
// error wraps neurotab.ErrNotFitted before a fit.
func (t *Test) Null() (auc, spearman []float64, err error) {
	if t.res == nil {
		return nil, nil, fmt.Errorf("structure: Null before Fit: %w", neurotab.ErrNotFitted)
	}
	return slices.Clone(t.nullAUC), slices.Clone(t.nullRho), nil
}
