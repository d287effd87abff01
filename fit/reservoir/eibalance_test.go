package reservoir_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/fit/tasks"
)

// eiBase is the sigmoid Dale's-law reservoir both methods start from:
// N = 100, 80% excitatory, rows balanced then inhibition scaled by β,
// W rescaled to ρ*, dense input weights of scale 0.1.
func eiBase(seed neurotab.Seed, rho, beta float64) reservoir.Config {
	return reservoir.Config{Units: 100, Activation: reservoir.Sigmoid, Excitatory: 0.8, Balanced: true,
		InhibitionScale: beta, SpectralRadius: rho, InputScaling: 0.1, InputDensity: 1, Seed: seed}
}

// eiScores returns the memory capacity (3000 training, 1000 test steps)
// and the NARMA10 test NRMSE (σ; 200 washout, 3000 train, 1000 test,
// ridge 1e-8) of e.
func eiScores(t *testing.T, e *reservoir.ESN, seed neurotab.Seed) (mc, nrmse float64) {
	m := tasks.Memory{Seed: seed + 100, Train: 3000, Test: 1000}
	U := m.Input(100)
	var X mat.Dense
	if err := reservoir.NewRunner(e).Run(&X, U); err != nil {
		t.Fatal(err)
	}
	mc, _, err := m.Capacity(&X, U)
	if err != nil {
		t.Fatal(err)
	}
	const train, test = 3000, 1000
	Un, Y, err := tasks.NARMA10(seed+10, 200+train+test)
	if err != nil {
		t.Fatal(err)
	}
	var Xn mat.Dense
	if err := reservoir.NewRunner(e).Run(&Xn, Un); err != nil {
		t.Fatal(err)
	}
	r := readout.Ridge{Alpha: 1e-8, FitIntercept: true}
	if err := r.Fit(Xn.Slice(200, 200+train, 0, 100), Y.Slice(200, 200+train, 0, 1)); err != nil {
		t.Fatal(err)
	}
	var yh mat.Dense
	if err := r.PredictTo(&yh, Xn.Slice(200+train, 200+train+test, 0, 100)); err != nil {
		t.Fatal(err)
	}
	nr, err := readout.NRMSE(Y.Slice(200+train, 200+train+test, 0, 1), &yh)
	if err != nil {
		t.Fatal(err)
	}
	return mc, nr[0]
}

// eiGrid is the 4 × 4 grid each method searches: ρ* with the global
// inhibition scale β (baseline) or with the target rate ρ (adaptive).
var (
	eiRadii   = []float64{1, 2, 3, 4}
	eiBetas   = []float64{0.5, 1, 1.5, 2}
	eiTargets = []float64{0.15, 0.25, 0.35, 0.45}
)

