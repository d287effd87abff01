package connectivity

import (
	"errors"
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// This file is the one place where a table.Recording meets an Estimator
// (see "Estimators" in package neurotab: estimators know matrices, the
// recording is the adapter from tables). A command does
//
//	if err := est.FitRecording(rec); err != nil { … }
//	n, err := est.AppendFC(rb, connectivity.RecordingWindow(rec), rec.Neurons)

// FitRecording is Fit(rec.Data) for a recording: it checks rec's shapes
// (table.Recording.Validate, wrapping neurotab.ErrShape), and its errors
// name the recording and, in a *NonFiniteError or *SingularError, the
// neurons by label.
func (e *Estimator) FitRecording(rec *table.Recording) error {
	if err := e.Check(); err != nil {
		return err
	}
	if rec == nil {
		return fmt.Errorf("connectivity: nil recording: %w", neurotab.ErrShape)
	}
	if err := rec.Validate(); err != nil {
		if !errors.Is(err, neurotab.ErrShape) {
			err = fmt.Errorf("%w: %w", err, neurotab.ErrShape)
		}
		return fmt.Errorf("connectivity: %w", err)
	}
	err := e.Fit(rec.Data)
	if err == nil {
		return nil
	}
	var nf *NonFiniteError
	if errors.As(err, &nf) {
		nf.Neuron = rec.Neurons[nf.Column]
	}
	var se *SingularError
	if errors.As(err, &se) && se.Pair[0] >= 0 {
		se.Names = [2]string{rec.Neurons[se.Pair[0]], rec.Neurons[se.Pair[1]]}
	}
	return fmt.Errorf("recording %s/%s: %w", rec.Dataset, rec.Worm, err)
}

// RecordingWindow returns the fc-table key of static FC over the whole of
// rec: its dataset and worm, window 0, and the times of its first and last
// samples (0 when it has none).
func RecordingWindow(rec *table.Recording) Window {
	w := Window{Dataset: rec.Dataset, Worm: rec.Worm}
	if n := len(rec.Time); n > 0 {
		w.Start, w.End = rec.Time[0], rec.Time[n-1]
	}
	return w
}
