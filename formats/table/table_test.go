package table

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"gonum.org/v1/gonum/mat"
)

// sampleRows gives, for every table kind, rows that exercise nulls, list
// columns, dictionary columns and repeated values.
func sampleRows(k Kind) [][]any {
	switch k {
	case Neurons:
		return [][]any{
			{"ADAL", "ADA", "interneuron", "Glu", 1.5, -2.0, 0.25, 0},
			{"ADAR", "ADA", "interneuron", "Glu", 1.5, 2.0, 0.25, 1},
			{"CANL", nil, nil, nil, nil, nil, nil, nil},
		}
	case Edges:
		return [][]any{
			{"white_1986_whole", "AVAL", "AVBL", "chemical", 3.0, nil},
			{"white_1986_whole", "AVAL", "AVBL", "electrical", 0.5, nil},
			{"randi_2023", "AVAL", "RIML", "functional", -0.12, 0.01},
		}
	case Events:
		return [][]any{{0, int64(10), uint16(1), uint16(2), int8(1)}, {0, int64(11), uint16(640), uint16(479), int8(0)}, {3, int64(-5), uint16(0), uint16(0), int8(1)}}
	case Spikes:
		return [][]any{{"A8604", int64(0), 0.0012, nil}, {"A8604", int64(2), 31.5, 12.5}}
	case Predictions:
		return [][]any{{"esn", "Kato2015", "w1", "AVAL", "test", 0.333, 0.1, 0.2}, {"esn", "Dag2023", "w1", "AVAL", "test", 0.666, nil, 0.25}}
	case Metrics:
		return [][]any{{"esn", "Kato2015", "w1", "AVAL", "test", "r2", 0.81}, {"ridge", "Kato2015", "w1", nil, "train", "nrmse", 0.3}}
	case FC:
		return [][]any{{"Kato2015", "w1", 0, 0.0, 266.4, "AVAL", "AVAR", "pearson", 0.9, nil, nil}, {"Dag2023", "w1", 1, 10.0, 40.0, "AVAL", "AVAR", "partial", -0.1, 0.002, 0.04}}
	case States:
		return [][]any{{"hmmglm", "Kato2015", "w1", 0.0, 0, 0.99}, {"hmmglm", "Kato2015", "w1", 0.333, 1, 0.51}}
	case GLMWeights:
		return [][]any{{"hmmglm", 0, "AVAL", "AVBL", 1, 0.3}, {"hmmglm", 1, "AVAL", "AVBL", 2, -0.7}}
	case Communities:
		return [][]any{{"Kato2015", "w1", 0, "AVAL", 2}, {"Kato2015", "w1", 0, "AVAR", 2}, {"Dag2023", "w1", 3, "AVAL", 0}}
	case NTFFactors:
		return [][]any{{3, 0, 12.5, "window", 4, nil, nil, 40.0, 99.7, nil, nil, 0.25}, {3, 1, 2.0, "pair", 7, nil, nil, nil, nil, "AVAL", "AVAR", 0.01}}
	case NTFDiagnostics:
		return [][]any{{1, 10, 0.4, 1.0, 100.0}, {4, 10, 0.2, 0.71, nil}}
	case StructureFunction:
		return [][]any{{"Dag2023", "w1", 0, "correlation", "white1986_whole", "any", 3, 3, 1, 1000, 0.5, 0.01, 0.3, 0.2, 1.0, 0.5, 0.25, 0.33}}
	case StructureNull:
		return [][]any{{"Dag2023", "w1", 0, "correlation", "white1986_whole", "any", 0, 0.5, 0.1}}
	case Behavior:
		return [][]any{{"Dag2023", "w1", "original", 0.0, "velocity", -0.02}, {"Dag2023", "w1", "homogenized", 0.333, "reversal", 1.0}}
	case TracesLong:
		return [][]any{{"d", "w", "AVAL", 0.0, float32(1.5)}, {"d", "w", "AVAL", 0.333, float32(-0.5)}}
	case Traces:
		return [][]any{
			{"Kato2015", "worm1", "AVAL", 45, true, []float32{1, 2, 3}, []float32{0, 0.333, 0.666}, []float32{1, 2}, []float32{0, 0.5}, 0.333, 0.5, 3, 2, "moving_average(15)", "linear", "zscore", "WT_Stim.mat"},
			{"Kato2015", "worm1", "roi_7", nil, false, []float32{4, 5, 6}, []float32{0, 0.333, 0.666}, nil, nil, 0.333, nil, 3, nil, "moving_average(15)", "linear", "zscore", "WT_Stim.mat"},
			{"Kato2015", "worm2", "AVAR", 46, true, []float32{}, []float32{}, nil, nil, 0.0, nil, 0, nil, "none", "none", "none", "WT_Stim.mat"},
		}
	}
	panic("no sample rows for " + string(k))
}

