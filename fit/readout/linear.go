package readout

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// linear is the fitted map both readouts hold, Ŷ = X W + 1 bᵀ with W F×K
// and b of length K. Ridge and RLS embed it, so predicting and extracting
// the weights are this one code whatever trained them.
type linear struct {
	w *mat.Dense // F×K; nil until fitted
	b []float64  // K; nil without intercept
}

// unfitted returns the error of a method called on a readout with no fit.
func unfitted(method string) error {
	return fmt.Errorf("readout: %s on an unfitted readout (call Fit first): %w", method, neurotab.ErrNotFitted)
}

// PredictTo writes Ŷ = X W + 1 bᵀ (T×K) into dst for X of T×F. An empty
// dst is resized; a non-empty dst must be T×K, otherwise PredictTo panics.
// The errors wrap neurotab.ErrNotFitted (no fit yet) or neurotab.ErrShape
// (X without F columns, or without rows); dst is unchanged after an error.
func (l *linear) PredictTo(dst *mat.Dense, X mat.Matrix) error {
	if l.w == nil {
		return unfitted("PredictTo")
	}
	t, f := X.Dims()
	fw, k := l.w.Dims()
	if f != fw || t == 0 {
		return fmt.Errorf("readout: PredictTo: X is %d×%d, the readout has %d features: %w", t, f, fw, neurotab.ErrShape)
	}
	resize(dst, t, k, "PredictTo")
	dst.Mul(X, l.w)
	if l.b != nil {
		raw := dst.RawMatrix()
		for i := range t {
			row := raw.Data[i*raw.Stride : i*raw.Stride+k]
			for j := range row {
				row[j] += l.b[j]
			}
		}
	}
	return nil
}

// PredictVec writes ŷ = Wᵀx + b for one sample x (length F) into dst
// (length K; allocated when nil) and returns it. It does not allocate when
// dst is given, for closed-loop use (a FORCE loop predicts, feeds ŷ back,
// then updates). The errors wrap neurotab.ErrNotFitted or neurotab.ErrShape
// (x of another length than F, dst of another length than K).
func (l *linear) PredictVec(dst, x []float64) ([]float64, error) {
	if l.w == nil {
		return nil, unfitted("PredictVec")
	}
	f, k := l.w.Dims()
	if len(x) != f {
		return nil, fmt.Errorf("readout: PredictVec: x has length %d, the readout has %d features: %w", len(x), f, neurotab.ErrShape)
	}
	if dst == nil {
		dst = make([]float64, k)
	} else if len(dst) != k {
		return nil, fmt.Errorf("readout: PredictVec: dst has length %d, the readout has %d targets: %w", len(dst), k, neurotab.ErrShape)
	}
	if l.b != nil {
		copy(dst, l.b)
	} else {
		clear(dst)
	}
	blas64.Gemv(blas.Trans, 1, l.w.RawMatrix(), vec(x), 1, vec(dst))
	return dst, nil
}

// WeightsTo copies the F×K weights W into dst. An empty dst is resized; a
// non-empty dst must be F×K, otherwise WeightsTo panics. The error wraps
// neurotab.ErrNotFitted.
func (l *linear) WeightsTo(dst *mat.Dense) error {
	if l.w == nil {
		return unfitted("WeightsTo")
	}
	f, k := l.w.Dims()
	resize(dst, f, k, "WeightsTo")
	dst.Copy(l.w)
	return nil
}

// InterceptTo copies the intercept b (length K; zeros for a readout without
// one) into dst. An empty dst is resized; a non-empty dst must have length
// K, otherwise InterceptTo panics. The error wraps neurotab.ErrNotFitted.
func (l *linear) InterceptTo(dst *mat.VecDense) error {
	if l.w == nil {
		return unfitted("InterceptTo")
	}
	_, k := l.w.Dims()
	if dst.IsEmpty() {
		dst.ReuseAsVec(k)
	} else if n := dst.Len(); n != k {
		panic(fmt.Sprintf("readout: InterceptTo: dst has length %d, want %d", n, k))
	}
	for j := range k {
		if l.b == nil {
			dst.SetVec(j, 0)
		} else {
			dst.SetVec(j, l.b[j])
		}
	}
	return nil
}

// resize makes an empty dst r×c and panics, naming method, on a non-empty
// dst of another size (gonum's extract-into-destination idiom).
func resize(dst *mat.Dense, r, c int, method string) {
	if dst.IsEmpty() {
		dst.ReuseAs(r, c)
	} else if m, n := dst.Dims(); m != r || n != c {
		panic(fmt.Sprintf("readout: %s: dst is %d×%d, want %d×%d", method, m, n, r, c))
	}
}
