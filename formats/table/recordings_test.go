package table

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

// testRecordings are recordings of different sizes; every value is a
// float32 (k/8 or k/4), so it survives the float32 columns exactly and the
// reader's output can be compared with ==.
func testRecordings() []*Recording {
	mk := func(ds, worm string, T, N int, orig bool) *Recording {
		r := &Recording{Dataset: ds, Worm: worm, SmoothMethod: "moving_average(15)", InterpolateMethod: "linear",
			NormalizationMethod: "zscore", RawDataFile: ds + "/" + worm + ".mat"}
		r.Data = mat.NewDense(T, N, nil)
		for i := 0; i < T; i++ {
			r.Time = append(r.Time, float64(i)/4)
			for j := 0; j < N; j++ {
				r.Data.Set(i, j, float64(100*j+i)/8-3)
			}
		}
		for j := 0; j < N; j++ {
			if j%3 == 2 {
				r.Neurons, r.Slots, r.Labeled = append(r.Neurons, fmt.Sprintf("roi_%d", j)), append(r.Slots, -1), append(r.Labeled, false)
			} else {
				r.Neurons, r.Slots, r.Labeled = append(r.Neurons, fmt.Sprintf("N%02d", j)), append(r.Slots, j), append(r.Labeled, true)
			}
		}
		if orig {
			T0 := T/2 + 1
			r.Original = mat.NewDense(T0, N, nil)
			for i := 0; i < T0; i++ {
				r.OriginalTime = append(r.OriginalTime, float64(i)/2)
				for j := 0; j < N; j++ {
					r.Original.Set(i, j, float64(j-i)/4)
				}
			}
		}
		return r
	}
	return []*Recording{
		mk("Kato2015", "worm0", 6, 5, true),
		mk("Kato2015", "a/b=c", 3, 1, false),
		mk("Dag2023", "worm0", 9, 7, false),
		mk("Dag2023", "worm10", 4, 2, true),
	}
}

// sameRecording compares every field of two recordings exactly.
func sameRecording(t *testing.T, got, want *Recording) {
	t.Helper()
	name := want.Dataset + "/" + want.Worm
	if got.Dataset != want.Dataset || got.Worm != want.Worm {
		t.Fatalf("recording %s/%s, want %s", got.Dataset, got.Worm, name)
	}
	if !mat.Equal(got.Data, want.Data) {
		t.Fatalf("%s: data\n%v\nwant\n%v", name, mat.Formatted(got.Data), mat.Formatted(want.Data))
	}
	if (got.Original == nil) != (want.Original == nil) || (want.Original != nil && !mat.Equal(got.Original, want.Original)) {
		t.Fatalf("%s: original traces differ", name)
	}
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"Neurons", got.Neurons, want.Neurons}, {"Slots", got.Slots, want.Slots}, {"Labeled", got.Labeled, want.Labeled},
		{"Time", got.Time, want.Time}, {"OriginalTime", got.OriginalTime, want.OriginalTime},
		{"methods", []string{got.SmoothMethod, got.InterpolateMethod, got.NormalizationMethod, got.RawDataFile},
			[]string{want.SmoothMethod, want.InterpolateMethod, want.NormalizationMethod, want.RawDataFile}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Fatalf("%s: %s = %v, want %v", name, c.field, c.got, c.want)
		}
	}
}

func tracesOf(t testing.TB, mem memory.Allocator, recs ...*Recording) arrow.RecordBatch {
	t.Helper()
	tb := NewTracesBuilder(mem)
	defer tb.Release()
	for _, r := range recs {
		if err := tb.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	return tb.NewRecord()
}

// readAllRecordings drains OpenRecordings(path).
func readAllRecordings(t *testing.T, path string, mem memory.Allocator) ([]*Recording, error) {
	t.Helper()
	rr, err := OpenRecordings(path, mem)
	if err != nil {
		return nil, err
	}
	defer rr.Close()
	var out []*Recording
	for {
		r, err := rr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
}

func checkRecordings(t *testing.T, got, want []*Recording) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d recordings, want %d", len(got), len(want))
	}
	for i := range want {
		sameRecording(t, got[i], want[i])
	}
}

