package pipeline

import (
	"fmt"
	"math"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/readout"
	"gonum.org/v1/gonum/mat"
)

// Readout kinds (Readout.Kind).
const (
	ReadoutRidge = "ridge"
	ReadoutRLS   = "rls"
	ReadoutLMS   = "lms"
	ReadoutOja   = "oja"
	ReadoutEH    = "eh"
)

// ReadoutKinds lists the readout kinds.
var ReadoutKinds = []string{ReadoutRidge, ReadoutRLS, ReadoutLMS, ReadoutOja, ReadoutEH}

// Readout chooses and configures the reservoir's readout; the fields of
// the chosen kind are its hyperparameters (fields of the others are
// ignored). Every kind ends as one affine map ŷ = Wᵀf + b of the features
// f, which is what a Model stores:
//
//   - "ridge" (default): readout.Ridge with Alpha = Forecast.Ridge;
//   - "rls": readout.RLS (Delta δ, Lambda λ), one pass over the training
//     samples in time order (recursive least squares / FORCE); the
//     intercept is a constant feature 1;
//   - "lms": readout.LMS (Rate η, Epochs), the Widrow–Hoff rule;
//   - "oja": Hebbian principal-subspace features and a ridge readout of
//     them — Oja's subspace rule (readout.Hebbian with Rule Subspace;
//     Outputs components, Rate, Epochs, Seed) learns an orthonormal basis
//     P of the top principal subspace of the centred training features,
//     then a ridge (Alpha = Forecast.Ridge) maps z = (f − μ)P to the
//     targets; the map is collapsed to W = P W_z, b = b_z − μᵀP W_z;
//   - "eh": readout.EH (Rate, Noise, Smoothing, Decay, Epochs, Seed), the
//     reward-modulated Hebbian rule of Hoerzer et al. 2014.
//
// A readout whose weights come out NaN or infinite (an online rule with
// too large a rate diverges) is an error wrapping neurotab.ErrNotFinite;
// such weights are never returned.
type Readout struct {
	// Kind is one of ReadoutKinds ("" means ridge).
	Kind string
	// RLS configures "rls".
	RLS readout.RLS
	// LMS configures "lms" (FitIntercept is set from Forecast.NoIntercept).
	LMS readout.LMS
	// Oja configures the Hebbian stage of "oja" (Rule is set to Subspace;
	// Outputs 0 means 10 components).
	Oja readout.Hebbian
	// EH configures "eh" (FitIntercept is set from Forecast.NoIntercept).
	EH readout.EH
}

func (r Readout) kind() string {
	if r.Kind == "" {
		return ReadoutRidge
	}
	return r.Kind
}

func (r Readout) oja() *readout.Hebbian {
	h := r.Oja
	h.Rule = readout.Subspace
	if h.Outputs == 0 {
		h.Outputs = 10
	}
	return &h
}

// Check reports an unknown kind or an invalid configuration of the chosen
// kind, wrapping neurotab.ErrParam.
func (r Readout) Check() error {
	var err error
	switch r.kind() {
	case ReadoutRidge:
	case ReadoutRLS:
		err = r.RLS.Check()
	case ReadoutLMS:
		err = r.LMS.Check()
	case ReadoutOja:
		err = r.oja().Check()
	case ReadoutEH:
		err = r.EH.Check()
	default:
		return fmt.Errorf("pipeline: readout %q: want one of %v: %w", r.Kind, ReadoutKinds, neurotab.ErrParam)
	}
	if err != nil {
		return fmt.Errorf("pipeline: %s readout: %w", r.kind(), err)
	}
	return nil
}

// Parameters returns the kind and its hyperparameters.
func (r Readout) Parameters() map[string]any {
	p := map[string]any{"kind": r.kind()}
	switch r.kind() {
	case ReadoutRLS:
		p["rls"] = r.RLS.Parameters()
	case ReadoutLMS:
		p["lms"] = r.LMS.Parameters()
	case ReadoutOja:
		p["oja"] = r.oja().Parameters()
	case ReadoutEH:
		p["eh"] = r.EH.Parameters()
	}
	return p
}

// affine is a fitted readout ŷ = Wᵀf + b: W is F×K, B has K values.
type affine struct {
	W *mat.Dense
	B []float64
}

// predict returns F W + 1 bᵀ.
func (a affine) predict(F *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Mul(F, a.W)
	r, _ := out.Dims()
	for i := range r {
		row := out.RawRowView(i)
		for j := range row {
			row[j] += a.B[j]
		}
	}
	return &out
}

// predictRow writes fᵀW + b into dst.
func (a affine) predictRow(dst, f []float64) {
	copy(dst, a.B)
	raw := a.W.RawMatrix()
	for i, x := range f {
		if x == 0 {
			continue
		}
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		for j, w := range row {
			dst[j] += x * w
		}
	}
}

