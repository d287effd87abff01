package homogenize

import "fmt"

// SkipReason tells why a recording was left out.
type SkipReason string

// Skip reasons. The first two are the published pipeline's filters.
const (
	// SkipTooShort: fewer samples than Options.MinSamples (600).
	SkipTooShort SkipReason = "too_short"
	// SkipNoLabeled: no trace carries one of the canonical neuron labels.
	SkipNoLabeled SkipReason = "no_labeled_neuron"
	// SkipNoTraces: every trace was dropped (all-NaN, duplicate or
	// unlabeled, per the options).
	SkipNoTraces SkipReason = "no_traces_left"
)

// Skip reports a recording that Homogenize left out on purpose. It is not
// an error: the caller prints String() and records the reason.
type Skip struct {
	Reason    SkipReason
	Dataset   string
	Worm      string
	RawFile   string
	Samples   int    // samples in the recording
	Traces    int    // traces in the recording
	Labeled   int    // traces with a canonical label
	Threshold int    // the minimum that was not met (MinSamples), when relevant
	Detail    string // one line
}

// String returns a one-line message naming the file, recording and reason.
func (s *Skip) String() string {
	return fmt.Sprintf("%s: %s: skipped (%s): %s", s.RawFile, s.Worm, s.Reason, s.Detail)
}
