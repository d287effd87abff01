package ingest

import (
	"sort"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// Input is one thing to ingest: a file, or a folder for the folder-based
// sources (suite2p). Every converter (ingest/batch for calcium imaging,
// ingest/eventdata for event streams, ingest/spikes for spike-sorted NWB)
// takes a list of them, as
//
//	ToFile(inputs []ingest.Input, out string, cfg Config) ([]ingest.FileResult, error)
//	ToDir(inputs []ingest.Input, dir string, cfg Config) []ingest.FileResult
type Input struct {
	Path   string
	Source string // a source name of the converter's registry, or "auto" / "" to detect it
	Sample int32  // events: the sample id written in the events table
}

// Inputs makes one Input per path, all with the same source, numbered in
// order (sample ids 0, 1, …).
func Inputs(source string, paths ...string) []Input {
	out := make([]Input, len(paths))
	for i, p := range paths {
		out[i] = Input{Path: p, Source: source, Sample: int32(i)}
	}
	return out
}

// FileResult says what became of one input, for every converter; the fields
// a converter does not fill stay zero. Nothing is dropped silently: an
// input that could not be read at all has Err, a recording left out has its
// reason in Recordings.
type FileResult struct {
	Input         // as given, with Source set to the source actually used
	Bytes  int64  // size of the input file (0 for a folder)
	SHA256 string // hash of the input file ("" for a folder)
	Output string // file written: the shared output, or the input's partition

	// Recordings lists every recording found in the file: for calcium
	// imaging written, skipped (with the reason) or failed; for a
	// spike-sorted file its one recording, Neurons counting its units.
	Recordings []Recording

	// Events counts the rows written to an events table (events) or spikes
	// table (spikes); Dropped the events the decoder dropped (lenient
	// faults, events before the first time word).
	Events, Dropped int64
	// Geometry is the sensor of an event file; Samples the samples in it
	// (1, or more for multi-sample files such as SHD); Labels their class
	// labels when the file has them.
	Geometry events.Geometry
	Samples  int32
	Labels   []int

	// Notes are what a user should know about an input that converted (an
	// empty input accepted on request, duplicate names resolved); the
	// command prints each with the file's name.
	Notes []string

	Err error // the input could not be read or written
}

// Recording is one recording's outcome.
type Recording struct {
	Dataset, Worm string // Worm is the recording id (a spike file's name)
	Neurons       int    // traces written (units of a spike-sorted file)
	Labeled       int    // of which labeled with a canonical name
	Samples       int    // homogenized samples
	Dropped       int    // traces of the file left out (unlabeled, duplicate, all-NaN: the Notes say which and why)
	Output        string // file written (directory mode) or the shared output
	// Skipped is why the recording was left out on purpose (one line
	// naming the file and the recording), "" when it was not; SkipReason
	// is its code (homogenize.SkipReason: too_short, no_labeled_neuron,
	// no_traces_left), for a command to name the flag that changes it.
	Skipped    string
	SkipReason string
	Err        error
	Notes      []string
}

// Progress is one progress report of a converter: the work done since the
// previous report. Converters call their Progress callback, func(Progress),
// from several goroutines when they run jobs at once.
type Progress struct {
	Files int   // inputs finished
	Bytes int64 // input bytes read
}

// Summary counts a run's outcomes.
type Summary struct {
	Files, FailedFiles                   int
	Recordings, Written, Skipped, Failed int   // calcium recordings
	Events                               int64 // events or spikes written
}

// Summarize counts results.
func Summarize(res []FileResult) Summary {
	var s Summary
	for _, f := range res {
		s.Files++
		if f.Err != nil {
			s.FailedFiles++
			continue
		}
		s.Events += f.Events
		for _, r := range f.Recordings {
			s.Recordings++
			switch {
			case r.Err != nil:
				s.Failed++
			case r.Skipped != "":
				s.Skipped++
			default:
				s.Written++
			}
		}
	}
	return s
}

// SortedSkips lists every skipped recording's reason, sorted.
func SortedSkips(res []FileResult) []string {
	var out []string
	for _, f := range res {
		for _, r := range f.Recordings {
			if r.Skipped != "" {
				out = append(out, r.Skipped)
			}
		}
	}
	sort.Strings(out)
	return out
}

// FirstErr returns the first input's error, or of its first failed
// recording; with none (every recording skipped) it is neurotab.ErrNotFound:
// nothing to write. It is the cause of a converter's "nothing could be
// written" error.
func FirstErr(res []FileResult) error {
	for _, f := range res {
		if f.Err != nil {
			return f.Err
		}
		for _, r := range f.Recordings {
			if r.Err != nil {
				return r.Err
			}
		}
	}
	return neurotab.ErrNotFound
}
