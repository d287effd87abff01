package hmm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// DefaultVarianceFloor is the smallest variance [Gaussian.MStep] returns
// when Gaussian.VarianceFloor is zero.
const DefaultVarianceFloor = 1e-6

// Gaussian is a diagonal Gaussian per state (ssm's
// DiagonalGaussianObservations):
//
//	log p(x_t | z_t = k) = −½ Σ_n [log(2π σ²_kn) + (x_tn − μ_kn)² / σ²_kn]
//
// Data are T × N real values in any unit; means are in that unit and
// variances in its square.
type Gaussian struct {
	// Means is K × N.
	Means *mat.Dense
	// Vars is K × N, every entry > 0.
	Vars *mat.Dense
	// VarianceFloor bounds fitted variances from below (0 means
	// DefaultVarianceFloor), so a state on a single point cannot collapse.
	VarianceFloor float64
}

// NewGaussian returns a K-state model on N dimensions, means 0, variances 1.
func NewGaussian(K, N int) (*Gaussian, error) {
	if K < 1 || N < 1 {
		return nil, fmt.Errorf("hmm: Gaussian model needs K ≥ 1 and N ≥ 1, got K = %d, N = %d: %w", K, N, neurotab.ErrParam)
	}
	return &Gaussian{Means: mat.NewDense(K, N, nil), Vars: ones(K, N)}, nil
}

// States returns K.
func (g *Gaussian) States() int { k, _ := g.Means.Dims(); return k }

// Dim returns N.
func (g *Gaussian) Dim() int { _, n := g.Means.Dims(); return n }

// Clone returns a deep copy.
func (g *Gaussian) Clone() Observations {
	return &Gaussian{Means: mat.DenseCopyOf(g.Means), Vars: mat.DenseCopyOf(g.Vars), VarianceFloor: g.VarianceFloor}
}

// LogLikelihoodsTo implements [Observations].
func (g *Gaussian) LogLikelihoodsTo(dst *mat.Dense, x mat.Matrix) error {
	T, err := checkData(x, g.Dim())
	if err != nil {
		return err
	}
	K, N := g.Means.Dims()
	c := make([]float64, K)
	for k := range K {
		for n := range N {
			v := g.Vars.At(k, n)
			if !(v > 0) || math.IsInf(v, 1) {
				return fmt.Errorf("hmm: Gaussian variance of state %d, dimension %d is %v, not finite > 0: %w", k, n, v, neurotab.ErrParam)
			}
			c[k] -= 0.5 * math.Log(2*math.Pi*v)
		}
	}
	sizeDst(dst, T, K)
	for t := range T {
		for k := range K {
			s := c[k]
			for n := range N {
				d := x.At(t, n) - g.Means.At(k, n)
				s -= 0.5 * d * d / g.Vars.At(k, n)
			}
			dst.Set(t, k, s)
		}
	}
	return nil
}

// MStep implements [Observations]: weighted means and variances,
//
//	μ_kn = Σ_t w_tk x_tn / Σ_t w_tk
//	σ²_kn = max(Σ_t w_tk (x_tn − μ_kn)² / Σ_t w_tk, floor)
//
// A state with zero total weight keeps its parameters.
func (g *Gaussian) MStep(xs []mat.Matrix, ws []*mat.Dense) error {
	K, N := g.Means.Dims()
	if err := checkWeights(xs, ws, K); err != nil {
		return err
	}
	floor := g.VarianceFloor
	if floor == 0 {
		floor = DefaultVarianceFloor
	}
	if !(floor > 0) {
		return fmt.Errorf("hmm: VarianceFloor %v < 0: %w", g.VarianceFloor, neurotab.ErrParam)
	}
	Ts := make([]int, len(xs))
	for s, x := range xs {
		T, err := checkData(x, N)
		if err != nil {
			return at(err, "sequence %d", s)
		}
		Ts[s] = T
	}
	for k := range K {
		den := 0.0
		mu := make([]float64, N)
		for s, x := range xs {
			for t := range Ts[s] {
				w := ws[s].At(t, k)
				den += w
				for n := range N {
					mu[n] += w * x.At(t, n)
				}
			}
		}
		if !(den > 0) {
			continue
		}
		for n := range N {
			mu[n] /= den
		}
		v := make([]float64, N)
		for s, x := range xs {
			for t := range Ts[s] {
				w := ws[s].At(t, k)
				for n := range N {
					d := x.At(t, n) - mu[n]
					v[n] += w * d * d
				}
			}
		}
		for n := range N {
			g.Means.Set(k, n, mu[n])
			g.Vars.Set(k, n, max(v[n]/den, floor))
		}
	}
	return nil
}

// Randomize implements [Observations]: each state's means are the data
// mean over a random window of T/10 steps (1 to 50); variances become the
// variance of all the data (at least the floor).
func (g *Gaussian) Randomize(xs []mat.Matrix, rng *rand.Rand) error {
	K, N := g.Means.Dims()
	rows, err := randomRows(xs, K, N, rng)
	if err != nil {
		return err
	}
	floor := g.VarianceFloor
	if floor == 0 {
		floor = DefaultVarianceFloor
	}
	sum, sum2, cnt := make([]float64, N), make([]float64, N), 0.0
	for _, x := range xs {
		T, _ := x.Dims()
		for t := range T {
			for n := range N {
				v := x.At(t, n)
				sum[n] += v
				sum2[n] += v * v
			}
		}
		cnt += float64(T)
	}
	for k, r := range rows {
		g.Means.SetRow(k, r)
		for n := range N {
			m := sum[n] / cnt
			g.Vars.Set(k, n, max(sum2[n]/cnt-m*m, floor))
		}
	}
	return nil
}
