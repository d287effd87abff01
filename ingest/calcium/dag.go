package calcium

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

const (
	dagTraces = "/gcamp/traces_array_F_F20"
	dagTime   = "/timing/timestamp_confocal"
	// dagLabelsName is the label dictionary the published reader expects
	// beside the data files.
	dagLabelsName = "NeuroPAL_labels_dict.json"
)

func dag2023() Adapter {
	return Adapter{
		Name: "Dag2023",
		Description: "<date-id>-data.h5 (HDF5): gcamp/traces_array_F_F20 (T×N), timing/timestamp_confocal " +
			"(absolute s); labels from NeuroPAL_labels_dict.json (--labels-file, or beside the file)",
		Citation: "Dag U, Nwabudike I, Kang D, Gomes MA, Kim J, Atanas AA, Bueno E, Estrem C, Pugliese S, " +
			"Wang Z, Towlson E, Flavell SW (2023) Dissecting the functional organization of the C. elegans " +
			"serotonergic system at whole-brain scale. Cell 186(12):2574-2592.e20. doi:10.1016/j.cell.2023.04.023",
		Match: func(path string, head []byte) bool { return isHDF5With(path, head, dagTraces, dagTime) },
		Read:  ReadDag2023,
	}
}

// ReadDag2023 reads one Dag et al. 2023 (doi:10.1016/j.cell.2023.04.023)
// recording, an HDF5 file written by the Flavell lab's Julia pipeline:
// gcamp/traces_array_F_F20 holds the traces as ΔF/F20 (each trace divided by
// its 20th percentile), T×N as HDF5 stores it (Julia's N×T reversed), and
// timing/timestamp_confocal the confocal frame times in absolute seconds
// (kept as given; the first is not subtracted). Like the published reader,
// timestamps beyond the T-th are dropped; fewer than T is an error.
//
// Labels are not in the file. They come from the NeuroPAL label dictionary
// (opt.LabelsFile, else NeuroPAL_labels_dict.json beside the file when it
// exists), a JSON object keyed by the recording's date id (the file name
// without "-data.h5") whose value is [roi_to_label, label_to_roi] (or the
// roi_to_label object alone): roi_to_label maps a 1-based trace index, as a
// string, to a record with a "label" field. Traces without a record, and
// every trace when there is no dictionary or no entry, get "".
func ReadDag2023(path string, opt Options) ([]ingest.Raw, error) {
	h, err := openH5(path)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	vals, T, N, err := h.matrix(dagTraces)
	if err != nil {
		return nil, err
	}
	ts, err := h.vector(dagTime)
	if err != nil {
		return nil, err
	}
	var notes []string
	notes = append(notes, "traces = gcamp/traces_array_F_F20 (ΔF/F20, T×N as stored); time (s) = timing/timestamp_confocal, absolute")
	switch {
	case len(ts) < T:
		return nil, errf(path, dsField(dagTime), "%d times for %d samples", len(ts), T)
	case len(ts) > T:
		notes = append(notes, fmt.Sprintf("timestamp_confocal has %d values for %d samples; the first %d kept (as the published reader)", len(ts), T, T))
		ts = ts[:T]
	}
	id := dagID(path)
	labels := make([]string, N)
	lf := opt.LabelsFile
	if lf == "" {
		if p := filepath.Join(filepath.Dir(path), dagLabelsName); fileExists(p) {
			lf = p
		}
	}
	if lf == "" {
		notes = append(notes, "no NeuroPAL label dictionary: every trace unlabeled")
	} else {
		n, found, err := dagLabels(lf, id, labels)
		if err != nil {
			return nil, err
		}
		if found {
			notes = append(notes, fmt.Sprintf("labels from %s entry %q: %d of %d traces labeled", filepath.Base(lf), id, n, N))
		} else {
			notes = append(notes, fmt.Sprintf("%s has no entry %q: every trace unlabeled", filepath.Base(lf), id))
		}
	}
	if nan := allNaNColumns(T, N, func(t, n int) float64 { return vals[t*N+n] }); len(nan) > 0 {
		notes = append(notes, fmt.Sprintf("traces NaN throughout (0-based columns), kept: %v", nan))
	}
	return finish([]ingest.Raw{{
		Dataset: "Dag2023",
		Worm:    id,
		RawFile: path,
		Labels:  labels,
		Time:    ts,
		Traces:  mat.NewDense(T, N, vals),
		Notes:   notes,
	}})
}

// dagID is the recording's date id: the file name without "-data.h5".
func dagID(path string) string {
	b := filepath.Base(path)
	if s, ok := strings.CutSuffix(b, "-data.h5"); ok && s != "" {
		return s
	}
	return stem(path)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// dagLabels fills labels from the dictionary entry id of the JSON file lf;
// it reports how many traces were labeled and whether the entry exists.
func dagLabels(lf, id string, labels []string) (int, bool, error) {
	b, err := os.ReadFile(lf)
	if err != nil {
		return 0, false, wrap(lf, "", err)
	}
	var dict map[string]json.RawMessage
	if err := json.Unmarshal(b, &dict); err != nil {
		return 0, false, wrap(lf, "", err)
	}
	raw, ok := dict[id]
	if !ok {
		return 0, false, nil
	}
	field := fmt.Sprintf("key %q", id)
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' { // [roi_to_label, label_to_roi]
		var pair []json.RawMessage
		if err := json.Unmarshal(raw, &pair); err != nil {
			return 0, false, wrap(lf, field, err)
		}
		if len(pair) == 0 {
			return 0, false, errf(lf, field, "empty list, want [roi_to_label, label_to_roi]")
		}
		raw = pair[0]
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return 0, false, wrap(lf, field, fmt.Errorf("want an object of 1-based trace index → {\"label\": …}: %w", err))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	N := len(labels)
	for _, k := range keys {
		kf := fmt.Sprintf("key %q: %q", id, k)
		i, err := strconv.Atoi(k)
		if err != nil {
			return 0, false, errf(lf, kf, "not a 1-based trace index")
		}
		if i < 1 || i > N {
			return 0, false, errf(lf, kf, "labels name neuron %d of %d traces", i, N)
		}
		var rec struct {
			Label *string `json:"label"`
		}
		if err := json.Unmarshal(m[k], &rec); err != nil {
			return 0, false, wrap(lf, kf, err)
		}
		if rec.Label == nil {
			return 0, false, errf(lf, kf, "no label field")
		}
		labels[i-1] = *rec.Label
	}
	return len(keys), true, nil
}
