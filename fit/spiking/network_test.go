package spiking

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestRandomDensity checks the geometric-skip sampler against its
// binomial law: the synapse count of an N = 2,000, p = 0.1 liquid is within
// 5 standard deviations of p N (N − 1), with no self-synapse, and Dale's
// signs hold.
func TestRandomDensity(t *testing.T) {
	for _, p := range []float64{0.01, 0.1, 0.5} {
		t.Run("", func(t *testing.T) {
			n := 2000
			s, err := Random(neurotab.Seed(7).Rand(1), n, 1600, p, Weights{EE: 1, EI: 2, IE: 3, II: 4})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			m := float64(n * (n - 1))
			if d := math.Abs(float64(s.Len()) - p*m); d > 5*math.Sqrt(m*p*(1-p)) {
				t.Errorf("p=%g: %d synapses, expected %.0f ± %.0f", p, s.Len(), p*m, math.Sqrt(m*p*(1-p)))
			}
			for i := range n {
				for k := s.Ptr[i]; k < s.Ptr[i+1]; k++ {
					if int(s.Post[k]) == i {
						t.Fatalf("self-synapse at %d", i)
					}
				}
			}
		})
	}
}

// TestGrid3DLaw checks the distance rule P = C·e^(−(D/λ)²) with C = 0.3
// for E→E (Maass et al. 2002): the synapse count of a 12³ grid is within 5
// standard deviations of its expectation.
func TestGrid3DLaw(t *testing.T) {
	s, err := Grid3D(neurotab.Seed(3).Rand(1), 12, 12, 12, 1728, 2, Weights{EE: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	// All neurons excitatory: the expected synapse count is the sum over
	// ordered pairs of grid points of 0.3 e^(−d²/λ²), whatever the
	// permutation of positions.
	n := 1728
	want := 0.0
	for i := range n {
		xi, yi, zi := i%12, i/12%12, i/144
		for j := range n {
			if i == j {
				continue
			}
			dx, dy, dz := float64(xi-j%12), float64(yi-j/12%12), float64(zi-j/144)
			want += 0.3 * math.Exp(-(dx*dx+dy*dy+dz*dz)/4)
		}
	}
	got := float64(s.Len())
	if d := math.Abs(got - want); d > 5*math.Sqrt(want) {
		t.Errorf("%.0f synapses, Maass rule expects %.0f ± %.0f", got, want, math.Sqrt(want))
	}
}

// TestDelays checks event-driven propagation: a spike of neuron 0 reaches
// neuron 1 exactly Delay steps later (jump synapse of weight above
// threshold).
func TestDelays(t *testing.T) {
	for _, d := range []uint8{1, 3, 7} {
		t.Run("", func(t *testing.T) {
			pop, _ := NewLIFPop(LIF{TauM: 10, VThresh: 1}, 2, 1)
			s := &Synapses{N: 2, NE: 2, Ptr: []int32{0, 1, 1}, Post: []int32{1}, W: []float64{5}, Delay: []uint8{d}}
			net, err := NewNetwork(pop, s)
			if err != nil {
				t.Fatal(err)
			}
			net.Input()[0] = 5
			var when []int
			for k := range 12 {
				for _, i := range net.Step(0) {
					when = append(when, k*10+int(i))
				}
			}
			// neuron 0 fires at step 0; its input arrives at the end of
			// step d, where neuron 1 fires.
			if want := []int{0, int(d)*10 + 1}; !slices.Equal(when, want) {
				t.Errorf("delay %d: spikes (10·step+neuron) %v, want %v", d, when, want)
			}
		})
	}
}

// TestSeeded checks that the same seed gives the same spikes and another
// seed other spikes.
func TestSeeded(t *testing.T) {
	run := func(seed neurotab.Seed) []int32 {
		l, err := LSM{Grid: [3]int{6, 6, 6}, Seed: seed, Plastic: true, Astrocyte: true}.New(50)
		if err != nil {
			t.Fatal(err)
		}
		rng := seed.Rand(9)
		var all, ch []int32
		for k := range 300 {
			ch = poissonChannels(ch[:0], rng, 50, 0.1)
			for _, i := range l.Step(ch) {
				all = append(all, int32(k)<<16|i)
			}
		}
		return all
	}
	a, b, c := run(5), run(5), run(6)
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Fatalf("same seed: %d and %d spikes, differ", len(a), len(b))
	}
	if slices.Equal(a, c) {
		t.Fatal("seeds 5 and 6 give the same spikes")
	}
}

func TestBadInput(t *testing.T) {
	in, err := NewInput(neurotab.Seed(1).Rand(1), 1000, 100, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.SensorChannels(34, 34, 2); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("34×34×2 sensor on 1000 channels: %v", err)
	}
	if c, err := in.SensorChannels(20, 25, 2); err != nil || c != 1000 {
		t.Errorf("20×25×2: %d, %v", c, err)
	}
	bad := []*Synapses{
		{N: 2, NE: 2, Ptr: []int32{0, 1, 1}, Post: []int32{1}, W: []float64{-1}},
		{N: 2, NE: 1, Ptr: []int32{0, 0, 1}, Post: []int32{0}, W: []float64{1}},
		{N: 2, NE: 2, Ptr: []int32{0, 1, 1}, Post: []int32{2}, W: []float64{1}},
		{N: 2, NE: 2, Ptr: []int32{0, 1, 1}, Post: []int32{1}, W: []float64{math.NaN()}},
		{N: 2, NE: 2, Ptr: []int32{0, 1, 1}, Post: []int32{1}, W: []float64{1}, Delay: []uint8{0}},
		{N: 2, NE: 2, Ptr: []int32{0, 1}, Post: []int32{1}, W: []float64{1}},
	}
	for i, s := range bad {
		if err := s.Check(); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

// TestBranchingCount checks the counter on a hand-made chain 0→1→2 (σ = 1)
// and a fork 0→{1,2} where both fire (σ = 2 for the first spike).
func TestBranchingCount(t *testing.T) {
	pop, _ := NewLIFPop(LIF{TauM: 10, VThresh: 1}, 3, 1)
	s := &Synapses{N: 3, NE: 3, Ptr: []int32{0, 2, 3, 3}, Post: []int32{1, 2, 2}, W: []float64{5, 0.1, 5}}
	net, err := NewNetwork(pop, s)
	if err != nil {
		t.Fatal(err)
	}
	br := net.Branching()
	net.Input()[0] = 5
	for range 5 {
		net.Step(0)
	}
	// 0 at step 0 → 1 at step 1 (2 gets 0.1) → 2 at step 2: ancestors 0,1,2;
	// descendants: 1 (of 0), 1 (of 1), 0 (of 2).
	if sig, a := br.Take(); a != 3 || math.Abs(sig-2.0/3) > 1e-15 {
		t.Errorf("σ = %v over %d ancestors, want 2/3 over 3", sig, a)
	}
}