func buildSample(t *testing.T, mem memory.Allocator, k Kind, empty bool) arrow.RecordBatch {
	t.Helper()
	rb := NewRowBuilder(mem, k)
	defer rb.Release()
	if !empty {
		for _, r := range sampleRows(k) {
			if err := rb.Append(r...); err != nil {
				t.Fatalf("%s: Append(%v): %v", k, r, err)
			}
		}
	}
	return rb.NewRecord()
}

// recordsEqual compares two records value by value through their JSON
// rendering (dictionary columns compare by value, not by index).
func recordsEqual(t *testing.T, want, got arrow.RecordBatch) {
	t.Helper()
	if want.NumRows() != got.NumRows() || want.NumCols() != got.NumCols() {
		t.Fatalf("shape: got %dx%d want %dx%d", got.NumRows(), got.NumCols(), want.NumRows(), want.NumCols())
	}
	for i := 0; i < int(want.NumCols()); i++ {
		if !arrow.TypeEqual(want.Column(i).DataType(), got.Column(i).DataType()) {
			t.Fatalf("column %s: type %s, want %s", want.ColumnName(i), got.Column(i).DataType(), want.Column(i).DataType())
		}
		wj, _ := want.Column(i).MarshalJSON()
		gj, _ := got.Column(i).MarshalJSON()
		if string(wj) != string(gj) {
			t.Fatalf("column %s:\n got  %s\n want %s", want.ColumnName(i), gj, wj)
		}
	}
}

func seed(v neurotab.Seed) *neurotab.Seed { return &v }

func TestRoundTripEveryTable(t *testing.T) {
	for _, k := range Kinds() {
		for _, empty := range []bool{false, true} {
			for _, format := range []string{"parquet", "ipc"} {
				name := string(k) + "/" + format
				if empty {
					name += "/empty"
				}
				t.Run(name, func(t *testing.T) {
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					defer mem.AssertSize(t, 0)
					rec := buildSample(t, mem, k, empty)
					defer rec.Release()
					if err := Validate(k, rec); err != nil {
						t.Fatalf("sample breaks its own schema: %v", err)
					}
					prov := Provenance{Command: []string{"neurotab", "test"}, Parameters: map[string]any{"window": 15}, Seed: seed(42),
						Sources: []SourceFile{{Path: "a.mat", Bytes: 3, SHA256: "ab"}}}
					path := filepath.Join(t.TempDir(), "x."+format)
					opt := &WriteOptions{Allocator: mem}
					var got arrow.RecordBatch
					var md arrow.Metadata
					if format == "parquet" {
						if err := WriteParquet(path, k, prov, nil, opt, rec); err != nil {
							t.Fatal(err)
						}
						// The read side uses the Go allocator: arrow-go v18.8's
						// DELTA_BINARY_PACKED decoder (used for the events
						// columns) never frees a 64-byte block buffer
						// (delta_bit_packing.go initBlock), which a checked
						// allocator reports as a leak that is not ours. What we
						// allocate (builders, writers) stays checked.
						pf, err := OpenParquet(path, memory.DefaultAllocator)
						if err != nil {
							t.Fatal(err)
						}
						defer pf.Close()
						if pf.NumRows() != rec.NumRows() {
							t.Fatalf("NumRows %d want %d", pf.NumRows(), rec.NumRows())
						}
						got, err = pf.ReadAll(context.Background())
						if err != nil {
							t.Fatal(err)
						}
						md = pf.Metadata()
					} else {
						if err := WriteIPC(path, k, prov, nil, opt, rec); err != nil {
							t.Fatal(err)
						}
						f, err := OpenIPC(path, mem)
						if err != nil {
							t.Fatal(err)
						}
						defer f.Close()
						got, err = f.Batch(0)
						if err != nil {
							t.Fatal(err)
						}
						md = f.Schema().Metadata()
					}
					defer got.Release()
					recordsEqual(t, rec, got)
					if kk, ok := KindOf(got.Schema()); !ok || kk != k {
						t.Errorf("KindOf = %q, %v", kk, ok)
					}
					p, kind, err := ParseProvenance(md)
					if err != nil {
						t.Fatal(err)
					}
					if kind != k || p.Seed == nil || *p.Seed != 42 || strings.Join(p.Command, " ") != "neurotab test" ||
						p.Parameters["window"] != float64(15) || len(p.Sources) != 1 || p.Sources[0].SHA256 != "ab" || p.Version == "" {
						t.Errorf("provenance round trip: %+v kind %q", p, kind)
					}
				})
			}
		}
	}
}

