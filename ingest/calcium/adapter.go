package calcium

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/ingest"
	reg "github.com/neurotab/neurotab/internal/registry"
)

// Options are the reader settings a user can give on the command line. The
// zero value suits every adapter whose files carry their own time base and
// labels.
type Options struct {
	// SampleRate is the frame rate in Hz for sources without a time vector
	// (generic CSV without TimeColumn, generic NPY, suite2p without a
	// readable ops.npy). Sample i is at time i/SampleRate seconds.
	SampleRate float64
	// LabelsFile is a separate label file for sources that keep labels
	// apart from traces (Dag 2023's NeuroPAL JSON; used by the HDF5-based
	// adapters).
	LabelsFile string
	// Names are the column labels of a generic NPY matrix (len N); empty
	// gives unlabeled columns ("").
	Names []string
	// TimeColumn names the column of a generic CSV/TSV that holds sample
	// times in seconds; the other columns are traces.
	TimeColumn string
	// Signal selects the suite2p trace: "" or "neuropil-corrected"
	// (F − NeuropilCoef·Fneu), "F" (raw fluorescence) or "spks"
	// (deconvolved activity).
	Signal string
	// NeuropilCoef is the neuropil coefficient for the neuropil-corrected
	// suite2p signal; 0 means suite2p's default 0.7.
	NeuropilCoef float64
}

// Adapter reads one source dataset's files into raw recordings.
//
// Match reports whether path (a file, or a folder for folder-based sources;
// head holds the first bytes of a file, nil for a folder) looks like this
// source; it may open the file to look at variable names. Read returns one
// ingest.Raw per worm or recording found at path; every Raw passes
// ingest.Raw.Validate, and errors name the file and the field.
type Adapter struct {
	Name        string // dataset name, also Raw.Dataset: "Yemini2021"
	Description string // one line: files and fields read
	Citation    string // the paper, with DOI
	Match       func(path string, head []byte) bool
	Read        func(path string, opt Options) ([]ingest.Raw, error)
}

// registry holds the adapters in detection order: specific layouts first
// (MAT files by their variables, HDF5 files by their dataset paths), the
// generic NWB reader and the generic matrix last. Names are
// case-insensitive.
var registry = func() *reg.Registry[Adapter] {
	r := reg.New[Adapter]("source")
	for _, a := range []Adapter{
		yemini2021(),
		lin2023(),
		kato2015(),
		nichols2017(),
		skora2018(),
		kaplan2020(),
		uzel2022(),
		leifer2023(),
		flavell2023(),
		dag2023(),
		nejatbakhsh2020(),
		venkatachalam2024(),
		nwbOphys(),
		suite2p(),
		generic(),
	} {
		r.Add(a.Name, a)
	}
	return r
}()

// Adapters returns every adapter in detection order (a fresh slice).
func Adapters() []Adapter { return registry.Values() }

// Lookup returns the adapter with the given name, ignoring case. An unknown
// name gives a *registry.UnknownError (wrapping neurotab.ErrNotFound) that
// suggests the closest name.
func Lookup(name string) (Adapter, error) { return registry.Lookup(name) }

// Names returns the adapter names in detection order.
func Names() []string { return registry.Names() }

// Detect returns the name of the first adapter whose Match accepts path
// (for --source auto). A folder is offered to the folder-based adapters
// with a nil head.
func Detect(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	var head []byte
	if !st.IsDir() {
		if head, err = sniff.Head(path); err != nil {
			return "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
		}
	}
	for _, a := range registry.Values() {
		if a.Match != nil && a.Match(path, head) {
			return a.Name, nil
		}
	}
	return "", fmt.Errorf("%s: no calcium adapter recognizes this %s (known: %s): %w", path, kindOf(st), strings.Join(Names(), ", "), neurotab.ErrUnsupported)
}

