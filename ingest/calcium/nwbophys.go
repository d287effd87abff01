package calcium

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab/formats/nwb"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

// nwbLabelColumns are PlaneSegmentation columns taken as neuron labels, in
// order of preference.
var nwbLabelColumns = []string{"neuron_label", "label", "labels", "neuron_name", "neuron_names", "ID", "neuron_id"}

func nwbOphys() Adapter {
	return Adapter{
		Name: "nwb",
		Description: "NWB ophys (HDF5): every RoiResponseSeries (Fluorescence, DfOverF, …) data T×N, time from " +
			"timestamps or starting_time + rate; labels from a PlaneSegmentation label column, else ROI ids",
		Citation: "Rübel O, Tritt A, Ly R, Dichter BK, Ghosh S, Niu L, Baker P, Soltesz I, Ng L, Svoboda K, " +
			"Frank L, Bouchard KE (2022) The Neurodata Without Borders ecosystem for neurophysiological data " +
			"science. eLife 11:e78362. doi:10.7554/eLife.78362",
		Match: matchNWB,
		Read:  ReadNWB,
	}
}

// matchNWB accepts HDF5 files that are NWB files (.nwb, or a root
// neurodata_type attribute NWBFile) holding a RoiResponseSeries.
func matchNWB(path string, head []byte) bool {
	if !sniff.IsHDF5(head) {
		return false
	}
	if !hasExt(path, ".nwb") && !bytes.Contains(head, []byte("NWBFile")) {
		h, err := openH5(path)
		if err != nil {
			return false
		}
		root, err := h.f.Root()
		ok := false
		if err == nil {
			if a, err := root.Attr("neurodata_type"); err == nil {
				s, _ := a.AsString()
				ok = s == "NWBFile"
			}
		}
		h.Close()
		if !ok {
			return false
		}
	}
	f, err := nwb.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	ps, err := f.Find("RoiResponseSeries")
	return err == nil && len(ps) > 0
}

// ReadNWB reads every RoiResponseSeries of an NWB 2.x file (Rübel et al.
// 2022, doi:10.7554/eLife.78362) as one recording each, named by the file
// (and the series path when there are several). Data is T×N as NWB stores
// it, values as stored (the unit, conversion and offset are noted, not
// applied). Time is the series' timestamps, or starting_time + t/rate.
//
// Labels: the series' rois region selects rows of a PlaneSegmentation; a
// string column of that table named neuron_label, label, labels,
// neuron_name, neuron_names, ID or neuron_id gives the labels, otherwise the
// rows' ROI ids (decimal) do. A series without rois gets "" labels.
func ReadNWB(path string, _ Options) ([]ingest.Raw, error) {
	f, err := nwb.Open(path)
	if err != nil {
		return nil, wrap(path, "", err)
	}
	defer f.Close()
	series, err := f.RoiResponseSeries()
	if err != nil {
		return nil, wrap(path, "RoiResponseSeries", err)
	}
	if len(series) == 0 {
		return nil, errf(path, "RoiResponseSeries", "none in the file")
	}
	raws := make([]ingest.Raw, 0, len(series))
	for _, s := range series {
		r, err := nwbRaw(f, path, s, len(series) > 1)
		if err != nil {
			return nil, err
		}
		raws = append(raws, r)
	}
	return finish(raws)
}

func nwbRaw(f *nwb.File, path string, s *nwb.Series, several bool) (ingest.Raw, error) {
	field := fmt.Sprintf("series %q", s.Path)
	if s.T == 0 || s.N == 0 {
		return ingest.Raw{}, errf(path, field, "empty %d×%d data", s.T, s.N)
	}
	if len(s.Time) != s.T {
		return ingest.Raw{}, errf(path, field, "%d times for %d samples", len(s.Time), s.T)
	}
	labels := make([]string, s.N)
	var labNote string
	switch {
	case len(s.ROIRows) == 0:
		labNote = "no rois region: traces unlabeled"
	case len(s.ROIRows) != s.N:
		return ingest.Raw{}, errf(path, field+": rois", "%d rows for %d traces", len(s.ROIRows), s.N)
	default:
		col, err := nwbLabelColumn(f, s.ROITable)
		if err != nil {
			return ingest.Raw{}, wrap(path, fmt.Sprintf("table %q", s.ROITable), err)
		}
		if col != nil {
			for i, row := range s.ROIRows {
				if row < 0 || int(row) >= len(col.Strings) {
					return ingest.Raw{}, errf(path, fmt.Sprintf("table %q: column %q", s.ROITable, col.Name),
						"rois row %d outside %d values", row, len(col.Strings))
				}
				labels[i] = col.Strings[row]
			}
			labNote = fmt.Sprintf("labels from column %s of %s, rows selected by rois", col.Name, s.ROITable)
		} else {
			if len(s.ROIIDs) != s.N {
				return ingest.Raw{}, errf(path, field+": rois", "%d ROI ids for %d traces", len(s.ROIIDs), s.N)
			}
			for i, id := range s.ROIIDs {
				labels[i] = strconv.FormatInt(id, 10)
			}
			labNote = fmt.Sprintf("no label column in %s: labels are ROI ids", s.ROITable)
		}
	}
	timeNote := fmt.Sprintf("time (s) = starting_time %g + t/rate, rate %g Hz", s.StartingTime, s.Rate)
	if s.HasTimestamps {
		timeNote = "time (s) from timestamps"
	}
	worm := stem(path)
	if several {
		worm += ":" + strings.TrimPrefix(s.Path, "/")
	}
	if len(s.Data) != s.T*s.N {
		return ingest.Raw{}, errf(path, field+": data", "%d values for %d×%d", len(s.Data), s.T, s.N)
	}
	data := s.Data // read for this call alone: no copy
	notes := []string{
		fmt.Sprintf("traces = %s/data (T×N, as stored; unit %q, conversion %g, offset %g not applied)", s.Path, s.Unit, s.Conversion, s.Offset),
		timeNote,
		labNote,
	}
	if nan := allNaNColumns(s.T, s.N, func(t, n int) float64 { return data[t*s.N+n] }); len(nan) > 0 {
		notes = append(notes, fmt.Sprintf("traces NaN throughout (0-based columns), kept: %v", nan))
	}
	return ingest.Raw{
		Dataset: "nwb",
		Worm:    worm,
		RawFile: path,
		Labels:  labels,
		Time:    append([]float64(nil), s.Time...),
		Traces:  mat.NewDense(s.T, s.N, data),
		Notes:   notes,
	}, nil
}

// nwbLabelColumn returns the first string column of the table named in
// nwbLabelColumns, or nil.
func nwbLabelColumn(f *nwb.File, table string) (*nwb.Column, error) {
	if table == "" {
		return nil, nil
	}
	t, err := f.Table(table)
	if err != nil {
		return nil, err
	}
	for _, name := range nwbLabelColumns {
		if c := t.Column(name); c != nil && c.Kind == nwb.KindString && c.Index == nil && c.Width == 1 {
			return c, nil
		}
	}
	return nil, nil
}
