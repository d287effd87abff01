package readout

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

// sequences returns n sequences per class of T×F states: noise N(0, 1)
// plus the class mean mu[c] on every state (onLast false) or on the last
// state only (onLast true).
func sequences(seed uint64, n, T int, mu [][]float64, onLast bool) ([]mat.Matrix, []int) {
	rng := newRand(seed)
	var seqs []mat.Matrix
	var labels []int
	for range n {
		for c, m := range mu {
			s := mat.NewDense(T, len(m), nil)
			for t := range T {
				for j := range m {
					v := rng.NormFloat64()
					if !onLast || t == T-1 {
						v += m[j]
					}
					s.Set(t, j, v)
				}
			}
			seqs = append(seqs, s)
			labels = append(labels, c)
		}
	}
	return seqs, labels
}

var classMeans = [][]float64{{3, 0, 0, 0}, {0, 3, 0, 0}, {0, 0, 3, -3}}

func TestClassifierPool(t *testing.T) {
	s := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 7})
	for _, c := range []struct {
		pool Pooling
		want []float64
	}{{PoolLast, []float64{5, 7}}, {PoolMean, []float64{4, 5.5}}, {"", []float64{5, 7}}} {
		cl := Classifier{Pool: c.pool, Washout: 1}
		var got mat.Dense
		must(t, cl.PoolTo(&got, []mat.Matrix{s, s.T().T()}))
		for r := range 2 {
			if g := got.RawRowView(r); !floats.Equal(g, c.want) {
				t.Errorf("pool %q row %d = %v, want %v", c.pool, r, g, c.want)
			}
		}
	}
}

// TestClassifier checks that the classifier is Ridge on the pooled states
// and one-hot targets (built by hand here), and that it classifies
// held-out sequences: by the mean state when every state carries the
// class, by the last state when only the last one does.
func TestClassifier(t *testing.T) {
	// Class means 3 apart per axis leave a single noisy state misclassified
	// about 2% of the time (Φ(−3/√2)): last-state coding uses 6.
	for _, c := range []struct {
		pool   Pooling
		onLast bool
		scale  float64
	}{{PoolMean, false, 1}, {PoolLast, true, 2}} {
		t.Run(string(c.pool), func(t *testing.T) {
			mu := make([][]float64, len(classMeans))
			for i, m := range classMeans {
				mu[i] = append([]float64(nil), m...)
				floats.Scale(c.scale, mu[i])
			}
			train, labels := sequences(20, 30, 15, mu, c.onLast)
			test, want := sequences(21, 30, 15, mu, c.onLast)
			cl := Classifier{Alpha: 1, FitIntercept: true, Pool: c.pool, Washout: 2}
			must(t, cl.Fit(train, labels))

			X := mat.NewDense(len(train), 4, nil)
			Y := mat.NewDense(len(train), 3, nil)
			for s, m := range train {
				d := m.(*mat.Dense)
				for j := range 4 {
					if c.pool == PoolLast {
						X.Set(s, j, d.At(14, j))
					} else {
						X.Set(s, j, floats.Sum(mat.Col(nil, j, d.Slice(2, 15, 0, 4)))/13)
					}
				}
				Y.Set(s, labels[s], 1)
			}
			r := Ridge{Alpha: 1, FitIntercept: true}
			must(t, r.Fit(X, Y))
			if a, b := snapshot(&cl), snapshot(&r); !floats.EqualApprox(a, b, 1e-12) {
				t.Errorf("classifier fit %v, want Ridge on pooled one-hot %v", a, b)
			}
			if wrong := mistakes(t, &cl, test, want); wrong > 0 {
				t.Errorf("%d of %d held-out sequences misclassified", wrong, len(want))
			}
		})
	}
	// Mean pooling cannot see a class carried by the last state alone
	// (diluted 13-fold): it does much worse than last-state pooling.
	train, labels := sequences(22, 30, 15, classMeans, true)
	test, want := sequences(23, 30, 15, classMeans, true)
	cl := Classifier{Alpha: 1, FitIntercept: true, Pool: PoolMean, Washout: 2}
	must(t, cl.Fit(train, labels))
	wrong := mistakes(t, &cl, test, want)
	t.Logf("mean pooling of last-state coding: %d of 90 wrong", wrong)
	if wrong < 10 {
		t.Errorf("mean pooling misclassified only %d of 90 last-state-coded sequences", wrong)
	}
}

func TestClassifierErrors(t *testing.T) {
	train, labels := sequences(24, 3, 5, classMeans, false)
	bad := append([]int(nil), labels...)
	bad[4] = 7
	for _, c := range []struct {
		name   string
		cl     Classifier
		seqs   []mat.Matrix
		labels []int
		want   error
	}{
		{"label out of range", Classifier{Classes: 3}, train, bad, neurotab.ErrParam},
		{"negative label", Classifier{}, train, append([]int{-1}, labels[1:]...), neurotab.ErrParam},
		{"count mismatch", Classifier{}, train, labels[1:], neurotab.ErrShape},
		{"no sequences", Classifier{}, nil, nil, neurotab.ErrShape},
		{"washout too long", Classifier{Washout: 5}, train, labels, neurotab.ErrShape},
		{"feature mismatch", Classifier{}, append([]mat.Matrix{mat.NewDense(5, 2, nil)}, train[1:]...), labels, neurotab.ErrShape},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.cl.Fit(c.seqs, c.labels); !errors.Is(err, c.want) {
				t.Errorf("Fit = %v, want %v", err, c.want)
			}
			if _, err := c.cl.ClassesTo(nil, train); !errors.Is(err, neurotab.ErrNotFitted) {
				t.Errorf("ClassesTo after failed Fit = %v, want ErrNotFitted", err)
			}
		})
	}
}

func TestClassifierConformance(t *testing.T) {
	train, labels := sequences(25, 10, 8, classMeans, false)
	estimatortest.Run(t, estimatortest.Case[*Classifier]{
		Package: "readout",
		New:     func() *Classifier { return new(Classifier) },
		Defaults: map[string]any{"alpha": 0.0, "fit_intercept": false, "washout": 0, "pool": "last",
			"classes": 0, "svd_fallback": false},
		Bad: map[string]func(*Classifier){
			"negative Alpha":   func(c *Classifier) { c.Alpha = -1 },
			"NaN Alpha":        func(c *Classifier) { c.Alpha = math.NaN() },
			"negative Washout": func(c *Classifier) { c.Washout = -1 },
			"negative Classes": func(c *Classifier) { c.Classes = -1 },
			"unknown Pool":     func(c *Classifier) { c.Pool = "max" },
		},
		Fit: func(c *Classifier) error { return c.Fit(train, labels) },
		Results: map[string]func(*Classifier) error{
			"ScoresTo":    func(c *Classifier) error { return c.ScoresTo(&mat.Dense{}, train) },
			"ClassesTo":   func(c *Classifier) error { _, err := c.ClassesTo(nil, train); return err },
			"WeightsTo":   func(c *Classifier) error { return c.WeightsTo(&mat.Dense{}) },
			"InterceptTo": func(c *Classifier) error { return c.InterceptTo(&mat.VecDense{}) },
		},
		Snapshot: func(c *Classifier) []float64 { return snapshot(c) },
	})
}

// mistakes returns how many of seqs cl classifies otherwise than want.
func mistakes(t *testing.T, cl *Classifier, seqs []mat.Matrix, want []int) int {
	t.Helper()
	got, err := cl.ClassesTo(nil, seqs)
	must(t, err)
	wrong := 0
	for i := range got {
		if got[i] != want[i] {
			wrong++
		}
	}
	return wrong
}
