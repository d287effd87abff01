package table_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

func tempDir() string {
	dir, err := os.MkdirTemp("", "table-example")
	if err != nil {
		log.Fatal(err)
	}
	return dir
}

// A recording written as a traces table (one row per neuron) and streamed
// back, one Recording at a time.
func ExampleOpenRecordings() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "traces.parquet")

	tb := table.NewTracesBuilder(nil)
	defer tb.Release()
	for _, worm := range []string{"worm0", "worm1"} {
		r := &table.Recording{
			Dataset: "Demo", Worm: worm,
			Neurons: []string{"AVAL", "AVAR"}, Slots: []int{45, 46}, Labeled: []bool{true, true},
			Time: []float64{0, 0.5, 1},
			Data: mat.NewDense(3, 2, []float64{ // T × N, rows are time
				1, 10,
				2, 20,
				3, 30,
			}),
		}
		if err := tb.Append(r); err != nil {
			log.Fatal(err)
		}
	}
	rec := tb.NewRecord()
	defer rec.Release()
	if err := table.WriteParquet(path, table.Traces, table.Provenance{}, nil, nil, rec); err != nil {
		log.Fatal(err)
	}

	rr, err := table.OpenRecordings(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Close()
	for {
		r, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		T, N := r.Data.Dims()
		fmt.Printf("%s/%s: %d × %d, %v, AVAR at t=%v s: %v\n", r.Dataset, r.Worm, T, N, r.Neurons, r.Time[2], r.Data.At(2, 1))
	}
	// Output:
	// Demo/worm0: 3 × 2, [AVAL AVAR], AVAR at t=1 s: 30
	// Demo/worm1: 3 × 2, [AVAL AVAR], AVAR at t=1 s: 30
}

// The one-row-per-sample layout, read back as typed rows.
func ExampleLongBuilder() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "traces_long.parquet")

	lb := table.NewLongBuilder(nil)
	defer lb.Release()
	r := &table.Recording{Dataset: "Demo", Worm: "worm0", Neurons: []string{"AVAL", "AVAR"},
		Time: []float64{0, 0.5}, Data: mat.NewDense(2, 2, []float64{1, 10, 2, 20})}
	if err := lb.Append(r); err != nil {
		log.Fatal(err)
	}
	rec := lb.NewRecord()
	defer rec.Release()
	if err := table.WriteParquet(path, table.TracesLong, table.Provenance{}, nil, nil, rec); err != nil {
		log.Fatal(err)
	}

	rows, err := table.ReadRows[table.TracesLongRow](path, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range rows {
		fmt.Println(row.Neuron, row.T, row.Value)
	}
	// Output:
	// AVAL 0 1
	// AVAL 0.5 2
	// AVAR 0 10
	// AVAR 0.5 20
}

// Functional connectivity written from typed rows and read back; a null
// p-value reads as NaN.
func ExampleWriteRows() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "fc.parquet")

	nan := math.NaN() // stored as null
	rows := []table.FCRow{
		{SourceDataset: "Demo", Worm: "worm0", Window: 0, TStart: 0, TEnd: 60, Pre: "AVAL", Post: "AVAR", Measure: "pearson", Value: 0.8, PValue: 0.001, QValue: 0.002},
		{SourceDataset: "Demo", Worm: "worm0", Window: 0, TStart: 0, TEnd: 60, Pre: "AVAL", Post: "RIML", Measure: "pearson", Value: -0.1, PValue: nan, QValue: nan},
	}
	if err := table.WriteRows(path, table.Provenance{}, nil, rows); err != nil {
		log.Fatal(err)
	}

	back, err := table.ReadRows[table.FCRow](path, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range back {
		fmt.Printf("%s/%s window %d [%g, %g] s: C[%s][%s] = %g (p %g)\n", r.SourceDataset, r.Worm, r.Window, r.TStart, r.TEnd, r.Pre, r.Post, r.Value, r.PValue)
	}
	// Output:
	// Demo/worm0 window 0 [0, 60] s: C[AVAL][AVAR] = 0.8 (p 0.001)
	// Demo/worm0 window 0 [0, 60] s: C[AVAL][RIML] = -0.1 (p NaN)
}

