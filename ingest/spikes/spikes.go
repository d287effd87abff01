// Package spikes converts spike-sorted recordings (NWB Units tables) into
// the spikes table (recording, unit, t s) and bins spike trains into firing
// rates, so fit/ and analysis/ take them like calcium traces.
package spikes

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab/formats/nwb"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// FileResult is one input's outcome.
type FileResult struct {
	Path      string
	Recording string
	Units     int
	Spikes    int64
	Err       error
}

// RecordingName is the recording id of an NWB file in the spikes table:
// its file name without the extension.
func RecordingName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// AppendNWB adds the Units table of one NWB file (Rübel et al. 2022,
// doi:10.7554/eLife.78362: spike_times with its VectorIndex
// spike_times_index, and id) to rb, one row per spike, in unit order.
func AppendNWB(rb *table.RowBuilder, path string) FileResult {
	res := FileResult{Path: path, Recording: RecordingName(path)}
	f, err := nwb.Open(path)
	if err != nil {
		res.Err = err
		return res
	}
	defer f.Close()
	err = f.EachUnit(func(i int, id int64, times []float64) error {
		res.Units++
		for _, t := range times {
			if math.IsNaN(t) || math.IsInf(t, 0) {
				return fmt.Errorf("%s: unit %d: spike time %v is not finite", path, id, t)
			}
			if err := rb.Append(res.Recording, id, t, nil); err != nil {
				return fmt.Errorf("%s: unit %d: %w", path, id, err)
			}
			res.Spikes++
		}
		return nil
	})
	res.Err = err
	return res
}

// Convert writes the spikes of every NWB input into one spikes Parquet file.
// A file that fails is reported and contributes no rows (its rows are
// built apart and only appended once it has been read whole).
func Convert(paths []string, out string, prov table.Provenance) ([]FileResult, error) {
	var results []FileResult
	var w *table.ParquetWriter
	prov.Sources = nil
	for _, p := range paths {
		rb := table.NewRowBuilder(nil, table.Spikes)
		r := AppendNWB(rb, p)
		results = append(results, r)
		if r.Err != nil {
			rb.Release()
			continue
		}
		rec := rb.NewRecord()
		rb.Release()
		var err error
		if w == nil {
			if w, err = table.CreateParquet(out, table.Spikes, prov, nil, nil); err != nil {
				rec.Release()
				return results, err
			}
		}
		err = w.Write(rec)
		rec.Release()
		if err != nil {
			w.Abort()
			return results, err
		}
		sf, err := table.HashFile(p)
		if err != nil {
			w.Abort()
			return results, err
		}
		w.AddSource(sf)
	}
	if w == nil {
		return results, fmt.Errorf("no input could be converted")
	}
	return results, w.Close()
}

// BinRates reads a spikes table and bins each recording's spike trains into
// firing rates: rate[k][u] = #{spikes of unit u in [t0 + k·bin, t0 + (k+1)·bin)} / bin,
// in Hz, with t0 the recording's first spike and units in ascending id
// order as the columns ("unit<id>"). Rows are time.
func BinRates(path string, bin float64) ([]*table.Recording, error) {
	if !(bin > 0) {
		return nil, fmt.Errorf("bin width %v s must be positive", bin)
	}
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	return BinRatesTable(pf, path, bin)
}

// BinRatesTable is BinRates on an opened spikes table; path names it in
// errors and in the recordings' RawDataFile.
func BinRatesTable(pf *table.ParquetFile, path string, bin float64) ([]*table.Recording, error) {
	if !(bin > 0) {
		return nil, fmt.Errorf("bin width %v s must be positive", bin)
	}
	if k, ok := table.KindOf(pf.Schema()); !ok || k != table.Spikes {
		return nil, fmt.Errorf("%s: not a spikes table (recording, unit, t, amplitude)", path)
	}
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	rd := rec.Column(0).(*array.Dictionary)
	rs := rd.Dictionary().(*array.String)
	units := rec.Column(1).(*array.Int64).Int64Values()
	ts := rec.Column(2).(*array.Float64).Float64Values()
	type acc struct {
		units map[int64]int
		ids   []int64
		tmin  float64
		tmax  float64
		rows  []int
	}
	byRec := map[string]*acc{}
	var order []string
	for i := range ts {
		name := rs.Value(rd.GetValueIndex(i))
		a := byRec[name]
		if a == nil {
			a = &acc{units: map[int64]int{}, tmin: math.Inf(1), tmax: math.Inf(-1)}
			byRec[name] = a
			order = append(order, name)
		}
		if _, ok := a.units[units[i]]; !ok {
			a.units[units[i]] = 0
			a.ids = append(a.ids, units[i])
		}
		a.tmin = math.Min(a.tmin, ts[i])
		a.tmax = math.Max(a.tmax, ts[i])
		a.rows = append(a.rows, i)
	}
	var out []*table.Recording
	for _, name := range order {
		a := byRec[name]
		sort.Slice(a.ids, func(i, j int) bool { return a.ids[i] < a.ids[j] })
		for c, id := range a.ids {
			a.units[id] = c
		}
		T := int(math.Floor((a.tmax-a.tmin)/bin)) + 1
		if T > 1<<28 {
			return nil, fmt.Errorf("%s: %s: %d bins of %g s: choose a wider bin", path, name, T, bin)
		}
		U := len(a.ids)
		data := make([]float64, T*U)
		for _, i := range a.rows {
			k := int(math.Floor((ts[i] - a.tmin) / bin))
			data[k*U+a.units[units[i]]] += 1 / bin
		}
		tm := make([]float64, T)
		for k := range tm {
			tm[k] = a.tmin + float64(k)*bin
		}
		names := make([]string, U)
		slots := make([]int, U)
		for c, id := range a.ids {
			names[c] = "unit" + strconv.FormatInt(id, 10)
			slots[c] = -1
		}
		out = append(out, &table.Recording{Dataset: "spikes", Worm: name, Neurons: names, Slots: slots, Labeled: make([]bool, U),
			Time: tm, Data: mat.NewDense(T, U, data), SmoothMethod: "none", InterpolateMethod: "none",
			NormalizationMethod: fmt.Sprintf("rate_hz(bin=%gs)", bin), RawDataFile: path})
	}
	return out, nil
}
