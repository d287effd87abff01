package ntf

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// eps is the floor of HALS updates: factor entries stay ≥ eps rather than
// 0 so that no column vanishes and G_rr of the next update stays > 0.
const eps = 1e-16

// CP fits the non-negative CP model of rank Rank to a 3-way tensor by
// HALS (Cichocki & Phan 2009, "Fast local algorithms for large scale
// nonnegative matrix and tensor factorizations", IEICE Trans. Fundamentals
// E92-A, 708–721, doi:10.1587/transfun.E92.A.708). One sweep updates each
// column of A, then of B, then of C, by the exact minimizer of the
// objective f = ½‖X − X̂‖² over that column alone subject to ≥ eps:
//
//	a_r ← max(eps, a_r + (M_r − A G_r) / G_rr),  M = X_(1)(C ⊙ B),  G = (BᵀB) ∘ (CᵀC),
//
// (⊙ Khatri–Rao, ∘ Hadamard; alike for B and C), so f never increases.
// Fit runs Restarts restarts from uniform random factors (restart s draws
// from Seed.Rand(s), scaled so ‖X̂‖ = ‖X‖) until the decrease of f in a
// sweep is below Tol·½‖X‖² or MaxIter sweeps, and keeps the restart of
// least f. The zero value fits rank 1 once with seed 0.
type CP struct {
	// Rank is R, the number of components (0 means 1); at most MaxRank
	// of the tensor.
	Rank int
	// Restarts is the number of random starts (0 means 1).
	Restarts int
	// MaxIter caps the sweeps of a restart (0 means 500).
	MaxIter int
	// Tol stops a restart when a sweep lowers f by less than Tol·½‖X‖²
	// (0 means 1e-10).
	Tol float64
	// Seed seeds the starts.
	Seed neurotab.Seed

	models    []*Model    // per restart, best first
	objective [][]float64 // per restart (order of models), f after each sweep
	norm2     float64     // ‖X‖²
	core      float64
	coreErr   error
}

// Check reports whether the configuration is valid. Errors wrap
// neurotab.ErrParam.
func (c *CP) Check() error {
	switch {
	case c.Rank < 0:
		return fmt.Errorf("ntf: rank %d < 0: %w", c.Rank, neurotab.ErrParam)
	case c.Restarts < 0:
		return fmt.Errorf("ntf: restarts %d < 0: %w", c.Restarts, neurotab.ErrParam)
	case c.MaxIter < 0:
		return fmt.Errorf("ntf: max iterations %d < 0: %w", c.MaxIter, neurotab.ErrParam)
	case !(c.Tol >= 0) || math.IsInf(c.Tol, 0):
		return fmt.Errorf("ntf: tolerance %v, want finite ≥ 0: %w", c.Tol, neurotab.ErrParam)
	}
	return nil
}

func (c *CP) settings() (rank, restarts, maxIter int, tol float64) {
	rank, restarts, maxIter, tol = max(c.Rank, 1), max(c.Restarts, 1), c.MaxIter, c.Tol
	if maxIter == 0 {
		maxIter = 500
	}
	if tol == 0 {
		tol = 1e-10
	}
	return
}

// Parameters returns the configuration as provenance parameters: rank,
// restarts, max_iter, tol and seed (decimal), defaults filled in.
func (c *CP) Parameters() map[string]any {
	r, s, m, t := c.settings()
	return map[string]any{"rank": r, "restarts": s, "max_iter": m, "tol": t, "seed": c.Seed.String()}
}