func TestValidateNamesColumnAndRow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cases := []struct {
		name   string
		kind   Kind
		rows   [][]any
		column string
		row    int64
	}{
		{"polarity out of range", Events, [][]any{{0, int64(1), uint16(1), uint16(1), int8(1)}, {0, int64(2), uint16(1), uint16(1), int8(-1)}}, "p", 1},
		{"unknown edge type", Edges, [][]any{{"d", "A", "B", "chemical", 1.0, nil}, {"d", "A", "B", "gap", 1.0, nil}}, "type", 1},
		{"infinite weight", Edges, [][]any{{"d", "A", "B", "chemical", math.Inf(1), nil}}, "weight", 0},
		{"trace/time length mismatch", Traces, [][]any{{"d", "w", "AVAL", 0, true, []float32{1, 2}, []float32{0}, nil, nil, 1.0, nil, 2, nil, "none", "none", "none", "f"}}, "time_in_seconds", 0},
		{"max_timesteps wrong", Traces, [][]any{{"d", "w", "AVAL", 0, true, []float32{1, 2}, []float32{0, 1}, nil, nil, 1.0, nil, 3, nil, "none", "none", "none", "f"}}, "max_timesteps", 0},
		{"labeled without slot", Traces, [][]any{{"d", "w", "AVAL", nil, true, []float32{1}, []float32{0}, nil, nil, 1.0, nil, 1, nil, "none", "none", "none", "f"}}, "slot", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rb := NewRowBuilder(mem, c.kind)
			defer rb.Release()
			for _, r := range c.rows {
				if err := rb.Append(r...); err != nil {
					t.Fatal(err)
				}
			}
			rec := rb.NewRecord()
			defer rec.Release()
			err := Validate(c.kind, rec)
			var se *SchemaError
			if !errors.As(err, &se) || !errors.Is(err, neurotab.ErrSchema) {
				t.Fatalf("Validate = %v, want a SchemaError", err)
			}
			if se.Column != c.column || se.Row != c.row {
				t.Fatalf("error names column %q row %d, want %q row %d (%v)", se.Column, se.Row, c.column, c.row, err)
			}
			// And a writer refuses it, leaving no file.
			path := filepath.Join(t.TempDir(), "bad.parquet")
			if err := WriteParquet(path, c.kind, Provenance{}, nil, &WriteOptions{Allocator: mem}, rec); err == nil {
				t.Fatal("writer accepted a record that breaks the schema")
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatalf("rejected write left %s behind (%v)", path, err)
			}
			assertNoTemp(t, filepath.Dir(path))
		})
	}
}

func TestRowBuilderRejectsBadValue(t *testing.T) {
	rb := NewRowBuilder(nil, Edges)
	defer rb.Release()
	err := rb.Append("d", "A", nil, "chemical", 1.0, nil)
	var se *SchemaError
	if !errors.As(err, &se) || se.Column != "post" {
		t.Fatalf("Append with null post = %v", err)
	}
	err = rb.Append("d", "A", "B", "chemical", "1", nil)
	if !errors.As(err, &se) || se.Column != "weight" || se.Row != 0 || !strings.Contains(se.Msg, `value 1 (string) does not fit type float64`) {
		t.Fatalf("Append with a string weight = %v", err)
	}
	if err := rb.Append("d", "A"); !errors.Is(err, neurotab.ErrShape) {
		t.Fatalf("Append of 2 values for 6 columns = %v", err)
	}
	if rb.Len() != 0 {
		t.Fatalf("rejected rows were kept: %d", rb.Len())
	}
}