// TestEIBalanceVsGlobal measures memory capacity and NARMA10 NRMSE of the
// self-balancing sigmoid reservoir (EIBalance adapted on 2000 warm-up
// steps, then frozen) against the globally tuned one (InhibitionScale β),
// each over 16 grid points (equal grid cost) and 3 seeds; each method's
// best grid point by the mean over seeds is compared.
func TestEIBalanceVsGlobal(t *testing.T) {
	if testing.Short() {
		t.Skip("96 reservoir runs per method")
	}
	const seeds = 3
	type point struct {
		name    string
		mc, err float64
	}
	var global, adaptive, hetero []point
	for _, rho := range eiRadii {
		for i := range eiBetas {
			g := point{name: fmt.Sprintf("ρ*=%g β=%g", rho, eiBetas[i])}
			a := point{name: fmt.Sprintf("ρ*=%g target=%g", rho, eiTargets[i])}
			h := point{name: a.name + "±50%"}
			for s := range seeds {
				seed := neurotab.Seed(s)
				e, err := eiBase(seed, rho, eiBetas[i]).New()
				if err != nil {
					t.Fatal(err)
				}
				mc, nr := eiScores(t, e, seed)
				g.mc += mc / seeds
				g.err += nr / seeds
				if e, err = eiBase(seed, rho, 1).New(); err != nil {
					t.Fatal(err)
				}
				U := tasks.Memory{Seed: seed + 1000}.Input(100).Slice(0, 2000, 0, 1)
				if _, err := (reservoir.EIBalance{Rate: eiTargets[i]}).Fit(e, U); err != nil {
					t.Fatal(err)
				}
				mc, nr = eiScores(t, e, seed)
				a.mc += mc / seeds
				a.err += nr / seeds
				if e, err = eiBase(seed, rho, 1).New(); err != nil {
					t.Fatal(err)
				}
				if _, err := (reservoir.EIBalance{Rate: eiTargets[i], Spread: eiTargets[i] / 2, Seed: seed}).Fit(e, U); err != nil {
					t.Fatal(err)
				}
				mc, nr = eiScores(t, e, seed)
				h.mc += mc / seeds
				h.err += nr / seeds
			}
			t.Logf("%-14s MC %5.2f NRMSE %.3f | %-18s MC %5.2f NRMSE %.3f | heterogeneous MC %5.2f NRMSE %.3f",
				g.name, g.mc, g.err, a.name, a.mc, a.err, h.mc, h.err)
			global, adaptive, hetero = append(global, g), append(adaptive, a), append(hetero, h)
		}
	}
	best := func(ps []point) (mc, nr point) {
		mc, nr = ps[0], ps[0]
		for _, p := range ps {
			if p.mc > mc.mc {
				mc = p
			}
			if p.err < nr.err {
				nr = p
			}
		}
		return mc, nr
	}
	gm, gn := best(global)
	am, an := best(adaptive)
	hm, hn := best(hetero)
	t.Logf("best MC: global %.2f (%s), adaptive %.2f (%s), heterogeneous %.2f (%s)", gm.mc, gm.name, am.mc, am.name, hm.mc, hm.name)
	t.Logf("best NARMA10 NRMSE: global %.3f (%s), adaptive %.3f (%s), heterogeneous %.3f (%s)", gn.err, gn.name, an.err, an.name, hn.err, hn.name)
	if am.mc < gm.mc {
		t.Errorf("adaptive best MC %.2f below the global best %.2f", am.mc, gm.mc)
	}
	if an.err > gn.err {
		t.Errorf("adaptive best NARMA10 NRMSE %.3f above the global best %.3f", an.err, gn.err)
	}
}

// TestEIBalanceRates: after adaptation on 5000 warm-up steps, the frozen
// reservoir driven by fresh input fires at its targets: the rule's fixed
// point x̄_i = ρ_i, for homogeneous and heterogeneous targets.
func TestEIBalanceRates(t *testing.T) {
	for _, b := range []reservoir.EIBalance{{Rate: 0.45}, {Rate: 0.35}, {Rate: 0.4, Spread: 0.05, Seed: 4}} {
		t.Run(fmt.Sprintf("ρ=%g±%g", b.Rate, b.Spread), func(t *testing.T) {
			e, err := eiBase(2, 2, 1).New()
			if err != nil {
				t.Fatal(err)
			}
			inhibitory := make([]int, 100) // inhibitory inputs of each unit
			for i := range 100 {
				for p := e.W.Indptr[i]; p < e.W.Indptr[i+1]; p++ {
					if e.W.Data[p] < 0 {
						inhibitory[i]++
					}
				}
			}
			warm := tasks.Memory{Seed: 9, Train: 20000}.Input(100)
			g, err := b.Fit(e, warm)
			if err != nil {
				t.Fatal(err)
			}
			var X mat.Dense
			if err := reservoir.NewRunner(e).Run(&X, tasks.Memory{Seed: 10, Train: 3000}.Input(100)); err != nil {
				t.Fatal(err)
			}
			rho := b.Targets(100)
			rows := float64(X.RawMatrix().Rows)
			var sum, worst float64
			m := 0
			for i := range 100 {
				if inhibitory[i] == 0 {
					continue // g has no effect
				}
				d := mat.Sum(X.ColView(i))/rows - rho[i]
				if g[i] == 0 { // cannot be inhibited less: may stay below
					d = max(d, 0)
				}
				m++
				sum += d * d
				worst = max(worst, math.Abs(d))
			}
			rms := math.Sqrt(sum / float64(m))
			t.Logf("%d units: rms |rate − target| %.4f, worst %.4f, gains %.3g…%.3g", m, rms, worst, floats.Min(g), floats.Max(g))
			if rms > 0.005 {
				t.Errorf("rms distance of unit rates to their targets %.4f, want ≤ 0.005", rms)
			}
		})
	}
}

