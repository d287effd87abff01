package spectral

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// allMethods lists every Method.
var allMethods = []Method{MethodCoherence, MethodImagCoherence, MethodPLV, MethodPPC, MethodPLI, MethodWPLI, MethodWPLI2Debiased}

// pairEpochs returns n epochs of T samples of two neurons at frequency
// f0 (cycles/sample): x = A cos(2π f0 t + θ_e) + σ ε_x, y = A cos(2π f0 t +
// θ_e − φ − δ_e) + σ ε_y, θ_e uniform, δ_e ~ N(0, jitter²), ε standard
// normal — so x leads y by φ (+ δ_e).
func pairEpochs(seed neurotab.Seed, n, T int, f0, A, phi, jitter, sigma float64) []mat.Matrix {
	rng := seed.Rand(0)
	epochs := make([]mat.Matrix, n)
	for e := range epochs {
		theta := 2 * math.Pi * rng.Float64()
		delta := jitter * rng.NormFloat64()
		x := mat.NewDense(T, 2, nil)
		for t := range T {
			w := 2 * math.Pi * f0 * float64(t)
			x.Set(t, 0, A*math.Cos(w+theta)+sigma*rng.NormFloat64())
			x.Set(t, 1, A*math.Cos(w+theta-phi-delta)+sigma*rng.NormFloat64())
		}
		epochs[e] = x
	}
	return epochs
}

// fitAt fits c (with method m) to epochs and returns C[0][1] and C[1][0] at
// frequency f (which must be a bin of the fit).
func fitAt(t *testing.T, c Connectivity, m Method, epochs []mat.Matrix, f float64) (c01, c10 float64) {
	t.Helper()
	c.Method = m
	if err := c.Fit(epochs); err != nil {
		t.Fatal(err)
	}
	var dst mat.Dense
	if err := c.MatrixTo(&dst, Band{f, f}); err != nil {
		t.Fatal(err)
	}
	return dst.At(0, 1), dst.At(1, 0)
}

// TestPureSinusoids: with no noise, every epoch's cross-spectrum at the
// sinusoid's bin is P e^{iφ}, so coh = plv = ppc = wpli = wpli²d = 1, pli =
// 1 for φ ∈ (0, π) ∪ (π, 2π) and imcoh = sin φ (antisymmetric). Welch at an
// exact bin with the periodic Hann window has no leakage from −f0 (the
// window's DFT is zero beyond bin 1), so the values are exact to rounding
// (tolerance 1e-12). A taper V_k instead lets the image at −f0 in: X_k(f0)
// = a_k e^{iθ} + b_k e^{−iθ}, a_k ∝ V_k(0), b_k ∝ V_k(2f0), which adds
// Σλ|b|² e^{−iφ} to E[S_xy] beside Σλ|a|² e^{iφ} (the e^{±2iθ} terms vanish
// over equispaced θ_e), moving every measure by at most 2ε, ε = Σλ|b|² /
// Σλ|a|² (≈ 2e-6 here, computed from the tapers); the test allows 4ε.
func TestPureSinusoids(t *testing.T) {
	for _, sp := range []struct {
		name string
		c    Connectivity
		T    int
		f0   float64
		tol  float64
	}{
		{"welch", Connectivity{}, 64, 8.0 / 64, 1e-12},
		{"multitaper", Connectivity{Spectrum: SpectrumMultitaper}, 256, 0.25, 4 * leakage(t, 256, 4, 0.25)},
	} {
		for _, phi := range []float64{0.3, math.Pi / 2, 2.5, 4, 5.5} {
			epochs := sinusoids(20, sp.T, sp.f0, 1.5, phi)
			want := map[Method]float64{
				MethodCoherence: 1, MethodImagCoherence: math.Sin(phi), MethodPLV: 1, MethodPPC: 1,
				MethodPLI: 1, MethodWPLI: 1, MethodWPLI2Debiased: 1,
			}
			for _, m := range allMethods {
				t.Run(sp.name+"/"+string(m), func(t *testing.T) {
					c01, c10 := fitAt(t, sp.c, m, epochs, sp.f0)
					if math.Abs(c01-want[m]) > sp.tol {
						t.Errorf("φ = %g: C[0][1] = %.15g, want %.15g", phi, c01, want[m])
					}
					if m == MethodImagCoherence {
						c10 = -c10
					}
					if c10 != c01 {
						t.Errorf("φ = %g: C[1][0] = %.15g, C[0][1] = %.15g: want (anti)symmetry", phi, c10, c01)
					}
				})
			}
		}
	}
}

