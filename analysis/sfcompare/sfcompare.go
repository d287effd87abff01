// Package sfcompare is the structure–function task of `neurotab analyze
// structure-function`: it turns the rows of an fc table into one
// symmetric FC matrix per recording, window and measure, and compares each
// with every connectome dataset of an edges table (and optionally their
// consensus) for each synapse type, with package structure's Spearman ρ,
// ROC-AUC and degree-preserving rewired null. Results become rows of the
// structure_function and structure_null tables, and ROC figures.
package sfcompare

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/structure"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
)

// Type is a synapse type to predict: TypeChemical, TypeElectrical or
// TypeAny (either).
type Type string

// The types of Config.Types.
const (
	TypeChemical   Type = "chemical"
	TypeElectrical Type = "electrical"
	TypeAny        Type = "any"
)

// Types lists the types in the order they are compared.
func Types() []Type { return []Type{TypeChemical, TypeElectrical, TypeAny} }

// ParseType returns the Type named s; another name wraps neurotab.ErrParam.
func ParseType(s string) (Type, error) {
	for _, t := range Types() {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("sfcompare: unknown synapse type %q (want chemical, electrical or any): %w", s, neurotab.ErrParam)
}

func (t Type) edgeType() connectome.EdgeType {
	switch t {
	case TypeChemical:
		return connectome.Chemical
	case TypeElectrical:
		return connectome.Electrical
	}
	return connectome.Chemical | connectome.Electrical
}

// Matrix is the FC of one recording, window and measure over the neurons
// that have a value with every other.
type Matrix struct {
	Dataset, Worm string
	Window        int
	Measure       string
	Neurons       []string
	// C is |C| symmetrized: the mean of C[i][j] and C[j][i] when the table
	// has both (directed measures), else the one it has.
	C *mat.SymDense
	// Dropped are neurons left out because some of their pairs had no
	// row (a trace constant in the window), most missing pairs first.
	Dropped []string
}

type matrixKey struct {
	dataset, worm string
	window        int
	measure       string
}

// Matrices groups fc rows into matrices, in order of dataset, worm,
// window and measure. Neurons come in the order they first appear; a
// neuron missing pairs is dropped (the one missing most first) until every
// pair of those left has a value. Errors: a non-finite value
// (neurotab.ErrNotFinite).
func Matrices(rows []table.FCRow) ([]Matrix, error) {
	es := make([]entry, 0, len(rows))
	for _, r := range rows {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			return nil, fmt.Errorf("sfcompare: fc row %s/%s window %d %s→%s (%s): value %v: %w", r.SourceDataset, r.Worm, r.Window, r.Pre, r.Post, r.Measure, r.Value, neurotab.ErrNotFinite)
		}
		es = append(es, entry{matrixKey{r.SourceDataset, r.Worm, r.Window, r.Measure}, r.Pre, r.Post, r.Value})
	}
	return matrices(es), nil
}

// GLMMeasure is the Measure of the matrices of GLMMatrices.
const GLMMeasure = "glm_weight"

// GLMMatrices turns the rows of a glm_weights table (state-switching GLM
// couplings W[post][pre] per lag) into one matrix per model and state:
// the coupling of pre → post is Σ_lag |w|, and C of a pair the mean of its
// two directions (one when the table has only one), so a GLM's weights
// are compared with a connectome as FC is. Dataset is the model, Worm
// empty, Window the state and Measure GLMMeasure. Errors: a non-finite
// weight (neurotab.ErrNotFinite).
func GLMMatrices(rows []table.GLMWeightRow) ([]Matrix, error) {
	type dir struct {
		model     string
		state     int
		pre, post string
	}
	sum := map[dir]float64{}
	var order []dir
	for _, r := range rows {
		if math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) {
			return nil, fmt.Errorf("sfcompare: glm weight %s state %d %s→%s lag %d: %v: %w", r.Model, r.State, r.Pre, r.Post, r.Lag, r.Weight, neurotab.ErrNotFinite)
		}
		d := dir{r.Model, r.State, r.Pre, r.Post}
		if _, ok := sum[d]; !ok {
			order = append(order, d)
		}
		sum[d] += math.Abs(r.Weight)
	}
	es := make([]entry, len(order))
	for i, d := range order {
		es[i] = entry{matrixKey{d.model, "", d.state, GLMMeasure}, d.pre, d.post, sum[d]}
	}
	return matrices(es), nil
}

// entry is one directed value of a matrix.
type entry struct {
	key       matrixKey
	pre, post string
	v         float64
}

