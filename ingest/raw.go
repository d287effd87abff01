package ingest

import (
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"

	"gonum.org/v1/gonum/mat"
)

// Raw is one calcium-imaging recording as a source adapter reads it from a
// lab's file, before homogenization: the traces exactly as stored (NaN where
// the lab left gaps), the lab's own label strings, and the lab's time
// vector. Rows are time (T samples), columns are traces (N).
type Raw struct {
	Dataset string // source dataset name, e.g. "Kato2015"
	Worm    string // recording id, unique within the dataset (e.g. "WT_Stim_worm3")
	RawFile string // the file it came from

	Labels []string   // N original labels ("" when the lab gave none)
	Time   []float64  // T sample times in seconds, as given (need not start at 0)
	Traces *mat.Dense // T × N

	// Notes records adapter-level decisions (frames dropped, fields chosen),
	// kept in provenance.
	Notes []string
}

// NormalizeText makes the recording's labels and id valid UTF-8, as the
// tables' string columns must be (other Parquet readers reject invalid
// UTF-8): a string that is not UTF-8 is read as Latin-1 (ISO 8859-1, the
// encoding of many older lab files: each byte one character), and a note
// names what was re-read.
func (r *Raw) NormalizeText() {
	for j, l := range r.Labels {
		if u, ok := csvtab.UTF8(l); !ok {
			r.Labels[j] = u
			r.Notes = append(r.Notes, fmt.Sprintf("label of trace %d was not UTF-8 (%s): read as Latin-1, %q", j, neurotab.Quote(l), u))
		}
	}
	if w, ok := csvtab.UTF8(r.Worm); !ok {
		r.Notes = append(r.Notes, fmt.Sprintf("recording id was not UTF-8 (%s): read as Latin-1, %q", neurotab.Quote(r.Worm), w))
		r.Worm = w
	}
}

// Validate checks shapes (errors wrap neurotab.ErrShape, or ErrNotFound for
// no traces) and that time increases (neurotab.ErrTimeOrder).
func (r *Raw) Validate() error {
	if r.Traces == nil {
		return fmt.Errorf("%s: %s: no traces: %w", r.RawFile, r.Worm, neurotab.ErrNotFound)
	}
	T, N := r.Traces.Dims()
	if len(r.Labels) != N {
		return fmt.Errorf("%s: %s: %d labels for %d traces: %w", r.RawFile, r.Worm, len(r.Labels), N, neurotab.ErrShape)
	}
	if len(r.Time) != T {
		return fmt.Errorf("%s: %s: time vector has %d samples, traces have %d: %w", r.RawFile, r.Worm, len(r.Time), T, neurotab.ErrShape)
	}
	for i := 1; i < len(r.Time); i++ {
		if !(r.Time[i] > r.Time[i-1]) {
			return fmt.Errorf("%s: %s: time does not increase at sample %d (%g after %g): %w", r.RawFile, r.Worm, i, r.Time[i], r.Time[i-1], neurotab.ErrTimeOrder)
		}
	}
	return nil
}
