package calcium

import (
	"fmt"

	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

const (
	nejSeries = "/processing/CalciumActivity/SignalRawFluor/SignalCalciumImResponseSeries"
	nejData   = nejSeries + "/data"
	nejLabels = "/processing/CalciumActivity/NeuronIDs/labels"
	// nejRate is the frame rate the published reader assumes (Hz).
	nejRate = 4.0
)

func nejatbakhsh2020() Adapter {
	return Adapter{
		Name: "Nejatbakhsh2020",
		Description: "NWB (HDF5): processing/CalciumActivity/SignalRawFluor/SignalCalciumImResponseSeries/data " +
			"(T×N), NeuronIDs/labels; time from timestamps or rate, else 4 Hz",
		Citation: "Nejatbakhsh A, Varol E, Yemini E, Venkatachalam V, Lin A, Samuel ADT, Paninski L (2020) " +
			"Extracting neural signals from semi-immobilized animals with deformable non-negative matrix " +
			"factorization. bioRxiv 2020.07.07.192120. doi:10.1101/2020.07.07.192120",
		Match: func(path string, head []byte) bool { return isHDF5With(path, head, nejData, nejLabels) },
		Read:  ReadNejatbakhsh2020,
	}
}

// ReadNejatbakhsh2020 reads one NWB file of Nejatbakhsh et al. 2020
// (doi:10.1101/2020.07.07.192120): the RoiResponseSeries
// SignalCalciumImResponseSeries of the Fluorescence interface
// SignalRawFluor (raw fluorescence, T×N as NWB stores it, values as stored)
// and the N labels of NeuronIDs (ndx-multichannel-volume
// SegmentationLabels), "" where unidentified.
//
// Time is the series' own time base when it has one (timestamps, or
// starting_time with its rate attribute); otherwise sample t is at t/4 s,
// the 4 Hz the published reader assumes.
func ReadNejatbakhsh2020(path string, _ Options) ([]ingest.Raw, error) {
	h, err := openH5(path)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	vals, T, N, err := h.matrix(nejData)
	if err != nil {
		return nil, err
	}
	labels, err := h.strings(nejLabels)
	if err != nil {
		return nil, err
	}
	if len(labels) != N {
		return nil, errf(path, dsField(nejLabels), "%d labels for %d traces", len(labels), N)
	}
	tm, how, err := seriesTime(h, nejSeries, T)
	if err != nil {
		return nil, err
	}
	if tm == nil {
		tm = make([]float64, T)
		for t := range tm {
			tm[t] = float64(t) / nejRate
		}
		how = "no timestamps or rate in the file: 4 Hz (sample t at t/4 s), as the published reader"
	}
	notes := []string{
		"traces = SignalRawFluor/SignalCalciumImResponseSeries/data (T×N, as stored); labels = NeuronIDs/labels",
		"time: " + how,
	}
	if nan := allNaNColumns(T, N, func(t, n int) float64 { return vals[t*N+n] }); len(nan) > 0 {
		notes = append(notes, fmt.Sprintf("traces NaN throughout (0-based columns), kept: %v", nan))
	}
	return finish([]ingest.Raw{{
		Dataset: "Nejatbakhsh2020",
		Worm:    stem(path),
		RawFile: path,
		Labels:  labels,
		Time:    tm,
		Traces:  mat.NewDense(T, N, vals),
		Notes:   notes,
	}})
}

// seriesTime reads an NWB TimeSeries' time base: timestamps (T values), or
// starting_time (default 0) and its rate attribute. It returns nil, "",
// nil when the series has neither.
func seriesTime(h *h5File, series string, T int) ([]float64, string, error) {
	if h.has(series + "/timestamps") {
		ts, err := h.vector(series + "/timestamps")
		if err != nil {
			return nil, "", err
		}
		if len(ts) != T {
			return nil, "", errf(h.path, dsField(series+"/timestamps"), "%d times for %d samples", len(ts), T)
		}
		return ts, "timestamps (s)", nil
	}
	if !h.has(series + "/starting_time") {
		return nil, "", nil
	}
	p := series + "/starting_time"
	d, err := h.dataset(p)
	if err != nil {
		return nil, "", err
	}
	st, err := d.ReadFloat64()
	if err != nil || len(st) != 1 {
		return nil, "", errf(h.path, dsField(p), "want one number (err %v)", err)
	}
	a, err := d.Attr("rate")
	if err != nil {
		return nil, "", errf(h.path, dsField(p), "no rate attribute")
	}
	r, err := a.AsFloat64s()
	if err != nil || len(r) != 1 || !(r[0] > 0) {
		return nil, "", errf(h.path, fmt.Sprintf("attribute \"rate\" of %q", p), "want one positive number")
	}
	out := make([]float64, T)
	for t := range out {
		out[t] = st[0] + float64(t)/r[0]
	}
	return out, fmt.Sprintf("starting_time %g s + t/rate, rate %g Hz", st[0], r[0]), nil
}