// Fit fits the model to x. Errors: an invalid configuration
// (neurotab.ErrParam), a rank above MaxRank of x (neurotab.ErrParam), a
// malformed tensor (neurotab.ErrShape), a NaN or ±Inf element
// (neurotab.ErrNotFinite), a negative one (neurotab.ErrOutOfRange), an
// all-zero tensor (neurotab.ErrSingular).
func (c *CP) Fit(x *Tensor) error {
	c.models, c.objective = nil, nil
	if err := c.Check(); err != nil {
		return err
	}
	if err := x.check(); err != nil {
		return err
	}
	R, restarts, maxIter, tol := c.settings()
	I, J, K := x.Dims[0], x.Dims[1], x.Dims[2]
	if m := MaxRank(I, J, K); R > m {
		return fmt.Errorf("ntf: rank %d is larger than a %d × %d × %d tensor allows (min(IJ, IK, JK) = %d): %w", R, I, J, K, m, neurotab.ErrParam)
	}
	X := mat.NewDense(I*J, K, x.Data)
	norm2 := 0.0
	for _, v := range x.Data {
		norm2 += v * v
	}
	if norm2 == 0 {
		return fmt.Errorf("ntf: the %d × %d × %d tensor is all zeros: %w", I, J, K, neurotab.ErrSingular)
	}
	type run struct {
		m   *Model
		obj []float64
	}
	runs := make([]run, restarts)
	for s := range restarts {
		m, obj := hals(X, I, J, K, R, norm2, maxIter, tol, c.Seed.Rand(uint64(s)))
		runs[s] = run{m, obj}
	}
	slices.SortStableFunc(runs, func(a, b run) int {
		return cmpFloat(a.obj[len(a.obj)-1], b.obj[len(b.obj)-1])
	})
	for _, r := range runs {
		c.models = append(c.models, r.m)
		c.objective = append(c.objective, r.obj)
	}
	c.norm2 = norm2
	c.core, c.coreErr = coreConsistency(X, c.models[0])
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// hals runs one restart: random start, sweeps until converged, and returns
// the normalized model and f after each sweep.
func hals(X *mat.Dense, I, J, K, R int, norm2 float64, maxIter int, tol float64, rng interface{ Float64() float64 }) (*Model, []float64) {
	A, B, C := mat.NewDense(I, R, nil), mat.NewDense(J, R, nil), mat.NewDense(K, R, nil)
	for _, F := range []*mat.Dense{A, B, C} {
		d := F.RawMatrix().Data
		for i := range d {
			d[i] = rng.Float64() + eps
		}
	}
	// Scale so ‖X̂‖ = ‖X‖: ‖X̂‖² = Σ (AᵀA ∘ BᵀB ∘ CᵀC).
	gA, gB, gC := gram(A), gram(B), gram(C)
	s := math.Cbrt(math.Sqrt(norm2 / sumHadamard(gA, gB, gC)))
	for _, F := range []*mat.Dense{A, B, C} {
		F.Scale(s, F)
	}
	P := mat.NewDense(I*J, R, nil)
	W := mat.NewDense(I*J, R, nil)
	M1, M2, M3 := mat.NewDense(I, R, nil), mat.NewDense(J, R, nil), mat.NewDense(K, R, nil)
	G := mat.NewDense(R, R, nil)
	var obj []float64
	for range maxIter {
		// P = X_(ij),k C gives the MTTKRPs of modes 1 and 2.
		P.Mul(X, C)
		pd := P.RawMatrix().Data
		contract(M1, pd, B, I, J, R, true)
		G.MulElem(gram(B), gram(C))
		update(A, M1, G)
		contract(M2, pd, A, I, J, R, false)
		gA = gram(A)
		G.MulElem(gA, gram(C))
		update(B, M2, G)
		// W = A ⊙ B, M3 = X_(3)(B ⊙ A) = Xᵀ W.
		for i := range I {
			for j := range J {
				for r := range R {
					W.Set(i*J+j, r, A.At(i, r)*B.At(j, r))
				}
			}
		}
		M3.Mul(X.T(), W)
		gB = gram(B)
		G.MulElem(gA, gB)
		update(C, M3, G)
		// f = ½(‖X‖² − 2⟨C, M3⟩ + Σ (AᵀA ∘ BᵀB ∘ CᵀC)).
		f := 0.5 * (norm2 - 2*mat.Sum(elem(C, M3)) + sumHadamard(gA, gB, gram(C)))
		obj = append(obj, f)
		if n := len(obj); n > 1 && obj[n-2]-f < tol*0.5*norm2 {
			break
		}
	}
	return newModel(A, B, C), obj
}

// contract sets M to the mode-1 MTTKRP M_ir = Σ_j P_(ij),r F_jr (mode1)
// or the mode-2 one M_jr = Σ_i P_(ij),r F_ir, with P = X_(ij),k C in pd.
func contract(M *mat.Dense, pd []float64, F *mat.Dense, I, J, R int, mode1 bool) {
	M.Zero()
	for i := range I {
		for j := range J {
			row := pd[(i*J+j)*R : (i*J+j+1)*R]
			out, f := i, j
			if !mode1 {
				out, f = j, i
			}
			for r := range R {
				M.Set(out, r, M.At(out, r)+row[r]*F.At(f, r))
			}
		}
	}
}

// update replaces each column r of F, in turn, by max(eps, F_r + (M_r −
// F G_r) / G_rr).
func update(F, M, G *mat.Dense) {
	n, R := F.Dims()
	for r := range R {
		grr := G.At(r, r)
		if !(grr > 0) {
			continue
		}
		for i := range n {
			fg := 0.0
			for q := range R {
				fg += F.At(i, q) * G.At(q, r)
			}
			F.Set(i, r, math.Max(eps, F.At(i, r)+(M.At(i, r)-fg)/grr))
		}
	}
}

func gram(F *mat.Dense) *mat.Dense {
	var g mat.Dense
	g.Mul(F.T(), F)
	return &g
}

func elem(a, b mat.Matrix) *mat.Dense {
	var e mat.Dense
	e.MulElem(a, b)
	return &e
}

func sumHadamard(a, b, c *mat.Dense) float64 {
	var e mat.Dense
	e.MulElem(a, b)
	e.MulElem(&e, c)
	return mat.Sum(&e)
}

// Model returns the best restart's model (least objective). Error:
// neurotab.ErrNotFitted before a Fit.
func (c *CP) Model() (*Model, error) {
	if c.models == nil {
		return nil, fmt.Errorf("ntf: Model: %w", neurotab.ErrNotFitted)
	}
	return c.models[0].clone(), nil
}

// Models returns the model of every restart, best (least objective)
// first. Error: neurotab.ErrNotFitted before a Fit.
func (c *CP) Models() ([]*Model, error) {
	if c.models == nil {
		return nil, fmt.Errorf("ntf: Models: %w", neurotab.ErrNotFitted)
	}
	out := make([]*Model, len(c.models))
	for i, m := range c.models {
		out[i] = m.clone()
	}
	return out, nil
}

// Objective returns f = ½‖X − X̂‖² after each sweep of restart s (in the
// order of Models, 0 the best). Errors: neurotab.ErrNotFitted before a
// Fit, s out of range (neurotab.ErrParam).
func (c *CP) Objective(s int) ([]float64, error) {
	if c.models == nil {
		return nil, fmt.Errorf("ntf: Objective: %w", neurotab.ErrNotFitted)
	}
	if s < 0 || s >= len(c.objective) {
		return nil, fmt.Errorf("ntf: restart %d of %d: %w", s, len(c.objective), neurotab.ErrParam)
	}
	return slices.Clone(c.objective[s]), nil
}

// RelativeErrors returns the reconstruction error ‖X − X̂‖ / ‖X‖ of every
// restart, in the order of Models (so ascending). Error:
// neurotab.ErrNotFitted before a Fit.
func (c *CP) RelativeErrors() ([]float64, error) {
	if c.models == nil {
		return nil, fmt.Errorf("ntf: RelativeErrors: %w", neurotab.ErrNotFitted)
	}
	out := make([]float64, len(c.objective))
	for s, o := range c.objective {
		out[s] = math.Sqrt(max(2*o[len(o)-1], 0) / c.norm2)
	}
	return out, nil
}

// Similarity returns the mean factor match score (FMS) between the best
// model and each other restart's: near 1 when restarts agree on the
// components, as they do at a rank the data support (Williams et al.
// 2018); 1 with one restart. Error: neurotab.ErrNotFitted before a Fit.
func (c *CP) Similarity() (float64, error) {
	if c.models == nil {
		return 0, fmt.Errorf("ntf: Similarity: %w", neurotab.ErrNotFitted)
	}
	if len(c.models) == 1 {
		return 1, nil
	}
	sum := 0.0
	for _, m := range c.models[1:] {
		s, _ := FMS(c.models[0], m)
		sum += s
	}
	return sum / float64(len(c.models)-1), nil
}

// CoreConsistency returns CORCONDIA of the best model (Bro & Kiers 2003,
// "A new efficient method for determining the number of components in
// PARAFAC models", J. Chemometrics 17, 274–286, doi:10.1002/cem.801): with
// the factors A, B and C·diag(λ) held, the least-squares Tucker core
// G = X ×₁ A⁺ ×₂ B⁺ ×₃ (Cdiag(λ))⁺ is compared with the superdiagonal
// identity T of the CP model,
//
//	CC = 100 · (1 − Σ_pqr (g_pqr − t_pqr)² / R),
//
// 100 for a model the data fully support, falling (possibly below 0) when
// components are redundant. Errors: neurotab.ErrNotFitted before a Fit,
// neurotab.ErrSingular when a factor is rank-deficient (e.g. R > I).
func (c *CP) CoreConsistency() (float64, error) {
	if c.models == nil {
		return 0, fmt.Errorf("ntf: CoreConsistency: %w", neurotab.ErrNotFitted)
	}
	return c.core, c.coreErr
}

// coreConsistency computes CORCONDIA of m for X (I·J × K).
func coreConsistency(X *mat.Dense, m *Model) (float64, error) {
	I, R := m.Factors[0].Dims()
	J, _ := m.Factors[1].Dims()
	C := mat.DenseCopyOf(m.Factors[2])
	for r, l := range m.Weights {
		for k := range C.RawMatrix().Rows {
			C.Set(k, r, C.At(k, r)*l)
		}
	}
	var pinv [3]*mat.Dense
	for n, F := range []*mat.Dense{m.Factors[0], m.Factors[1], C} {
		var p mat.Dense
		if err := p.Solve(gram(F), F.T()); err != nil {
			return 0, fmt.Errorf("ntf: core consistency: factor %d of rank %d is rank-deficient: %w", n+1, R, neurotab.ErrSingular)
		}
		pinv[n] = &p
	}
	var Y mat.Dense // X ×₃ C⁺: I·J × R
	Y.Mul(X, pinv[2].T())
	ss := 0.0
	for p := range R {
		for q := range R {
			for r := range R {
				g := 0.0
				for i := range I {
					a := pinv[0].At(p, i)
					for j := range J {
						g += a * pinv[1].At(q, j) * Y.At(i*J+j, r)
					}
				}
				if p == q && q == r {
					g--
				}
				ss += g * g
			}
		}
	}
	return 100 * (1 - ss/float64(R)), nil
}
