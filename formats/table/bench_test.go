package table

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"gonum.org/v1/gonum/mat"
)

// benchRecordings makes worms × neurons × T samples of AR(1) calcium-like
// signals (seeded), sampled every 0.333 s.
func benchRecordings(worms, neurons, T int) []*Recording {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]*Recording, worms)
	for w := range out {
		d := mat.NewDense(T, neurons, nil)
		for j := 0; j < neurons; j++ {
			x := 0.0
			for i := 0; i < T; i++ {
				x = 0.95*x + rng.NormFloat64()*0.3
				d.Set(i, j, x)
			}
		}
		tm := make([]float64, T)
		for i := range tm {
			tm[i] = float64(i) * 0.333
		}
		names := make([]string, neurons)
		for j := range names {
			names[j] = fmt.Sprintf("N%03d", j)
		}
		out[w] = &Recording{Dataset: "bench", Worm: fmt.Sprintf("worm%02d", w), Neurons: names, Time: tm, Data: d}
	}
	return out
}

const benchWorms, benchNeurons, benchT = 50, 100, 2000 // 10 million samples

func longRecord(b *testing.B) arrow.RecordBatch {
	lb := NewLongBuilder(nil)
	defer lb.Release()
	for _, r := range benchRecordings(benchWorms, benchNeurons, benchT) {
		if err := lb.Append(r); err != nil {
			b.Fatal(err)
		}
	}
	return lb.NewRecord()
}

func tracesRecord(b *testing.B) arrow.RecordBatch {
	tb := NewTracesBuilder(nil)
	defer tb.Release()
	for _, r := range benchRecordings(benchWorms, benchNeurons, benchT) {
		if err := tb.Append(r); err != nil {
			b.Fatal(err)
		}
	}
	return tb.NewRecord()
}

func report(b *testing.B, bytes, rows, samples int64, out string) {
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(bytes)/1e6/sec, "MB/s")
	b.ReportMetric(float64(rows)/sec, "rows/s")
	b.ReportMetric(float64(samples)/sec, "samples/s")
	if st, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "file-MB")
	}
}

// BenchmarkWriteTraces writes a 10-million-sample traces table in both
// layouts through ParquetWriter, and the long layout through raw pqarrow
// with the same codec and dictionary settings (the reference the issue sets:
// neurotab ≥ 90 % of raw pqarrow).
func BenchmarkWriteTraces(b *testing.B) {
	long := longRecord(b)
	defer long.Release()
	wide := tracesRecord(b)
	defer wide.Release()
	dir := b.TempDir()
	cases := []struct {
		name string
		kind Kind
		rec  arrow.RecordBatch
		opt  *WriteOptions
		raw  bool
	}{
		{"long/raw-pqarrow", TracesLong, long, nil, true},
		{"long/neurotab", TracesLong, long, nil, false},
		{"long/neurotab-plain", TracesLong, long, &WriteOptions{PlainFloats: true}, false},
		{"long/neurotab-bss", TracesLong, long, &WriteOptions{ByteStreamSplit: true}, false},
		{"lists/neurotab", Traces, wide, nil, false},
		{"lists/neurotab-plain", Traces, wide, &WriteOptions{PlainFloats: true}, false},
		{"lists/neurotab-bss", Traces, wide, &WriteOptions{ByteStreamSplit: true}, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			out := filepath.Join(dir, strings.ReplaceAll(c.name, "/", "-")+".parquet")
			bytes := recordBytes(c.rec)
			b.SetBytes(bytes)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var err error
				if c.raw {
					err = rawPqarrow(out, c.rec)
				} else {
					err = WriteParquet(out, c.kind, Provenance{}, nil, c.opt, c.rec)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			report(b, bytes, c.rec.NumRows(), benchWorms*benchNeurons*benchT, out)
		})
	}
}

func rawPqarrow(path string, rec arrow.RecordBatch) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithDictionaryDefault(false),
		parquet.WithDictionaryFor("source_dataset", true), parquet.WithDictionaryFor("worm", true), parquet.WithDictionaryFor("neuron", true),
		parquet.WithMaxRowGroupLength(1<<30))
	w, err := pqarrow.NewFileWriter(rec.Schema(), f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	if err := w.Write(rec); err != nil {
		return err
	}
	return w.Close()
}

// BenchmarkReadTraces streams the files back record batch by record batch.
func BenchmarkReadTraces(b *testing.B) {
	dir := b.TempDir()
	for _, c := range []struct {
		name string
		kind Kind
		make func(*testing.B) arrow.RecordBatch
	}{{"long", TracesLong, longRecord}, {"lists", Traces, tracesRecord}} {
		rec := c.make(b)
		out := filepath.Join(dir, c.name+".parquet")
		if err := WriteParquet(out, c.kind, Provenance{}, nil, nil, rec); err != nil {
			b.Fatal(err)
		}
		bytes := recordBytes(rec)
		rows := rec.NumRows()
		rec.Release()
		b.Run(c.name, func(b *testing.B) { benchStream(b, out, bytes, rows) })
		if c.kind != Traces {
			continue
		}
		ipcOut := filepath.Join(dir, "lists.arrow")
		rec = c.make(b)
		err := WriteIPC(ipcOut, Traces, Provenance{}, nil, nil, rec)
		rec.Release()
		if err != nil {
			b.Fatal(err)
		}
		b.Run("lists/ipc", func(b *testing.B) { benchStream(b, ipcOut, bytes, rows) })
		b.Run("lists/recordings", func(b *testing.B) {
			b.SetBytes(bytes)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rr, err := OpenRecordings(out, nil)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					r, err := rr.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					_, cols := r.Data.Dims()
					n += cols
				}
				rr.Close()
				if int64(n) != rows {
					b.Fatalf("read %d neurons want %d", n, rows)
				}
			}
			report(b, bytes, rows, benchWorms*benchNeurons*benchT, out)
		})
	}
}

// benchStream reads the file at path (Parquet or IPC, through Open) batch
// by batch and checks the row count.
func benchStream(b *testing.B, path string, bytes, rows int64) {
	b.SetBytes(bytes)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f, err := Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		rr, err := f.Records(context.Background(), 1<<16)
		if err != nil {
			b.Fatal(err)
		}
		var n int64
		for rr.Next() {
			n += rr.RecordBatch().NumRows()
		}
		if rr.Err() != nil {
			b.Fatal(rr.Err())
		}
		rr.Release()
		f.Close()
		if n != rows {
			b.Fatalf("read %d rows want %d", n, rows)
		}
	}
	report(b, bytes, rows, benchWorms*benchNeurons*benchT, path)
}