func (a affine) finite() bool {
	for _, v := range a.W.RawMatrix().Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return !slices.ContainsFunc(a.B, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
}

// linearReadout is what every readout of fit/readout offers after a fit.
type linearReadout interface {
	WeightsTo(*mat.Dense) error
	InterceptTo(*mat.VecDense) error
}

func extract(l linearReadout) (affine, error) {
	var w mat.Dense
	if err := l.WeightsTo(&w); err != nil {
		return affine{}, err
	}
	var b mat.VecDense
	if err := l.InterceptTo(&b); err != nil {
		return affine{}, err
	}
	return affine{W: &w, B: mat.Col(nil, 0, &b)}, nil
}

// ridgeAffine fits a ridge readout.
func ridgeAffine(alpha float64, intercept bool, X, Y *mat.Dense) (affine, error) {
	r := &readout.Ridge{Alpha: alpha, FitIntercept: intercept, SVDFallback: true}
	if err := r.Fit(X, Y); err != nil {
		return affine{}, err
	}
	return extract(r)
}

// fit trains the readout of kind r on the features X (n×F) and targets Y
// (n×K); alpha is the ridge penalty of "ridge" and "oja".
func (r Readout) fit(alpha float64, intercept bool, X, Y *mat.Dense) (affine, error) {
	var a affine
	var err error
	switch r.kind() {
	case ReadoutRidge:
		a, err = ridgeAffine(alpha, intercept, X, Y)
	case ReadoutRLS:
		a, err = r.fitRLS(intercept, X, Y)
	case ReadoutLMS:
		l := r.LMS
		l.Reset()
		l.FitIntercept = intercept
		if err = l.Fit(X, Y); err == nil {
			a, err = extract(&l)
		}
	case ReadoutEH:
		e := r.EH
		e.Reset()
		e.FitIntercept = intercept
		if err = e.Fit(X, Y); err == nil {
			a, err = extract(&e)
		}
	case ReadoutOja:
		a, err = r.fitOja(alpha, intercept, X, Y)
	}
	if err != nil {
		return affine{}, err
	}
	if !a.finite() {
		return affine{}, fmt.Errorf("%s readout diverged: its weights are not finite (lower its learning rate): %w", r.kind(), neurotab.ErrNotFinite)
	}
	return a, nil
}

// fitRLS runs RLS over [X, 1] (the intercept as a constant feature) and
// splits the last weight row off as b.
func (r Readout) fitRLS(intercept bool, X, Y *mat.Dense) (affine, error) {
	n, F := X.Dims()
	_, K := Y.Dims()
	Xa := X
	if intercept {
		Xa = mat.NewDense(n, F+1, nil)
		for i := range n {
			row := Xa.RawRowView(i)
			copy(row, X.RawRowView(i))
			row[F] = 1
		}
	}
	l := r.RLS
	l.Reset()
	if err := l.Fit(Xa, Y); err != nil {
		return affine{}, err
	}
	a, err := extract(&l)
	if err != nil || !intercept {
		return a, err
	}
	W := mat.DenseCopyOf(a.W.Slice(0, F, 0, K))
	return affine{W: W, B: mat.Row(nil, F, a.W)}, nil
}

// fitOja learns the principal subspace P of the centred features with
// Oja's subspace rule, fits a ridge readout of z = (f − μ)P and collapses
// the two into one affine map.
func (r Readout) fitOja(alpha float64, intercept bool, X, Y *mat.Dense) (affine, error) {
	n, F := X.Dims()
	mu := make([]float64, F)
	if intercept {
		for i := range n {
			for j, v := range X.RawRowView(i) {
				mu[j] += v / float64(n)
			}
		}
	}
	Xc := mat.NewDense(n, F, nil)
	for i := range n {
		row := Xc.RawRowView(i)
		for j, v := range X.RawRowView(i) {
			row[j] = v - mu[j]
		}
	}
	h := r.oja()
	if err := h.Fit(Xc); err != nil {
		return affine{}, err
	}
	var P mat.Dense
	if err := h.WeightsTo(&P); err != nil {
		return affine{}, err
	}
	var Z mat.Dense
	Z.Mul(Xc, &P)
	az, err := ridgeAffine(alpha, intercept, &Z, Y)
	if err != nil {
		return affine{}, err
	}
	var W mat.Dense
	W.Mul(&P, az.W)
	b := slices.Clone(az.B)
	var muW mat.VecDense
	muW.MulVec(W.T(), mat.NewVecDense(F, mu))
	for j := range b {
		b[j] -= muW.AtVec(j)
	}
	return affine{W: &W, B: b}, nil
}
