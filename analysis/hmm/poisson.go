package hmm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// rateFloor is added to each fitted rate (ssm adds 1e-16 before the log) so
// a neuron silent in a state keeps a finite log-rate.
const rateFloor = 1e-16

// Poisson is independent Poisson counts per neuron, one rate vector per
// state (ssm's PoissonObservations):
//
//	log p(x_t | z_t = k) = Σ_n x_tn log λ_kn − λ_kn − log Γ(x_tn + 1)
//
// Data are T × N spike counts per bin (non-negative integers); rates are
// counts per bin.
type Poisson struct {
	// Rates is K × N, Rates[k][n] = λ_kn > 0.
	Rates *mat.Dense
}

// NewPoisson returns a K-state Poisson model on N neurons with every rate 1.
func NewPoisson(K, N int) (*Poisson, error) {
	if K < 1 || N < 1 {
		return nil, fmt.Errorf("hmm: Poisson model needs K ≥ 1 and N ≥ 1, got K = %d, N = %d: %w", K, N, neurotab.ErrParam)
	}
	return &Poisson{Rates: ones(K, N)}, nil
}

// States returns K.
func (p *Poisson) States() int { k, _ := p.Rates.Dims(); return k }

// Dim returns N.
func (p *Poisson) Dim() int { _, n := p.Rates.Dims(); return n }

// Clone returns a deep copy.
func (p *Poisson) Clone() Observations { return &Poisson{Rates: mat.DenseCopyOf(p.Rates)} }

// checkCounts checks x holds non-negative integer counts; the error names
// the bin and the neuron.
func (p *Poisson) checkCounts(x mat.Matrix) (int, error) {
	T, err := checkData(x, p.Dim())
	if err != nil {
		return 0, err
	}
	for t := range T {
		for n := range p.Dim() {
			if v := x.At(t, n); v < 0 || v != math.Trunc(v) {
				return 0, fmt.Errorf("hmm: Poisson count at bin %d, neuron %d is %v, not a non-negative integer: %w", t, n, v, neurotab.ErrOutOfRange)
			}
		}
	}
	return T, nil
}

// LogLikelihoodsTo implements [Observations].
func (p *Poisson) LogLikelihoodsTo(dst *mat.Dense, x mat.Matrix) error {
	T, err := p.checkCounts(x)
	if err != nil {
		return err
	}
	K, N := p.Rates.Dims()
	for k := range K {
		for n := range N {
			if l := p.Rates.At(k, n); !(l > 0) || math.IsInf(l, 1) {
				return fmt.Errorf("hmm: Poisson rate of state %d, neuron %d is %v, not finite > 0: %w", k, n, l, neurotab.ErrParam)
			}
		}
	}
	sizeDst(dst, T, K)
	logR := make([]float64, K*N)
	sumR := make([]float64, K)
	for k := range K {
		for n := range N {
			logR[k*N+n] = math.Log(p.Rates.At(k, n))
			sumR[k] += p.Rates.At(k, n)
		}
	}
	for t := range T {
		c := 0.0
		for n := range N {
			lg, _ := math.Lgamma(x.At(t, n) + 1)
			c += lg
		}
		for k := range K {
			s := -sumR[k] - c
			for n := range N {
				s += x.At(t, n) * logR[k*N+n]
			}
			dst.Set(t, k, s)
		}
	}
	return nil
}

// MStep implements [Observations]: the weighted mean count, as ssm,
//
//	λ_kn = Σ_t w_tk x_tn / Σ_t w_tk + 1e-16
//
// A state with zero total weight keeps its rates.
func (p *Poisson) MStep(xs []mat.Matrix, ws []*mat.Dense) error {
	K, N := p.Rates.Dims()
	if err := checkWeights(xs, ws, K); err != nil {
		return err
	}
	num := mat.NewDense(K, N, nil)
	den := make([]float64, K)
	for s, x := range xs {
		T, err := p.checkCounts(x)
		if err != nil {
			return at(err, "sequence %d", s)
		}
		for t := range T {
			for k := range K {
				w := ws[s].At(t, k)
				den[k] += w
				for n := range N {
					num.Set(k, n, num.At(k, n)+w*x.At(t, n))
				}
			}
		}
	}
	for k := range K {
		if !(den[k] > 0) {
			continue
		}
		for n := range N {
			p.Rates.Set(k, n, num.At(k, n)/den[k]+rateFloor)
		}
	}
	return nil
}

// Randomize implements [Observations]: each state's rates are the mean
// counts over a random window of T/10 bins (1 to 50), plus 0.01.
func (p *Poisson) Randomize(xs []mat.Matrix, rng *rand.Rand) error {
	K, N := p.Rates.Dims()
	rows, err := randomRows(xs, K, N, rng)
	if err != nil {
		return err
	}
	for k, r := range rows {
		for n, v := range r {
			p.Rates.Set(k, n, v+0.01)
		}
	}
	return nil
}