// matrices builds the Matrices of entries (see Matrices).
func matrices(entries []entry) []Matrix {
	type acc struct {
		neurons []string
		index   map[string]int
		sum     map[[2]int]float64
		n       map[[2]int]int
	}
	groups := map[matrixKey]*acc{}
	var keys []matrixKey
	for _, r := range entries {
		if r.pre == r.post {
			continue
		}
		k := r.key
		a := groups[k]
		if a == nil {
			a = &acc{index: map[string]int{}, sum: map[[2]int]float64{}, n: map[[2]int]int{}}
			groups[k] = a
			keys = append(keys, k)
		}
		id := func(l string) int {
			i, ok := a.index[l]
			if !ok {
				i = len(a.neurons)
				a.index[l] = i
				a.neurons = append(a.neurons, l)
			}
			return i
		}
		i, j := id(r.pre), id(r.post)
		if i > j {
			i, j = j, i
		}
		a.sum[[2]int{i, j}] += r.v
		a.n[[2]int{i, j}]++
	}
	slices.SortFunc(keys, func(x, y matrixKey) int {
		return cmp.Or(cmp.Compare(x.dataset, y.dataset), cmp.Compare(x.worm, y.worm), cmp.Compare(x.window, y.window), cmp.Compare(x.measure, y.measure))
	})
	var out []Matrix
	for _, k := range keys {
		a := groups[k]
		n := len(a.neurons)
		alive := make([]bool, n)
		for i := range alive {
			alive[i] = true
		}
		m := Matrix{Dataset: k.dataset, Worm: k.worm, Window: k.window, Measure: k.measure}
		for {
			missing := make([]int, n)
			worst := -1
			for i := range n {
				for j := i + 1; j < n; j++ {
					if alive[i] && alive[j] && a.n[[2]int{i, j}] == 0 {
						missing[i]++
						missing[j]++
					}
				}
				if missing[i] > 0 && (worst < 0 || missing[i] > missing[worst]) {
					worst = i
				}
			}
			if worst < 0 {
				break
			}
			alive[worst] = false
			m.Dropped = append(m.Dropped, a.neurons[worst])
		}
		var keep []int
		for i := range n {
			if alive[i] {
				keep = append(keep, i)
				m.Neurons = append(m.Neurons, a.neurons[i])
			}
		}
		m.C = mat.NewSymDense(len(keep), nil)
		for x, i := range keep {
			for y := x + 1; y < len(keep); y++ {
				p := [2]int{i, keep[y]}
				m.C.SetSym(x, y, math.Abs(a.sum[p]/float64(a.n[p])))
			}
		}
		out = append(out, m)
	}
	return out
}

// Connectome is one edges dataset to compare with: its name and its
// chemical and electrical edges.
type Connectome struct {
	Name  string
	Edges []connectome.Edge
}

// Connectomes splits an edges table by dataset (sorted by name), keeping
// chemical and electrical edges; with consensus and more than one dataset
// it adds their consensus (connectome.ConsensusByDataset) as "consensus".
func Connectomes(edges []connectome.Edge, consensus bool) []Connectome {
	var syn []connectome.Edge
	for _, e := range edges {
		if e.Type == connectome.Chemical || e.Type == connectome.Electrical {
			syn = append(syn, e)
		}
	}
	var out []Connectome
	names := connectome.Datasets(syn)
	for _, n := range names {
		out = append(out, Connectome{n, connectome.SelectDataset(syn, n)})
	}
	if consensus && len(names) > 1 {
		out = append(out, Connectome{"consensus", connectome.ConsensusByDataset(syn, "consensus")})
	}
	return out
}

// Config configures Run.
type Config struct {
	// Types are the synapse types to predict; empty means all of Types().
	Types []Type
	// Rewirings and Seed are structure.Test's.
	Rewirings int
	Seed      neurotab.Seed
	// Progress, when not nil, is called after each comparison.
	Progress func(done, total int)
}

// Comparison is one matrix against one connectome for one type.
type Comparison struct {
	Matrix     *Matrix
	Connectome string
	Type       Type
	Result     structure.Result
	// NullAUC and NullSpearman are the rewired null, one per rewiring.
	NullAUC, NullSpearman []float64
	// FPR, TPR are the observed ROC; NullFPR, NullTPR the rewired curves
	// on a grid (structure.Test.NullROC).
	FPR, TPR, NullFPR []float64
	NullTPR           [][]float64
}

// Skip is a comparison that could not be made, with the reason.
type Skip struct {
	Matrix     *Matrix
	Connectome string
	Type       Type
	Err        error
}

