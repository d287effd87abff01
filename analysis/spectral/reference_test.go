package spectral

import (
	"encoding/json"
	"math"
	"os"
	"strconv"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// refTol is the tolerance of every comparison with testdata/reference.json
// (scipy 1.10 / numpy 1.24, made by testdata/gen_reference.py): both sides
// compute the same sums in float64, so they agree to rounding.
const refTol = 1e-10

type cplx struct{ Re, Im []float64 }

// reference is testdata/reference.json.
type reference struct {
	T     int         `json:"t"`
	FS    float64     `json:"fs"`
	X     [][]float64 `json:"x"`
	Welch []struct {
		NPerSeg   int                  `json:"nperseg"`
		NOverlap  int                  `json:"noverlap"`
		F         []float64            `json:"f"`
		CSD       map[string]cplx      `json:"csd"`       // "ij": S_ij = conj(scipy.signal.csd(x_i, x_j))
		Coherence map[string][]float64 `json:"coherence"` // "ij": scipy.signal.coherence (squared)
	} `json:"welch"`
	DPSS []struct {
		N      int         `json:"n"`
		NW     float64     `json:"nw"`
		K      int         `json:"k"`
		Tapers [][]float64 `json:"tapers"`
		Ratios []float64   `json:"ratios"`
	} `json:"dpss"`
	Multitaper []struct {
		N         int             `json:"n"`
		Bandwidth float64         `json:"bandwidth"`
		F         []float64       `json:"f"`
		CSD       map[string]cplx `json:"csd"`
	} `json:"multitaper"`
	Measures struct {
		Epochs      int                        `json:"epochs"`
		EpochLength int                        `json:"epoch_length"`
		Welch       map[string]json.RawMessage `json:"welch"`
		Multitaper  map[string]json.RawMessage `json:"multitaper"`
	} `json:"measures"`
}

var (
	refOnce sync.Once
	ref     reference
	refErr  error
)

func loadReference(t *testing.T) *reference {
	t.Helper()
	refOnce.Do(func() {
		var b []byte
		if b, refErr = os.ReadFile("testdata/reference.json"); refErr == nil {
			refErr = json.Unmarshal(b, &ref)
		}
	})
	if refErr != nil {
		t.Fatal(refErr)
	}
	return &ref
}

// column returns column j of the reference input (first n samples).
func (r *reference) column(j, n int) []float64 {
	out := make([]float64, n)
	for t := range n {
		out[t] = r.X[t][j]
	}
	return out
}

func (r *reference) matrix(from, to int) *mat.Dense {
	x := mat.NewDense(to-from, len(r.X[0]), nil)
	for t := from; t < to; t++ {
		x.SetRow(t-from, r.X[t])
	}
	return x
}

// closeTo reports the largest |got − want| and fails t above tol.
func closeTo(t *testing.T, what string, got, want []float64, tol float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		if math.IsNaN(got[i]) && math.IsNaN(want[i]) {
			continue
		}
		d := math.Abs(got[i] - want[i])
		if !(d <= tol) {
			t.Errorf("%s[%d] = %v, want %v (|diff| %g > %g)", what, i, got[i], want[i], d, tol)
			return d
		}
		worst = max(worst, d)
	}
	return worst
}

func pairIndex(key string) (int, int) {
	i, _ := strconv.Atoi(key[:1])
	j, _ := strconv.Atoi(key[1:])
	return i, j
}

// TestCSDAgainstReference: Welch densities against scipy.signal.csd
// (conjugated: S_xy = X Y*), multitaper ones against the numpy formula
// with scipy's DPSS tapers (see gen_reference.py).
func TestCSDAgainstReference(t *testing.T) {
	r := loadReference(t)
	type csdCase struct {
		name string
		c    Connectivity
		n    int
		f    []float64
		want map[string]cplx
	}
	var cases []csdCase
	for _, w := range r.Welch {
		cases = append(cases, csdCase{"welch/" + strconv.Itoa(w.NPerSeg),
			Connectivity{SegmentLength: w.NPerSeg, Overlap: w.NOverlap, SampleRate: r.FS}, r.T, w.F, w.CSD})
	}
	for _, m := range r.Multitaper {
		cases = append(cases, csdCase{"multitaper/" + strconv.Itoa(m.N),
			Connectivity{Spectrum: SpectrumMultitaper, Bandwidth: m.Bandwidth, SampleRate: r.FS}, m.N, m.F, m.CSD})
	}
	worst := 0.0
	for _, cs := range cases {
		for key, want := range cs.want {
			t.Run(cs.name+"/"+key, func(t *testing.T) {
				i, j := pairIndex(key)
				f, s, err := cs.c.CrossSpectralDensity(r.column(i, cs.n), r.column(j, cs.n))
				if err != nil {
					t.Fatal(err)
				}
				re, im := make([]float64, len(s)), make([]float64, len(s))
				for k, v := range s {
					re[k], im[k] = real(v), imag(v)
				}
				worst = max(worst, closeTo(t, "f", f, cs.f, refTol),
					closeTo(t, "Re S", re, want.Re, refTol), closeTo(t, "Im S", im, want.Im, refTol))
			})
		}
	}
	t.Logf("CSD: max |diff| from scipy.signal.csd and the multitaper reference %.3g", worst)
}