// TestInhibitionScale: β multiplies every inhibitory weight before the
// common rescaling to ρ*, so the ratio of an inhibitory to an excitatory
// weight of the same W doubles from β = 1 to β = 2.
func TestInhibitionScale(t *testing.T) {
	w := func(beta float64) *reservoir.CSR {
		e, err := eiBase(3, 2, beta).New()
		if err != nil {
			t.Fatal(err)
		}
		return e.W
	}
	w1, w2 := w(1), w(2)
	var pos, neg int = -1, -1
	for p, v := range w1.Data {
		if v > 0 && pos < 0 {
			pos = p
		}
		if v < 0 && neg < 0 {
			neg = p
		}
	}
	r1 := w1.Data[neg] / w1.Data[pos]
	r2 := w2.Data[neg] / w2.Data[pos]
	if math.Abs(r2/r1-2) > 1e-12 {
		t.Errorf("inhibitory/excitatory ratio %g at β = 1 and %g at β = 2, want a factor 2", r1, r2)
	}
}

func TestEIBalanceErrors(t *testing.T) {
	U := tasks.Memory{Seed: 1}.Input(10)
	tanh, err := reservoir.Config{Units: 10, Excitatory: 0.8, Density: 0.5, Seed: 1}.New()
	if err != nil {
		t.Fatal(err)
	}
	sig := func() *reservoir.ESN {
		e, err := reservoir.Config{Units: 10, Activation: reservoir.Sigmoid, Excitatory: 0.8, Density: 0.5, Seed: 1}.New()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	cases := []struct {
		name string
		b    reservoir.EIBalance
		e    *reservoir.ESN
		U    mat.Matrix
		want error
	}{
		{"rate above 1", reservoir.EIBalance{Rate: 1.2}, sig(), U, neurotab.ErrParam},
		{"spread leaves (0, 1)", reservoir.EIBalance{Rate: 0.2, Spread: 0.3}, sig(), U, neurotab.ErrParam},
		{"negative eta", reservoir.EIBalance{Eta: -1}, sig(), U, neurotab.ErrParam},
		{"tau below 1", reservoir.EIBalance{Tau: 0.5}, sig(), U, neurotab.ErrParam},
		{"rates of the wrong length", reservoir.EIBalance{Rates: []float64{0.2}}, sig(), U, neurotab.ErrParam},
		{"tanh units", reservoir.EIBalance{}, tanh, U, neurotab.ErrParam},
		{"two input columns", reservoir.EIBalance{}, sig(), mat.NewDense(5, 2, nil), neurotab.ErrShape},
		{"NaN input", reservoir.EIBalance{}, sig(), mat.NewDense(2, 1, []float64{0, math.NaN()}), neurotab.ErrNotFinite},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := append([]float64(nil), tc.e.W.Data...)
			_, err := tc.b.Fit(tc.e, tc.U)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if !slices.Equal(before, tc.e.W.Data) {
				t.Error("W changed after an error")
			}
		})
	}
	if err := (reservoir.Config{InhibitionScale: 2}).Check(); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("InhibitionScale without Excitatory: %v, want ErrParam", err)
	}
}