// Run compares every matrix with every connectome for every type. A pair
// (matrix, connectome) sharing fewer than 2 neurons, or a type with no
// synapse (or only synapses) among the shared neurons, is skipped with
// its reason. Errors: no comparison made at all (the first skip's reason,
// wrapping neurotab.ErrNotFound when no neuron is shared, else
// neurotab.ErrShape), and structure.Test's other errors.
func Run(mats []Matrix, conns []Connectome, cfg Config) ([]Comparison, []Skip, error) {
	types := cfg.Types
	if len(types) == 0 {
		types = Types()
	}
	t0 := structure.Test{Rewirings: cfg.Rewirings, Seed: cfg.Seed}
	if err := t0.Check(); err != nil {
		return nil, nil, err
	}
	var out []Comparison
	var skips []Skip
	total, done := len(mats)*len(conns)*len(types), 0
	for mi := range mats {
		m := &mats[mi]
		for _, c := range conns {
			_, sub, chem, gap, err := structure.Align(m.C, m.Neurons, c.Edges)
			if err == nil && sub.SymmetricDim() < 2 {
				err = fmt.Errorf("sfcompare: %d neuron shared between the FC and the connectome, want at least 2: %w", sub.SymmetricDim(), neurotab.ErrShape)
			}
			for _, ty := range types {
				done++
				if err != nil {
					skips = append(skips, Skip{m, c.Name, ty, err})
					continue
				}
				t := structure.Test{Rewirings: cfg.Rewirings, Seed: cfg.Seed, Type: ty.edgeType()}
				if ferr := t.FitAdjacency(sub, chem, gap); ferr != nil {
					if !errors.Is(ferr, neurotab.ErrShape) {
						return nil, nil, fmt.Errorf("sfcompare: %s/%s window %d %s against %s (%s): %w", m.Dataset, m.Worm, m.Window, m.Measure, c.Name, ty, ferr)
					}
					skips = append(skips, Skip{m, c.Name, ty, ferr})
					continue
				}
				cmp := Comparison{Matrix: m, Connectome: c.Name, Type: ty}
				cmp.Result, _ = t.Result()
				cmp.NullAUC, cmp.NullSpearman, _ = t.Null()
				cmp.FPR, cmp.TPR, _ = t.ROC()
				cmp.NullFPR, cmp.NullTPR, _ = t.NullROC()
				out = append(out, cmp)
				if cfg.Progress != nil {
					cfg.Progress(done, total)
				}
			}
		}
	}
	if len(out) == 0 {
		if len(skips) == 0 {
			return nil, nil, fmt.Errorf("sfcompare: no FC matrix or no connectome to compare: %w", neurotab.ErrShape)
		}
		s := skips[0]
		return nil, skips, fmt.Errorf("sfcompare: nothing compared; e.g. %s/%s window %d %s against %s (%s): %w", s.Matrix.Dataset, s.Matrix.Worm, s.Matrix.Window, s.Matrix.Measure, s.Connectome, s.Type, s.Err)
	}
	return out, skips, nil
}

// Rows returns the structure_function row of c and its structure_null
// rows.
func (c *Comparison) Rows() (table.StructureFunctionRow, []table.StructureNullRow) {
	m, r := c.Matrix, c.Result
	row := table.StructureFunctionRow{SourceDataset: m.Dataset, Worm: m.Worm, Window: m.Window, Measure: m.Measure, Connectome: c.Connectome, Type: string(c.Type),
		Neurons: r.Neurons, Pairs: r.Pairs, Positives: r.Positives, Rewirings: len(c.NullAUC),
		Spearman: r.Spearman, SpearmanNullMean: r.NullSpearmanMean, SpearmanNullSD: r.NullSpearmanSD, SpearmanP: r.PSpearman,
		AUC: r.AUC, AUCNullMean: r.NullAUCMean, AUCNullSD: r.NullAUCSD, AUCP: r.PAUC}
	null := make([]table.StructureNullRow, len(c.NullAUC))
	for k := range null {
		null[k] = table.StructureNullRow{SourceDataset: m.Dataset, Worm: m.Worm, Window: m.Window, Measure: m.Measure, Connectome: c.Connectome, Type: string(c.Type),
			Rewiring: k, AUC: c.NullAUC[k], Spearman: c.NullSpearman[k]}
	}
	return row, null
}

// Curve returns c as a curve of structure.PlotROC, its null band the
// pointwise 2.5 % and 97.5 % quantiles of the rewired curves.
func (c *Comparison) Curve() structure.ROCCurve {
	lo, hi := structure.NullBand(c.NullTPR, 0.025)
	return structure.ROCCurve{Label: string(c.Type), FPR: c.FPR, TPR: c.TPR, AUC: c.Result.AUC, NullMean: c.Result.NullAUCMean, P: c.Result.PAUC,
		NullFPR: c.NullFPR, NullLo: lo, NullHi: hi}
}
