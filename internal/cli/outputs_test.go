package cli

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/demo"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// openAny reads a whole table file with table.Open (Parquet or Arrow IPC),
// checking its magic bytes against what the name promises.
func openAny(t *testing.T, path string) (table.Provenance, table.Kind, arrow.Metadata, arrow.RecordBatch) {
	t.Helper()
	f, err := table.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, isIPC := f.(*table.IPCFile)
	if want := !strings.HasSuffix(path, ".parquet"); isIPC != want {
		t.Fatalf("%s: Arrow IPC %v, want %v", path, isIPC, want)
	}
	prov, kind, err := table.ParseProvenance(f.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	rec, err := f.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return prov, kind, f.Metadata(), rec
}

// leafSum sums every numeric value of a column, list elements included,
// skipping nulls.
func leafSum(a arrow.Array) float64 {
	var s float64
	add := func(n int, null func(int) bool, v func(int) float64) {
		for i := 0; i < n; i++ {
			if !null(i) {
				s += v(i)
			}
		}
	}
	switch c := a.(type) {
	case *array.Float32:
		add(c.Len(), c.IsNull, func(i int) float64 { return float64(c.Value(i)) })
	case *array.Float64:
		add(c.Len(), c.IsNull, c.Value)
	case *array.Int16:
		add(c.Len(), c.IsNull, func(i int) float64 { return float64(c.Value(i)) })
	case *array.Int32:
		add(c.Len(), c.IsNull, func(i int) float64 { return float64(c.Value(i)) })
	case *array.Int64:
		add(c.Len(), c.IsNull, func(i int) float64 { return float64(c.Value(i)) })
	case *array.Uint8:
		add(c.Len(), c.IsNull, func(i int) float64 { return float64(c.Value(i)) })
	case *array.Uint16:
		add(c.Len(), c.IsNull, func(i int) float64 { return float64(c.Value(i)) })
	case *array.List:
		s += leafSum(c.ListValues())
	}
	return s
}

// sameTable checks that other (Arrow IPC) holds the table of the Parquet
// file pq of the same run: kind, row count, the sum of column col,
// parameters, sources, extra metadata, and every column value for value.
func sameTable(t *testing.T, pq, other, col string, wantKind table.Kind) {
	t.Helper()
	p1, k1, md1, r1 := openAny(t, pq)
	defer r1.Release()
	p2, k2, md2, r2 := openAny(t, other)
	defer r2.Release()
	if k1 != wantKind || k2 != wantKind {
		t.Fatalf("kinds %v, %v, want %v", k1, k2, wantKind)
	}
	if r1.NumRows() == 0 || r1.NumRows() != r2.NumRows() {
		t.Fatalf("%s: %d rows, %s: %d", pq, r1.NumRows(), other, r2.NumRows())
	}
	i1, i2 := r1.Schema().FieldIndices(col), r2.Schema().FieldIndices(col)
	if len(i1) != 1 || len(i2) != 1 {
		t.Fatalf("no column %q", col)
	}
	s1, s2 := leafSum(r1.Column(i1[0])), leafSum(r2.Column(i2[0]))
	if s1 == 0 || s1 != s2 {
		t.Fatalf("Σ %s: %v in %s, %v in %s", col, s1, pq, s2, other)
	}
	for i := range r1.Schema().Fields() {
		if !array.Equal(r1.Column(i), r2.Column(i)) {
			t.Errorf("column %s differs", r1.Schema().Field(i).Name)
		}
	}
	if !reflect.DeepEqual(p1.Parameters, p2.Parameters) || !reflect.DeepEqual(p1.Sources, p2.Sources) {
		t.Errorf("provenance %+v, want %+v", p2, p1)
	}
	for _, k := range md1.Keys() {
		if k == table.MetaCommand {
			continue
		}
		v1, _ := md1.GetValue(k)
		if v2, ok := md2.GetValue(k); !ok || v1 != v2 {
			t.Errorf("metadata %s = %q, want %q", k, v2, v1)
		}
	}
}

// Every command that writes a table writes Parquet for .parquet and Arrow
// IPC for .arrow and .feather, the same table each time (inputs and their
// counts from tonic, reference-made, pynapple and c302 SOURCE.md).
func TestOutputForms(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	lin := fixtures.Path(t, "reference-made", "mat_v5", "lin2023_like.mat")
	nwb := fixtures.Path(t, "pynapple", "A8604-211122.nwb")
	white := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	dir := t.TempDir()
	if _, err := demo.Run(demo.Config{Out: dir, Seed: 5, Worms: 2, Neurons: 8, Samples: 600}); err != nil {
		t.Fatal(err)
	}
	traces := filepath.Join(dir, "traces.parquet")
	cases := []struct {
		name string
		args []string // before -o
		col  string
		kind table.Kind
	}{
		{"ingest events", []string{"ingest", "--source", "auto", nm}, "t", table.Events},
		{"ingest calcium", []string{"ingest", "--source", "auto", "--min-samples", "-1", lin}, "calcium_data", table.Traces},
		{"ingest spikes", []string{"ingest", "--source", "nwb-units", nwb}, "t", table.Spikes},
		{"connectome import", []string{"connectome", "import", "--source", "white1986_whole", white}, "weight", table.Edges},
		{"connectome neurons", []string{"connectome", "neurons"}, "slot", table.Neurons},
		{"analyze fc", []string{"analyze", "fc", "--traces", traces, "--no-figures"}, "value", table.FC},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			for _, ext := range []string{".parquet", ".arrow", ".feather"} {
				if code, _, stderr := run(append(c.args, "-o", base+ext)...); code != ExitOK {
					t.Fatalf("-o %s: exit %d: %s", base+ext, code, stderr)
				}
			}
			sameTable(t, base+".parquet", base+".arrow", c.col, c.kind)
			sameTable(t, base+".parquet", base+".feather", c.col, c.kind)
		})
	}
	// Rates from the spikes table (events bin reads Parquet); the sparse
	// matrix from either form of the edges.
	spikes := filepath.Join(dir, "ingest_spikes.parquet")
	t.Run("events bin --rates", func(t *testing.T) {
		base := filepath.Join(dir, "rates")
		for _, ext := range []string{".parquet", ".arrow"} {
			if code, _, stderr := run("events", "bin", spikes, "--rates", "--bin", "1s", "-o", base+ext); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
		}
		sameTable(t, base+".parquet", base+".arrow", "calcium_data", table.Traces)
	})
	edges := filepath.Join(dir, "connectome_import")
	for _, in := range []string{".parquet", ".arrow"} {
		t.Run("connectome matrix from "+in, func(t *testing.T) {
			base := filepath.Join(dir, "sparse"+strings.TrimPrefix(in, "."))
			for _, ext := range []string{".parquet", ".feather"} {
				if code, _, stderr := run("connectome", "matrix", "--edges", edges+in, "-o", base+ext); code != ExitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
			}
			sameTable(t, base+".parquet", base+".feather", "weight", table.Edges)
		})
	}
}

