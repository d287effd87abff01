package nwb

import (
	"math"
	"path"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// Series is a decoded NWB TimeSeries, typically a RoiResponseSeries under
// processing/<module>/Fluorescence or DfOverF (Rübel et al. 2022,
// doi:10.7554/eLife.78362). NWB stores time as the first dimension, so Data
// is T×N row-major: element (t, n) is Data[t*N+n]. A 1-D series has N = 1;
// a series with more than two dimensions has N = the product of the others.
//
// Time holds T times in seconds: the timestamps dataset when stored,
// otherwise
//
//	Time[t] = StartingTime + t / Rate
//
// Data is as stored; the value in Unit is Data*Conversion + Offset
// (Physical).
type Series struct {
	Name          string // last path element, e.g. "RoiResponseSeries"
	Path          string // group path
	NeurodataType string // "RoiResponseSeries", "TimeSeries", ...
	Description   string

	Data []float64 // T×N row-major, as stored
	T, N int

	Time          []float64 // T times, seconds
	HasTimestamps bool      // Time came from a timestamps dataset
	StartingTime  float64   // seconds; 0 when HasTimestamps
	Rate          float64   // Hz; 0 when HasTimestamps

	Unit       string  // data attribute "unit"
	Conversion float64 // data attribute "conversion" (1 when absent)
	Offset     float64 // data attribute "offset" (0 when absent)
	Resolution float64 // data attribute "resolution" (-1 when absent, meaning unknown)

	// ROIRows are the rois DynamicTableRegion's values: rows of ROITable,
	// one per column of Data. ROIIDs are that table's ids at those rows.
	// All three are empty when the series has no rois.
	ROIRows  []int64
	ROIIDs   []int64
	ROITable string
}

// Row returns time point t's N values, a view into Data; nil when t is out
// of range.
func (s *Series) Row(t int) []float64 {
	if t < 0 || t >= s.T {
		return nil
	}
	return s.Data[t*s.N : (t+1)*s.N : (t+1)*s.N]
}

// Physical returns a new T×N slice of Data*Conversion + Offset, the values
// in Unit as the NWB TimeSeries specification defines them.
func (s *Series) Physical() []float64 {
	out := make([]float64, len(s.Data))
	for i, v := range s.Data {
		out[i] = v*s.Conversion + s.Offset
	}
	return out
}

// RoiResponseSeries reads every object whose neurodata_type is
// RoiResponseSeries, wherever it is (Fluorescence, DfOverF, or elsewhere), in
// HDF5 walk order (depth first, members by name).
func (f *File) RoiResponseSeries() ([]*Series, error) {
	paths, err := f.Find("RoiResponseSeries")
	if err != nil {
		return nil, err
	}
	out := make([]*Series, 0, len(paths))
	for _, p := range paths {
		s, err := f.Series(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Series reads the TimeSeries group at path (a RoiResponseSeries or any
// other TimeSeries, e.g. /acquisition/velocity). data is required; time
// comes from timestamps (which must have T values) or from starting_time
// and its rate attribute (which must be positive and finite). When a rois
// DynamicTableRegion is present it must have N rows, each inside the
// referenced table.
func (f *File) Series(p string) (*Series, error) {
	p = abs(p)
	g, err := f.group(p)
	if err != nil {
		return nil, err
	}
	s := &Series{
		Name:          path.Base(p),
		Path:          p,
		NeurodataType: attrString(g, "neurodata_type"),
		Description:   attrString(g, "description"),
		Conversion:    1,
		Resolution:    -1,
	}
	d, err := f.dataset(join(p, "data"))
	if err != nil {
		return nil, err
	}
	sh := d.Shape()
	if len(sh) == 0 {
		return nil, f.errf(d.Path(), neurotab.ErrMalformed, "data is a scalar, want time as the first dimension")
	}
	if sh[0] > math.MaxInt32 {
		return nil, f.errf(d.Path(), neurotab.ErrMalformed, "data has shape %v", sh)
	}
	s.T, s.N = int(sh[0]), 1
	for _, n := range sh[1:] {
		if n > math.MaxInt32 || uint64(s.N)*n > math.MaxInt32 {
			return nil, f.errf(d.Path(), neurotab.ErrMalformed, "data has shape %v", sh)
		}
		s.N *= int(n)
	}
	if s.N == 0 && s.T > 0 {
		// No values: nothing bounds T, which sizes the time vector.
		return nil, f.errf(d.Path(), neurotab.ErrMalformed, "data has shape %v: time points without values", sh)
	}
	if s.Data, err = d.ReadFloat64(); err != nil {
		return nil, err
	}
	if len(s.Data) != s.T*s.N {
		return nil, f.errf(d.Path(), neurotab.ErrMalformed, "%d values for shape %v", len(s.Data), sh)
	}
	s.Unit = attrString(d, "unit")
	if v, ok := attrFloat(d, "conversion"); ok {
		s.Conversion = v
	}
	if v, ok := attrFloat(d, "offset"); ok {
		s.Offset = v
	}
	if v, ok := attrFloat(d, "resolution"); ok {
		s.Resolution = v
	}
	if err := f.seriesTime(g, s); err != nil {
		return nil, err
	}
	if err := f.seriesROIs(g, s); err != nil {
		return nil, err
	}
	return s, nil
}

// seriesTime fills s.Time from timestamps or starting_time + rate.
func (f *File) seriesTime(g *hdf5.Group, s *Series) error {
	tp := join(s.Path, "timestamps")
	if o, err := g.Open("timestamps"); err == nil {
		d, ok := o.(*hdf5.Dataset)
		if !ok {
			return f.errf(tp, neurotab.ErrMalformed, "not a dataset")
		}
		if s.Time, err = d.ReadFloat64(); err != nil {
			return err
		}
		if len(s.Time) != s.T {
			return f.errf(tp, neurotab.ErrMalformed, "%d timestamps for %d time points", len(s.Time), s.T)
		}
		s.HasTimestamps = true
		return nil
	}
	sp := join(s.Path, "starting_time")
	o, err := g.Open("starting_time")
	if err != nil {
		return f.errf(s.Path, neurotab.ErrMalformed, "neither timestamps nor starting_time is present")
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return f.errf(sp, neurotab.ErrMalformed, "not a dataset")
	}
	st, err := d.ReadFloat64()
	if err != nil {
		return err
	}
	if len(st) != 1 || math.IsNaN(st[0]) || math.IsInf(st[0], 0) {
		return f.errf(sp, neurotab.ErrMalformed, "starting_time must be one finite number, got %v", st)
	}
	rate, ok := attrFloat(d, "rate")
	if !ok || !(rate > 0) || math.IsInf(rate, 0) {
		return f.errf(sp, neurotab.ErrMalformed, "rate attribute must be positive and finite, got %v", rate)
	}
	s.StartingTime, s.Rate = st[0], rate
	s.Time = make([]float64, s.T)
	for i := range s.Time {
		s.Time[i] = s.StartingTime + float64(i)/rate
	}
	return nil
}

// seriesROIs fills s.ROIRows, ROITable and ROIIDs from the rois region.
func (f *File) seriesROIs(g *hdf5.Group, s *Series) error {
	o, err := g.Open("rois")
	if err != nil {
		return nil // a plain TimeSeries has no rois
	}
	rp := join(s.Path, "rois")
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return f.errf(rp, neurotab.ErrMalformed, "not a dataset")
	}
	if s.ROIRows, err = d.ReadInt64(); err != nil {
		return err
	}
	if len(s.ROIRows) != s.N {
		return f.errf(rp, neurotab.ErrMalformed, "%d rois for %d data columns", len(s.ROIRows), s.N)
	}
	s.ROITable = f.refAttrPath(d, "table")
	if s.ROITable == "" {
		return nil
	}
	idd, err := f.dataset(join(s.ROITable, "id"))
	if err != nil {
		return err
	}
	ids, err := idd.ReadInt64()
	if err != nil {
		return err
	}
	s.ROIIDs = make([]int64, len(s.ROIRows))
	for i, r := range s.ROIRows {
		if r < 0 || r >= int64(len(ids)) {
			return f.errf(rp, neurotab.ErrMalformed, "roi %d is row %d, outside %s of %d rows", i, r, s.ROITable, len(ids))
		}
		s.ROIIDs[i] = ids[r]
	}
	return nil
}
