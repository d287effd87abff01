// Package spikes converts spike-sorted recordings (NWB Units tables) into
// the spikes table (recording, unit, t s) and bins spike trains into firing
// rates, so fit/ and analysis/ take them like calcium traces. ToFile and
// ToDir have the shape of every ingest converter: []ingest.Input in,
// []ingest.FileResult out (one Recording per file, Events counting spikes).
package spikes

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/nwb"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"
)

// Config sets a conversion to the spikes table.
type Config struct {
	Write *table.WriteOptions // Parquet settings
	Prov  table.Provenance    // command, parameters; every converted input is added as a source
	// Progress, when set, is called after each input with Files 1 and the
	// input's size.
	Progress func(ingest.Progress)
}

// RecordingName is the recording id of an NWB file in the spikes table:
// its file name without the extension.
func RecordingName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// Source is the name of the one spike-sorted source: NWB 2.x Units tables.
// Description and Citation describe it for `neurotab ingest list`.
const (
	Source      = "nwb-units"
	Description = "NWB 2.x Units table: spike_times + spike_times_index, id"
	Citation    = "Rübel et al. 2022, eLife 11:e78362, doi:10.7554/eLife.78362"
)

// Reads reports whether path is an NWB file: an .nwb name and the HDF5
// signature (formats/sniff).
func Reads(path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".nwb") {
		return false
	}
	head, err := sniff.Head(path)
	return err == nil && sniff.IsHDF5(head)
}

// Expand replaces each folder among paths by the NWB files in it, sorted;
// see ingest.Expand.
func Expand(paths []string) ([]string, error) {
	return ingest.Expand(paths, Reads, nil, "NWB files (.nwb)")
}

// AppendNWB adds the Units table of one NWB file (Rübel et al. 2022,
// doi:10.7554/eLife.78362: spike_times with its VectorIndex
// spike_times_index, and id) to rb, one row per spike, in unit order. The
// result has one Recording (the file's recording id, Neurons counting its
// units) and Events counting its spikes.
func AppendNWB(rb *table.RowBuilder, path string) (res ingest.FileResult) {
	rec := ingest.Recording{Dataset: "spikes", Worm: RecordingName(path)}
	res.Input = ingest.Input{Path: path, Source: Source}
	defer func() { res.Recordings = []ingest.Recording{rec} }()
	f, err := nwb.Open(path)
	if err != nil {
		res.Err = err
		return res
	}
	defer f.Close()
	err = f.EachUnit(func(i int, id int64, times []float64) error {
		rec.Neurons++
		for _, t := range times {
			if math.IsNaN(t) || math.IsInf(t, 0) {
				return fmt.Errorf("%s: unit %d: spike time %v: %w", path, id, t, neurotab.ErrNotFinite)
			}
			if err := rb.Append(rec.Worm, id, t, nil); err != nil {
				return fmt.Errorf("%s: unit %d: %w", path, id, err)
			}
			res.Events++
		}
		return nil
	})
	res.Err = err
	return res
}

// ToFile writes the spikes of every NWB input into one spikes Parquet file,
// in input order. A file that fails is reported and contributes no rows
// (its rows are built apart and only appended once it has been read whole).
// The error is non-nil when nothing could be written.
func ToFile(inputs []ingest.Input, out string, cfg Config) ([]ingest.FileResult, error) {
	var results []ingest.FileResult
	var w table.TableWriter
	for _, in := range inputs {
		r, rec := readOne(in.Path)
		r.Sample = in.Sample
		if rec != nil {
			err := func() error {
				defer rec.Release()
				if w == nil {
					var err error
					if w, err = table.CreateFile(out, table.Spikes, cfg.Prov, nil, cfg.Write); err != nil {
						return err
					}
				}
				return w.Write(rec)
			}()
			if err != nil {
				if w != nil {
					w.Abort()
				}
				return append(results, r), err
			}
			w.AddSource(table.SourceFile{Path: r.Path, Bytes: r.Bytes, SHA256: r.SHA256})
			r.Output = out
			r.Recordings[0].Output = out
		}
		results = append(results, r)
		if cfg.Progress != nil {
			cfg.Progress(ingest.Progress{Files: 1, Bytes: r.Bytes})
		}
	}
	if w == nil {
		return results, fmt.Errorf("spikes: no input could be converted: %w", ingest.FirstErr(results))
	}
	return results, w.Close()
}

