package spectral

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/estimatortest"
)

// noiseEpochs returns n epochs of T × N standard normal samples.
func noiseEpochs(seed neurotab.Seed, n, T, N int) []mat.Matrix {
	rng := seed.Rand(0)
	epochs := make([]mat.Matrix, n)
	for e := range epochs {
		x := mat.NewDense(T, N, nil)
		for t := range T {
			for j := range N {
				x.Set(t, j, rng.NormFloat64())
			}
		}
		epochs[e] = x
	}
	return epochs
}

// TestConformance runs the estimator-shape suite for each spectrum; the
// zero value of a spectrum is Connectivity{Spectrum: s}.
func TestConformance(t *testing.T) {
	epochs := noiseEpochs(1, 6, 40, 3)
	for _, c := range []struct {
		spectrum Spectrum
		defaults map[string]any
	}{
		{"", map[string]any{"method": "coh", "spectrum": "welch", "segment_length": 0, "overlap": 0, "fmin": 0.0, "fmax": 0.0, "sample_rate": 0.0}},
		{SpectrumMultitaper, map[string]any{"method": "coh", "spectrum": "multitaper", "segment_length": 0, "overlap": 0, "fmin": 0.0, "fmax": 0.0, "sample_rate": 0.0, "bandwidth": 0.0}},
	} {
		t.Run(c.defaults["spectrum"].(string), func(t *testing.T) {
			estimatortest.Run(t, estimatortest.Case[*Connectivity]{
				Package:  "spectral",
				New:      func() *Connectivity { return &Connectivity{Spectrum: c.spectrum} },
				Defaults: c.defaults,
				Bad: map[string]func(*Connectivity){
					"unknown method":             func(e *Connectivity) { e.Method = "granger" },
					"unknown spectrum":           func(e *Connectivity) { e.Spectrum = "morlet" },
					"negative SegmentLength":     func(e *Connectivity) { e.SegmentLength = -1 },
					"SegmentLength 1":            func(e *Connectivity) { e.SegmentLength = 1 },
					"Overlap without segments":   func(e *Connectivity) { e.Overlap = 2 },
					"Overlap = SegmentLength":    func(e *Connectivity) { e.SegmentLength, e.Overlap = 8, 8 },
					"negative Overlap":           func(e *Connectivity) { e.SegmentLength, e.Overlap = 8, -1 },
					"NaN Bandwidth":              func(e *Connectivity) { e.Bandwidth = math.NaN() },
					"negative SampleRate":        func(e *Connectivity) { e.SampleRate = -1 },
					"Inf SampleRate":             func(e *Connectivity) { e.SampleRate = math.Inf(1) },
					"negative FMin":              func(e *Connectivity) { e.FMin = -0.1 },
					"FMax above Nyquist":         func(e *Connectivity) { e.FMax = 0.6 },
					"FMax below FMin":            func(e *Connectivity) { e.FMin, e.FMax = 0.3, 0.2 },
					"Bandwidth on Welch spectra": func(e *Connectivity) { e.Spectrum, e.Bandwidth = SpectrumWelch, 0.1 },
				},
				Fit: func(e *Connectivity) error { return e.Fit(epochs) },
				Results: map[string]func(*Connectivity) error{
					"MatrixTo":    func(e *Connectivity) error { return e.MatrixTo(&mat.Dense{}, Band{}) },
					"SpectrumTo":  func(e *Connectivity) error { return e.SpectrumTo(&mat.Dense{}, 0) },
					"Frequencies": func(e *Connectivity) error { _, err := e.Frequencies(); return err },
				},
				Snapshot: func(e *Connectivity) []float64 {
					var m mat.Dense
					if e.MatrixTo(&m, Band{}) != nil {
						return nil
					}
					return m.RawMatrix().Data
				},
			})
		})
	}
}

