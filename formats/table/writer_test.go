package table

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"gonum.org/v1/gonum/mat"
)

// The encodings ParquetProperties promises, read back from the column
// chunk metadata of written files.
func TestColumnEncodings(t *testing.T) {
	dir := t.TempDir()
	has := func(encs []parquet.Encoding, e parquet.Encoding) bool {
		for _, x := range encs {
			if x == e {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		name   string
		kind   Kind
		opt    *WriteOptions
		column string
		want   parquet.Encoding
		absent parquet.Encoding
		codec  compress.Compression
	}{
		{"signal column byte-stream-split", Traces, nil, "calcium_data.list.element", parquet.Encodings.ByteStreamSplit, parquet.Encodings.RLEDict, compress.Codecs.Zstd},
		{"PlainFloats turns it off", Traces, &WriteOptions{PlainFloats: true}, "calcium_data.list.element", parquet.Encodings.Plain, parquet.Encodings.ByteStreamSplit, compress.Codecs.Zstd},
		{"time column plain", Traces, nil, "time_in_seconds.list.element", parquet.Encodings.Plain, parquet.Encodings.ByteStreamSplit, compress.Codecs.Zstd},
		{"ByteStreamSplit on every float", Traces, &WriteOptions{ByteStreamSplit: true}, "median_dt", parquet.Encodings.ByteStreamSplit, parquet.Encodings.RLEDict, compress.Codecs.Zstd},
		{"strings dictionary-encoded", Traces, nil, "neuron", parquet.Encodings.RLEDict, parquet.Encodings.ByteStreamSplit, compress.Codecs.Zstd},
		{"event times delta-encoded", Events, nil, "t", parquet.Encodings.DeltaBinaryPacked, parquet.Encodings.RLEDict, compress.Codecs.Zstd},
		{"state ids dictionary-encoded", States, &WriteOptions{Compression: "snappy"}, "state", parquet.Encodings.RLEDict, parquet.Encodings.DeltaBinaryPacked, compress.Codecs.Snappy},
		{"floats of a result plain", FC, &WriteOptions{Compression: "none"}, "value", parquet.Encodings.Plain, parquet.Encodings.RLEDict, compress.Codecs.Uncompressed},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := buildSample(t, memory.DefaultAllocator, c.kind, false)
			defer rec.Release()
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".parquet")
			if err := WriteParquet(path, c.kind, Provenance{}, nil, c.opt, rec); err != nil {
				t.Fatal(err)
			}
			pf, err := OpenParquet(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			rg := pf.FileReader().MetaData().RowGroup(0)
			idx := pf.FileReader().MetaData().Schema.ColumnIndexByName(c.column)
			if idx < 0 {
				t.Fatalf("no column %s", c.column)
			}
			cc, err := rg.ColumnChunk(idx)
			if err != nil {
				t.Fatal(err)
			}
			if encs := cc.Encodings(); !has(encs, c.want) || has(encs, c.absent) {
				t.Fatalf("%s encodings %v, want %v and not %v", c.column, encs, c.want, c.absent)
			}
			if cc.Compression() != c.codec {
				t.Fatalf("%s codec %v, want %v", c.column, cc.Compression(), c.codec)
			}
		})
	}
}

func TestWriteOptionErrors(t *testing.T) {
	rec := buildSample(t, memory.DefaultAllocator, Edges, false)
	defer rec.Release()
	dir := t.TempDir()
	if err := WriteParquet(filepath.Join(dir, "a.parquet"), Edges, Provenance{}, nil, &WriteOptions{Compression: "brotli9"}, rec); err == nil ||
		!strings.Contains(err.Error(), `unknown compression "brotli9"`) {
		t.Fatalf("unknown codec: %v", err)
	}
	if err := WriteIPC(filepath.Join(dir, "a.arrow"), Edges, Provenance{}, nil, &WriteOptions{Compression: "snappy"}, rec); err == nil ||
		!strings.Contains(err.Error(), `Arrow IPC supports zstd, lz4 or none, not "snappy"`) {
		t.Fatalf("snappy IPC: %v", err)
	}
	if err := WriteParquet(filepath.Join(dir, "p.parquet"), Edges, Provenance{Parameters: map[string]any{"f": func() {}}}, nil, nil, rec); err == nil ||
		!strings.Contains(err.Error(), "provenance parameters") {
		t.Fatalf("unencodable parameter: %v", err)
	}
	for _, name := range []string{"a.parquet", "a.arrow", "p.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s written despite the error", name)
		}
	}
	assertNoTemp(t, dir)
	// Every codec round-trips the values.
	for _, codec := range []string{"zstd", "snappy", "gzip", "lz4", "none"} {
		path := filepath.Join(dir, codec+".parquet")
		if err := WriteParquet(path, Edges, Provenance{}, nil, &WriteOptions{Compression: codec, CompressionLevel: 1}, rec); err != nil {
			t.Fatal(err)
		}
		got, err := ReadRows[EdgeRow](path, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []EdgeRow{{"white_1986_whole", "AVAL", "AVBL", "chemical", 3, math.NaN()}, {"white_1986_whole", "AVAL", "AVBL", "electrical", 0.5, math.NaN()},
			{"randi_2023", "AVAL", "RIML", "functional", -0.12, 0.01}}
		same(t, got, want)
	}
}