// An output that is neither .parquet, .arrow, .feather nor a folder is a
// usage error naming the flag and the choices; commands that write one
// table refuse a folder too.
func TestOutputFormUsage(t *testing.T) {
	dir := t.TempDir()
	cmds := map[string][]string{
		"ingest":             {"ingest", "--source", "evt2", "x"},
		"events bin --rates": {"events", "bin", "x", "--rates"},
		"connectome import":  {"connectome", "import", "--source", "white1986_whole", "x"},
		"connectome matrix":  {"connectome", "matrix", "--edges", "x"},
		"connectome neurons": {"connectome", "neurons"},
		"analyze fc":         {"analyze", "fc", "--traces", "x"},
	}
	for name, args := range cmds {
		outs := []string{filepath.Join(dir, "x.csv"), "-"}
		if name == "connectome matrix" { // .csv is the dense matrix there
			outs[0] = filepath.Join(dir, "x.tsv")
		}
		if name != "ingest" {
			outs = append(outs, filepath.Join(dir, "folder"), filepath.Join(dir, "x.parquet")+"/")
		}
		for _, out := range outs {
			t.Run(name+" -o "+filepath.Base(out), func(t *testing.T) {
				code, _, stderr := run(append(args, "-o", out)...)
				if code != ExitUsage {
					t.Fatalf("exit %d, want %d: %s", code, ExitUsage, stderr)
				}
				for _, want := range []string{"-o", ".parquet", ".arrow", ".feather"} {
					if !strings.Contains(stderr, want) {
						t.Errorf("stderr %q does not name %q", stderr, want)
					}
				}
				if strings.HasSuffix(out, "/") || filepath.Ext(out) == "" && out != "-" {
					if !strings.Contains(stderr, "not a hive folder") {
						t.Errorf("stderr %q does not say a folder makes no sense", stderr)
					}
				}
			})
		}
	}
}
