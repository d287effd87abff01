package community

import (
	"testing"

	"github.com/neurotab/neurotab"
)

// BenchmarkLouvain runs Louvain on the 10,000-node, 200,000-edge weighted
// graph of testdata/make_reference.py (50 blocks of 200, 80% of the edges
// inside a block), the graph networkx's louvain_communities timed on the
// same machine (networkx_louvain_seconds in testdata/reference.json). It
// reports seconds per fit, edges per second and the modularity reached.
func BenchmarkLouvain(b *testing.B) {
	benchFit(b, func(s neurotab.Seed) estimator { return &Louvain{Seed: s} })
}

// BenchmarkLeiden is BenchmarkLouvain for Leiden.
func BenchmarkLeiden(b *testing.B) {
	benchFit(b, func(s neurotab.Seed) estimator { return &Leiden{Seed: s} })
}

func benchFit(b *testing.B, mk func(neurotab.Seed) estimator) {
	g, err := FromEdges(10000, benchEdges())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var q float64
	for i := 0; b.Loop(); i++ {
		e := mk(neurotab.Seed(i))
		if err := e.Fit(g); err != nil {
			b.Fatal(err)
		}
		q, _ = e.Modularity()
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec, "s/fit")
	b.ReportMetric(float64(g.Edges())/sec, "edges/s")
	b.ReportMetric(q, "Q")
}