// TestErrors checks each data error's sentinel and message prefix.
func TestErrors(t *testing.T) {
	good := noiseEpochs(2, 4, 32, 3)
	nan := mat.DenseCopyOf(good[1])
	nan.Set(5, 2, math.NaN())
	for _, c := range []struct {
		name string
		c    Connectivity
		fit  func(c *Connectivity) error
		want error
	}{
		{"no epochs", Connectivity{}, func(c *Connectivity) error { return c.Fit(nil) }, neurotab.ErrShape},
		{"one epoch for ppc", Connectivity{Method: MethodPPC}, func(c *Connectivity) error { return c.Fit(good[:1]) }, neurotab.ErrShape},
		{"one epoch for wpli2_debiased", Connectivity{Method: MethodWPLI2Debiased}, func(c *Connectivity) error { return c.Fit(good[:1]) }, neurotab.ErrShape},
		{"unequal columns", Connectivity{}, func(c *Connectivity) error {
			return c.Fit([]mat.Matrix{good[0], mat.NewDense(32, 2, nil)})
		}, neurotab.ErrShape},
		{"unequal lengths without SegmentLength", Connectivity{}, func(c *Connectivity) error {
			return c.Fit([]mat.Matrix{good[0], mat.NewDense(31, 3, nil)})
		}, neurotab.ErrShape},
		{"epoch shorter than a segment", Connectivity{SegmentLength: 33}, func(c *Connectivity) error { return c.Fit(good) }, neurotab.ErrShape},
		{"one-sample epochs", Connectivity{}, func(c *Connectivity) error {
			return c.Fit([]mat.Matrix{mat.NewDense(1, 2, nil)})
		}, neurotab.ErrShape},
		{"NaN sample", Connectivity{}, func(c *Connectivity) error {
			return c.Fit([]mat.Matrix{good[0], nan})
		}, neurotab.ErrNotFinite},
		{"band without a bin", Connectivity{FMin: 0.01, FMax: 0.02}, func(c *Connectivity) error { return c.Fit(good) }, neurotab.ErrParam},
		{"multitaper NW below 0.5", Connectivity{Spectrum: SpectrumMultitaper, Bandwidth: 0.01}, func(c *Connectivity) error { return c.Fit(good) }, neurotab.ErrParam},
		{"continuous without SegmentLength", Connectivity{}, func(c *Connectivity) error { return c.FitContinuous(good[0]) }, neurotab.ErrParam},
		{"continuous shorter than a segment", Connectivity{SegmentLength: 64}, func(c *Connectivity) error { return c.FitContinuous(good[0]) }, neurotab.ErrShape},
		{"csd unequal lengths", Connectivity{}, func(c *Connectivity) error {
			_, _, err := c.CrossSpectralDensity(make([]float64, 8), make([]float64, 9))
			return err
		}, neurotab.ErrShape},
		{"csd Inf", Connectivity{}, func(c *Connectivity) error {
			_, _, err := c.CrossSpectralDensity(make([]float64, 8), []float64{0, 0, math.Inf(1), 0, 0, 0, 0, 0})
			return err
		}, neurotab.ErrNotFinite},
		{"dpss NW too large", Connectivity{}, func(*Connectivity) error { _, _, err := DPSS(8, 4, 2); return err }, neurotab.ErrParam},
		{"dpss no taper", Connectivity{}, func(*Connectivity) error { _, _, err := DPSS(8, 2, 0); return err }, neurotab.ErrParam},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.fit(&c.c)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want one wrapping %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "spectral: ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line starting with %q", err, "spectral: ")
			}
			if c.c.Fitted() != "" {
				t.Error("estimator fitted after an error")
			}
		})
	}
}

