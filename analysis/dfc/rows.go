package dfc

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/formats/table"
)

// FactorRows returns the ntf_factors rows of the model of rank Rank: for
// each component (by decreasing weight λ), one row per window (Index w,
// the first recording's window times), per recording (its dataset and
// worm) and per pair (pre, post), each with the component's unit-norm
// loading.
func (res *Result) FactorRows() ([]table.NTFFactorRow, error) {
	m := res.Model
	if m == nil {
		return nil, errNoModel
	}
	R := m.Rank()
	first := res.Windowed[0]
	nan := math.NaN()
	var rows []table.NTFFactorRow
	for c := range R {
		base := table.NTFFactorRow{Rank: R, Component: c, Weight: m.Weights[c], TStart: nan, TEnd: nan}
		for w := range res.Tensor.Dims[0] {
			r := base
			key := first.Windows[w].Window
			r.Mode, r.Index, r.TStart, r.TEnd, r.Loading = "window", w, key.Start, key.End, m.Factors[0].At(w, c)
			rows = append(rows, r)
		}
		for k, rec := range res.Windowed {
			r := base
			r.Mode, r.Index, r.SourceDataset, r.Worm, r.Loading = "recording", k, rec.Window.Dataset, rec.Window.Worm, m.Factors[1].At(k, c)
			rows = append(rows, r)
		}
		for p, pair := range res.Pairs {
			r := base
			r.Mode, r.Index, r.Pre, r.Post, r.Loading = "pair", p, pair[0], pair[1], m.Factors[2].At(p, c)
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// DiagnosticRows returns the ntf_diagnostics rows, one per rank.
func (res *Result) DiagnosticRows() []table.NTFDiagnosticRow {
	rows := make([]table.NTFDiagnosticRow, len(res.Diagnostics))
	for k, d := range res.Diagnostics {
		rows[k] = table.NTFDiagnosticRow{Rank: d.Rank, Restarts: res.Restarts, RelativeError: d.RelativeError, Similarity: d.Similarity, CoreConsistency: d.CoreConsistency}
	}
	return rows
}

// CommunityRows returns the communities rows: the community of each
// non-constant neuron of each recording's static FC, with window 0 (the
// window of the static fc table, the whole recording).
func (res *Result) CommunityRows() []table.CommunityRow {
	var rows []table.CommunityRow
	for k, p := range res.Partitions {
		w := res.Static[k].Window
		for i, l := range p.Neurons {
			rows = append(rows, table.CommunityRow{SourceDataset: w.Dataset, Worm: w.Worm, Window: 0, Neuron: l, Community: p.Community[i]})
		}
	}
	return rows
}

// PairMatrix returns the pair loadings of component c as the symmetric
// N × N matrix over Neurons (zero diagonal): the functional connectome of
// the component (Dyballa et al.'s stage 3).
func (res *Result) PairMatrix(c int) *mat.SymDense {
	n := len(res.Neurons)
	m := mat.NewSymDense(n, nil)
	p := 0
	for i := range n {
		for j := i + 1; j < n; j++ {
			m.SetSym(i, j, res.Model.Factors[2].At(p, c))
			p++
		}
	}
	return m
}

// StaticMatrix returns the static FC of recording k over the neurons of
// its Partition (symmetrized, NaN as 0).
func (res *Result) StaticMatrix(k int) *mat.SymDense {
	_, s := staticSub(res.Static[k])
	return s
}
