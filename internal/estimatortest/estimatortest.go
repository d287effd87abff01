// Package estimatortest is the conformance suite of the estimator shape that
// package neurotab documents (see "Estimators" in
// [github.com/neurotab/neurotab]), run by the tests of every estimator as
// gonum's graph/testgraph is by every graph. It checks what the shape
// promises rather than any estimator's numbers:
//
//   - the zero value passes Check and fits;
//   - Parameters gives the documented defaults and survives a JSON round
//     trip (table.Provenance stores it as JSON);
//   - Check rejects each bad configuration with an error wrapping
//     neurotab.ErrParam and starting with the package name, and Fit
//     refuses it too;
//   - every result method returns an error wrapping neurotab.ErrNotFitted
//     before a Fit and after a failed one, and succeeds after a Fit;
//   - Fit leaves the configuration (the exported fields) alone and gives
//     the same result twice;
//   - optionally, fitting in batches gives the result of one Fit.
package estimatortest

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// Estimator is the part of the shape every estimator has.
type Estimator interface {
	Check() error
	Parameters() map[string]any
}

// Case describes one estimator type to Run. E is a pointer to the
// estimator's struct.
type Case[E Estimator] struct {
	// Package is the name every error message starts with ("readout").
	Package string
	// New returns a new zero-value estimator.
	New func() E
	// Defaults are the Parameters of the zero value, as documented.
	Defaults map[string]any
	// Bad are configurations Check must reject, by name.
	Bad map[string]func(E)
	// Fit fits e to valid data (the same data every call).
	Fit func(e E) error
	// Batched, when not nil, fits e to the data of Fit in several batches.
	Batched func(e E) error
	// Results calls each result method of e by name and returns its error.
	Results map[string]func(e E) error
	// Snapshot returns the numbers of e's fit, flattened, to compare fits.
	Snapshot func(e E) []float64
	// Tol is the largest |difference| allowed between the snapshots of a
	// batched and a single fit.
	Tol float64
}

// Run checks c's estimator against the shape.
func Run[E Estimator](t *testing.T, c Case[E]) {
	t.Helper()
	t.Run("zero value", func(t *testing.T) {
		e := c.New()
		if err := e.Check(); err != nil {
			t.Fatalf("Check of the zero value: %v", err)
		}
		if got := normalize(t, e.Parameters()); !reflect.DeepEqual(got, normalize(t, c.Defaults)) {
			t.Errorf("Parameters of the zero value = %v, want the defaults %v", got, c.Defaults)
		}
		requireUnfitted(t, c, e, "before Fit")
		before := config(e)
		if err := c.Fit(e); err != nil {
			t.Fatalf("Fit of the zero value: %v", err)
		}
		if after := config(e); !reflect.DeepEqual(before, after) {
			t.Errorf("Fit changed the configuration from %v to %v", before, after)
		}
		for name, res := range c.Results {
			if err := res(e); err != nil {
				t.Errorf("%s after Fit: %v", name, err)
			}
		}
		first := c.Snapshot(e)
		if err := c.Fit(e); err != nil {
			t.Fatalf("second Fit: %v", err)
		}
		if again := c.Snapshot(e); !equal(first, again, 0) {
			t.Error("a second Fit on the same data gave another result")
		}
	})
	t.Run("parameters round-trip JSON", func(t *testing.T) {
		e := c.New()
		p := e.Parameters()
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("Parameters %v are not JSON: %v", p, err)
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if want := normalize(t, p); !reflect.DeepEqual(back, want) {
			t.Errorf("Parameters through JSON = %v, want %v", back, want)
		}
	})
	for name, set := range c.Bad {
		t.Run("bad/"+name, func(t *testing.T) {
			e := c.New()
			set(e)
			err := e.Check()
			if !errors.Is(err, neurotab.ErrParam) {
				t.Fatalf("Check = %v, want an error wrapping neurotab.ErrParam", err)
			}
			if !strings.HasPrefix(err.Error(), c.Package+": ") {
				t.Errorf("Check error %q does not start with %q", err, c.Package+": ")
			}
			if err := c.Fit(e); !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("Fit = %v, want an error wrapping neurotab.ErrParam", err)
			}
			requireUnfitted(t, c, e, "after a refused Fit")
		})
	}
	if c.Batched != nil {
		t.Run("batches equal one fit", func(t *testing.T) {
			one, many := c.New(), c.New()
			if err := c.Fit(one); err != nil {
				t.Fatal(err)
			}
			if err := c.Batched(many); err != nil {
				t.Fatal(err)
			}
			if a, b := c.Snapshot(one), c.Snapshot(many); !equal(a, b, c.Tol) {
				t.Errorf("batched fit differs from one Fit by more than %g:\n one %v\nmany %v", c.Tol, a, b)
			}
		})
	}
}

// requireUnfitted checks that every result method of e reports ErrNotFitted.
func requireUnfitted[E Estimator](t *testing.T, c Case[E], e E, when string) {
	t.Helper()
	for name, res := range c.Results {
		err := res(e)
		if !errors.Is(err, neurotab.ErrNotFitted) {
			t.Errorf("%s %s = %v, want an error wrapping neurotab.ErrNotFitted", name, when, err)
		} else if !strings.HasPrefix(err.Error(), c.Package+": ") {
			t.Errorf("%s %s: error %q does not start with %q", name, when, err, c.Package+": ")
		}
	}
}

// config returns the exported fields of the struct e points to.
func config(e any) map[string]any {
	v := reflect.ValueOf(e).Elem()
	out := map[string]any{}
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.IsExported() {
			out[f.Name] = v.Field(i).Interface()
		}
	}
	return out
}

// normalize turns the numbers of p into float64, as JSON decoding does,
// and fails t on a value JSON does not carry.
func normalize(t *testing.T, p map[string]any) map[string]any {
	t.Helper()
	out := make(map[string]any, len(p))
	for k, v := range p {
		switch x := v.(type) {
		case int:
			v = float64(x)
		case int32:
			v = float64(x)
		case int64:
			v = float64(x)
		case float64, bool, string:
		default:
			t.Fatalf("parameter %s = %v of type %T: want a number, bool or string", k, v, v)
		}
		out[k] = v
	}
	return out
}

// equal reports whether a and b have the same length and differ by at most
// tol elementwise (NaN matching NaN).
func equal(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) && math.IsNaN(b[i]) {
			continue
		}
		if !(math.Abs(a[i]-b[i]) <= tol) {
			return false
		}
	}
	return true
}
