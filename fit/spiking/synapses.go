package spiking

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/neurotab/neurotab"
)

// Synapses is the sparse connectivity of a liquid in compressed sparse
// form over presynaptic neurons: the out-synapses of neuron i are
// s = Ptr[i] … Ptr[i+1]−1, with target Post[s], weight W[s] and delay
// Delay[s] steps (≥ 1). Neurons 0…NE−1 are excitatory and their weights are
// ≥ 0; the others are inhibitory with weights ≤ 0 (Dale's law, signs on
// the presynaptic side).
type Synapses struct {
	// N is the number of neurons, NE the number of excitatory ones.
	N, NE int
	// Ptr has N+1 offsets into Post, W and Delay.
	Ptr []int32
	// Post is the postsynaptic neuron of each synapse.
	Post []int32
	// W is the weight of each synapse.
	W []float64
	// Delay is the delay in steps of each synapse (nil: all 1).
	Delay []uint8

	inPtr, inSyn, inPre []int32 // by postsynaptic neuron: synapse indices, presynaptic neurons
}

// Len returns the number of synapses.
func (s *Synapses) Len() int { return len(s.Post) }

// Check reports whether s is well formed: offsets, targets in range,
// finite weights of the presynaptic sign, delays ≥ 1. The error wraps
// neurotab.ErrShape, ErrOutOfRange or ErrNotFinite.
func (s *Synapses) Check() error {
	if s.N <= 0 || s.NE < 0 || s.NE > s.N || len(s.Ptr) != s.N+1 || s.Ptr[0] != 0 || int(s.Ptr[s.N]) != len(s.Post) || len(s.W) != len(s.Post) || (s.Delay != nil && len(s.Delay) != len(s.Post)) {
		return fmt.Errorf("spiking: synapses of %d neurons with %d offsets, %d targets, %d weights: %w", s.N, len(s.Ptr), len(s.Post), len(s.W), neurotab.ErrShape)
	}
	for i := range s.N {
		if s.Ptr[i+1] < s.Ptr[i] {
			return fmt.Errorf("spiking: synapse offsets decrease at neuron %d: %w", i, neurotab.ErrShape)
		}
		for k := s.Ptr[i]; k < s.Ptr[i+1]; k++ {
			w := s.W[k]
			switch {
			case s.Post[k] < 0 || int(s.Post[k]) >= s.N:
				return fmt.Errorf("spiking: synapse %d targets neuron %d of %d: %w", k, s.Post[k], s.N, neurotab.ErrOutOfRange)
			case math.IsNaN(w) || math.IsInf(w, 0):
				return fmt.Errorf("spiking: synapse %d weight %v: %w", k, w, neurotab.ErrNotFinite)
			case (i < s.NE && w < 0) || (i >= s.NE && w > 0):
				return fmt.Errorf("spiking: synapse %d from neuron %d has weight %v against Dale's law: %w", k, i, w, neurotab.ErrOutOfRange)
			case s.Delay != nil && s.Delay[k] == 0:
				return fmt.Errorf("spiking: synapse %d has delay 0: %w", k, neurotab.ErrOutOfRange)
			}
		}
	}
	return nil
}

// index builds the view by postsynaptic neuron that STDP needs.
func (s *Synapses) index() {
	if s.inPtr != nil {
		return
	}
	s.inPtr = make([]int32, s.N+1)
	for _, j := range s.Post {
		s.inPtr[j+1]++
	}
	for j := range s.N {
		s.inPtr[j+1] += s.inPtr[j]
	}
	s.inSyn = make([]int32, len(s.Post))
	s.inPre = make([]int32, len(s.Post))
	fill := append([]int32(nil), s.inPtr[:s.N]...)
	for i := range s.N {
		for k := s.Ptr[i]; k < s.Ptr[i+1]; k++ {
			j := s.Post[k]
			s.inSyn[fill[j]], s.inPre[fill[j]] = k, int32(i)
			fill[j]++
		}
	}
}

