package calcium

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

func flavell2023() Adapter {
	return Adapter{
		Name: "Flavell2023",
		Description: "WormWideWeb per-recording JSON or .h5: trace_array (N×T), labeled (1-based trace index → label), " +
			"timestamp_confocal (s)",
		Citation: "Atanas AA, Kim J, Wang Z, Bueno E, Becker M, Kang D, Park J, Kramer TS, Wan FK, Baskoylu S, " +
			"Dag U, Kalogeropoulou E, Gomes MA, Estrem C, Cohen N, Mansinghka VK, Flavell SW (2023) Brain-wide " +
			"representations of behavior spanning multiple timescales and states in C. elegans. Cell " +
			"186(19):4134-4151.e31. doi:10.1016/j.cell.2023.07.035",
		Match: func(path string, head []byte) bool {
			if sniff.IsHDF5(head) {
				return isHDF5With(path, head, wwwTraces, wwwTime)
			}
			if head == nil || !hasExt(path, ".json") {
				return false
			}
			if bytes.Contains(head, []byte(`"trace_array"`)) {
				return true
			}
			ok, _ := fileContains(path, []byte(`"trace_array"`))
			return ok
		},
		Read: ReadFlavell2023,
	}
}

// jsonFloat is a JSON number that may also be null or a string "NaN",
// "Infinity", "-Infinity" (both read as those values; null as NaN).
type jsonFloat float64

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = jsonFloat(math.NaN())
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := csvtab.ParseFloat(s)
		if err != nil {
			return fmt.Errorf("%q is not a number", s)
		}
		*f = jsonFloat(v)
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number", b)
	}
	*f = jsonFloat(v)
	return nil
}

type wormWideWeb struct {
	UID        string                     `json:"uid"`
	Timestamps *[]jsonFloat               `json:"timestamp_confocal"`
	Traces     *[][]jsonFloat             `json:"trace_array"`
	Labeled    map[string]json.RawMessage `json:"labeled"`
	NumNeurons *int                       `json:"num_neurons"`
	MaxT       *int                       `json:"max_t"`
}

// ReadFlavell2023 reads one WormWideWeb file (Atanas et al. 2023,
// doi:10.1016/j.cell.2023.07.035; the same export serves Dag et al. 2023):
// one recording named by uid (the file name when uid is absent). A .h5 or
// .hdf5 file, or any file with an HDF5 signature, is the HDF5 export (see
// readFlavellH5); otherwise the file is JSON.
//
// trace_array is N rows of T samples (the traces WormWideWeb shows,
// normalized by the lab); labeled maps a 1-based trace index, as a string
// key, to a record whose label field is the NeuroPAL label ("AVAL",
// "IL2?L" with the lab's ambiguity marks kept); traces not in labeled get
// "". timestamp_confocal holds the T sample times in seconds. max_t and
// num_neurons, when present, must agree with the arrays.
func ReadFlavell2023(path string, opt Options) ([]ingest.Raw, error) {
	if hasExt(path, ".h5", ".hdf5") {
		return readFlavellH5(path, opt)
	}
	if head, err := sniff.Head(path); err == nil && sniff.IsHDF5(head) {
		return readFlavellH5(path, opt)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, wrap(path, "", err)
	}
	var w wormWideWeb
	if err := json.Unmarshal(b, &w); err != nil {
		field := ""
		if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
			field = fmt.Sprintf("key %q", te.Field)
		}
		// Syntax, type and value errors alike: the JSON breaks the layout.
		return nil, &Error{File: path, Path: field, Msg: err.Error(), Err: neurotab.ErrMalformed}
	}
	if w.Traces == nil {
		return nil, missingf(path, `key "trace_array"`, "missing")
	}
	if w.Timestamps == nil {
		return nil, missingf(path, `key "timestamp_confocal"`, "missing")
	}
	rows := *w.Traces
	N := len(rows)
	if N == 0 {
		return nil, errf(path, `key "trace_array"`, "no traces")
	}
	T := len(rows[0])
	for i, r := range rows {
		if len(r) != T {
			return nil, errf(path, `key "trace_array"`, "trace %d has %d samples, trace 1 has %d", i+1, len(r), T)
		}
	}
	ts := *w.Timestamps
	if len(ts) != T {
		return nil, errf(path, `key "timestamp_confocal"`, "%d times for %d samples", len(ts), T)
	}
	if w.MaxT != nil && *w.MaxT != T {
		return nil, errf(path, `key "max_t"`, "%d, trace_array has %d samples", *w.MaxT, T)
	}
	if w.NumNeurons != nil && *w.NumNeurons != N {
		return nil, errf(path, `key "num_neurons"`, "%d, trace_array has %d traces", *w.NumNeurons, N)
	}
	labels := make([]string, N)
	keys := make([]string, 0, len(w.Labeled))
	for k := range w.Labeled {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := fmt.Sprintf("key \"labeled\": %q", k)
		i, err := strconv.Atoi(k)
		if err != nil {
			return nil, errf(path, field, "not a 1-based trace index")
		}
		if i < 1 || i > N {
			return nil, errf(path, field, "labels name neuron %d of %d traces", i, N)
		}
		var rec struct {
			Label *string `json:"label"`
		}
		if err := json.Unmarshal(w.Labeled[k], &rec); err != nil {
			return nil, wrap(path, field, err)
		}
		if rec.Label == nil {
			return nil, errf(path, field, "no label field")
		}
		labels[i-1] = *rec.Label
	}
	dense := mat.NewDense(T, N, nil)
	for n, r := range rows {
		for t, v := range r {
			dense.Set(t, n, float64(v))
		}
	}
	tm := make([]float64, T)
	for t, v := range ts {
		tm[t] = float64(v)
	}
	worm := w.UID
	if worm == "" {
		worm = stem(path)
	}
	return finish([]ingest.Raw{{
		Dataset: "Flavell2023",
		Worm:    worm,
		RawFile: path,
		Labels:  labels,
		Time:    tm,
		Traces:  dense,
		Notes: []string{
			"traces from trace_array (N×T, transposed); trace_original not used",
			fmt.Sprintf("labels from labeled (1-based keys): %d of %d traces labeled", len(keys), N),
			"time (s) from timestamp_confocal",
		},
	}})
}

// fileContains reports whether the file holds needle, reading it in chunks.
func fileContains(path string, needle []byte) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 1<<16+len(needle))
	keep := 0
	for {
		n, err := f.Read(buf[keep:])
		if bytes.Contains(buf[:keep+n], needle) {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		total := keep + n
		keep = min(len(needle)-1, total)
		copy(buf, buf[total-keep:total])
	}
}
