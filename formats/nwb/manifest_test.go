package nwb_test

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

// sameFloat compares exactly, NaN equal to NaN.
func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// checkSummary asserts got against a manifest "data" summary: count, first,
// last, nan_count, min and max of the finite values (exact: the manifest
// writes float32 values as their exact float64), the correctly rounded sum
// rounded to 6 decimals (|got-want| <= 1e-6*max(1,|want|), the manifest's
// stated tolerance), and every listed value or [index, value] sample.
func checkSummary(t *testing.T, what string, got []float64, sum map[string]any) {
	t.Helper()
	if n := int(num(t, sum["count"])); len(got) != n {
		t.Fatalf("%s: %d values, manifest count %d", what, len(got), n)
	}
	if len(got) == 0 {
		return
	}
	if w := num(t, sum["first"]); !sameFloat(got[0], w) {
		t.Errorf("%s: first = %v, manifest %v", what, got[0], w)
	}
	if w := num(t, sum["last"]); !sameFloat(got[len(got)-1], w) {
		t.Errorf("%s: last = %v, manifest %v", what, got[len(got)-1], w)
	}
	nan, s := 0, 0.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range got {
		if math.IsNaN(v) {
			nan++
			continue
		}
		if !math.IsInf(v, 0) {
			s += v
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if w, ok := sum["nan_count"]; ok && int(num(t, w)) != nan {
		t.Errorf("%s: %d NaN, manifest %v", what, nan, w)
	}
	if w := num(t, sum["min"]); lo != w {
		t.Errorf("%s: min = %v, manifest %v", what, lo, w)
	}
	if w := num(t, sum["max"]); hi != w {
		t.Errorf("%s: max = %v, manifest %v", what, hi, w)
	}
	if w := num(t, sum["sum"]); math.Abs(s-w) > 1e-6*math.Max(1, math.Abs(w)) {
		t.Errorf("%s: sum = %.9f, manifest %v", what, s, w)
	}
	if vals, ok := sum["values"].([]any); ok {
		for i, v := range vals {
			if w := num(t, v); !sameFloat(got[i], w) {
				t.Errorf("%s[%d] = %v, manifest %v", what, i, got[i], w)
			}
		}
	}
	if smp, ok := sum["samples"].([]any); ok {
		for _, p := range smp {
			pair := p.([]any)
			i, w := int(num(t, pair[0])), num(t, pair[1])
			if !sameFloat(got[i], w) {
				t.Errorf("%s[%d] = %v, manifest %v", what, i, got[i], w)
			}
		}
	}
}
