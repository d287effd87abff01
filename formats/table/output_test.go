package table

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

func TestParseOutput(t *testing.T) {
	cases := []struct {
		path string
		want OutputKind
	}{
		{"a.parquet", OutputParquet},
		{"dir/A.PARQUET", OutputParquet},
		{"a.arrow", OutputIPC},
		{"a.feather", OutputIPC},
		{"traces", OutputDir},
		{"out/traces/", OutputDir},
		{"x.parquet/", OutputDir},
		{"a.csv", 0},
		{"a.json", 0},
		{"-", 0},
		{"", 0},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			got, err := ParseOutput(c.path)
			if c.want == 0 {
				if !errors.Is(err, neurotab.ErrParam) || !strings.Contains(err.Error(), OutputChoices) {
					t.Fatalf("ParseOutput(%q) = %v, %v; want an ErrParam listing the choices", c.path, got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("ParseOutput(%q) = %v, %v; want %v", c.path, got, err, c.want)
			}
		})
	}
	if _, err := Create(filepath.Join(t.TempDir(), "d"), OutputDir, Edges, Provenance{}, nil, nil); !errors.Is(err, neurotab.ErrParam) {
		t.Fatalf("Create of a folder: %v", err)
	}
}

// CreateFile writes the form the name asks for, with the metadata and
// sources given after the data, and the same rows either way.
func TestCreateFileForms(t *testing.T) {
	dir := t.TempDir()
	rec := buildSample(t, memory.DefaultAllocator, Edges, false)
	defer rec.Release()
	src := SourceFile{Path: "in.csv", Bytes: 12, SHA256: "ab"}
	for _, c := range []struct {
		name string
		ipc  bool
	}{{"x.parquet", false}, {"x.arrow", true}, {"x.feather", true}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			w, err := CreateFile(path, Edges, Provenance{Parameters: map[string]any{"k": 1.5}}, map[string]string{"edges.note": "given"}, &WriteOptions{Compression: "snappy"})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if err := w.Write(rec); err != nil {
					t.Fatal(err)
				}
			}
			if w.Rows() != 6 {
				t.Fatalf("Rows() = %d, want 2 × 3", w.Rows())
			}
			w.AddSource(src)
			w.AddMetadata("edges.summary", `{"n": 6}`)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			w.Abort() // after Close: leaves the file
			if m, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(m) != 0 {
				t.Fatalf("temporary files left: %v", m)
			}
			f, err := Open(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, ok := f.(*IPCFile); ok != c.ipc {
				t.Fatalf("Arrow IPC %v, want %v", ok, c.ipc)
			}
			md := f.Metadata()
			for k, want := range map[string]string{"edges.note": "given", "edges.summary": `{"n": 6}`, MetaTable: "edges"} {
				if v, _ := md.GetValue(k); v != want {
					t.Errorf("metadata %s = %q, want %q", k, v, want)
				}
			}
			prov, _, err := ParseProvenance(md)
			if err != nil || len(prov.Sources) != 1 || prov.Sources[0] != src || prov.Parameters["k"] != 1.5 {
				t.Fatalf("provenance %+v, %v", prov, err)
			}
			all, err := f.ReadAll(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer all.Release()
			w1 := rec.Column(rec.Schema().FieldIndices("weight")[0]).(*array.Float64)
			w2 := all.Column(all.Schema().FieldIndices("weight")[0]).(*array.Float64)
			var s1, s2 float64
			for i := 0; i < w1.Len(); i++ {
				s1 += 2 * w1.Value(i)
			}
			for i := 0; i < w2.Len(); i++ {
				s2 += w2.Value(i)
			}
			if all.NumRows() != 6 || s1 != s2 {
				t.Fatalf("%d rows, Σ weight %v; want 6, %v", all.NumRows(), s2, s1)
			}
		})
	}
}

func ExampleParseOutput() {
	for _, p := range []string{"fc.parquet", "fc.arrow", "traces/", "fc.csv"} {
		k, err := ParseOutput(p)
		fmt.Println(p, k, err != nil)
	}
	// Output:
	// fc.parquet Parquet file false
	// fc.arrow Arrow IPC file false
	// traces/ hive folder false
	// fc.csv unknown output true
}

// An Arrow IPC file holds one dictionary per column: batches with their
// own dictionaries are rewritten over the union, values unchanged, and a
// table with no rows is still a readable file.
func TestIPCDictionaryBatches(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.arrow")
	w, err := CreateFile(path, Metrics, Provenance{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := []MetricRow{
		{Model: "ridge", SourceDataset: "A", Worm: "w1", Neuron: "AVAL", Split: "test", Metric: "r2", Value: 0.5},
		{Model: "esn", SourceDataset: "B", Worm: "w2", Split: "train", Metric: "nrmse", Value: 0.25},
		{Model: "ridge", SourceDataset: "B", Worm: "w1", Neuron: "AVAR", Split: "test", Metric: "r2", Value: 2},
	}
	rb := NewRowBuilder(nil, Metrics)
	defer rb.Release()
	for _, r := range rows { // one batch per row: three different dictionaries
		if err := rb.AppendRow(r); err != nil {
			t.Fatal(err)
		}
		rec := rb.NewRecord()
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRows[MetricRow](path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(rows) {
		t.Fatalf("read %v, want %v", got, rows)
	}
	empty := filepath.Join(dir, "e.feather")
	if err := WriteFile(empty, Metrics, Provenance{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadRows[MetricRow](empty, nil); err != nil || len(got) != 0 {
		t.Fatalf("empty table: %v, %v", got, err)
	}
}
