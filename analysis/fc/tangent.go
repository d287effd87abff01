package fc

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/analysis/connectivity"
	"github.com/neurotab/neurotab/analysis/covariance"
	"github.com/neurotab/neurotab/formats/table"
)

// RunTangent fits KindTangent (covariance.Tangent) to every selected
// recording at once and calls sink with one Result per recording, in input
// order, reading the input twice through open (each call must return a
// fresh Source over the same recordings) and never holding more than one
// recording's traces:
//
//  1. the first pass checks every selected recording (finite samples, at
//     least two samples) and finds the shared neurons: those every
//     recording has and none holds constant, in the first recording's
//     order;
//  2. the second pass estimates each recording's covariance Σ_k on the
//     shared neurons with Config.Estimator ("" or "empirical": the sample
//     covariance, DDOF 0; "ledoit-wolf"; "oas");
//
// then the reference point, the geometric mean G of the Σ_k, and each
// recording's tangent vector T_k = logm(G^(−1/2) Σ_k G^(−1/2)) (nilearn's
// ConnectivityMeasure(kind="tangent")): T_k[i][j] > 0 means neurons i and j
// covary more in recording k than in the group's mean. Result.Matrices[0]
// is T_k (measure "tangent", or "tangent_ledoit_wolf", …) over the shared
// neurons; its diagonal, not an fc row, is lost in the table. Result.
// Constant lists the neurons of the recording left out. Recordings are
// fitted one after the other (Config.Jobs is not used).
//
// Errors: cfg's (neurotab.ErrParam; the kind must be KindTangent), open's
// and the sources', a recording's (naming it), fewer than 2 selected
// recordings or no shared neuron (neurotab.ErrShape), a covariance that is
// not positive definite (neurotab.ErrSingular: fewer samples than shared
// neurons with the empirical estimator — use ledoit-wolf), sink's. Nothing
// reaches the sink before every covariance is estimated.
func RunTangent(open func() (Source, error), cfg Config, sink Sink) (Stats, error) {
	var st Stats
	if err := cfg.Check(); err != nil {
		return st, err
	}
	if k, _ := cfg.kind(); k != KindTangent {
		return st, fmt.Errorf("fc: RunTangent fits kind tangent, not %s: %w", k, neurotab.ErrParam)
	}
	// Pass 1: the shared, never constant neurons.
	var shared []string
	var all [][]string // each recording's neurons
	skipped := 0
	err := eachSelected(open, cfg, &skipped, func(rec *table.Recording) error {
		if err := rec.Validate(); err != nil {
			return err
		}
		if err := checkFinite(rec); err != nil {
			return fmt.Errorf("fc: recording %s/%s: %w", rec.Dataset, rec.Worm, err)
		}
		var varying []string
		T, n := rec.Data.Dims()
		col := make([]float64, T)
		for j := range n {
			if mat.Col(col, j, rec.Data); !constant(col) {
				varying = append(varying, rec.Neurons[j])
			}
		}
		if all == nil {
			shared = varying
		} else {
			shared = slices.DeleteFunc(shared, func(l string) bool { return !slices.Contains(varying, l) })
		}
		all = append(all, rec.Neurons)
		return nil
	})
	if err != nil {
		return st, err
	}
	switch {
	case len(all) < 2:
		return st, fmt.Errorf("fc: kind tangent compares recordings and needs at least 2, the input has %d selected (check --worm): %w", len(all), neurotab.ErrShape)
	case len(shared) == 0:
		return st, fmt.Errorf("fc: kind tangent needs neurons that all %d recordings share (and none holds constant); they share none: %w", len(all), neurotab.ErrShape)
	}
	// Pass 2: the covariances on the shared neurons.
	var covs []mat.Symmetric
	var keys []connectivity.Window
	skipped = 0
	err = eachSelected(open, cfg, &skipped, func(rec *table.Recording) error {
		idx := make([]int, len(shared))
		for c, l := range shared {
			idx[c] = slices.Index(rec.Neurons, l)
			if idx[c] < 0 {
				return fmt.Errorf("fc: recording %s/%s changed between the two passes (no neuron %s): %w", rec.Dataset, rec.Worm, l, neurotab.ErrShape)
			}
		}
		m := covariance.Measure{Estimator: covEstimator(cfg.Estimator), Kind: covariance.KindCovariance}
		if err := m.Fit(columns(rec.Data, idx)); err != nil {
			return fmt.Errorf("fc: recording %s/%s: %w", rec.Dataset, rec.Worm, err)
		}
		var s mat.SymDense
		if err := m.MatrixTo(&s); err != nil {
			return err
		}
		covs = append(covs, &s)
		keys = append(keys, connectivity.RecordingWindow(rec))
		return nil
	})
	if err != nil {
		return st, err
	}
	var tg covariance.Tangent
	if err := tg.FitCovariances(covs); err != nil {
		var hint string
		if errors.Is(err, neurotab.ErrSingular) {
			hint = fmt.Sprintf(" (%d shared neurons; with fewer samples than neurons use the ledoit-wolf estimator)", len(shared))
		}
		return st, fmt.Errorf("fc: kind tangent: %w%s", err, hint)
	}
	name := measureName(KindTangent, cfg)
	for k, key := range keys {
		var tv mat.SymDense
		if err := tg.TangentTo(&tv, k); err != nil {
			return st, err
		}
		res := &Result{Window: key, Neurons: shared, Matrices: []Matrix{{Measure: name, Value: mat.DenseCopyOf(&tv)}}}
		for _, l := range all[k] {
			if !slices.Contains(shared, l) {
				res.Constant = append(res.Constant, l)
			}
		}
		if err := sink(res); err != nil {
			return st, err
		}
		st.Recordings++
	}
	st.Skipped = skipped
	return st, nil
}

// eachSelected calls f with every recording of a fresh source from open
// that cfg.Worms selects, counting the others in skipped; a listed worm
// that is not in the input is an error (neurotab.ErrNotFound).
func eachSelected(open func() (Source, error), cfg Config, skipped *int, f func(*table.Recording) error) error {
	src, err := open()
	if err != nil {
		return err
	}
	if c, ok := src.(io.Closer); ok {
		defer c.Close()
	}
	seen := map[string]bool{}
	for {
		rec, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(cfg.Worms) > 0 && !slices.Contains(cfg.Worms, rec.Worm) {
			*skipped++
			continue
		}
		seen[rec.Worm] = true
		if err := f(rec); err != nil {
			return err
		}
	}
	for _, w := range cfg.Worms {
		if !seen[w] {
			return fmt.Errorf("fc: worm %q is not in the input: %w", w, neurotab.ErrNotFound)
		}
	}
	return nil
}
