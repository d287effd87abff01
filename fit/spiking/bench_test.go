package spiking

import (
	"fmt"
	"testing"

	"github.com/neurotab/neurotab"
)

// BenchmarkLSM simulates NALSM LIF liquids at 10% random connectivity
// (80% excitatory), each neuron driven by Poisson kicks, and reports neuron
// updates and synaptic events (a spike crossing one synapse) per second —
// of wall time, and per CPU second, which other processes on a shared
// machine do not change — and the mean firing rate.
func BenchmarkLSM(b *testing.B) {
	for _, n := range []int{1000, 8000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			w := 40.0 / float64(n) // summed recurrent input O(V_th) whatever N
			syn, err := Random(neurotab.Seed(1).Rand(1), n, n*4/5, 0.1, Weights{EE: 8 * w, EI: 8 * w, IE: 24 * w, II: 24 * w})
			if err != nil {
				b.Fatal(err)
			}
			pop, _ := NewLIFPop(NALSMLIF(), n, 1)
			net, err := NewNetwork(pop, syn)
			if err != nil {
				b.Fatal(err)
			}
			rng := neurotab.Seed(1).Rand(2)
			const steps = 200
			b.ReportAllocs()
			u0, e0 := net.Counts()
			c0 := cpuSeconds()
			b.ResetTimer()
			for range b.N {
				for range steps {
					buf := net.Input()
					for i := range buf {
						if rng.Uint32() < 1<<32/25 { // p = 0.04 per ms
							buf[i] += 10
						}
					}
					net.Step(0)
				}
			}
			b.StopTimer()
			cpu := cpuSeconds() - c0
			u1, e1 := net.Counts()
			u, e := float64(u1-u0), float64(e1-e0)
			s := b.Elapsed().Seconds()
			b.ReportMetric(u/s, "neuron-updates/s")
			b.ReportMetric(e/s, "syn-events/s")
			if cpu > 0 {
				b.ReportMetric(u/cpu, "neuron-updates/cpu-s")
				b.ReportMetric(e/cpu, "syn-events/cpu-s")
			}
			b.ReportMetric(e/u/(0.1*float64(n-1))*1000, "Hz")
			b.ReportMetric(0, "ns/op")
		})
	}
}
