package calcium

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"

	matfile "github.com/neurotab/neurotab/formats/mat"
)

// YeminiDroppedFrames is the number of leading frames the Yemini2021 adapter
// drops from every recording: the published traces start with zeros (three
// in the files we have seen), and the homogenized reference dataset drops
// the first four frames; we follow it so both agree sample for sample.
const YeminiDroppedFrames = 4

func yemini2021() Adapter {
	return Adapter{
		Name: "Yemini2021",
		Description: "NeuroPAL whole-brain activity (Head_Activity_OH15500.mat, Head_Activity_OH16230.mat, " +
			"Tail_Activity_OH16230.mat; MAT v5): norm_traces per neuron class, neurons + is_L for the side, fps; " +
			"one recording per entry of files; first 4 frames dropped",
		Citation: "Yemini E, Lin A, Nejatbakhsh A, Varol E, Sun R, Mena GE, Samuel ADT, Paninski L, Venkatachalam V, " +
			"Hobert O (2021) NeuroPAL: a multicolor atlas for whole-brain neuronal identification in C. elegans. " +
			"Cell 184(1):272-288.e11. doi:10.1016/j.cell.2020.12.012",
		Match: func(path string, head []byte) bool {
			return isMATv5With(path, head, "norm_traces", "neurons", "is_L", "fps")
		},
		Read: ReadYemini2021,
	}
}