// TestWelchCoherenceAgainstScipy: coh² of FitContinuous (every Welch
// segment an epoch) is scipy.signal.coherence, |mean Pxy|²/(mean Pxx mean Pyy).
func TestWelchCoherenceAgainstScipy(t *testing.T) {
	r := loadReference(t)
	worst := 0.0
	for _, w := range r.Welch {
		c := Connectivity{SegmentLength: w.NPerSeg, Overlap: w.NOverlap, SampleRate: r.FS}
		if err := c.FitContinuous(r.matrix(0, r.T)); err != nil {
			t.Fatal(err)
		}
		freqs, _ := c.Frequencies()
		for key, want := range w.Coherence {
			i, j := pairIndex(key)
			got := make([]float64, len(freqs))
			var m mat.Dense
			for k := range freqs {
				if err := c.SpectrumTo(&m, k); err != nil {
					t.Fatal(err)
				}
				got[k] = m.At(i, j) * m.At(i, j)
			}
			worst = max(worst, closeTo(t, strconv.Itoa(w.NPerSeg)+"/"+key, got, want, refTol))
		}
	}
	t.Logf("Welch coherence: max |diff| from scipy.signal.coherence %.3g", worst)
}

func TestDPSSAgainstScipy(t *testing.T) {
	r := loadReference(t)
	worst := 0.0
	for _, d := range r.DPSS {
		t.Run(strconv.Itoa(d.N), func(t *testing.T) {
			tapers, ratios, err := DPSS(d.N, d.NW, d.K)
			if err != nil {
				t.Fatal(err)
			}
			for k := range d.K {
				worst = max(worst, closeTo(t, "taper "+strconv.Itoa(k), tapers[k], d.Tapers[k], refTol))
			}
			worst = max(worst, closeTo(t, "concentration", ratios, d.Ratios, refTol))
		})
	}
	t.Logf("DPSS: max |diff| from scipy.signal.windows.dpss %.3g", worst)
}

// TestMeasuresAgainstReference checks every method over 8 epochs against
// MNE-connectivity's accumulators written in numpy.
func TestMeasuresAgainstReference(t *testing.T) {
	r := loadReference(t)
	var epochs []mat.Matrix
	for e := range r.Measures.Epochs {
		epochs = append(epochs, r.matrix(e*r.Measures.EpochLength, (e+1)*r.Measures.EpochLength))
	}
	worst := 0.0
	for _, sp := range []struct {
		c    Connectivity
		want map[string]json.RawMessage
	}{
		{Connectivity{SegmentLength: 25, Overlap: 12, SampleRate: r.FS}, r.Measures.Welch},
		{Connectivity{Spectrum: SpectrumMultitaper, Bandwidth: 8, SampleRate: r.FS}, r.Measures.Multitaper},
	} {
		for _, m := range []Method{MethodCoherence, MethodImagCoherence, MethodPLV, MethodPPC, MethodPLI, MethodWPLI, MethodWPLI2Debiased} {
			t.Run(string(sp.c.spectrumName())+"/"+string(m), func(t *testing.T) {
				var want [][][]*float64 // N × N × F, null on the diagonal
				if err := json.Unmarshal(sp.want[string(m)], &want); err != nil {
					t.Fatal(err)
				}
				c := sp.c
				c.Method = m
				if err := c.Fit(epochs); err != nil {
					t.Fatal(err)
				}
				freqs, _ := c.Frequencies()
				var fw []float64
				if err := json.Unmarshal(sp.want["f"], &fw); err != nil {
					t.Fatal(err)
				}
				closeTo(t, "f", freqs, fw, refTol)
				var s mat.Dense
				for k := range freqs {
					if err := c.SpectrumTo(&s, k); err != nil {
						t.Fatal(err)
					}
					for i := range want {
						for j := range want[i] {
							w := math.NaN()
							if v := want[i][j][k]; v != nil {
								w = *v
							}
							worst = max(worst, closeTo(t, string(m), []float64{s.At(i, j)}, []float64{w}, refTol))
						}
					}
				}
			})
		}
	}
	t.Logf("measures: max |diff| from the MNE accumulators in numpy %.3g", worst)
}

func (c Connectivity) spectrumName() Spectrum {
	s, _ := ParseSpectrum(string(c.Spectrum))
	return s
}
