package table

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// TestFlatWriterRowGroups: events written with concurrently encoded
// columns, over several records and many small row groups, read back
// exactly (values, schema metadata, footer metadata) in row groups of
// RowGroupBytes, and the serial writer's file has the same content.
func TestFlatWriterRowGroups(t *testing.T) {
	dir := t.TempDir()
	const n = 50000
	b := &events.Batch{}
	for i := 0; i < n; i++ {
		b.Append(int64(3*i+i%7), uint16((i*37)%640), uint16((i*11)%480), int8(i%2))
	}
	write := func(name string, serial bool) *ParquetFile {
		path := filepath.Join(dir, name)
		opt := &WriteOptions{RowGroupBytes: 64 << 10, SerialColumns: serial}
		w, err := CreateParquet(path, Events, Provenance{Seed: func() *neurotab.Seed { s := neurotab.Seed(7); return &s }()}, map[string]string{"events.width": "640"}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if (w.flat != nil) == serial {
			t.Fatalf("serial=%v: flat writer %v", serial, w.flat != nil)
		}
		// Three records of uneven sizes, the last one sliced.
		for k, span := range [][2]int{{0, 1}, {1, 20001}, {20001, n}} {
			sub := &events.Batch{T: b.T[span[0]:span[1]], X: b.X[span[0]:span[1]], Y: b.Y[span[0]:span[1]], P: b.P[span[0]:span[1]]}
			eb := NewEventsBuilder(nil)
			eb.Append(int32(k), sub)
			rec := eb.NewRecord()
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
			eb.Release()
		}
		w.AddMetadata("events.count", "50000")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		pf, err := OpenParquet(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pf.Close() })
		return pf
	}
	conc, ser := write("concurrent.parquet", false), write("serial.parquet", true)
	// 17 bytes a row (int32, int64, 2 × uint16, int8): a row group closes
	// at the first row that reaches 64 KiB, ⌈65536/17⌉ = 3856 rows, the
	// record boundaries not mattering.
	const perGroup = (64<<10 + 16) / 17
	if got := conc.NumRowGroups(); got != (n+perGroup-1)/perGroup {
		t.Errorf("concurrent writer: %d row groups, want %d", got, (n+perGroup-1)/perGroup)
	}
	for i := 0; i < conc.NumRowGroups()-1; i++ {
		if rows := conc.FileReader().MetaData().RowGroup(i).NumRows(); rows != perGroup {
			t.Errorf("row group %d has %d rows, want %d", i, rows, perGroup)
		}
	}
	var serRows []int64
	for i := 0; i < ser.NumRowGroups(); i++ {
		serRows = append(serRows, ser.FileReader().MetaData().RowGroup(i).NumRows())
	}
	// The serial writer buffers the 1-row and 20000-row records into one
	// row group (340 017 bytes ≥ 64 KiB closes it), then cuts the
	// 29 999-row record into groups of ⌊29999·65536/509983⌋ = 3855 rows.
	if want := "[20001 3855 3855 3855 3855 3855 3855 3855 3014]"; fmt.Sprint(serRows) != want {
		t.Errorf("serial writer row groups %v, want %s", serRows, want)
	}
	for _, key := range []string{"events.width", MetaSeed, "events.count"} {
		if v, ok := conc.Metadata().GetValue(key); !ok || v == "" {
			t.Errorf("metadata %s missing", key)
		}
	}
	if v, _ := conc.Metadata().GetValue("events.count"); v != "50000" {
		t.Errorf("events.count = %q", v)
	}
	read := func(pf *ParquetFile) (ts []int64, xs, ys []uint16, ps []int8, samples []int32) {
		rec, err := pf.ReadAll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		for i, f := range Schema(Events).Fields() {
			if g := rec.Schema().Field(i); g.Name != f.Name || !arrow.TypeEqual(g.Type, f.Type) || g.Nullable != f.Nullable {
				t.Fatalf("column %d is %v, want %v", i, g, f)
			}
		}
		return rec.Column(1).(*array.Int64).Int64Values(), rec.Column(2).(*array.Uint16).Uint16Values(),
			rec.Column(3).(*array.Uint16).Uint16Values(), rec.Column(4).(*array.Int8).Int8Values(),
			rec.Column(0).(*array.Int32).Int32Values()
	}
	ts, xs, ys, ps, ss := read(conc)
	if len(ts) != n {
		t.Fatalf("%d rows, want %d", len(ts), n)
	}
	for i := range ts {
		wantS := int32(2)
		switch {
		case i < 1:
			wantS = 0
		case i < 20001:
			wantS = 1
		}
		if ts[i] != b.T[i] || xs[i] != b.X[i] || ys[i] != b.Y[i] || ps[i] != b.P[i] || ss[i] != wantS {
			t.Fatalf("row %d: (%d %d %d %d %d), want (%d %d %d %d %d)", i, ss[i], ts[i], xs[i], ys[i], ps[i], wantS, b.T[i], b.X[i], b.Y[i], b.P[i])
		}
	}
	ts2, xs2, ys2, ps2, ss2 := read(ser)
	for i := range ts2 {
		if ts2[i] != ts[i] || xs2[i] != xs[i] || ys2[i] != ys[i] || ps2[i] != ps[i] || ss2[i] != ss[i] {
			t.Fatalf("row %d differs between the concurrent and serial writers", i)
		}
	}
}