// TestZeroLag: two neurons with one common sinusoid at zero lag. Without
// noise Im S_ij = 0 exactly, so pli = wpli = wpli²d = 0 and imcoh = 0 while
// coh = 1. With independent noise (σ² = L/6, an in-bin SNR of 1 for the
// Hann window: see TestCoherenceWithNoise) E[Im S_ij] = 0: over n = 2000
// epochs |pli| = |Σ sign Im S|/n has standard deviation 1/√n and wpli =
// |Σ Im S|/Σ|Im S| at most sd(Im S)/E|Im S| /√n ≤ 1.3/√n (1.25 for a
// Gaussian Im S, heavier tails a little more); the test allows 4 of each.
func TestZeroLag(t *testing.T) {
	const T, f0 = 64, 8.0 / 64
	epochs := pairEpochs(2, 20, T, f0, 1, 0, 0, 0)
	for m, want := range map[Method]float64{MethodPLI: 0, MethodWPLI: 0, MethodWPLI2Debiased: 0, MethodImagCoherence: 0, MethodCoherence: 1} {
		if got, _ := fitAt(t, Connectivity{}, m, epochs, f0); math.Abs(got-want) > 1e-12 {
			t.Errorf("no noise: %s = %g, want %g", m, got, want)
		}
	}
	const n = 2000
	noisy := pairEpochs(3, n, T, f0, 1, 0, 0, math.Sqrt(T/6.0))
	tol := 4 / math.Sqrt(n)
	if got, _ := fitAt(t, Connectivity{}, MethodPLI, noisy, f0); got > tol {
		t.Errorf("noise: pli = %g, want ≈ 0 (≤ %.3g)", got, tol)
	}
	if got, _ := fitAt(t, Connectivity{}, MethodWPLI, noisy, f0); got > 1.3*tol {
		t.Errorf("noise: wpli = %g, want ≈ 0 (≤ %.3g)", got, 1.3*tol)
	}
	if got, _ := fitAt(t, Connectivity{}, MethodCoherence, noisy, f0); math.Abs(got-0.5) > 0.05 {
		t.Errorf("noise: coh = %g, want ≈ 0.5 (the SNR/(1+SNR) of TestCoherenceWithNoise)", got)
	}
}

