package homogenize

import (
	"fmt"
	"strings"
)

// DataError reports a problem with one recording's data. Err is the cause,
// one of the shared sentinels of package neurotab (test with errors.Is):
//
//   - neurotab.ErrShape: the traces, labels and time vector do not fit
//     together, or there are too few samples to resample;
//   - neurotab.ErrTimeOrder: the time vector does not strictly increase;
//   - neurotab.ErrNotFinite: a NaN or infinite time, an infinite sample, or
//     an all-NaN trace (Options.DropAllNaN drops such traces instead).
//
// Its message is one line naming the file, the recording, the trace when
// there is one, what is wrong and the sentinel:
//
//	kato.mat: WT_Stim_worm3: trace 7 ("AVAL"): all-NaN trace (800 samples): not finite
//
// A recording without a file name starts with "homogenize".
type DataError struct {
	File      string // Raw.RawFile
	Recording string // Raw.Worm
	Trace     int    // raw column index, or -1 when the problem is not one trace's
	Label     string // the trace's raw label (when Trace >= 0)
	Msg       string // what exactly, e.g. "time vector has 799 samples, traces have 800"
	Err       error  // the cause: a neurotab sentinel
}

// Error returns the one-line message.
func (e *DataError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("homogenize")
	}
	if e.Recording != "" {
		b.WriteString(": " + e.Recording)
	}
	if e.Trace >= 0 {
		fmt.Fprintf(&b, ": trace %d (%q)", e.Trace, e.Label)
	}
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *DataError) Unwrap() error { return e.Err }
