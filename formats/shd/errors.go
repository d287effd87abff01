package shd

import "fmt"

// Error is a layout or stream fault, on one line:
//
//	shd_train.h5: "/spikes/times": sample 12 spike 40: time runs backwards: 0.41 s after 0.52 s
//
// A layout fault (/spikes/times or /spikes/units missing or not a 1-D
// variable-length sequence dataset, the two of different lengths, /labels
// not one integer per sample: not the SHD layout of Cramer et al. 2022,
// doi:10.1109/TNNLS.2020.3044364) wraps neurotab.ErrMalformed; a stream
// fault neurotab.ErrOutOfRange (a NaN, negative or huge time) or
// neurotab.ErrTimeOrder.
type Error struct {
	File   string // file name given to Open or in Options.Name
	Path   string // object path inside the file
	Sample int    // sample index, -1 when the fault is not in one sample
	Spike  int    // spike index inside the sample, -1 when not about one spike
	Err    error  // cause, wrapping a neurotab sentinel
}

// Error formats the fault as `file: "path": sample i spike j: cause`.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %q: ", e.File, e.Path)
	if e.Sample >= 0 {
		s += fmt.Sprintf("sample %d ", e.Sample)
		if e.Spike >= 0 {
			s += fmt.Sprintf("spike %d ", e.Spike)
		}
		s = s[:len(s)-1] + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func (f *File) errf(path string, sample, spike int, sentinel error, format string, args ...any) error {
	return &Error{File: f.h.Name(), Path: path, Sample: sample, Spike: spike,
		Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
}
