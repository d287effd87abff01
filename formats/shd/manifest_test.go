package shd_test

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// The reference-made manifest helpers, shared with the other readers' tests.
var (
	manifestEntry = fixtures.ManifestEntry
	object        = fixtures.ManifestObject
	num           = fixtures.ManifestNumber
)

// ints converts a manifest list of integers.
func ints(t testing.TB, v any) []int {
	t.Helper()
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(num(t, x)))
	}
	return out
}

// checkSummary asserts got against a manifest summary of one vlen element:
// count, first, last, min, max exactly (the manifest writes float32 values as
// their exact float64), the sum within the manifest's stated tolerance
// |got-want| <= 1e-6*max(1,|want|), and every listed value or
// [index, value] sample.
func checkSummary(t *testing.T, what string, got []float64, sum map[string]any) {
	t.Helper()
	if n := int(num(t, sum["count"])); len(got) != n {
		t.Fatalf("%s: %d values, manifest count %d", what, len(got), n)
	}
	if len(got) == 0 {
		return
	}
	s, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	for _, v := range got {
		s += v
		lo, hi = min(lo, v), max(hi, v)
	}
	for _, c := range []struct {
		name string
		v    float64
	}{{"first", got[0]}, {"last", got[len(got)-1]}, {"min", lo}, {"max", hi}} {
		if w := num(t, sum[c.name]); c.v != w {
			t.Errorf("%s: %s = %v, manifest %v", what, c.name, c.v, w)
		}
	}
	if w := num(t, sum["sum"]); math.Abs(s-w) > 1e-6*math.Max(1, math.Abs(w)) {
		t.Errorf("%s: sum = %.9f, manifest %v", what, s, w)
	}
	if vals, ok := sum["values"].([]any); ok {
		for i, v := range vals {
			if w := num(t, v); got[i] != w {
				t.Errorf("%s[%d] = %v, manifest %v", what, i, got[i], w)
			}
		}
	}
	if smp, ok := sum["samples"].([]any); ok {
		for _, p := range smp {
			pair := p.([]any)
			i, w := int(num(t, pair[0])), num(t, pair[1])
			if got[i] != w {
				t.Errorf("%s[%d] = %v, manifest %v", what, i, got[i], w)
			}
		}
	}
}