// Weights are the synaptic weight magnitudes by connection class
// (excitatory or inhibitory presynaptic → postsynaptic neuron); the sign
// follows Dale's law.
type Weights struct{ EE, EI, IE, II float64 }

func (w Weights) of(preE, postE bool) float64 {
	switch {
	case preE && postE:
		return math.Abs(w.EE)
	case preE:
		return math.Abs(w.EI)
	case postE:
		return -math.Abs(w.IE)
	}
	return -math.Abs(w.II)
}

// Random returns an Erdős–Rényi liquid: each ordered pair i ≠ j is a
// synapse with probability p, drawn by geometric skips so the cost is the
// number of synapses, not N². Neurons 0…ne−1 are excitatory; every delay is
// one step.
func Random(rng *rand.Rand, n, ne int, p float64, w Weights) (*Synapses, error) {
	if n <= 0 || ne < 0 || ne > n || !(p >= 0 && p <= 1) {
		return nil, fmt.Errorf("spiking: random liquid of %d neurons (%d excitatory) at p = %v: %w", n, ne, p, neurotab.ErrParam)
	}
	s := &Synapses{N: n, NE: ne, Ptr: make([]int32, n+1)}
	s.Post = make([]int32, 0, int(float64(n)*float64(n)*p*1.05)+16)
	lq := math.Log1p(-p)
	for i := range n {
		j := -1
		for p > 0 {
			if p < 1 {
				j += 1 + int(math.Log(1-rng.Float64())/lq)
			} else {
				j++
			}
			if j >= n {
				break
			}
			if j != i {
				s.Post = append(s.Post, int32(j))
				s.W = append(s.W, w.of(i < ne, j < ne))
			}
		}
		s.Ptr[i+1] = int32(len(s.Post))
	}
	return s, nil
}

// Grid3D returns a liquid on an nx×ny×nz grid with distance-dependent
// connectivity (Maass, Natschläger & Markram 2002, "Real-time computing
// without stable states", Neural Comput. 14:2531–2560,
// doi:10.1162/089976602760407955): neurons i ≠ j connect with probability
//
//	P(i, j) = C · exp(−(D(i, j)/λ)²)
//
// with D the Euclidean grid distance and C by class: 0.3 (E→E), 0.2
// (E→I), 0.4 (I→E), 0.1 (I→I). The grid positions of the excitatory
// neurons (0…ne−1) and inhibitory ones are a random permutation, so the
// inhibitory neurons are scattered over the grid. Every delay is one step.
func Grid3D(rng *rand.Rand, nx, ny, nz, ne int, lambda float64, w Weights) (*Synapses, error) {
	n := nx * ny * nz
	if nx <= 0 || ny <= 0 || nz <= 0 || ne < 0 || ne > n || !(lambda > 0) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("spiking: %d×%d×%d grid liquid (%d excitatory, λ = %v): %w", nx, ny, nz, ne, lambda, neurotab.ErrParam)
	}
	pos := rng.Perm(n)
	xyz := make([][3]float64, n)
	for i, q := range pos {
		xyz[i] = [3]float64{float64(q % nx), float64(q / nx % ny), float64(q / (nx * ny))}
	}
	s := &Synapses{N: n, NE: ne, Ptr: make([]int32, n+1)}
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			dx, dy, dz := xyz[i][0]-xyz[j][0], xyz[i][1]-xyz[j][1], xyz[i][2]-xyz[j][2]
			c := [2][2]float64{{0.1, 0.4}, {0.2, 0.3}}[b2i(i < ne)][b2i(j < ne)]
			if rng.Float64() < c*math.Exp(-(dx*dx+dy*dy+dz*dz)/(lambda*lambda)) {
				s.Post = append(s.Post, int32(j))
				s.W = append(s.W, w.of(i < ne, j < ne))
			}
		}
		s.Ptr[i+1] = int32(len(s.Post))
	}
	return s, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
