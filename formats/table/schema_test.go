package table

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// KindOf names each canonical schema by its fields; the kind in the
// metadata wins when it is a known one; anything else is not a table.
func TestKindOf(t *testing.T) {
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) {
			if got, ok := KindOf(Schema(k)); !ok || got != k {
				t.Fatalf("KindOf(Schema(%s)) = %q, %v", k, got, ok)
			}
			md := arrow.NewMetadata([]string{MetaTable}, []string{string(k)})
			other := arrow.NewSchema(Schema(Edges).Fields(), &md)
			if got, ok := KindOf(other); !ok || got != k {
				t.Fatalf("edges fields with metadata %s: KindOf = %q, %v", k, got, ok)
			}
		})
	}
	unknown := arrow.NewMetadata([]string{MetaTable}, []string{"nonsense"})
	for name, c := range map[string]struct {
		s    *arrow.Schema
		want Kind
		ok   bool
	}{
		"unknown metadata falls back to the fields": {arrow.NewSchema(Schema(FC).Fields(), &unknown), FC, true},
		"one column less":          {arrow.NewSchema(Schema(FC).Fields()[1:], nil), "", false},
		"a column of another type": {arrow.NewSchema(append([]arrow.Field{req("source_dataset", arrow.BinaryTypes.String)}, Schema(FC).Fields()[1:]...), nil), "", false},
	} {
		t.Run(name, func(t *testing.T) {
			if got, ok := KindOf(c.s); got != c.want || ok != c.ok {
				t.Fatalf("KindOf = %q, %v, want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
	if _, err := ParseKind("tracez"); err == nil || !strings.Contains(err.Error(), `"tracez"`) {
		t.Fatalf("ParseKind(tracez) = %v", err)
	}
}

// Validate's rejections of records that RowBuilder cannot make: each names
// the column (and the row when one row is at fault) and wraps ErrSchema.
func TestValidateRejectsBadRecords(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// A record of schema s whose every column holds two rows: value 0 / "a"
	// / true / [], with a null at row 1 of column nullCol.
	build := func(s *arrow.Schema, nullCol string) arrow.RecordBatch {
		b := array.NewRecordBuilder(mem, s)
		defer b.Release()
		for i, f := range s.Fields() {
			for r := 0; r < 2; r++ {
				fb := b.Field(i)
				if f.Name == nullCol && r == 1 {
					fb.AppendNull()
					continue
				}
				switch fb := fb.(type) {
				case *array.BinaryDictionaryBuilder:
					fb.AppendString("a")
				case *array.StringBuilder:
					fb.Append("a")
				case *array.Float64Builder:
					fb.Append(0)
				case *array.Int32Builder:
					fb.Append(0)
				default:
					t.Fatalf("no value for %s", f.Type)
				}
			}
		}
		return b.NewRecordBatch()
	}
	fc := Schema(FC).Fields()
	swapped := append([]arrow.Field{fc[1], fc[0]}, fc[2:]...)
	plain := append([]arrow.Field{req("source_dataset", arrow.BinaryTypes.String)}, fc[1:]...)
	for _, c := range []struct {
		name   string
		rec    arrow.RecordBatch
		column string
		row    int64
		msg    string
	}{
		{"null in a required column", build(Schema(FC), "measure"), "measure", 1, "null in a required column"},
		{"missing column", build(arrow.NewSchema(fc[:10], nil), ""), "q_value", -1, "missing"},
		{"extra column", build(arrow.NewSchema(append(append([]arrow.Field{}, fc...), opt("z", f64)), nil), ""), "z", -1, "12 columns, want 11"},
		{"columns out of order", build(arrow.NewSchema(swapped, nil), ""), "source_dataset", -1, `column 0 is "worm"`},
		{"plain strings", build(arrow.NewSchema(plain, nil), ""), "source_dataset", -1, "type utf8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer c.rec.Release()
			err := Validate(FC, c.rec)
			var se *SchemaError
			if !errors.As(err, &se) || !errors.Is(err, neurotab.ErrSchema) || !errors.Is(err, neurotab.ErrMalformed) {
				t.Fatalf("Validate = %v, want a SchemaError", err)
			}
			if se.Column != c.column || se.Row != c.row || !strings.Contains(se.Msg, c.msg) {
				t.Fatalf("%v: want column %q row %d saying %q", err, c.column, c.row, c.msg)
			}
		})
	}
}

// More of Validate's traces rules, on rows RowBuilder accepts.
func TestValidateTracesRules(t *testing.T) {
	row := func(slot any, labeled bool, ca, tm, oca, otm []float32, maxT int, omaxT any) []any {
		var o1, o2 any
		if oca != nil {
			o1 = oca
		}
		if otm != nil {
			o2 = otm
		}
		return []any{"d", "w", "AVAL", slot, labeled, ca, tm, o1, o2, 1.0, nil, maxT, omaxT, "none", "none", "none", "f"}
	}
	good := row(0, true, []float32{1}, []float32{0}, nil, nil, 1, nil)
	for _, c := range []struct {
		name   string
		bad    []any
		column string
		msg    string
	}{
		{"negative slot", row(-3, true, []float32{1}, []float32{0}, nil, nil, 1, nil), "slot", "slot -3 < 0"},
		{"original calcium without its times", row(0, true, []float32{1}, []float32{0}, []float32{1, 2}, nil, 1, nil), "original_time_in_seconds", "original calcium and time must be both present or both null"},
		{"original lengths differ", row(0, true, []float32{1}, []float32{0}, []float32{1, 2}, []float32{0}, 1, nil), "original_time_in_seconds", "1 times for 2 original samples"},
		{"original_max_timesteps wrong", row(0, true, []float32{1}, []float32{0}, []float32{1, 2}, []float32{0, 1}, 1, 3), "original_max_timesteps", "3, but original_calcium_data holds 2 samples"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rb := NewRowBuilder(nil, Traces)
			defer rb.Release()
			for _, r := range [][]any{good, good, c.bad} {
				if err := rb.Append(r...); err != nil {
					t.Fatal(err)
				}
			}
			rec := rb.NewRecord()
			defer rec.Release()
			var se *SchemaError
			if err := Validate(Traces, rec); !errors.As(err, &se) || se.Column != c.column || se.Row != 2 || se.Msg != c.msg {
				t.Fatalf("Validate = %v, want column %q row 2: %s", err, c.column, c.msg)
			}
		})
	}
}

// PartitionDir and ParsePartitionDir are inverses for any value, including
// the escaped characters, the empty value and non-ASCII text.
func TestPartitionRoundTrip(t *testing.T) {
	values := []string{"worm1", "a/b=c", "", "50%", `back\slash`, "x:y#z?", "tab\there", "del\x7f", "Kato2015 β", "%41", "__HIVE_DEFAULT_PARTITION__x"}
	for _, v := range values {
		parts := []Partition{{"source_dataset", "Kato2015"}, {"worm", v}}
		dir := PartitionDir("root", parts...)
		rel, err := filepath.Rel("root", dir)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(rel, string(filepath.Separator)) != 1 {
			t.Errorf("%q: %s is not two levels deep", v, rel)
		}
		got, err := ParsePartitionDir(rel)
		if err != nil || len(got) != 2 || got[0] != parts[0] || got[1] != parts[1] {
			t.Errorf("%q: %s parses to %q (%v)", v, rel, got, err)
		}
	}
	for _, bad := range []string{"worm=%", "worm=%4", "worm=%zz", "worm=a%g1"} {
		if _, err := ParsePartitionDir(bad); !errors.Is(err, neurotab.ErrMalformed) {
			t.Errorf("ParsePartitionDir(%q) = %v, want ErrMalformed", bad, err)
		}
	}
	if got, err := ParsePartitionDir("data/worm=w1"); err != nil || len(got) != 1 || got[0] != (Partition{"worm", "w1"}) {
		t.Errorf("a level without '=' is skipped: %v %v", got, err)
	}
}

// DataFiles orders part files by number and leaves out hidden files.
func TestDataFilesOrder(t *testing.T) {
	root := t.TempDir()
	names := []string{"source_dataset=B/worm=w10/part-0.parquet", "source_dataset=B/worm=w2/part-10.parquet", "source_dataset=B/worm=w2/part-2.parquet",
		"source_dataset=A/worm=w1/part-0.arrow", "source_dataset=A/.hidden/part-0.parquet", "source_dataset=A/worm=w1/.part-1.parquet.tmp-9",
		"source_dataset=A/worm=w1/notes.txt"}
	for _, n := range names {
		p := filepath.Join(root, n)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	got, err := DataFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"source_dataset=A/worm=w1/part-0.arrow", "source_dataset=B/worm=w2/part-2.parquet", "source_dataset=B/worm=w2/part-10.parquet", "source_dataset=B/worm=w10/part-0.parquet"}
	for i := range got {
		got[i], _ = filepath.Rel(root, got[i])
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("DataFiles = %v\nwant %v", got, want)
	}
}

// An aborted overwrite leaves the old file byte for byte; Commit twice is
// an error.
func TestAtomicAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.parquet")
	if err := os.WriteFile(path, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	a.WriteString("new content, never committed")
	a.Abort()
	a.Abort() // a second Abort does nothing
	if b, _ := os.ReadFile(path); string(b) != "old content" {
		t.Fatalf("aborted overwrite changed the file to %q", b)
	}
	assertNoTemp(t, dir)

	a, err = CreateAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	a.WriteString("new")
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := a.Commit(); err == nil || !strings.Contains(err.Error(), "already committed") {
		t.Fatalf("second Commit = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("committed file holds %q", b)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, want 0644", st.Mode().Perm())
	}

}

// ParseProvenance names the malformed key; missing keys leave zero values.
func TestParseProvenanceMalformed(t *testing.T) {
	for _, c := range []struct{ key, value string }{
		{MetaCommand, `"neurotab fc"`}, // a string, not an array
		{MetaCommand, `[`},
		{MetaParameters, `[1, 2]`},
		{MetaSources, `{"path": "a"}`},
		{MetaSources, `[{"bytes": "three"}]`},
		{MetaSeed, `-1`},
		{MetaSeed, `0x10`},
		{MetaSeed, `18446744073709551616`}, // 2⁶⁴
	} {
		t.Run(c.key+"="+c.value, func(t *testing.T) {
			md := arrow.NewMetadata([]string{MetaTable, c.key}, []string{"fc", c.value})
			_, k, err := ParseProvenance(md)
			if !errors.Is(err, neurotab.ErrMalformed) || !strings.HasPrefix(err.Error(), "metadata "+c.key+": ") || k != FC {
				t.Fatalf("ParseProvenance = kind %q, %v; want an error naming %s", k, err, c.key)
			}
		})
	}
	p, k, err := ParseProvenance(arrow.NewMetadata([]string{MetaSeed}, []string{"18446744073709551615"}))
	if err != nil || k != "" || p.Seed == nil || *p.Seed != 1<<64-1 || p.Command != nil || p.Sources != nil || p.Version != "" {
		t.Fatalf("ParseProvenance(seed only) = %+v %q %v", p, k, err)
	}
}

// Sources given at creation and those added while writing are both
// stored, in that order, and the same writes give the same bytes.
func TestSourcesWrittenAtClose(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) []byte {
		path := filepath.Join(dir, name)
		prov := Provenance{Sources: []SourceFile{{Path: "given.mat", Bytes: 1, SHA256: "aa"}}}
		w, err := CreateParquet(path, Edges, prov, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec := buildSample(t, memory.DefaultAllocator, Edges, false)
		defer rec.Release()
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		w.AddSource(SourceFile{Path: "streamed.csv", Bytes: 2, SHA256: "bb"})
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f, err := Open(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		p, _, err := ParseProvenance(f.Metadata())
		if err != nil {
			t.Fatal(err)
		}
		want := []SourceFile{{"given.mat", 1, "aa"}, {"streamed.csv", 2, "bb"}}
		if len(p.Sources) != 2 || p.Sources[0] != want[0] || p.Sources[1] != want[1] {
			t.Fatalf("sources %+v, want %+v", p.Sources, want)
		}
		b, _ := os.ReadFile(path)
		return b
	}
	if a, b := write("a.parquet"), write("b.parquet"); string(a) != string(b) {
		t.Fatal("two identical writes differ")
	}
}
