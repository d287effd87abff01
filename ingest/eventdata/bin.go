package eventdata

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/spikes"
	"gonum.org/v1/gonum/mat"
)

// EventsFile is an events-table Parquet file opened for streaming.
type EventsFile struct {
	Path    string
	Width   int
	Height  int
	Format  string
	Samples []table.EventsSample // from the events.samples metadata, when present
	pf      *table.ParquetFile
}

// OpenEvents opens an events table written by neurotab (or any Parquet file
// with the events schema).
func OpenEvents(path string) (*EventsFile, error) {
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		return nil, err
	}
	ef, err := eventsFile(pf, path)
	if err != nil {
		pf.Close()
		return nil, err
	}
	return ef, nil
}

// eventsFile reads the geometry of an opened events table from its
// metadata; closing the EventsFile closes pf.
func eventsFile(pf *table.ParquetFile, path string) (*EventsFile, error) {
	if k, ok := table.KindOf(pf.Schema()); !ok || k != table.Events {
		return nil, fmt.Errorf("%s: not an events table (columns sample, t, x, y, p): %w", path, neurotab.ErrSchema)
	}
	md := pf.Metadata()
	ef := &EventsFile{Path: path, pf: pf}
	if v, ok := md.GetValue(table.MetaEventsWidth); ok {
		ef.Width, _ = strconv.Atoi(v)
	}
	if v, ok := md.GetValue(table.MetaEventsHeight); ok {
		ef.Height, _ = strconv.Atoi(v)
	}
	ef.Format, _ = md.GetValue(table.MetaEventsFormat)
	if v, ok := md.GetValue(table.MetaEventsSamples); ok {
		if err := json.Unmarshal([]byte(v), &ef.Samples); err != nil {
			return nil, fmt.Errorf("%s: metadata %s: %v: %w", path, table.MetaEventsSamples, err, neurotab.ErrMalformed)
		}
	}
	return ef, nil
}

// BinOptions say how Bin bins a table.
type BinOptions struct {
	// Width is the bin width, at least 1 µs (events tables count whole µs).
	Width time.Duration
	// Frames asks for per-pixel count frames of one sample (BinFrames);
	// otherwise every sample, or every recording of a spikes table, becomes
	// per-channel rates (BinRates, spikes.BinRatesTable).
	Frames bool
	// Sample is the sample id binned into frames; -1 takes the first sample
	// in the file.
	Sample int32
	// MergePolarity counts both polarities in one frame channel.
	MergePolarity bool
	// Channels is the number of rate channels of an events table; 0 takes
	// the sensor width.
	Channels int
}

// Binned is what Bin made: with BinOptions.Frames the counts, flat
// row-major with Shape [B][C][H][W] (bins, polarity OFF then ON, height,
// width); otherwise Rates, one recording per sample, rows are time.
type Binned struct {
	Kind   table.Kind // the table binned: table.Events or table.Spikes
	Frames []uint32
	Shape  [4]int
	Rates  []*table.Recording
}