// TestCoherenceWithNoise: x = s_x + n_x, y = s_y + n_y, s_y the sinusoid
// s_x lagged by φ, n white Gaussian of variance σ² in both. At the
// sinusoid's bin the Hann-windowed DFT of s has |X_s|² = (A/2)² (Σ w)² =
// A² L²/16 and the noise E|N|² = σ² Σ w² = 3Lσ²/8, so the in-bin SNR is
// A² L / (6σ²) and E[S_xy] = P_s e^{iφ}, E[S_xx] = E[S_yy] = P_s + P_n:
//
//	coh   = SNR / (1 + SNR)
//	imcoh = sin φ · SNR / (1 + SNR)
//
// The estimate from n epochs has a standard deviation of about
// (1 − γ²)/√(2n) (Carter et al. 1973, doi:10.1109/TAU.1973.1162466);
// with n = 4000 that is ≤ 0.011, and the test allows 4 of them.
func TestCoherenceWithNoise(t *testing.T) {
	const T, f0, n, A = 64, 8.0 / 64, 4000, 1.0
	for _, c := range []struct {
		snr, phi float64
	}{{1, 1}, {3, 2}, {0.25, math.Pi / 2}} {
		sigma := math.Sqrt(A * A * T / (6 * c.snr))
		epochs := pairEpochs(neurotab.Seed(10+int(c.snr*4)), n, T, f0, A, c.phi, 0, sigma)
		g := c.snr / (1 + c.snr)
		tol := 4 * (1 - g*g) / math.Sqrt(2*n)
		got, _ := fitAt(t, Connectivity{}, MethodCoherence, epochs, f0)
		if math.Abs(got-g) > tol {
			t.Errorf("SNR %g: coh = %.4f, want %.4f ± %.3f", c.snr, got, g, tol)
		}
		t.Logf("SNR %g: coh %.4f, closed form %.4f (tolerance %.3f)", c.snr, got, g, tol)
		if got, _ := fitAt(t, Connectivity{}, MethodImagCoherence, epochs, f0); math.Abs(got-g*math.Sin(c.phi)) > tol {
			t.Errorf("SNR %g, φ %g: imcoh = %.4f, want %.4f ± %.3f", c.snr, c.phi, got, g*math.Sin(c.phi), tol)
		}
	}
}

// TestPhaseJitter: pure sinusoids whose lag is φ + δ_e, δ_e ~ N(0, s²)
// per epoch, so each S_ij = P e^{i(φ+δ)}. With φ = π/2, Im S = P cos δ and
//
//	coh = plv = |E e^{iδ}| = e^{−s²/2}
//	ppc       = |E e^{iδ}|² = e^{−s²}
//	pli       = P(cos δ > 0) − P(cos δ < 0) = 2 erf(π / (2√2 s)) − 1  (+ O(e^{−(3π/2s)²/2}) from |δ| > 3π/2)
//	wpli      = E cos δ / E|cos δ|,  E|cos δ| = 2/π + (4/π) Σ_k (−1)^{k+1} e^{−2k²s²} / (4k² − 1)
//	wpli²d    → wpli²
//
// (the series is |cos δ|'s Fourier series averaged with E cos 2kδ =
// e^{−2k²s²}). Over n = 20000 epochs each mean of a bounded per-epoch term
// has a standard deviation ≤ 1/√n = 0.007; the test allows 3 of them
// (the ratios' bias is O(1/n)).
func TestPhaseJitter(t *testing.T) {
	const T, f0, n, s = 32, 4.0 / 32, 20000, 1.0
	epochs := pairEpochs(4, n, T, f0, 1, math.Pi/2, s, 0)
	absCos := 2 / math.Pi
	for k := 1; k < 20; k++ {
		absCos += 4 / math.Pi * math.Pow(-1, float64(k+1)) * math.Exp(-2*float64(k*k)*s*s) / float64(4*k*k-1)
	}
	wpli := math.Exp(-s*s/2) / absCos
	want := map[Method]float64{
		MethodCoherence: math.Exp(-s * s / 2), MethodPLV: math.Exp(-s * s / 2), MethodPPC: math.Exp(-s * s),
		MethodPLI: 2*math.Erf(math.Pi/(2*math.Sqrt2*s)) - 1, MethodWPLI: wpli, MethodWPLI2Debiased: wpli * wpli,
		MethodImagCoherence: math.Exp(-s * s / 2),
	}
	tol := 3 / math.Sqrt(n)
	for _, m := range allMethods {
		t.Run(string(m), func(t *testing.T) {
			got, _ := fitAt(t, Connectivity{}, m, epochs, f0)
			if math.Abs(got-want[m]) > tol {
				t.Errorf("%s = %.4f, want %.4f ± %.3f", m, got, want[m], tol)
			}
			t.Logf("%s %.4f, closed form %.4f (tolerance %.3f)", m, got, want[m], tol)
		})
	}
}