// Metrics built row by row from Go values; a nil neuron is a figure of the
// whole recording and reads back as "".
func ExampleRowBuilder() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "metrics.parquet")

	rb := table.NewRowBuilder(nil, table.Metrics)
	defer rb.Release()
	// model, source_dataset, worm, neuron, split, metric, value
	if err := rb.Append("ridge", "Demo", "worm0", "AVAL", "test", "r2", 0.75); err != nil {
		log.Fatal(err)
	}
	if err := rb.AppendRow(table.MetricRow{Model: "ridge", SourceDataset: "Demo", Worm: "worm0", Split: "test", Metric: "nrmse", Value: 0.5}); err != nil {
		log.Fatal(err)
	}
	rec := rb.NewRecord()
	defer rec.Release()
	if err := table.WriteParquet(path, table.Metrics, table.Provenance{}, nil, nil, rec); err != nil {
		log.Fatal(err)
	}

	rows, err := table.ReadRows[table.MetricRow](path, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Printf("%s %s/%s neuron %q %s %s = %g\n", r.Model, r.SourceDataset, r.Worm, r.Neuron, r.Split, r.Metric, r.Value)
	}
	// Output:
	// ridge Demo/worm0 neuron "AVAL" test r2 = 0.75
	// ridge Demo/worm0 neuron "" test nrmse = 0.5
}

// HMM state posteriors streamed row by row.
func ExampleOpenRows() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "states.parquet")
	rows := []table.StateRow{
		{Model: "hmm", SourceDataset: "Demo", Worm: "worm0", T: 0, State: 0, Posterior: 0.9},
		{Model: "hmm", SourceDataset: "Demo", Worm: "worm0", T: 0.5, State: 1, Posterior: 0.6},
	}
	if err := table.WriteRows(path, table.Provenance{}, nil, rows); err != nil {
		log.Fatal(err)
	}

	rr, err := table.OpenRows[table.StateRow](path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Close()
	for {
		r, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("t=%g s: state %d (%g)\n", r.T, r.State, r.Posterior)
	}
	// Output:
	// t=0 s: state 0 (0.9)
	// t=0.5 s: state 1 (0.6)
}

// Events (t in µs) written with the sensor geometry in the metadata, then
// streamed back as record batches through the one File shape.
func ExampleEventsBuilder() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "events.parquet")

	b := &events.Batch{}
	b.Append(10, 3, 4, 1)
	b.Append(25, 639, 479, 0)
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	eb.Append(0, b)
	rec := eb.NewRecord()
	defer rec.Release()
	geom := table.EventsMetadata(events.Geometry{Width: 640, Height: 480, Format: "evt3"})
	if err := table.WriteParquet(path, table.Events, table.Provenance{}, geom, nil, rec); err != nil {
		log.Fatal(err)
	}

	f, err := table.Open(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w, _ := f.Metadata().GetValue(table.MetaEventsWidth)
	fmt.Println("width", w)
	rr, err := f.Records(context.Background(), 0)
	if err != nil {
		log.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		r := rr.RecordBatch()
		t, x, y, p := r.Column(1).(*array.Int64), r.Column(2).(*array.Uint16), r.Column(3).(*array.Uint16), r.Column(4).(*array.Int8)
		for i := 0; i < int(r.NumRows()); i++ {
			fmt.Printf("t=%d µs (%d, %d) p=%d\n", t.Value(i), x.Value(i), y.Value(i), p.Value(i))
		}
	}
	if err := rr.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// width 640
	// t=10 µs (3, 4) p=1
	// t=25 µs (639, 479) p=0
}

// Provenance: the command, parameters, seed and hashed inputs of a file,
// read back from its metadata.
func ExampleNewProvenance() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input.csv")
	if err := os.WriteFile(in, []byte("abc"), 0o644); err != nil {
		log.Fatal(err)
	}
	seed := neurotab.Seed(7)
	prov, err := table.NewProvenance([]string{"neurotab", "fc", "input.csv"}, map[string]any{"measure": "pearson"}, &seed, in)
	if err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(dir, "fc.parquet")
	if err := table.WriteRows(out, prov, nil, []table.FCRow{{SourceDataset: "Demo", Worm: "worm0", Pre: "A", Post: "B", Measure: "pearson", Value: 1}}); err != nil {
		log.Fatal(err)
	}

	f, err := table.Open(out, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	p, kind, err := table.ParseProvenance(f.Metadata())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(kind, p.Command, p.Parameters, *p.Seed)
	for _, s := range p.Sources {
		fmt.Println(filepath.Base(s.Path), s.Bytes, s.SHA256) // SHA-256("abc"), FIPS 180-2
	}
	// Output:
	// fc [neurotab fc input.csv] map[measure:pearson] 7
	// input.csv 3 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
}
