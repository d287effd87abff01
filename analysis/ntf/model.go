package ntf

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/assign"
)

// Model is a CP model of rank R: weights λ (length R, decreasing) and the
// factors A (I × R), B (J × R), C (K × R) with unit-norm columns, so
// X̂_ijk = Σ_r λ_r A_ir B_jr C_kr.
type Model struct {
	Weights []float64
	Factors [3]*mat.Dense
}

// newModel normalizes the columns of A, B and C into weights and orders
// the components by decreasing weight.
func newModel(A, B, C *mat.Dense) *Model {
	_, R := A.Dims()
	lambda := make([]float64, R)
	for r := range R {
		lambda[r] = 1
		for _, F := range []*mat.Dense{A, B, C} {
			n := mat.Norm(F.ColView(r), 2)
			lambda[r] *= n
			if n > 0 {
				for i := range F.RawMatrix().Rows {
					F.Set(i, r, F.At(i, r)/n)
				}
			}
		}
	}
	order := make([]int, R)
	for r := range order {
		order[r] = r
	}
	sort.SliceStable(order, func(a, b int) bool { return lambda[order[a]] > lambda[order[b]] })
	m := &Model{Weights: make([]float64, R)}
	for n, F := range []*mat.Dense{A, B, C} {
		rows, _ := F.Dims()
		m.Factors[n] = mat.NewDense(rows, R, nil)
		for c, r := range order {
			for i := range rows {
				m.Factors[n].Set(i, c, F.At(i, r))
			}
		}
	}
	for c, r := range order {
		m.Weights[c] = lambda[r]
	}
	return m
}

func (m *Model) clone() *Model {
	c := &Model{Weights: append([]float64(nil), m.Weights...)}
	for n, F := range m.Factors {
		c.Factors[n] = mat.DenseCopyOf(F)
	}
	return c
}

// Rank returns R.
func (m *Model) Rank() int { return len(m.Weights) }

// FMS returns the factor match score of two models of the same rank and
// dimensions (Acar et al. 2011, "Scalable tensor factorizations for
// incomplete data", Chemometr. Intell. Lab. 106, 41–56): for the
// permutation π of b's components that maximizes it,
//
//	FMS = (1/R) Σ_r (1 − |λ_r − λ'_π(r)| / max(λ_r, λ'_π(r))) · Π_n |a⁽ⁿ⁾_r · a'⁽ⁿ⁾_π(r)|,
//
// with unit-norm columns a⁽ⁿ⁾ of mode n. It is 1 for the same model up to
// permutation and in [0, 1]. The permutation is found by the Hungarian
// algorithm. Error: different ranks or dimensions (neurotab.ErrShape).
func FMS(a, b *Model) (float64, error) {
	R := a.Rank()
	if b.Rank() != R {
		return 0, fmt.Errorf("ntf: FMS of models of rank %d and %d: %w", R, b.Rank(), neurotab.ErrShape)
	}
	for n := range a.Factors {
		ra, _ := a.Factors[n].Dims()
		rb, _ := b.Factors[n].Dims()
		if ra != rb {
			return 0, fmt.Errorf("ntf: FMS of models with %d and %d rows in mode %d: %w", ra, rb, n+1, neurotab.ErrShape)
		}
	}
	score := make([][]float64, R)
	cost := make([][]float64, R)
	for r := range R {
		score[r] = make([]float64, R)
		cost[r] = make([]float64, R)
		for s := range R {
			la, lb := a.Weights[r], b.Weights[s]
			v := 1.0
			if m := math.Max(la, lb); m > 0 {
				v = 1 - math.Abs(la-lb)/m
			}
			for n := range a.Factors {
				v *= math.Abs(mat.Dot(a.Factors[n].ColView(r), b.Factors[n].ColView(s)))
			}
			score[r][s], cost[r][s] = v, -v
		}
	}
	sum := 0.0
	for r, s := range assignCost(cost) {
		sum += score[r][s]
	}
	return sum / float64(R), nil
}

// assignCost solves the assignment problem for the n × n cost: the column
// of each row minimizing the total cost (internal/assign, the Hungarian
// method).
func assignCost(cost [][]float64) []int {
	n := len(cost)
	flat := make([]float64, 0, n*n)
	for _, row := range cost {
		flat = append(flat, row...)
	}
	return assign.Min(flat, n)
}
