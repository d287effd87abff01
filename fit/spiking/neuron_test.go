package spiking

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestLIFMembrane checks the exact integration: under a constant
// sub-threshold current the membrane is V_rest + R I (1 − e^(−t/τ)) at
// every step, whatever dt (closed form of τ dV/dt = −(V − V_rest) + R I).
func TestLIFMembrane(t *testing.T) {
	for _, tc := range []struct {
		name          string
		p             LIF
		dt, i, tauEff float64
	}{
		{"nalsm dt=1", LIF{TauM: 64, VThresh: 1e9}, 1, 0.3, 64},
		{"mV dt=0.1", LIF{TauM: 20, R: 2, VRest: -70, VReset: -70, VThresh: 1e9}, 0.1, 7, 20},
		{"coarse dt=5", LIF{TauM: 10, R: 0.5, VRest: -65, VReset: -65, VThresh: 1e9}, 5, 12, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewLIFPop(tc.p, 1, tc.dt)
			if err != nil {
				t.Fatal(err)
			}
			l.IExt = []float64{tc.i}
			in := []float64{0}
			for k := 1; k <= 200; k++ {
				l.Step(in, nil)
				tt := float64(k) * tc.dt
				want := tc.p.VRest + l.resistance*tc.i*(1-math.Exp(-tt/tc.tauEff))
				if d := math.Abs(l.V[0] - want); d > 1e-9*math.Max(1, math.Abs(want)) {
					t.Fatalf("step %d: V = %.12g, closed form %.12g", k, l.V[0], want)
				}
			}
		})
	}
}

// TestLIFPeriod checks the firing period under constant current against
// T = t_ref + τ ln(R I / (R I − V_th)) (V_rest = V_reset = 0): on the step
// grid the period is t_ref/dt + ⌈τ ln(…)/dt⌉ steps exactly, and for a fine
// grid it is within one step of the continuous T.
func TestLIFPeriod(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     LIF
		dt, i float64
	}{
		{"nalsm I=25", NALSMLIF(), 1, 25},
		{"nalsm I=60", NALSMLIF(), 1, 60},
		{"R=10 dt=0.1", LIF{TauM: 20, R: 10, VThresh: 15, TRef: 3}, 0.1, 2.2},
		{"fine dt=0.001", LIF{TauM: 10, VThresh: 1, TRef: 1.5}, 0.001, 1.7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewLIFPop(tc.p, 1, tc.dt)
			if err != nil {
				t.Fatal(err)
			}
			l.IExt = []float64{tc.i}
			ri := l.resistance * tc.i
			tc0 := tc.p.TauM * math.Log(ri/(ri-tc.p.VThresh))
			T := tc.p.TRef + tc0
			wantSteps := int(math.Round(tc.p.TRef/tc.dt)) + int(math.Ceil(tc0/tc.dt))
			var times []int
			in := []float64{0}
			var sp []int32
			for k := 1; len(times) < 4 && k < 10_000_000; k++ {
				if sp = l.Step(in, sp[:0]); len(sp) > 0 {
					times = append(times, k)
				}
			}
			if len(times) < 4 {
				t.Fatalf("only %d spikes", len(times))
			}
			if times[0] != int(math.Ceil(tc0/tc.dt)) {
				t.Errorf("first spike at step %d, want ⌈%g/%g⌉", times[0], tc0, tc.dt)
			}
			for j := 1; j < len(times); j++ {
				got := times[j] - times[j-1]
				if got != wantSteps {
					t.Errorf("period %d steps, want %d (T = %.4f ms)", got, wantSteps, T)
				}
				if d := math.Abs(float64(got)*tc.dt - T); d > tc.dt+1e-9 {
					t.Errorf("period %.4f ms, analytic T = %.4f ms", float64(got)*tc.dt, T)
				}
			}
		})
	}
}

