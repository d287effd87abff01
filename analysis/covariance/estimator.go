package covariance

import (
	"fmt"
	"reflect"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// Estimator estimates the N × N covariance of a T × N trace matrix: the
// part of the estimator shape that Measure and Tangent use. Empirical,
// LedoitWolf and OAS implement it; any other implementation must be a
// pointer to a struct (Measure and Tangent fit a shallow copy of it, as
// scikit-learn's clone, so the configured estimator is never changed).
type Estimator interface {
	// Fit estimates the covariance of X (T × N), replacing any earlier fit.
	Fit(X mat.Matrix) error
	// CovarianceTo copies the fitted N × N covariance into dst.
	CovarianceTo(dst *mat.SymDense) error
	// Parameters gives the configuration as provenance parameters.
	Parameters() map[string]any
}

// checker is the Check method of the estimator shape.
type checker interface{ Check() error }

// defaultEstimator is nilearn's default, LedoitWolf.
func defaultEstimator(e Estimator) Estimator {
	if e == nil {
		return &LedoitWolf{}
	}
	return e
}

// checkEstimator checks e's configuration when it has a Check method and
// that it is a non-nil pointer to a struct (clone copies it).
func checkEstimator(e Estimator) error {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("covariance: Estimator %T is not a non-nil pointer to a struct: %w", e, neurotab.ErrParam)
	}
	if c, ok := e.(checker); ok {
		return c.Check()
	}
	return nil
}

// clone returns a shallow copy of the struct e points to, so that fitting
// it leaves e alone. e has passed checkEstimator.
func clone(e Estimator) Estimator {
	v := reflect.ValueOf(e).Elem()
	c := reflect.New(v.Type())
	c.Elem().Set(v)
	return c.Interface().(Estimator)
}

// estimatorParameters returns e's parameters, to be merged into a Measure's
// or a Tangent's.
func estimatorParameters(e Estimator, p map[string]any) map[string]any {
	if e == nil {
		e = defaultEstimator(nil)
	} else if reflect.ValueOf(e).Kind() == reflect.Pointer && reflect.ValueOf(e).IsNil() {
		return p
	}
	for k, v := range e.Parameters() {
		if _, taken := p[k]; !taken {
			p[k] = v
		}
	}
	return p
}

// fitCovariance fits a copy of e to x and returns its covariance.
func fitCovariance(e Estimator, x mat.Matrix) (*mat.SymDense, error) {
	c := clone(e)
	if err := c.Fit(x); err != nil {
		return nil, err
	}
	var s mat.SymDense
	if err := c.CovarianceTo(&s); err != nil {
		return nil, err
	}
	return &s, nil
}
