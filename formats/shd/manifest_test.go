package shd_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// manifestEntry returns files[rel] of reference-made/manifest.json (see
// reference-made/SOURCE.md), decoded with UseNumber so integers stay exact.
func manifestEntry(t testing.TB, rel string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, "reference-made", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Files map[string]map[string]any `json:"files"`
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	e, ok := m.Files[rel]
	if !ok {
		t.Fatalf("manifest has no entry %q", rel)
	}
	return e
}

// object returns entry["objects"][path].
func object(t testing.TB, e map[string]any, path string) map[string]any {
	t.Helper()
	o, ok := e["objects"].(map[string]any)[path].(map[string]any)
	if !ok {
		t.Fatalf("manifest has no object %q", path)
	}
	return o
}

// num converts a manifest number.
func num(t testing.TB, v any) float64 {
	t.Helper()
	x, ok := v.(json.Number)
	if !ok {
		t.Fatalf("manifest value %v (%T) is not a number", v, v)
	}
	f, err := x.Float64()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

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