// A writer refuses writes after Close, Close twice is harmless, Rows
// counts, and AddMetadata lands in the footer.
func TestParquetWriterLifecycle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	w, err := CreateParquet(path, Edges, Provenance{}, map[string]string{"edges.note": "given"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := buildSample(t, memory.DefaultAllocator, Edges, false)
	defer rec.Release()
	for i := 0; i < 2; i++ {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if w.Rows() != 6 {
		t.Fatalf("Rows() = %d, want 2 × 3", w.Rows())
	}
	w.AddMetadata("edges.summary", `{"n": 6}`)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := w.Write(rec); err == nil || !strings.Contains(err.Error(), "write after close") {
		t.Fatalf("Write after Close: %v", err)
	}
	w.Abort() // after Close: leaves the file
	f, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	md := f.Metadata()
	for k, want := range map[string]string{"edges.note": "given", "edges.summary": `{"n": 6}`, MetaTable: "edges", MetaSources: "[]"} {
		if v, _ := md.GetValue(k); v != want {
			t.Errorf("metadata %s = %q, want %q", k, v, want)
		}
	}
}

// EventsRecord wraps a batch without copying and holds the same values as
// EventsBuilder's copy; SampleColumn reuses a buffer already holding id.
func TestEventsRecordAndSampleColumn(t *testing.T) {
	b := &events.Batch{}
	for i := 0; i < 5; i++ {
		b.Append(int64(10*i), uint16(i), uint16(2*i), int8(i%2))
	}
	eb := NewEventsBuilder(nil)
	defer eb.Release()
	eb.Append(7, b)
	if eb.Len() != 5 {
		t.Fatalf("Len %d", eb.Len())
	}
	copied := eb.NewRecord()
	defer copied.Release()
	samples := SampleColumn(nil, 7, 5)
	wrapped := EventsRecord(b, samples)
	defer wrapped.Release()
	recordsEqual(t, copied, wrapped)
	b.T[0] = 99 // no copy: the record sees the batch
	if got := wrapped.Column(1).(*array.Int64).Value(0); got != 99 {
		t.Fatalf("EventsRecord copied the batch: t[0] = %d", got)
	}
	if again := SampleColumn(samples, 7, 3); &again[0] != &samples[0] {
		t.Fatal("SampleColumn did not reuse a buffer already holding the id")
	}
	other := SampleColumn(samples, 8, 4)
	if fmt.Sprint(other[:4]) != "[8 8 8 8]" {
		t.Fatalf("SampleColumn(8) = %v", other[:4])
	}
	if g := EventsMetadata(events.Geometry{Width: 640, Height: 480, Format: "evt3", TimeOrigin: 1700000000000000}); g[MetaEventsWidth] != "640" ||
		g[MetaEventsHeight] != "480" || g[MetaEventsFormat] != "evt3" || g[MetaEventsTimeOrigin] != "1700000000000000" {
		t.Fatalf("EventsMetadata = %v", g)
	}
}

// MedianDt by hand: spacings of {0, 1, 3, 6} are 1, 2, 3 → 2; of
// {0, 1, 3} are 1, 2 → 1.5; fewer than two times → 0.
func TestMedianDt(t *testing.T) {
	for _, c := range []struct {
		times []float64
		want  float64
	}{{[]float64{0, 1, 3, 6}, 2}, {[]float64{0, 1, 3}, 1.5}, {[]float64{5}, 0}, {nil, 0}, {[]float64{0, 0.5, 1, 1.5}, 0.5}} {
		if got := MedianDt(c.times); got != c.want {
			t.Errorf("MedianDt(%v) = %v, want %v", c.times, got, c.want)
		}
	}
}

func TestRecordingValidate(t *testing.T) {
	ok := func() *Recording {
		return &Recording{Dataset: "d", Worm: "w", Neurons: []string{"A", "B"}, Time: []float64{0, 1, 2}, Data: mat.NewDense(3, 2, nil)}
	}
	for _, c := range []struct {
		name string
		edit func(*Recording)
		msg  string
	}{
		{"no data", func(r *Recording) { r.Data = nil }, "recording d/w: no data"},
		{"neuron names", func(r *Recording) { r.Neurons = r.Neurons[:1] }, "1 neuron names for 2 columns"},
		{"slots", func(r *Recording) { r.Slots = []int{1} }, "1 slots for 2 columns"},
		{"labeled", func(r *Recording) { r.Labeled = []bool{true, false, true} }, "3 labeled flags for 2 columns"},
		{"times", func(r *Recording) { r.Time = r.Time[:2] }, "2 times for 3 samples"},
		{"original", func(r *Recording) { r.Original, r.OriginalTime = mat.NewDense(2, 3, nil), []float64{0, 1} }, "original traces 2×3 with 2 times, want N=2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ok()
			c.edit(r)
			err := r.Validate()
			if !errors.Is(err, neurotab.ErrShape) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Validate = %v, want ErrShape saying %q", err, c.msg)
			}
			tb := NewTracesBuilder(nil)
			defer tb.Release()
			if err := tb.Append(r); !errors.Is(err, neurotab.ErrShape) {
				t.Fatalf("TracesBuilder.Append = %v", err)
			}
		})
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
}

// HashFile: SHA-256 of "abc" is the FIPS 180-2 test vector.
func TestHashFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "abc")
	os.WriteFile(path, []byte("abc"), 0o644)
	sf, err := HashFile(path)
	if err != nil || sf != (SourceFile{path, 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}) {
		t.Fatalf("HashFile = %+v, %v", sf, err)
	}
	if _, err := HashFile(path + ".missing"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("HashFile(missing) = %v", err)
	}
}
