package calcium

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

const (
	wwwTraces  = "/trace_array"
	wwwTime    = "/timestamp_confocal"
	wwwLabeled = "/labeled"
)

// readFlavellH5 reads the HDF5 variant of a WormWideWeb recording (Atanas
// et al. 2023, doi:10.1016/j.cell.2023.07.035), with the names the
// published reader indexes: trace_array (N rows of T samples, as the
// published reader takes it; a T×N array is recognized by comparing with
// the T timestamps and noted), timestamp_confocal (T times, s), and the
// group labeled whose members are 1-based trace indexes, each a group with
// a string dataset (or attribute) label. A root string dataset uid names
// the worm (the file name otherwise).
func readFlavellH5(path string, _ Options) ([]ingest.Raw, error) {
	h, err := openH5(path)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	vals, R, C, err := h.matrix(wwwTraces)
	if err != nil {
		return nil, err
	}
	ts, err := h.vector(wwwTime)
	if err != nil {
		return nil, err
	}
	T := len(ts)
	var N int
	notes := []string{"time (s) from timestamp_confocal"}
	switch {
	case C == T:
		N = R
		vals = transpose(vals, R, C)
		notes = append(notes, "traces from trace_array (N×T as stored, transposed)")
	case R == T:
		N = C
		notes = append(notes, "traces from trace_array (stored T×N, read as is)")
	default:
		return nil, errf(path, dsField(wwwTime), "%d times for a %d×%d trace_array", T, R, C)
	}
	labels := make([]string, N)
	n, err := flavellH5Labels(h, labels)
	if err != nil {
		return nil, err
	}
	notes = append(notes, fmt.Sprintf("labels from labeled (1-based keys): %d of %d traces labeled", n, N))
	worm := stem(path)
	if h.has("/uid") {
		if u, err := h.strings("/uid"); err == nil && len(u) == 1 && u[0] != "" {
			worm = u[0]
		}
	}
	if nan := allNaNColumns(T, N, func(t, n int) float64 { return vals[t*N+n] }); len(nan) > 0 {
		notes = append(notes, fmt.Sprintf("traces NaN throughout (0-based columns), kept: %v", nan))
	}
	return finish([]ingest.Raw{{
		Dataset: "Flavell2023",
		Worm:    worm,
		RawFile: path,
		Labels:  labels,
		Time:    ts,
		Traces:  mat.NewDense(T, N, vals),
		Notes:   notes,
	}})
}

// flavellH5Labels fills labels from the labeled group (absent: none).
func flavellH5Labels(h *h5File, labels []string) (int, error) {
	o, err := h.f.Get(wwwLabeled)
	if err != nil {
		return 0, nil
	}
	g, ok := o.(*hdf5.Group)
	if !ok {
		return 0, errf(h.path, fmt.Sprintf("group %q", wwwLabeled), "is a dataset, want a group")
	}
	keys, err := g.Members()
	if err != nil {
		return 0, wrap(h.path, fmt.Sprintf("group %q", wwwLabeled), err)
	}
	sort.Strings(keys)
	N := len(labels)
	for _, k := range keys {
		p := wwwLabeled + "/" + k
		field := fmt.Sprintf("group %q", p)
		i, err := strconv.Atoi(k)
		if err != nil {
			return 0, errf(h.path, field, "not a 1-based trace index")
		}
		if i < 1 || i > N {
			return 0, errf(h.path, field, "labels name neuron %d of %d traces", i, N)
		}
		lab, err := h.labelAt(p)
		if err != nil {
			return 0, err
		}
		labels[i-1] = lab
	}
	return len(keys), nil
}

// labelAt reads the label of one labeled record: a string dataset p/label,
// an attribute label on p, or p itself as a string dataset.
func (h *h5File) labelAt(p string) (string, error) {
	o, err := h.f.Get(p)
	if err != nil {
		return "", wrap(h.path, dsField(p), err)
	}
	var s []string
	switch x := o.(type) {
	case *hdf5.Group:
		if h.has(p + "/label") {
			if s, err = h.strings(p + "/label"); err != nil {
				return "", err
			}
		} else if a, aerr := x.Attr("label"); aerr == nil {
			if s, err = a.AsStrings(); err != nil {
				return "", wrap(h.path, fmt.Sprintf("attribute %q of %q", "label", p), err)
			}
		} else {
			return "", errf(h.path, fmt.Sprintf("group %q", p), "no label dataset or attribute")
		}
	case *hdf5.Dataset:
		if s, err = h.strings(p); err != nil {
			return "", err
		}
	}
	if len(s) != 1 {
		return "", errf(h.path, dsField(p+"/label"), "%d strings, want one", len(s))
	}
	return s[0], nil
}