func TestWrongSchemaIsRejected(t *testing.T) {
	rec := buildSample(t, memory.DefaultAllocator, Edges, false)
	defer rec.Release()
	err := Validate(Spikes, rec)
	var se *SchemaError
	// The first spikes column missing from the edges record is "recording".
	if !errors.As(err, &se) || se.Row != -1 || se.Table != Spikes || se.Column != "recording" || se.Msg != "missing" {
		t.Fatalf("Validate(Spikes, edges) = %v", err)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}

// TestKilledWriterLeavesNoFile runs a child process that starts a Parquet
// file, writes half of it and is killed with SIGKILL (no deferred cleanup can
// run). The final path must not exist; then a complete write must produce a
// readable file with every row.
func TestKilledWriterLeavesNoFile(t *testing.T) {
	if os.Getenv("NEUROTAB_KILL_CHILD") != "" {
		killedChild(os.Getenv("NEUROTAB_KILL_CHILD"))
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "events.parquet")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLeavesNoFile$")
	cmd.Env = append(os.Environ(), "NEUROTAB_KILL_CHILD="+path)
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("child was not killed: %v", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want SIGKILL", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("killed writer left %s (stat: %v)", path, err)
	}
	// A leftover temp file is allowed (nothing could remove it), but it must
	// not carry the final name; a complete write still succeeds beside it.
	b := &events.Batch{}
	for i := 0; i < 1000; i++ {
		b.Append(int64(i), uint16(i%640), uint16(i%480), int8(i%2))
	}
	eb := NewEventsBuilder(nil)
	defer eb.Release()
	eb.Append(0, b)
	rec := eb.NewRecord()
	defer rec.Release()
	if err := WriteParquet(path, Events, Provenance{}, nil, nil, rec); err != nil {
		t.Fatal(err)
	}
	pf, err := OpenParquet(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	back, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	recordsEqual(t, rec, back)
}

func killedChild(path string) {
	w, err := CreateParquet(path, Events, Provenance{}, nil, &WriteOptions{RowGroupBytes: 1 << 10})
	if err != nil {
		os.Exit(3)
	}
	b := &events.Batch{}
	for i := 0; i < 100000; i++ {
		b.Append(int64(i), uint16(i%640), uint16(i%480), int8(i%2))
	}
	eb := NewEventsBuilder(nil)
	eb.Append(0, b)
	rec := eb.NewRecord()
	if err := w.Write(rec); err != nil { // flushes row groups to the temp file
		os.Exit(4)
	}
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

// An aborted writer of either format leaves nothing under the final name
// and no temporary file.
func TestAbortLeavesNothing(t *testing.T) {
	rec := buildSample(t, memory.DefaultAllocator, Edges, false)
	defer rec.Release()
	for _, format := range []string{"parquet", "arrow"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "x."+format)
			var w Writer
			var err error
			if format == "parquet" {
				w, err = CreateParquet(path, Edges, Provenance{}, nil, nil)
			} else {
				w, err = CreateIPC(path, Edges, Provenance{}, nil, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			w.Abort()
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatalf("Abort left %s", path)
			}
			assertNoTemp(t, dir)
		})
	}
}

func TestOpenBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.parquet")
	rec := buildSample(t, memory.DefaultAllocator, Edges, false)
	defer rec.Release()
	if err := WriteParquet(good, Edges, Provenance{}, nil, nil, rec); err != nil {
		t.Fatal(err)
	}
	full, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	cases := map[string]struct {
		path string
		want string
		is   error
	}{
		"empty":       {write("empty.parquet", nil), "empty file", neurotab.ErrTruncated},
		"folder":      {dir, "is a folder", nil},
		"text":        {write("text.parquet", []byte("source_dataset,worm\nKato,1\n")), "not a Parquet file", neurotab.ErrMalformed},
		"truncated":   {write("trunc.parquet", full[:len(full)/2]), "not a Parquet file", neurotab.ErrMalformed},
		"no footer":   {write("nofoot.parquet", full[:len(full)-4]), "not a Parquet file", neurotab.ErrMalformed},
		"missing":     {filepath.Join(dir, "nope.parquet"), "no such file", os.ErrNotExist},
		"bad trailer": {write("badlen.parquet", append(append([]byte{}, full[:len(full)-8]...), 0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1')), "not a Parquet file", neurotab.ErrMalformed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := OpenParquet(c.path, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("error %v does not wrap %v", err, c.is)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, c.path) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line naming %s and saying %q", msg, c.path, c.want)
			}
		})
	}
}

func TestRecordingDenseRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// T=4 samples × N=3 neurons; values chosen exactly representable in float32.
	data := mat.NewDense(4, 3, []float64{
		1, 10, 100,
		2, 20, 200,
		3, 30, 300,
		4, 40, 400,
	})
	r := &Recording{Dataset: "demo", Worm: "w0", Neurons: []string{"AVAL", "AVAR", "roi_3"}, Slots: []int{45, 46, -1},
		Labeled: []bool{true, true, false}, Time: []float64{0, 0.5, 1, 1.5}, Data: data,
		OriginalTime: []float64{0, 1}, Original: mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6}),
		SmoothMethod: "none", InterpolateMethod: "linear", NormalizationMethod: "none", RawDataFile: "x.mat"}
	tb := NewTracesBuilder(mem)
	defer tb.Release()
	if err := tb.Append(r); err != nil {
		t.Fatal(err)
	}
	r2 := *r
	r2.Worm = "w1"
	r2.Original, r2.OriginalTime = nil, nil
	if err := tb.Append(&r2); err != nil {
		t.Fatal(err)
	}
	rec := tb.NewRecord()
	defer rec.Release()
	if err := Validate(Traces, rec); err != nil {
		t.Fatal(err)
	}
	// median_dt is 0.5 by construction (times 0, .5, 1, 1.5).
	if md := rec.Column(9).(*array.Float64).Value(0); md != 0.5 {
		t.Fatalf("median_dt %v want 0.5", md)
	}
	keys, err := RecordingKeys(rec)
	if err != nil || len(keys) != 2 || keys[0] != (RecordingKey{"demo", "w0"}) || keys[1] != (RecordingKey{"demo", "w1"}) {
		t.Fatalf("keys %v %v", keys, err)
	}
	got, err := ReadRecording(rec, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got.Data, data) || !mat.Equal(got.Original, r.Original) {
		t.Fatalf("data round trip:\n%v", mat.Formatted(got.Data))
	}
	if strings.Join(got.Neurons, ",") != "AVAL,AVAR,roi_3" || got.Slots[2] != -1 || got.Slots[0] != 45 || got.Labeled[2] || got.Time[3] != 1.5 {
		t.Fatalf("labels/slots/time: %+v", got)
	}
	got2, err := ReadRecording(rec, keys[1])
	if err != nil || got2.Original != nil || !mat.Equal(got2.Data, data) {
		t.Fatalf("second recording: %v %v", got2, err)
	}
	if _, err := ReadRecording(rec, RecordingKey{"demo", "nope"}); !errors.Is(err, neurotab.ErrNotFound) {
		t.Fatalf("missing recording: %v", err)
	}
}

func TestLongLayout(t *testing.T) {
	data := mat.NewDense(2, 2, []float64{1, 3, 2, 4})
	r := &Recording{Dataset: "d", Worm: "w", Neurons: []string{"A", "B"}, Time: []float64{0, 0.25}, Data: data}
	lb := NewLongBuilder(nil)
	defer lb.Release()
	if err := lb.Append(r); err != nil {
		t.Fatal(err)
	}
	rec := lb.NewRecord()
	defer rec.Release()
	if err := Validate(TracesLong, rec); err != nil {
		t.Fatal(err)
	}
	// neuron-major: (A,0,1) (A,.25,2) (B,0,3) (B,.25,4)
	v := rec.Column(4).(*array.Float32).Float32Values()
	tm := rec.Column(3).(*array.Float64).Float64Values()
	if len(v) != 4 || v[0] != 1 || v[1] != 2 || v[2] != 3 || v[3] != 4 || tm[1] != 0.25 || tm[2] != 0 {
		t.Fatalf("values %v times %v", v, tm)
	}
}

func TestPartitionDir(t *testing.T) {
	cases := []struct{ worm, want string }{
		{"worm1", "out/source_dataset=Kato2015/worm=worm1"},
		{"a/b=c", "out/source_dataset=Kato2015/worm=a%2Fb%3Dc"},
		{"", "out/source_dataset=Kato2015/worm=__HIVE_DEFAULT_PARTITION__"},
		{"50%", "out/source_dataset=Kato2015/worm=50%25"},
	}
	for _, c := range cases {
		if got := PartitionDir("out", Partition{"source_dataset", "Kato2015"}, Partition{"worm", c.worm}); got != c.want {
			t.Errorf("PartitionDir(%q) = %q want %q", c.worm, got, c.want)
		}
	}
}

func TestMetadataIsDeterministic(t *testing.T) {
	p := Provenance{Parameters: map[string]any{"b": 1, "a": []int{1, 2}, "c": "x"}, Seed: seed(7)}
	m1, _ := p.Metadata(Traces)
	for i := 0; i < 20; i++ {
		m2, _ := p.Metadata(Traces)
		if m1.String() != m2.String() {
			t.Fatal("metadata differs between calls")
		}
	}
	if v, _ := m1.GetValue(MetaParameters); v != `{"a":[1,2],"b":1,"c":"x"}` {
		t.Fatalf("parameters %s", v)
	}
}