// TestMatrixToBand: MatrixTo over a band is the mean of SpectrumTo over the
// band's frequencies, and a band with no frequency is refused.
func TestMatrixToBand(t *testing.T) {
	c := Connectivity{Method: MethodImagCoherence, SampleRate: 100, SegmentLength: 20, Overlap: 10}
	if err := c.Fit(noiseEpochs(3, 5, 60, 3)); err != nil {
		t.Fatal(err)
	}
	freqs, _ := c.Frequencies()
	if len(freqs) != 11 || freqs[1] != 5 || freqs[10] != 50 {
		t.Fatalf("frequencies %v, want 0, 5, …, 50 Hz (fs/L = 5 Hz)", freqs)
	}
	var band, s mat.Dense
	if err := c.MatrixTo(&band, Band{9, 21}); err != nil {
		t.Fatal(err)
	}
	want := mat.NewDense(3, 3, nil)
	for _, k := range []int{2, 3, 4} { // 10, 15, 20 Hz
		if err := c.SpectrumTo(&s, k); err != nil {
			t.Fatal(err)
		}
		want.Add(want, &s)
	}
	want.Scale(1.0/3, want)
	for i := range 3 {
		for j := range 3 {
			g, w := band.At(i, j), want.At(i, j)
			if i == j {
				if !math.IsNaN(g) {
					t.Errorf("diagonal [%d][%d] = %g, want NaN", i, j, g)
				}
				continue
			}
			if math.Abs(g-w) > 1e-15 {
				t.Errorf("[%d][%d] = %g, want the mean %g", i, j, g, w)
			}
			if math.Abs(g+band.At(j, i)) > 1e-15 {
				t.Errorf("imcoh [%d][%d] = %g, [%d][%d] = %g: want antisymmetry", i, j, g, j, i, band.At(j, i))
			}
		}
	}
	if err := c.MatrixTo(&band, Band{6, 9}); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("MatrixTo over an empty band = %v, want neurotab.ErrParam", err)
	}
}

// TestSegmentsAreEpochs: FitContinuous equals Fit over the explicit
// segments; and with epochs of unequal length each epoch's cross-spectrum
// is the mean over its own segments (CrossSpectralDensity of the epoch),
// so coh = |S¹ + S²| / sqrt((S¹_xx + S²_xx)(S¹_yy + S²_yy)).
func TestSegmentsAreEpochs(t *testing.T) {
	x := noiseEpochs(4, 1, 100, 2)[0].(*mat.Dense)
	c := Connectivity{Method: MethodPLV, SegmentLength: 20, Overlap: 5}
	if err := c.FitContinuous(x); err != nil {
		t.Fatal(err)
	}
	var segs []mat.Matrix
	for s := 0; s+20 <= 100; s += 15 { // 0, 15, …, 75: 6 segments; the last 5 samples are dropped
		segs = append(segs, x.Slice(s, s+20, 0, 2))
	}
	e := Connectivity{Method: MethodPLV}
	if err := e.Fit(segs); err != nil {
		t.Fatal(err)
	}
	var a, b mat.Dense
	_ = c.MatrixTo(&a, Band{})
	_ = e.MatrixTo(&b, Band{})
	if g, w := a.At(0, 1), b.At(0, 1); math.Abs(g-w) > 1e-15 || math.IsNaN(g) {
		t.Errorf("FitContinuous PLV %v, Fit over its segments %v", g, w)
	}

	col := func(from, to, j int) []float64 { return mat.Col(nil, j, x.Slice(from, to, 0, 2)) }
	coh := Connectivity{SegmentLength: 20, Overlap: 5}
	if err := coh.Fit([]mat.Matrix{x.Slice(0, 50, 0, 2), x.Slice(50, 90, 0, 2)}); err != nil { // 3 and 2 segments
		t.Fatal(err)
	}
	freqs, _ := coh.Frequencies()
	var m mat.Dense
	for k := range freqs {
		var sxy complex128
		var sxx, syy float64
		for _, ep := range [][2]int{{0, 50}, {50, 90}} {
			_, s, err := coh.CrossSpectralDensity(col(ep[0], ep[1], 0), col(ep[0], ep[1], 1))
			if err != nil {
				t.Fatal(err)
			}
			_, px, _ := coh.CrossSpectralDensity(col(ep[0], ep[1], 0), col(ep[0], ep[1], 0))
			_, py, _ := coh.CrossSpectralDensity(col(ep[0], ep[1], 1), col(ep[0], ep[1], 1))
			sxy, sxx, syy = sxy+s[k], sxx+real(px[k]), syy+real(py[k])
		}
		want := math.Hypot(real(sxy), imag(sxy)) / math.Sqrt(sxx*syy)
		_ = coh.SpectrumTo(&m, k)
		if g := m.At(0, 1); math.Abs(g-want) > 1e-12 {
			t.Errorf("f = %g: coh %v, want %v from the epochs' own segment means", freqs[k], g, want)
		}
	}
}