// ToDir writes each NWB input as its own partition of a hive-partitioned
// spikes dataset, dir/recording=<recording id>/part-0.parquet, in input
// order. Each output is written atomically; a failing input leaves no file
// and the others still convert. Two inputs with one recording id are an
// error for the second.
func ToDir(inputs []ingest.Input, dir string, cfg Config) []ingest.FileResult {
	results := make([]ingest.FileResult, len(inputs))
	seen := map[string]string{}
	for i, in := range inputs {
		name := RecordingName(in.Path)
		if first, dup := seen[name]; dup {
			results[i] = ingest.FileResult{Input: in, Err: fmt.Errorf("%s: recording id %q already used by %s; the partition would collide: %w", in.Path, name, first, neurotab.ErrParam)}
		} else {
			seen[name] = in.Path
			results[i] = writePartition(in, dir, &cfg)
		}
		if cfg.Progress != nil {
			cfg.Progress(ingest.Progress{Files: 1, Bytes: results[i].Bytes})
		}
	}
	return results
}

// writePartition converts one input into its partition of dir.
func writePartition(in ingest.Input, dir string, cfg *Config) ingest.FileResult {
	r, rec := readOne(in.Path)
	r.Sample = in.Sample
	if rec == nil {
		return r
	}
	defer rec.Release()
	out, err := table.PartitionFile(dir, 0, table.Partition{Key: "recording", Value: r.Recordings[0].Worm})
	if err == nil {
		prov := cfg.Prov
		prov.Sources = []table.SourceFile{{Path: r.Path, Bytes: r.Bytes, SHA256: r.SHA256}}
		err = table.WriteParquet(out, table.Spikes, prov, nil, cfg.Write, rec)
	}
	if err != nil {
		r.Err = err
		return r
	}
	r.Output, r.Recordings[0].Output = out, out
	return r
}

// readOne reads and hashes one NWB file; the record is nil when it failed.
func readOne(path string) (ingest.FileResult, arrow.RecordBatch) {
	rb := table.NewRowBuilder(nil, table.Spikes)
	defer rb.Release()
	r := AppendNWB(rb, path)
	if r.Err != nil {
		return r, nil
	}
	sf, err := table.HashFile(path)
	if err != nil {
		r.Err = err
		return r, nil
	}
	r.Bytes, r.SHA256 = sf.Bytes, sf.SHA256
	return r, rb.NewRecord()
}

// BinRates reads a spikes table and bins each recording's spike trains into
// firing rates: rate[k][u] = #{spikes of unit u in [t0 + k·bin, t0 + (k+1)·bin)} / bin,
// in Hz (recorded as NormalizationMethod "rate_hz(bin=…s)"), with t0 the
// recording's start — t = 0, the NWB session start that spike times count
// from (or the bin holding the first spike, when a spike time is negative)
// — so the bins of several tables or units line up; units in ascending id
// order are the columns ("unit<id>"). Rows are time.
func BinRates(path string, width time.Duration) ([]*table.Recording, error) {
	if err := checkWidth(width); err != nil {
		return nil, err
	}
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	return BinRatesTable(pf, path, width)
}

// BinRatesTable is BinRates on an opened spikes table; path names it in
// errors and in the recordings' RawDataFile.
func BinRatesTable(pf *table.ParquetFile, path string, width time.Duration) ([]*table.Recording, error) {
	if err := checkWidth(width); err != nil {
		return nil, err
	}
	bin := width.Seconds()
	if k, ok := table.KindOf(pf.Schema()); !ok || k != table.Spikes {
		return nil, fmt.Errorf("%s: not a spikes table (recording, unit, t, amplitude): %w", path, neurotab.ErrSchema)
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
		t0 := math.Min(0, math.Floor(a.tmin/bin)*bin)
		T := int(math.Floor((a.tmax-t0)/bin)) + 1
		if T > 1<<28 {
			return nil, fmt.Errorf("%s: %s: %d bins of %g s: choose a wider bin: %w", path, name, T, bin, neurotab.ErrTooLarge)
		}
		U := len(a.ids)
		data := make([]float64, T*U)
		for _, i := range a.rows {
			k := min(int(math.Floor((ts[i]-t0)/bin)), T-1)
			data[k*U+a.units[units[i]]] += 1 / bin
		}
		tm := make([]float64, T)
		for k := range tm {
			tm[k] = t0 + float64(k)*bin
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

// checkWidth rejects a bin width that is not positive.
func checkWidth(width time.Duration) error {
	if width <= 0 {
		return fmt.Errorf("spikes: bin width %v must be positive: %w", width, neurotab.ErrParam)
	}
	return nil
}