// Reads reports whether the adapter reads the file or folder at path (its
// Match accepts it), for expanding a folder into inputs.
func (a Adapter) Reads(path string) bool {
	if a.Match == nil {
		return false
	}
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	var head []byte
	if !st.IsDir() {
		if head, err = sniff.Head(path); err != nil {
			return false
		}
	}
	return a.Match(path, head)
}

// Expand replaces each folder among paths by the files in it that source
// reads, sorted ("auto": any adapter), keeping a folder that a folder-based
// adapter (suite2p, Leifer 2023) reads itself; see ingest.Expand.
func Expand(source string, paths []string) ([]string, error) {
	if source == "" || source == "auto" {
		reads := func(p string) bool { _, err := Detect(p); return err == nil }
		return ingest.Expand(paths, reads, reads, "files of a calcium source ("+strings.Join(Names(), ", ")+")")
	}
	a, err := Lookup(source)
	if err != nil {
		return nil, err
	}
	return ingest.Expand(paths, a.Reads, a.Reads, a.Name+" input: "+a.Description)
}

func kindOf(st os.FileInfo) string {
	if st.IsDir() {
		return "folder"
	}
	return "file"
}

// unwrapPathError drops the path from an *os.PathError so that messages
// name the file once.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// Error is a data problem in a source file: the file, the path (variable,
// column, key) inside it, and what is wrong. It prints on one line as
// "file: path: message". Err is the cause: a reader's error, or one of
// neurotab's sentinels (ErrMalformed for a file that breaks its layout,
// ErrNotFound for a missing variable, dataset, key or column); a sentinel
// is not printed when Msg already says what is wrong.
type Error struct {
	File string // path as given to Read
	Path string // e.g. `variable "norm_traces"`, `column "AVAL"`; may be empty
	Msg  string // what is wrong
	Err  error  // the cause
}

// Error formats the error on one line.
func (e *Error) Error() string {
	s := e.File
	if e.Path != "" {
		s += ": " + e.Path
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil && (e.Msg == "" || !isSentinel(e.Err)) {
		msg := e.Err.Error()
		// Readers in formats/ start their messages with the file name;
		// keep their message without repeating it.
		msg = strings.TrimPrefix(msg, e.File+": ")
		s += ": " + msg
	}
	return strings.ReplaceAll(s, "\n", " ")
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// isSentinel reports whether err is one of the sentinels errf and missingf
// attach.
func isSentinel(err error) bool { return err == neurotab.ErrMalformed || err == neurotab.ErrNotFound }

// errf is a malformed-input error at path inside file.
func errf(file, path, format string, args ...any) error {
	return &Error{File: file, Path: path, Msg: fmt.Sprintf(format, args...), Err: neurotab.ErrMalformed}
}

// missingf is an error for something absent at path inside file.
func missingf(file, path, format string, args ...any) error {
	return &Error{File: file, Path: path, Msg: fmt.Sprintf(format, args...), Err: neurotab.ErrNotFound}
}

func wrap(file, path string, err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return &Error{File: file, Path: path, Msg: pe.Op, Err: pe.Err}
	}
	return &Error{File: file, Path: path, Err: err}
}

// finish validates every recording so that no adapter hands on a Raw whose
// shapes disagree or whose time does not increase.
func finish(raws []ingest.Raw) ([]ingest.Raw, error) {
	for i := range raws {
		if err := raws[i].Validate(); err != nil {
			return nil, err
		}
	}
	return raws, nil
}

// stem returns the file name without folder and extension.
func stem(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// hasExt reports whether path ends in one of exts (case-insensitive).
func hasExt(path string, exts ...string) bool {
	e := strings.ToLower(filepath.Ext(path))
	for _, x := range exts {
		if e == x {
			return true
		}
	}
	return false
}

// isDir reports whether path is an existing folder.
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// countNaNColumns counts traces that are NaN at every sample.
func allNaNColumns(T, N int, at func(t, n int) float64) []int {
	var out []int
	for n := range N {
		all := T > 0
		for t := range T {
			if v := at(t, n); v == v {
				all = false
				break
			}
		}
		if all {
			out = append(out, n)
		}
	}
	return out
}