// Bin opens the table at path once and bins it: an events table (ingest of
// event-camera or spike-list files) into frames or rates with the sensor
// geometry from its metadata, streaming its record batches; a spikes table
// (ingest --source nwb-units) into rates. A spikes table has no pixels, so
// Frames of one is an error wrapping neurotab.ErrParam, as is a Width below
// 1 µs.
func Bin(path string, o BinOptions) (*Binned, error) {
	if o.Width.Microseconds() <= 0 {
		return nil, fmt.Errorf("eventdata: bin width %v is below 1µs: %w", o.Width, neurotab.ErrParam)
	}
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	if k, _ := table.KindOf(pf.Schema()); k == table.Spikes {
		if o.Frames {
			return nil, fmt.Errorf("%s: a spikes table has no pixels to bin into frames; bin it into rates: %w", path, neurotab.ErrParam)
		}
		recs, err := spikes.BinRatesTable(pf, path, o.Width)
		if err != nil {
			return nil, err
		}
		return &Binned{Kind: table.Spikes, Rates: recs}, nil
	}
	ef, err := eventsFile(pf, path)
	if err != nil {
		return nil, err
	}
	out := &Binned{Kind: table.Events}
	if o.Frames {
		out.Frames, out.Shape, err = BinFrames(ef, o.Sample, o.Width, o.MergePolarity)
	} else {
		out.Rates, err = BinRates(ef, o.Width, o.Channels)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Close closes the file.
func (e *EventsFile) Close() error { return e.pf.Close() }

// Each streams the file's events, calling fn with runs of consecutive rows
// of one sample (a sample's rows may come in several calls). The batch is
// reused between calls.
func (e *EventsFile) Each(fn func(sample int32, b *events.Batch) error) error {
	rr, err := e.pf.Records(context.Background(), 1<<20)
	if err != nil {
		return err
	}
	defer rr.Release()
	var b events.Batch
	for rr.Next() {
		rec := rr.RecordBatch()
		smp := rec.Column(0).(*array.Int32).Int32Values()
		ts := rec.Column(1).(*array.Int64).Int64Values()
		xs := rec.Column(2).(*array.Uint16).Uint16Values()
		ys := rec.Column(3).(*array.Uint16).Uint16Values()
		ps := rec.Column(4).(*array.Int8).Int8Values()
		for start := 0; start < len(smp); {
			end := start + 1
			for end < len(smp) && smp[end] == smp[start] {
				end++
			}
			b.Reset()
			b.T = append(b.T, ts[start:end]...)
			b.X = append(b.X, xs[start:end]...)
			b.Y = append(b.Y, ys[start:end]...)
			b.P = append(b.P, ps[start:end]...)
			if err := fn(smp[start], &b); err != nil {
				return fmt.Errorf("%s: sample %d: %w", e.Path, smp[start], err)
			}
			start = end
		}
	}
	if err := rr.Err(); err != nil && err != io.EOF {
		return fmt.Errorf("%s: %w", e.Path, err)
	}
	return nil
}

// BinFrames bins one sample of an events file into per-pixel event counts
// over fixed time bins (events.FrameBinner; tonic's ToFrame with a time
// window). sample -1 takes the first sample in the file. It returns the
// counts, flat row-major with shape [B][C][H][W]. bin is applied in whole
// microseconds, the events table's resolution.
func BinFrames(e *EventsFile, sample int32, bin time.Duration, merge bool) ([]uint32, [4]int, error) {
	binUS := bin.Microseconds()
	if binUS <= 0 {
		return nil, [4]int{}, fmt.Errorf("%s: bin width %v: want at least 1µs: %w", e.Path, bin, neurotab.ErrParam)
	}
	if e.Width <= 0 || e.Height <= 0 {
		return nil, [4]int{}, fmt.Errorf("%s: no sensor size in the metadata (events.width/height): %w", e.Path, neurotab.ErrNotFound)
	}
	fb := &events.FrameBinner{Width: e.Width, Height: e.Height, BinWidth: binUS, MergePolarity: merge}
	var data []uint32
	collect := func(_ int64, fr []uint32) error { data = append(data, fr...); return nil }
	found := false
	err := e.Each(func(s int32, b *events.Batch) error {
		if sample < 0 {
			sample = s
		}
		if s != sample {
			return nil
		}
		found = true
		return fb.Push(b, collect)
	})
	if err != nil {
		return nil, [4]int{}, err
	}
	if !found {
		return nil, [4]int{}, fmt.Errorf("%s: no events of sample %d: %w", e.Path, sample, neurotab.ErrNotFound)
	}
	if err := fb.Flush(collect); err != nil {
		return nil, [4]int{}, fmt.Errorf("%s: %w", e.Path, err)
	}
	c := fb.Channels()
	return data, [4]int{len(data) / (c * e.Width * e.Height), c, e.Height, e.Width}, nil
}

// BinRates turns every sample of a 1-D events or spike file (x = channel)
// into firing rates in fixed time bins (events.RateBinner), one Recording
// per sample, rows are time: rate[k][c] = count / bin width, Hz. channels 0
// takes the sensor width from the metadata. The recordings feed the traces
// table, so fit/ and analysis/ take binned events like calcium traces. bin
// is applied in whole microseconds, the events table's resolution.
func BinRates(e *EventsFile, bin time.Duration, channels int) ([]*table.Recording, error) {
	binUS := bin.Microseconds()
	if binUS <= 0 {
		return nil, fmt.Errorf("%s: bin width %v: want at least 1µs: %w", e.Path, bin, neurotab.ErrParam)
	}
	if channels <= 0 {
		channels = e.Width
	}
	if channels <= 0 {
		return nil, fmt.Errorf("%s: the number of channels is unknown; give it: %w", e.Path, neurotab.ErrParam)
	}
	type acc struct {
		rb     *events.RateBinner
		data   []float64
		origin int64
		set    bool
	}
	accs := map[int32]*acc{}
	var order []int32
	err := e.Each(func(s int32, b *events.Batch) error {
		a := accs[s]
		if a == nil {
			a = &acc{rb: &events.RateBinner{Channels: channels, BinWidth: binUS}}
			accs[s] = a
			order = append(order, s)
		}
		if !a.set && b.Len() > 0 {
			a.origin, a.set = b.T[0], true
		}
		return a.rb.Push(b, func(_ int64, r []float64) error { a.data = append(a.data, r...); return nil })
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, channels)
	for c := range names {
		names[c] = "ch" + strconv.Itoa(c)
	}
	slots := make([]int, channels)
	for c := range slots {
		slots[c] = -1
	}
	var out []*table.Recording
	for _, s := range order {
		a := accs[s]
		if err := a.rb.Flush(func(_ int64, r []float64) error { a.data = append(a.data, r...); return nil }); err != nil {
			return nil, fmt.Errorf("%s: sample %d: %w", e.Path, s, err)
		}
		T := len(a.data) / channels
		if T == 0 {
			continue
		}
		tm := make([]float64, T)
		for k := range tm {
			tm[k] = float64(a.origin+int64(k)*binUS) * 1e-6
		}
		worm, raw := "sample"+strconv.Itoa(int(s)), e.Path
		for _, sm := range e.Samples {
			if sm.Sample == s {
				raw = sm.Path
			}
		}
		out = append(out, &table.Recording{Dataset: "events:" + e.Format, Worm: worm, Neurons: names, Slots: slots,
			Labeled: make([]bool, channels), Time: tm, Data: mat.NewDense(T, channels, a.data),
			SmoothMethod: "none", InterpolateMethod: "none", NormalizationMethod: fmt.Sprintf("rate_hz(bin=%dus)", binUS), RawDataFile: raw})
	}
	return out, nil
}