// ReadYemini2021 reads a Yemini et al. 2021 (NeuroPAL, doi:10.1016/j.cell.2020.12.012)
// activity file: one ingest.Raw per entry of the variable files (W worms).
//
// Layout: neurons is a cell of K class names ("AVA", "URYV"); is_L{k} holds
// one flag per trace of class k: W flags (NaN) for a class without sides, or
// 2W flags for a bilateral class, the W left traces first (flag 1) then the
// W right ones (flag 0); norm_traces{k} is a cell of the same length whose
// entries are T×1 traces, or [] where the neuron was not found in that worm.
// Entry j belongs to worm j mod W. The label is the class name plus "L"
// (flag 1) or "R" (flag 0), or the class name alone (NaN).
//
// The worm id is the MAT file name and the files entry, e.g.
// "Head_Activity_OH16230_20190928_01". Time is sample/fps seconds. The first YeminiDroppedFrames frames are
// dropped, so the first sample is at 4/fps s. Neurons with [] in a worm are
// left out of that worm (noted), NaN inside traces is kept.
func ReadYemini2021(path string, _ Options) ([]ingest.Raw, error) {
	m, err := openMAT(path)
	if err != nil {
		return nil, err
	}
	defer m.Close()

	tracesV, err := m.get("norm_traces")
	if err != nil {
		return nil, err
	}
	traces, err := cellOf(tracesV)
	if err != nil {
		return nil, wrap(path, varField("norm_traces"), err)
	}
	filesV, err := m.get("files")
	if err != nil {
		return nil, err
	}
	worms, err := matfile.Strings(filesV)
	if err != nil {
		return nil, wrap(path, varField("files"), err)
	}
	W := len(worms)
	if W == 0 {
		return nil, errf(path, varField("files"), "no recordings listed")
	}
	neuronsV, err := m.get("neurons")
	if err != nil {
		return nil, err
	}
	classes, err := matfile.Strings(neuronsV)
	if err != nil {
		return nil, wrap(path, varField("neurons"), err)
	}
	isLV, err := m.get("is_L")
	if err != nil {
		return nil, err
	}
	isL, err := cellOf(isLV)
	if err != nil {
		return nil, wrap(path, varField("is_L"), err)
	}
	fpsV, err := m.get("fps")
	if err != nil {
		return nil, err
	}
	fps, err := scalar(fpsV)
	if err != nil {
		return nil, wrap(path, varField("fps"), err)
	}
	if !(fps > 0) || math.IsInf(fps, 0) {
		return nil, errf(path, varField("fps"), "%g is not a positive frame rate", fps)
	}
	K := len(classes)
	if isL.Len() != K {
		return nil, errf(path, varField("is_L"), "%d entries for %d neuron classes", isL.Len(), K)
	}
	if traces.Len() != K {
		return nil, errf(path, varField("norm_traces"), "%d entries for %d neuron classes", traces.Len(), K)
	}

	// One column per (class, entry) with a trace, grouped by worm.
	type column struct {
		label string
		data  []float64
		field string
	}
	perWorm := make([][]column, W)
	missing := make([][]string, W)
	for k, cls := range classes {
		flagField := varField(fmt.Sprintf("is_L{%d}", k+1))
		flags, err := vector(isL.Elems[k])
		if err != nil {
			return nil, wrap(path, flagField, err)
		}
		if len(flags) != W && len(flags) != 2*W {
			return nil, errf(path, flagField, "class %q has %d side flags for %d recordings (want %d or %d)", cls, len(flags), W, W, 2*W)
		}
		trField := varField(fmt.Sprintf("norm_traces{%d}", k+1))
		cell, err := cellOf(traces.Elems[k])
		if err != nil {
			return nil, wrap(path, trField, err)
		}
		if cell.Len() != len(flags) {
			return nil, errf(path, trField, "class %q has %d traces for %d is_L flags", cls, cell.Len(), len(flags))
		}
		for j, e := range cell.Elems {
			w := j % W
			label := cls
			switch {
			case flags[j] == 1:
				label = cls + "L"
			case flags[j] == 0:
				label = cls + "R"
			case flags[j] == flags[j]: // not NaN, not 0 or 1
				return nil, errf(path, flagField, "flag %d of class %q is %g, want 1 (left), 0 (right) or NaN", j+1, cls, flags[j])
			}
			if matfile.IsEmpty(e) {
				missing[w] = append(missing[w], label)
				continue
			}
			field := varField(fmt.Sprintf("norm_traces{%d}{%d}", k+1, j+1))
			x, err := vector(e)
			if err != nil {
				return nil, wrap(path, field, err)
			}
			perWorm[w] = append(perWorm[w], column{label: label, data: x, field: field})
		}
	}

	raws := make([]ingest.Raw, 0, W)
	seen := map[string]int{}
	for w, name := range worms {
		id := stem(path) + "_" + name
		if seen[id]++; seen[id] > 1 {
			id = fmt.Sprintf("%s_%d", id, seen[id]) // a file name listed twice
		}
		cols := perWorm[w]
		if len(cols) == 0 {
			return nil, errf(path, varField("norm_traces"), "recording %q has no traces", name)
		}
		T := len(cols[0].data)
		for _, c := range cols[1:] {
			if len(c.data) != T {
				return nil, errf(path, c.field, "%d samples, other traces of recording %q have %d", len(c.data), name, T)
			}
		}
		if T <= YeminiDroppedFrames {
			return nil, errf(path, cols[0].field, "recording %q has %d samples, none left after dropping the first %d", name, T, YeminiDroppedFrames)
		}
		n := T - YeminiDroppedFrames
		dense := mat.NewDense(n, len(cols), nil)
		labels := make([]string, len(cols))
		for i, c := range cols {
			labels[i] = c.label
			for t := range n {
				dense.Set(t, i, c.data[t+YeminiDroppedFrames])
			}
		}
		tm := make([]float64, n)
		for t := range n {
			tm[t] = float64(t+YeminiDroppedFrames) / fps
		}
		notes := []string{
			fmt.Sprintf("traces from norm_traces; time = frame/fps with fps = %g Hz", fps),
			fmt.Sprintf("dropped the first %d frames (of %d)", YeminiDroppedFrames, T),
			"labels = neurons class + L/R from is_L (1 = L, 0 = R, NaN = no side)",
		}
		if len(missing[w]) > 0 {
			notes = append(notes, fmt.Sprintf("not found in this recording ([] in norm_traces), left out: %v", missing[w]))
		}
		raws = append(raws, ingest.Raw{
			Dataset: "Yemini2021",
			Worm:    id,
			RawFile: path,
			Labels:  labels,
			Time:    tm,
			Traces:  dense,
			Notes:   notes,
		})
	}
	return finish(raws)
}