// TestLIFSynapse checks the exponential synapse: one weight w arriving at
// t = 0 gives V(t) = R w τ_s/(τ_s − τ_m) (e^(−t/τ_s) − e^(−t/τ_m)) (the
// solution of the linear system; R w t/τ e^(−t/τ) when τ_s = τ_m).
func TestLIFSynapse(t *testing.T) {
	for _, tc := range []struct {
		name       string
		taum, taus float64
	}{{"τs<τm", 20, 5}, {"τs>τm", 8, 30}, {"τs=τm", 10, 10}} {
		t.Run(tc.name, func(t *testing.T) {
			p := LIF{TauM: tc.taum, TauSyn: tc.taus, R: 3, VThresh: 1e9}
			l, err := NewLIFPop(p, 1, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			w := 2.0
			l.Step([]float64{w}, nil) // arrives at the end of step 1: t = 0 there
			for k := 1; k <= 100; k++ {
				l.Step([]float64{0}, nil)
				tt := float64(k) * 0.5
				var want float64
				if tc.taus == tc.taum {
					want = 3 * w * tt / tc.taum * math.Exp(-tt/tc.taum)
				} else {
					want = 3 * w * tc.taus / (tc.taus - tc.taum) * (math.Exp(-tt/tc.taus) - math.Exp(-tt/tc.taum))
				}
				if math.Abs(l.V[0]-want) > 1e-12 {
					t.Fatalf("t=%g: V = %.15g, closed form %.15g", tt, l.V[0], want)
				}
			}
		})
	}
}

func TestLIFCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    LIF
		dt   float64
	}{
		{"dt 0", NALSMLIF(), 0},
		{"tau 0", LIF{VThresh: 1}, 1},
		{"thresh below reset", LIF{TauM: 1, VThresh: -1}, 1},
		{"negative tref", LIF{TauM: 1, VThresh: 1, TRef: -1}, 1},
		{"NaN R", LIF{TauM: 1, VThresh: 1, R: math.NaN()}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewLIFPop(tc.p, 3, tc.dt); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// TestIzhikevichCounts compares spike counts for a 1 s step current with
// testdata/izhikevich_counts.csv, made by testdata/izhikevich_ref.py (numpy,
// the same update order as Izhikevich's 2003 listing). The documented
// tolerance is 0 spikes: both do the same IEEE operations in the same order.
func TestIzhikevichCounts(t *testing.T) {
	f, err := os.Open("testdata/izhikevich_counts.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	presets := map[string]Izhikevich{"RS": RegularSpiking, "FS": FastSpiking}
	for _, r := range rows[1:] {
		t.Run(r[0]+"/I="+r[5], func(t *testing.T) {
			I, _ := strconv.ParseFloat(r[5], 64)
			want, _ := strconv.Atoi(r[6])
			z, err := NewIzhikevichPop([]Izhikevich{presets[r[0]]})
			if err != nil {
				t.Fatal(err)
			}
			z.IExt = []float64{I}
			n := 0
			in := []float64{0}
			var sp []int32
			for range 1000 {
				sp = z.Step(in, sp[:0])
				n += len(sp)
			}
			if n != want {
				t.Errorf("%s at I=%g: %d spikes, numpy reference %d", r[0], I, n, want)
			}
		})
	}
}

// TestIzhikevichHetero checks the parameter law of Izhikevich's reference
// network: with r ~ U(0, 1), E[c] = −65 + 15·E[r²] = −60 and E[d] = 8 − 6/3 = 6
// for excitatory neurons, E[a] = 0.06 and E[b] = 0.225 for inhibitory ones
// (within 5 standard errors), and every value in its range.
func TestIzhikevichHetero(t *testing.T) {
	const ne, ni = 8000, 2000
	p := IzhikevichHetero(neurotab.Seed(4).Rand(1), ne, ni)
	var c, d, a, b float64
	for i, q := range p {
		if i < ne {
			if q.A != 0.02 || q.B != 0.2 || q.C < -65 || q.C > -50 || q.D < 2 || q.D > 8 {
				t.Fatalf("excitatory %d: %+v", i, q)
			}
			c += q.C / ne
			d += q.D / ne
		} else {
			if q.C != -65 || q.D != 2 || q.A < 0.02 || q.A > 0.1 || q.B < 0.2 || q.B > 0.25 {
				t.Fatalf("inhibitory %d: %+v", i, q)
			}
			a += q.A / ni
			b += q.B / ni
		}
	}
	// sd of 15 r² is 15·√(1/5 − 1/9) ≈ 4.47; of 0.08 r, 0.08/√12
	for _, tc := range []struct {
		name          string
		got, want, se float64
	}{
		{"c", c, -60, 4.47 / math.Sqrt(ne)}, {"d", d, 6, 6.0 / 15 * 4.47 / math.Sqrt(ne)},
		{"a", a, 0.06, 0.08 / math.Sqrt(12*ni)}, {"b", b, 0.225, 0.05 / math.Sqrt(12*ni)},
	} {
		if math.Abs(tc.got-tc.want) > 5*tc.se {
			t.Errorf("mean %s = %.5f, want %.5f ± %.5f", tc.name, tc.got, tc.want, 5*tc.se)
		}
	}
}

// TestIzhikevichNetwork runs Izhikevich's reference network (800
// excitatory, 200 inhibitory, all-to-all weights 0.5·U and −U, thalamic
// input 5·N(0,1) and 2·N(0,1)) through Network for 1 s (with a one-step
// synaptic delay where the listing has none). Izhikevich (2003, Fig. 3)
// shows sparse asynchronous firing with alpha and gamma rhythms; the check
// here is only a mean rate in 5–20 Hz (neither silent nor epileptic; 7.3 Hz
// measured) and that the same seed gives the same run.
func TestIzhikevichNetwork(t *testing.T) {
	run := func() (int, int) {
		rng := neurotab.Seed(2).Rand(1)
		p := IzhikevichHetero(rng, 800, 200)
		s := &Synapses{N: 1000, NE: 800, Ptr: make([]int32, 1001)}
		for i := range 1000 {
			for j := range 1000 {
				w := 0.5 * rng.Float64()
				if i >= 800 {
					w = -rng.Float64()
				}
				s.Post, s.W = append(s.Post, int32(j)), append(s.W, w)
			}
			s.Ptr[i+1] = int32(len(s.Post))
		}
		pop, err := NewIzhikevichPop(p)
		if err != nil {
			t.Fatal(err)
		}
		net, err := NewNetwork(pop, s)
		if err != nil {
			t.Fatal(err)
		}
		n, first := 0, -1
		for k := range 1000 {
			buf := net.Input()
			for i := range buf {
				sd := 5.0
				if i >= 800 {
					sd = 2
				}
				buf[i] += sd * rng.NormFloat64()
			}
			sp := net.Step(0)
			if first < 0 && len(sp) > 0 {
				first = k
			}
			n += len(sp)
		}
		return n, first
	}
	n1, f1 := run()
	n2, f2 := run()
	rate := float64(n1) / 1000
	t.Logf("mean rate %.1f Hz", rate)
	if n1 != n2 || f1 != f2 {
		t.Errorf("two runs: %d and %d spikes", n1, n2)
	}
	if rate < 5 || rate > 20 {
		t.Errorf("mean rate %.1f Hz, outside 5–20 Hz", rate)
	}
}