// Recordings split across row groups, batches and files come back whole,
// with the values written.
func TestRecordingReader(t *testing.T) {
	want := testRecordings()
	for _, c := range []struct {
		name       string
		batchBytes int64 // the reader's batch size target; 1 = one row a batch
		write      func(t *testing.T, mem memory.Allocator, dir string) string
	}{
		{"parquet/one row group per row/one row per batch", 1, func(t *testing.T, mem memory.Allocator, dir string) string {
			path := filepath.Join(dir, "traces.parquet")
			rec := tracesOf(t, mem, want...)
			defer rec.Release()
			if err := WriteParquet(path, Traces, Provenance{}, nil, &WriteOptions{RowGroupBytes: 1, Allocator: mem}, rec); err != nil {
				t.Fatal(err)
			}
			pf, err := OpenParquet(path, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			if n := pf.NumRowGroups(); n != int(rec.NumRows()) {
				t.Fatalf("%d row groups for %d rows: the recordings do not span row groups", n, rec.NumRows())
			}
			return path
		}},
		{"parquet/default batches", 0, func(t *testing.T, mem memory.Allocator, dir string) string {
			path := filepath.Join(dir, "traces.parquet")
			rec := tracesOf(t, mem, want...)
			defer rec.Release()
			if err := WriteParquet(path, Traces, Provenance{}, nil, &WriteOptions{RowGroupBytes: 300, Allocator: mem}, rec); err != nil {
				t.Fatal(err)
			}
			return path
		}},
		{"ipc/batches cut inside recordings", 0, func(t *testing.T, mem memory.Allocator, dir string) string {
			path := filepath.Join(dir, "traces.arrow")
			rec := tracesOf(t, mem, want...)
			defer rec.Release()
			w, err := CreateIPC(path, Traces, Provenance{}, nil, &WriteOptions{Allocator: mem})
			if err != nil {
				t.Fatal(err)
			}
			for off := int64(0); off < rec.NumRows(); off += 4 { // 4 rows a batch: 5-neuron worm0 spans two
				sl := rec.NewSlice(off, min(off+4, rec.NumRows()))
				err := w.Write(sl)
				sl.Release()
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			return path
		}},
		{"hive/one file per recording, one split over part-2 and part-10", 0, func(t *testing.T, mem memory.Allocator, dir string) string {
			root := filepath.Join(dir, "ds")
			for _, r := range want {
				parts := []Partition{{"source_dataset", r.Dataset}, {"worm", r.Worm}}
				rec := tracesOf(t, mem, r)
				// worm0 of Kato2015 goes in two files whose names sort
				// lexically in the wrong order (part-10 < part-2).
				spans := [][2]int64{{0, rec.NumRows()}}
				if r.Worm == "worm0" && r.Dataset == "Kato2015" {
					spans = [][2]int64{{0, 2}, {2, rec.NumRows()}}
				}
				for k, sp := range spans {
					path, err := PartitionFile(root, []int{2, 10}[k], parts...)
					if err != nil {
						t.Fatal(err)
					}
					sl := rec.NewSlice(sp[0], sp[1])
					err = WriteParquet(path, Traces, Provenance{}, nil, &WriteOptions{Allocator: mem}, sl)
					sl.Release()
					if err != nil {
						t.Fatal(err)
					}
				}
				rec.Release()
			}
			// A leftover temporary of an interrupted write is not data.
			os.WriteFile(filepath.Join(root, "source_dataset=Dag2023", ".part-0.parquet.tmp-1"), []byte("junk"), 0o644)
			return root
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			if c.batchBytes > 0 {
				old := tracesBatchBytes
				tracesBatchBytes = c.batchBytes
				defer func() { tracesBatchBytes = old }()
			}
			path := c.write(t, mem, t.TempDir())
			got, err := readAllRecordings(t, path, mem)
			if err != nil {
				t.Fatal(err)
			}
			wantOrder := want
			if strings.HasPrefix(c.name, "hive") {
				// DataFiles order: source_dataset=Dag2023 before Kato2015;
				// worm=a%2Fb%3Dc before worm=worm0; worm0 before worm10.
				wantOrder = []*Recording{want[2], want[3], want[1], want[0]}
			}
			checkRecordings(t, got, wantOrder)
		})
	}
}

// Seeded AR(1) recordings the size of the demo's (3 worms × 40 neurons ×
// 600 samples), stored as float32: the reader gives back the float32
// values, and ReadRecording on the whole table agrees.
func TestRecordingReaderDemoSize(t *testing.T) {
	recs := benchRecordings(3, 40, 600)
	for _, r := range recs {
		raw := r.Data.RawMatrix()
		for i, v := range raw.Data {
			raw.Data[i] = float64(float32(v))
		}
		for i, v := range r.Time {
			r.Time[i] = float64(float32(v))
		}
		r.SmoothMethod, r.InterpolateMethod, r.NormalizationMethod = "none", "none", "none"
		r.Slots = make([]int, 40)
		r.Labeled = make([]bool, 40)
		for j := range r.Slots {
			r.Slots[j] = -1
		}
	}
	path := filepath.Join(t.TempDir(), "traces.parquet")
	rec := tracesOf(t, nil, recs...)
	defer rec.Release()
	if err := WriteParquet(path, Traces, Provenance{}, nil, &WriteOptions{RowGroupBytes: 100 << 10}, rec); err != nil {
		t.Fatal(err)
	}
	got, err := readAllRecordings(t, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRecordings(t, got, recs)
	for i, r := range recs {
		back, err := ReadRecording(rec, RecordingKey{r.Dataset, r.Worm})
		if err != nil {
			t.Fatal(err)
		}
		sameRecording(t, back, got[i])
	}
}

func TestRecordingReaderErrors(t *testing.T) {
	recs := testRecordings()
	dir := t.TempDir()
	write := func(name string, rs ...*Recording) string {
		path := filepath.Join(dir, name)
		rec := tracesOf(t, nil, rs...)
		defer rec.Release()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteParquet(path, Traces, Provenance{}, nil, nil, rec); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fcPath := filepath.Join(dir, "fc.parquet")
	if err := WriteRows(fcPath, Provenance{}, nil, []FCRow{{SourceDataset: "d", Worm: "w", Pre: "A", Post: "B", Measure: "pearson", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		column     string
		row        int64
		msg        string
	}{
		// worm0 (5 rows), a/b=c (1 row), then worm0 again at row 6.
		{"not contiguous", write("split.parquet", recs[0], recs[1], recs[0]), "worm", 6, "recording Kato2015/worm0 resumes after other recordings"},
		{"partition disagrees with the rows", write(filepath.Join("hive", "source_dataset=Kato2015", "worm=other", "part-0.parquet"), recs[0]), "worm", 0, `"worm0" in the folder worm=other`},
		{"another table", fcPath, MetaTable, -1, "a fc table, not traces"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := c.path
			if c.column == "worm" && strings.Contains(path, "hive") {
				path = filepath.Join(dir, "hive")
			}
			_, err := readAllRecordings(t, path, nil)
			var se *SchemaError
			if !errors.As(err, &se) || !errors.Is(err, neurotab.ErrSchema) || !errors.Is(err, neurotab.ErrMalformed) {
				t.Fatalf("error %v, want a SchemaError", err)
			}
			if se.Column != c.column || se.Row != c.row || se.File != c.path || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %q (column %q row %d file %s), want column %q row %d file %s saying %q", err, se.Column, se.Row, se.File, c.column, c.row, c.path, c.msg)
			}
		})
	}
	t.Run("empty folder", func(t *testing.T) {
		_, err := OpenRecordings(t.TempDir(), nil)
		if !errors.Is(err, neurotab.ErrNotFound) {
			t.Fatalf("error %v, want ErrNotFound", err)
		}
	})
}
