package reservoir

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestArnoldiAgainstDense measures the restarted Arnoldi estimate against
// the dense eigenvalues on random reservoirs small enough for both (measured:
// relative differences of 4e-15 to 2e-14; asserted ≤ 1e-9).
func TestArnoldiAgainstDense(t *testing.T) {
	for _, tc := range []struct {
		n       int
		density float64
		dist    Distribution
	}{{300, 0.1, Normal}, {600, 0.05, Uniform}, {1000, 0.01, Normal}} {
		w := randomW(tc.n, tc.density, 0, tc.dist, neurotab.Seed(tc.n).Rand(streamW))
		dense, err := denseRadius(w)
		if err != nil {
			t.Fatal(err)
		}
		arn := arnoldiRadius(w)
		rel := math.Abs(arn-dense) / dense
		t.Logf("N=%d density %g: dense %.15g Arnoldi %.15g, relative difference %.2g", tc.n, tc.density, dense, arn, rel)
		if rel > 1e-9 {
			t.Errorf("N=%d: Arnoldi ρ %.15g differs from dense %.15g by %.2g (relative), want ≤ 1e-9", tc.n, arn, dense, rel)
		}
	}
}
