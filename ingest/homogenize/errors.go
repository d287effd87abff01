package homogenize

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped by DataError; test with errors.Is.
var (
	// ErrShape: the traces, labels and time vector do not fit together.
	ErrShape = errors.New("shape mismatch")
	// ErrTime: the time vector is not finite and strictly increasing.
	ErrTime = errors.New("bad time vector")
	// ErrAllNaN: a trace has no finite sample.
	ErrAllNaN = errors.New("all-NaN trace")
	// ErrNonFinite: a trace holds an infinite sample.
	ErrNonFinite = errors.New("infinite sample")
)

// DataError reports a problem with one recording's data. Its message is one
// line naming the file, the recording, the trace when there is one, and
// what is wrong:
//
//	kato.mat: WT_Stim_worm3: trace 7 ("AVAL"): all-NaN trace
type DataError struct {
	File      string // Raw.RawFile
	Recording string // Raw.Worm
	Trace     int    // raw column index, or -1 when the problem is not one trace's
	Label     string // the trace's raw label (when Trace >= 0)
	Err       error  // one of the sentinels above
	Detail    string // what exactly, e.g. "time has 799 samples, traces have 800"
}

// Error returns the one-line message.
func (e *DataError) Error() string {
	s := e.File + ": " + e.Recording + ": "
	if e.Trace >= 0 {
		s += fmt.Sprintf("trace %d (%q): ", e.Trace, e.Label)
	}
	s += e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the sentinel.
func (e *DataError) Unwrap() error { return e.Err }