// TestIndependentNoise: for N = 16 independent white-noise neurons and n
// = 200 epochs, each pair's per-epoch phases are uniform and independent,
// so PLV is Rayleigh-distributed with mean √(π/(4n)) = 0.063 (the bias of
// PLV) and standard deviation √((4 − π)/(4n)), while PPC is unbiased: mean
// 0, standard deviation ≈ 1/(n − 1). The 120 pairs are pairwise
// independent, so their means have those standard deviations over √120;
// the test allows 4 of them.
func TestIndependentNoise(t *testing.T) {
	const T, N, n, f0 = 64, 16, 200, 10.0 / 64
	epochs := noiseEpochs(5, n, T, N)
	pairs := float64(N * (N - 1) / 2)
	meanOff := func(m Method) float64 {
		c := Connectivity{Method: m}
		if err := c.Fit(epochs); err != nil {
			t.Fatal(err)
		}
		var d mat.Dense
		if err := c.MatrixTo(&d, Band{f0, f0}); err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for i := range N {
			for j := i + 1; j < N; j++ {
				s += d.At(i, j)
			}
		}
		return s / pairs
	}
	plvWant, plvTol := math.Sqrt(math.Pi/(4*n)), 4*math.Sqrt((4-math.Pi)/(4*n))/math.Sqrt(pairs)
	plv := meanOff(MethodPLV)
	if math.Abs(plv-plvWant) > plvTol {
		t.Errorf("mean PLV = %.4f, want the bias √(π/4n) = %.4f ± %.4f", plv, plvWant, plvTol)
	}
	ppcTol := 4 / float64(n-1) / math.Sqrt(pairs)
	ppc := meanOff(MethodPPC)
	if math.Abs(ppc) > ppcTol {
		t.Errorf("mean PPC = %.5f, want 0 ± %.5f (PLV² would be %.4f)", ppc, ppcTol, plvWant*plvWant)
	}
	t.Logf("mean PLV %.4f (bias √(π/4n) %.4f ± %.4f), mean PPC %.5f (0 ± %.5f)", plv, plvWant, plvTol, ppc, ppcTol)
}

// sinusoids returns n epochs of x = A cos(2π f0 t + θ_e), y = A cos(2π f0 t
// + θ_e − φ) with θ_e = 2πe/n equispaced.
func sinusoids(n, T int, f0, A, phi float64) []mat.Matrix {
	epochs := make([]mat.Matrix, n)
	for e := range epochs {
		theta := 2 * math.Pi * float64(e) / float64(n)
		x := mat.NewDense(T, 2, nil)
		for t := range T {
			w := 2 * math.Pi * f0 * float64(t)
			x.Set(t, 0, A*math.Cos(w+theta))
			x.Set(t, 1, A*math.Cos(w+theta-phi))
		}
		epochs[e] = x
	}
	return epochs
}

// leakage returns ε = Σ_k λ_k |V_k(2f0)|² / Σ_k λ_k |V_k(0)|² over the DPSS
// tapers of length L and half-bandwidth nw that the multitaper spectrum
// keeps (λ_k > 0.9): the power the image of a sinusoid at −f0 leaks into
// bin f0 relative to its own.
func leakage(t *testing.T, L int, nw, f0 float64) float64 {
	tapers, lambda, err := DPSS(L, nw, int(2*nw))
	if err != nil {
		t.Fatal(err)
	}
	var own, image float64
	for k, v := range tapers {
		if lambda[k] <= 0.9 {
			continue
		}
		var a, bre, bim float64
		for i, x := range v {
			a += x
			bre += x * math.Cos(2*math.Pi*2*f0*float64(i))
			bim -= x * math.Sin(2*math.Pi*2*f0*float64(i))
		}
		own += lambda[k] * a * a
		image += lambda[k] * (bre*bre + bim*bim)
	}
	return image / own
}
