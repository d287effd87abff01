package spiking_test

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/spiking"
)

// A NALSM neuron under a constant current fires every
// t_ref + τ ln(RI/(RI − V_th)) ms, rounded up to the 1 ms grid.
func ExampleLIFPop() {
	pop, err := spiking.NewLIFPop(spiking.NALSMLIF(), 1, 1)
	if err != nil {
		panic(err)
	}
	pop.IExt = []float64{25}
	var spikes []int32
	var times []int
	for t := 1; t <= 400; t++ {
		if spikes = pop.Step([]float64{0}, spikes[:0]); len(spikes) > 0 {
			times = append(times, t)
		}
	}
	fmt.Println("spike times (ms):", times)
	fmt.Printf("analytic period: %.2f ms, on the grid 2 + ⌈%.3f⌉ = 106\n", 2+64*math.Log(25/(25-20.0)), 64*math.Log(25/(25-20.0)))
	// Output:
	// spike times (ms): [104 210 316]
	// analytic period: 105.00 ms, on the grid 2 + ⌈103.004⌉ = 106
}

// A NALSM liquid driven by Poisson input, with astrocyte-modulated STDP:
// the branching factor of its spikes after 5 s of training.
func ExampleLSM() {
	liq, err := spiking.LSM{Plastic: true, Astrocyte: true, Seed: 1}.New(200)
	if err != nil {
		panic(err)
	}
	br := liq.Net.Branching()
	rng := neurotab.Seed(1).Rand(3)
	var ch []int32
	for range 5000 {
		ch = ch[:0]
		for c := range 200 {
			if rng.Float64() < 0.05 {
				ch = append(ch, int32(c))
			}
		}
		liq.Step(ch)
	}
	sigma, _ := br.Take()
	fmt.Printf("σ over 5 s: %.1f\n", sigma)
	// Output:
	// σ over 5 s: 1.2
}