// NewProvenance hashes files and every visible file of a folder, in path
// order. SHA-256("abc") is the FIPS 180-2 test vector.
func TestNewProvenance(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "ds", "worm=b"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "ds", "worm=a"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "ds", "worm=b", "part-0.parquet"), []byte("abc"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "ds", "worm=a", "part-0.parquet"), []byte(""), 0o644))
	must(os.WriteFile(filepath.Join(dir, "ds", "worm=a", ".part-0.parquet.tmp-1"), []byte("x"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "in.csv"), []byte("abc"), 0o644))
	seed := neurotab.Seed(3)
	p, err := NewProvenance([]string{"neurotab", "x"}, map[string]any{"k": 1}, &seed, filepath.Join(dir, "in.csv"), filepath.Join(dir, "ds"))
	must(err)
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	want := []SourceFile{
		{filepath.Join(dir, "in.csv"), 3, abc},
		{filepath.Join(dir, "ds", "worm=a", "part-0.parquet"), 0, empty},
		{filepath.Join(dir, "ds", "worm=b", "part-0.parquet"), 3, abc},
	}
	if len(p.Sources) != len(want) {
		t.Fatalf("sources %+v", p.Sources)
	}
	for i := range want {
		if p.Sources[i] != want[i] {
			t.Errorf("source %d = %+v, want %+v", i, p.Sources[i], want[i])
		}
	}
	if *p.Seed != 3 || p.Parameters["k"] != 1 {
		t.Errorf("provenance %+v", p)
	}
	if _, err := NewProvenance(nil, nil, nil, filepath.Join(dir, "missing")); err == nil {
		t.Error("missing input gave no error")
	}
}

// Open picks the reader by magic bytes, and both readers stream the same
// rows through Records in batches of at most batchRows.
func TestOpenAndRecords(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	rec := buildSample(t, mem, Traces, false) // 3 rows
	defer rec.Release()
	pq := filepath.Join(dir, "t.data") // names do not matter
	if err := WriteParquet(pq, Traces, Provenance{}, nil, &WriteOptions{Allocator: mem}, rec); err != nil {
		t.Fatal(err)
	}
	ipcPath := filepath.Join(dir, "t.bin")
	if err := WriteIPC(ipcPath, Traces, Provenance{}, nil, &WriteOptions{Allocator: mem}, rec); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, typ string
	}{{pq, "*table.ParquetFile"}, {ipcPath, "*table.IPCFile"}} {
		t.Run(c.typ, func(t *testing.T) {
			f, err := Open(c.path, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := fmt.Sprintf("%T", f); got != c.typ {
				t.Fatalf("Open gave %s, want %s", got, c.typ)
			}
			if v, _ := f.Metadata().GetValue(MetaTable); v != "traces" {
				t.Fatalf("metadata table %q", v)
			}
			rr, err := f.Records(context.Background(), 2)
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int64
			var recs []arrow.RecordBatch
			for rr.Next() {
				b := rr.RecordBatch()
				b.Retain()
				recs = append(recs, b)
				sizes = append(sizes, b.NumRows())
			}
			if err := rr.Err(); err != nil {
				t.Fatal(err)
			}
			rr.Release()
			if fmt.Sprint(sizes) != "[2 1]" {
				t.Fatalf("batch sizes %v, want [2 1]", sizes)
			}
			tbl := array.NewTableFromRecords(Schema(Traces), recs)
			all, err := tableToRecord(tbl, Schema(Traces), mem)
			tbl.Release()
			for _, r := range recs {
				r.Release()
			}
			if err != nil {
				t.Fatal(err)
			}
			recordsEqual(t, rec, all)
			all.Release()
			whole, err := f.ReadAll(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			recordsEqual(t, rec, whole)
			whole.Release()
		})
	}
	text := filepath.Join(dir, "t.csv")
	os.WriteFile(text, []byte("a,b\n"), 0o644)
	if _, err := Open(text, nil); !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), text+": neither a Parquet nor an Arrow IPC file") {
		t.Fatalf("Open(csv) = %v", err)
	}
	if _, err := OpenIPC(pq, nil); !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), "not an Arrow IPC file") {
		t.Fatalf("OpenIPC(parquet) = %v", err)
	}
}
