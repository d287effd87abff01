package calcium

import (
	"fmt"
	"math"
	"sort"

	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/homogenize"
)

// dagBehavior is the group of behavior variables of a Dag2023 file.
const dagBehavior = "/behavior"

// dagBehaviorNames renames Dag2023 behavior datasets to the behavior
// table's names (DESIGN.md); others keep their dataset name.
var dagBehaviorNames = map[string]string{"reversal_vec": "reversal"}

// Behavior is the behavior recorded with one recording, one value per
// imaging frame (the frames of the traces).
type Behavior struct {
	Dataset, Worm, RawFile string
	// Time holds the T frame times as the file gives them (s).
	Time []float64
	// Variables are the behavior variables in name order; Values[v] has
	// T values of Variables[v] (NaN where the file has none).
	Variables []string
	Values    [][]float64
	// Notes say what was renamed or left out.
	Notes []string
}

// ReadDag2023Behavior reads the behavior of a Dag et al. 2023 recording
// (doi:10.1016/j.cell.2023.04.023): every one-value-per-frame dataset of
// the group /behavior (velocity, head_angle, angular_velocity, pumping,
// reversal_vec, stage_x, stage_y, worm_curvature, nose_angle, nose_curling,
// …), on the frames of timing/timestamp_confocal truncated to the traces'
// T frames as ReadDag2023 does. reversal_vec (1 during a reversal, 0
// otherwise) becomes "reversal"; matrices (body_angle: one column per body
// segment) and reversal_events (start/stop frames, the same information as
// reversal_vec) are left out, with a note.
func ReadDag2023Behavior(path string) (*Behavior, error) {
	h, err := openH5(path)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	d, err := h.dataset(dagTraces)
	if err != nil {
		return nil, err
	}
	if len(d.Shape()) != 2 {
		return nil, errf(path, dsField(dagTraces), "shape %v, want a 2-D matrix", d.Shape())
	}
	T := int(d.Shape()[0])
	ts, err := h.vector(dagTime)
	if err != nil {
		return nil, err
	}
	if len(ts) < T {
		return nil, errf(path, dsField(dagTime), "%d times for %d samples", len(ts), T)
	}
	o, err := h.f.Get(dagBehavior)
	if err != nil {
		return nil, wrap(path, fmt.Sprintf("group %q", dagBehavior), err)
	}
	g, ok := o.(*hdf5.Group)
	if !ok {
		return nil, errf(path, fmt.Sprintf("group %q", dagBehavior), "is a dataset, want a group")
	}
	names, err := g.Members()
	if err != nil {
		return nil, wrap(path, fmt.Sprintf("group %q", dagBehavior), err)
	}
	sort.Strings(names)
	b := &Behavior{Dataset: "Dag2023", Worm: dagID(path), RawFile: path, Time: ts[:T]}
	var left []string
	for _, name := range names {
		p := dagBehavior + "/" + name
		ds, err := h.dataset(p)
		if err != nil {
			left = append(left, name)
			continue
		}
		if sh := ds.Shape(); len(sh) != 1 || int(sh[0]) != T {
			left = append(left, fmt.Sprintf("%s %v", name, sh))
			continue
		}
		v, err := ds.ReadFloat64()
		if err != nil {
			return nil, wrap(path, dsField(p), err)
		}
		if r, ok := dagBehaviorNames[name]; ok {
			b.Notes = append(b.Notes, fmt.Sprintf("behavior/%s → %s", name, r))
			name = r
		}
		b.Variables = append(b.Variables, name)
		b.Values = append(b.Values, v)
	}
	if len(left) > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf("not one value per frame, left out: %v", left))
	}
	if len(b.Variables) == 0 {
		return nil, errf(path, fmt.Sprintf("group %q", dagBehavior), "no behavior variable with one value per frame (%d frames)", T)
	}
	return b, nil
}

// Rows returns the behavior table rows: every variable on the recording's
// own frames (grid "original", times re-based to the first frame like the
// traces' original_time_in_seconds) and, when dt > 0, on the homogenized
// traces' grid (grid "homogenized": homogenize.NewGrid over the re-based
// frames with step dt, the grid of time_in_seconds, and the same linear
// interpolation or block means as the traces). A frame without a value
// (NaN) has no original row; a variable with one has no homogenized rows
// (a note says so). A binary variable such as reversal becomes the
// fraction of the interval in a reversal where frames are interpolated.
func (b *Behavior) Rows(dt float64) ([]table.BehaviorRow, []string, error) {
	T := len(b.Time)
	ot := make([]float64, T)
	for i, t := range b.Time {
		ot[i] = t - b.Time[0]
	}
	var grid *homogenize.Grid
	if dt > 0 {
		var err error
		if grid, err = homogenize.NewGrid(ot, dt); err != nil {
			return nil, nil, fmt.Errorf("%s: behavior: %w", b.RawFile, err)
		}
	}
	var rows []table.BehaviorRow
	var notes []string
	for v, name := range b.Variables {
		finite := 0
		for i, x := range b.Values[v] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				continue
			}
			finite++
			rows = append(rows, table.BehaviorRow{SourceDataset: b.Dataset, Worm: b.Worm, Grid: table.GridOriginal, T: ot[i], Variable: name, Value: x})
		}
		if grid == nil {
			continue
		}
		if finite < T {
			notes = append(notes, fmt.Sprintf("%s: %d of %d frames without a value: not resampled", name, T-finite, T))
			continue
		}
		for i, x := range grid.Resample(nil, b.Values[v]) {
			rows = append(rows, table.BehaviorRow{SourceDataset: b.Dataset, Worm: b.Worm, Grid: table.GridHomogenized, T: grid.Time[i], Variable: name, Value: x})
		}
	}
	return rows, notes, nil
}