// TestFitRecordings: recordings are epochs (the same result as Fit on
// their Data), and mismatched neurons or sample rates are refused.
func TestFitRecordings(t *testing.T) {
	data := noiseEpochs(6, 3, 40, 2)
	recs := make([]*table.Recording, len(data))
	times := make([]float64, 40)
	for i := range times {
		times[i] = float64(i) / 50
	}
	for e, d := range data {
		recs[e] = &table.Recording{Dataset: "d", Worm: strconv.Itoa(e), Neurons: []string{"AVAL", "AVAR"}, Time: times, Data: d.(*mat.Dense)}
	}
	c := Connectivity{Method: MethodWPLI, SampleRate: 50}
	if err := c.FitRecordings(recs); err != nil {
		t.Fatal(err)
	}
	e := Connectivity{Method: MethodWPLI, SampleRate: 50}
	if err := e.Fit(data); err != nil {
		t.Fatal(err)
	}
	var a, b mat.Dense
	_ = c.MatrixTo(&a, Band{})
	_ = e.MatrixTo(&b, Band{})
	if a.At(0, 1) != b.At(0, 1) || math.IsNaN(a.At(0, 1)) {
		t.Errorf("FitRecordings %v, Fit %v", a.At(0, 1), b.At(0, 1))
	}
	if err := (&Connectivity{SampleRate: 40}).FitRecordings(recs); !errors.Is(err, neurotab.ErrParam) {
		t.Errorf("sample rate 40 Hz for 50 Hz data: %v, want neurotab.ErrParam", err)
	}
	other := *recs[2]
	other.Neurons = []string{"AVAR", "AVAL"}
	if err := c.FitRecordings([]*table.Recording{recs[0], &other}); !errors.Is(err, neurotab.ErrShape) || !strings.Contains(err.Error(), "recording 1 (d/2)") {
		t.Errorf("swapped neurons: %v, want neurotab.ErrShape naming recording 1 (d/2)", err)
	}
	if c.Fitted() != "" {
		t.Error("fitted after a refused FitRecordings")
	}
}

// TestPermutation: permuting the neurons permutes the result matrix, for
// every method and both spectra.
func TestPermutation(t *testing.T) {
	epochs := noiseEpochs(7, 4, 48, 4)
	perm := []int{2, 0, 3, 1} // new column k is old column perm[k]
	permuted := make([]mat.Matrix, len(epochs))
	for e, x := range epochs {
		p := mat.NewDense(48, 4, nil)
		for k, old := range perm {
			p.SetCol(k, mat.Col(nil, old, x))
		}
		permuted[e] = p
	}
	for _, sp := range []Spectrum{SpectrumWelch, SpectrumMultitaper} {
		for _, m := range allMethods {
			t.Run(string(sp)+"/"+string(m), func(t *testing.T) {
				a, b := Connectivity{Method: m, Spectrum: sp}, Connectivity{Method: m, Spectrum: sp}
				if err := a.Fit(epochs); err != nil {
					t.Fatal(err)
				}
				if err := b.Fit(permuted); err != nil {
					t.Fatal(err)
				}
				var ca, cb mat.Dense
				_ = a.MatrixTo(&ca, Band{})
				_ = b.MatrixTo(&cb, Band{})
				for k := range perm {
					for l := range perm {
						if k == l {
							continue
						}
						if g, w := cb.At(k, l), ca.At(perm[k], perm[l]); math.Abs(g-w) > 1e-12 {
							t.Errorf("permuted [%d][%d] = %g, original [%d][%d] = %g", k, l, g, perm[k], perm[l], w)
						}
					}
				}
			})
		}
	}
}
