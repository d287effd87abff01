package calcium

import (
	"math"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// The reference-made manifest helpers, shared with the other readers' tests.
var (
	manifestEntry = fixtures.ManifestEntry
	num           = fixtures.ManifestNumber
)

// dig follows keys (string) and indexes (int) into decoded JSON.
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("dig %v: %T is not an object at %q", path, v, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("dig %v: no key %q", path, k)
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("dig %v: no index %d", path, k)
			}
			v = a[k]
		}
	}
	return v
}

func nums(t *testing.T, v any) []float64 {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%T is not an array", v)
	}
	out := make([]float64, len(a))
	for i, x := range a {
		out[i] = num(t, x)
	}
	return out
}

// same reports a == b, NaN equal to NaN.
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// near reports |a-b| <= tol, NaN equal to NaN.
func near(a, b, tol float64) bool {
	return same(a, b) || math.Abs(a-b) <= tol
}

// column returns trace n of r.
func column(r ingest.Raw, n int) []float64 {
	T, _ := r.Traces.Dims()
	out := make([]float64, T)
	for t := range T {
		out[t] = r.Traces.At(t, n)
	}
	return out
}

// summary is what the manifest states of an array: finite sum, NaN count,
// min and max of the finite values.
type summary struct {
	sum, min, max float64
	nans, count   int
}

func summarize(r ingest.Raw) summary {
	s := summary{min: math.Inf(1), max: math.Inf(-1)}
	T, N := r.Traces.Dims()
	for t := range T {
		for n := range N {
			v := r.Traces.At(t, n)
			s.count++
			if math.IsNaN(v) {
				s.nans++
				continue
			}
			s.sum += v
			s.min = math.Min(s.min, v)
			s.max = math.Max(s.max, v)
		}
	}
	return s
}

func wantLabels(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("labels %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("labels %q, want %q", got, want)
		}
	}
}

func wantShape(t *testing.T, r ingest.Raw, T, N int) {
	t.Helper()
	gt, gn := r.Traces.Dims()
	if gt != T || gn != N {
		t.Fatalf("traces %d×%d, want %d×%d", gt, gn, T, N)
	}
}

func hasNote(r ingest.Raw, sub string) bool {
	for _, n := range r.Notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

func wantErr(t *testing.T, err error, subs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", subs)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans lines: %q", msg)
	}
	for _, s := range subs {
		if !strings.Contains(msg, s) {
			t.Errorf("error %q does not contain %q", msg, s)
		}
	}
}

func readOne(t *testing.T, read func(string, Options) ([]ingest.Raw, error), path string, opt Options) ingest.Raw {
	t.Helper()
	raws, err := read(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 1 {
		t.Fatalf("%d recordings, want 1", len(raws))
	}
	return raws[0]
}
