package nwb

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
)

// Units is a decoded NWB Units table (Rübel et al. 2022,
// doi:10.7554/eLife.78362): one spike train per unit, plus every other
// per-unit column. Spike times are in seconds and live in one flat slice;
// unit i owns
//
//	Times[Index[i-1] : Index[i]]     (Index[-1] = 0)
//
// which is the VectorIndex rule of spike_times_index. A table without a
// spike_times column gives U empty trains.
type Units struct {
	Path        string
	Description string
	IDs         []int64   // the id column, U values
	Times       []float64 // spike_times, all units back to back
	Index       []int64   // spike_times_index: END offset of each unit in Times, U values
	// Columns holds every column other than id and spike_times (location,
	// electrodes, electrode_group, obs_intervals, quality, ...) as decoded
	// by File.Table; Skipped lists those it did not decode.
	Columns []*Column
	Skipped []string
}

// Len returns the number of units U.
func (u *Units) Len() int { return len(u.IDs) }

// NumSpikes returns the total number of spike times.
func (u *Units) NumSpikes() int { return len(u.Times) }

// SpikeTimes returns unit i's spike times in seconds, a view into Times (do
// not modify). It returns nil when i is outside [0, Len()).
func (u *Units) SpikeTimes(i int) []float64 {
	if i < 0 || i >= len(u.Index) {
		return nil
	}
	var lo int64
	if i > 0 {
		lo = u.Index[i-1]
	}
	return u.Times[lo:u.Index[i]:u.Index[i]]
}

// Column returns the named column or nil.
func (u *Units) Column(name string) *Column {
	for _, c := range u.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ObsIntervals returns unit i's observation intervals [start, stop] in
// seconds from the obs_intervals column, or nil when the column is absent or
// i is out of range.
func (u *Units) ObsIntervals(i int) [][2]float64 {
	c := u.Column("obs_intervals")
	if c == nil || c.Kind != KindFloat || c.Width != 2 || i < 0 || i >= c.Rows() {
		return nil
	}
	lo, hi := c.Span(i)
	out := make([][2]float64, 0, (hi-lo)/2)
	for k := lo; k < hi; k += 2 {
		out = append(out, [2]float64{c.Float64[k], c.Float64[k+1]})
	}
	return out
}

// Units reads the file's /units table. See UnitsAt.
func (f *File) Units() (*Units, error) { return f.UnitsAt("/units") }

// UnitsAt reads the Units table at path (e.g. one inside a processing
// module). spike_times must be a float column with one row per id; its
// VectorIndex must be non-decreasing and end within the data.
func (f *File) UnitsAt(p string) (*Units, error) {
	t, err := f.Table(p)
	if err != nil {
		return nil, err
	}
	u := &Units{Path: t.Path, Description: t.Description, IDs: t.IDs, Skipped: t.Skipped}
	for _, c := range t.Columns {
		if c.Name != "spike_times" {
			u.Columns = append(u.Columns, c)
			continue
		}
		if c.Kind != KindFloat || c.Width != 1 {
			return nil, f.errf(join(t.Path, "spike_times"), neurotab.ErrMalformed, "spike_times is %s with %d values per cell, want 1-D float", c.Kind, c.Width)
		}
		u.Times = c.Float64
		u.Index = c.Index
		if u.Index == nil { // not ragged: one spike per unit
			u.Index = make([]int64, len(u.Times))
			for i := range u.Index {
				u.Index[i] = int64(i + 1)
			}
		}
	}
	if u.Times == nil && t.Column("spike_times") == nil {
		// spike_times present but left out of colnames: read it anyway.
		if g, err := f.group(t.Path); err == nil {
			if _, err := g.Open("spike_times"); err == nil {
				c, skip, err := f.readColumn(t.Path, "spike_times", hasMember(g, "spike_times_index"))
				if err != nil {
					return nil, err
				}
				if skip != "" || c.Kind != KindFloat || c.Width != 1 || c.Index == nil || len(c.Index) != len(u.IDs) {
					return nil, f.errf(join(t.Path, "spike_times"), neurotab.ErrMalformed, "spike_times (not in colnames) is not a ragged 1-D float column with one row per id")
				}
				u.Times, u.Index = c.Float64, c.Index
			}
		}
	}
	if u.Index == nil {
		u.Index = make([]int64, len(u.IDs))
	}
	return u, nil
}

// EachUnit streams the /units spike trains: it reads id and
// spike_times_index, then each unit's spike times with a hyperslab read of
// only that range, and calls fn(i, id, times) in row order. times is valid
// only during the call. An error from fn stops the walk and is returned.
// Memory stays proportional to the largest unit, not the whole table.
func (f *File) EachUnit(fn func(i int, id int64, times []float64) error) error {
	return f.EachUnitAt("/units", fn)
}

// EachUnitAt is EachUnit for the Units table at path.
func (f *File) EachUnitAt(p string, fn func(i int, id int64, times []float64) error) error {
	p = abs(p)
	idd, err := f.dataset(join(p, "id"))
	if err != nil {
		return err
	}
	ids, err := idd.ReadInt64()
	if err != nil {
		return err
	}
	st, err := f.dataset(join(p, "spike_times"))
	if err != nil {
		return err
	}
	if sh := st.Shape(); len(sh) != 1 || sh[0] > math.MaxInt64 {
		return f.errf(st.Path(), neurotab.ErrMalformed, "spike_times has shape %v, want 1-D", sh)
	}
	n := int64(st.Shape()[0])
	idx, err := f.readIndex(join(p, "spike_times_index"), int(n))
	if err != nil {
		return err
	}
	if len(idx) != len(ids) {
		return f.errf(join(p, "spike_times_index"), neurotab.ErrMalformed, "index has %d rows, table has %d ids", len(idx), len(ids))
	}
	var lo int64
	for i, hi := range idx {
		var times []float64
		if hi > lo {
			times, err = st.ReadHyperslab([]uint64{uint64(lo)}, []uint64{uint64(hi - lo)})
			if err != nil {
				return fmt.Errorf("unit %d: %w", i, err)
			}
		}
		if err := fn(i, ids[i], times); err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// hasMember reports whether group g has a link named name.
func hasMember(g interface{ Members() ([]string, error) }, name string) bool {
	m, err := g.Members()
	if err != nil {
		return false
	}
	for _, n := range m {
		if n == name {
			return true
		}
	}
	return false
}
