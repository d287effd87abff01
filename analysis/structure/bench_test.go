package structure

import (
	"testing"

	"github.com/neurotab/neurotab/connectome"
)

// BenchmarkTest times a Test of 100 rewirings on a 300-neuron random
// directed connectome (p = 0.03, about 2,700 edges, the size of White
// 1986), reporting rewirings per second.
func BenchmarkTest(b *testing.B) {
	a := randomDigraph(300, 0.03, 3)
	fc := simulatedFC(b, a, true, 4)
	tst := Test{Rewirings: 100, Type: connectome.Chemical}
	b.ResetTimer()
	for b.Loop() {
		if err := tst.FitAdjacency(fc, a, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tst.Rewirings)*float64(b.N)/b.Elapsed().Seconds(), "rewirings/s")
}
