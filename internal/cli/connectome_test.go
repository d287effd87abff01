package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// connectome import → matrix → plot on White 1986 whole: the table
// (computed independently by connectome/testdata/reference_counts.py) gives
// 299 neurons, 2,266 chemical edges summing to 6,509 and 1,132 electrical
// edges summing to 1,916; the dense matrix sums to 6,509 + 1,916.
func TestConnectomeCommands(t *testing.T) {
	in := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	dir := t.TempDir()
	edges := filepath.Join(dir, "e.parquet")
	code, out, stderr := run("connectome", "import", "--source", "white1986_whole", in, "-o", edges)
	if code != ExitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	if !strings.Contains(out, "299 neurons with an edge; chemical 2266 edges / Σ 6509; electrical 1132 / Σ 1916") {
		t.Fatalf("import summary %q", out)
	}
	csvPath := filepath.Join(dir, "m.csv")
	if code, _, stderr = run("connectome", "matrix", "--edges", edges, "-o", csvPath); code != ExitOK {
		t.Fatalf("matrix: %s", stderr)
	}
	f, _ := os.Open(csvPath)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 301 || len(rows[0]) != 301 || rows[1][0] != "ADAL" {
		t.Fatalf("matrix csv: %d rows, err %v", len(rows), err)
	}
	var sum float64
	for _, r := range rows[1:] {
		for _, v := range r[1:] {
			x, _ := strconv.ParseFloat(v, 64)
			sum += x
		}
	}
	if sum != 6509+1916 {
		t.Fatalf("matrix sums to %v, want %v", sum, 6509+1916)
	}
	// The import lists the NemaNode file with its SHA-256.
	prov, _, rec := readTable(t, edges)
	rec.Release()
	wantSources(t, prov, in)
	// The sparse export keeps the types apart: the same counts and sums.
	sparse := filepath.Join(dir, "m.parquet")
	if code, _, stderr = run("connectome", "matrix", "--edges", edges, "-o", sparse); code != ExitOK {
		t.Fatalf("sparse matrix: %s", stderr)
	}
	se, err := connectome.ReadEdges(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if s := connectome.Summarize(se); s.Chemical.Edges != 2266 || s.Chemical.Weight != 6509 || s.Electrical.Edges != 1132 || s.Electrical.Weight != 1916 || s.Functional.Edges != 0 || se[0].Dataset != "white1986_whole" {
		t.Fatalf("sparse export %+v (dataset %q)", s, se[0].Dataset)
	}
	png := filepath.Join(dir, "h.png")
	if code, _, stderr = run("connectome", "plot", "--edges", edges, "-o", png); code != ExitOK {
		t.Fatalf("plot: %s", stderr)
	}
	b, _ := os.ReadFile(png)
	if len(b) < 1000 || string(b[1:4]) != "PNG" {
		t.Fatalf("plot wrote %d bytes", len(b))
	}
	if code, _, _ = run("connectome", "import", "--source", "nope", in, "-o", edges); code != ExitUsage {
		t.Fatalf("unknown source: exit %d", code)
	}
	// A wrong-shaped spreadsheet for the source gives a one-line error.
	bad := fixtures.Path(t, "c302", "herm_full_edgelist.csv")
	code, _, stderr = run("connectome", "import", "--source", "varshney2011", bad, "-o", edges)
	if code != ExitError || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
		t.Fatalf("wrong file: exit %d %q", code, stderr)
	}
}

// runConnImport without cobra on a hand-written edge list: the edges table
// holds the symmetrized edges and lists the CSV with its SHA-256.
func TestRunConnImport(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "e.csv")
	if err := os.WriteFile(in, []byte("# two rows\npre,post,type,weight\nAVAL,AVAR,gap,2\nAVAL,DA01,chemical,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "e.parquet")
	g, stdout, _ := testGlobals()
	if err := runConnImport(&connImportOptions{g: g, Files: []string{in}, Source: "edgelist", Out: out, Gap: "mean"}); err != nil {
		t.Fatal(err)
	}
	// 3 neurons; chemical 1 edge of weight 3; the gap junction in both
	// directions (2 edges, Σ 4, one junction of 2).
	if !strings.Contains(stdout.String(), "3 neurons with an edge; chemical 1 edges / Σ 3; electrical 2 / Σ 4 (2 gap junctions)") {
		t.Errorf("stdout %q", stdout)
	}
	edges, err := connectome.ReadEdges(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"edgelist AVAL→DA1 chemical 3", "edgelist AVAL→AVAR electrical 2", "edgelist AVAR→AVAL electrical 2"}
	if got := edgeLines(edges); !reflect.DeepEqual(got, want) {
		t.Errorf("edges %q, want %q", got, want)
	}
	prov, kind, rec := readTable(t, out)
	rec.Release()
	if kind != table.Edges || prov.Parameters["source"] != "edgelist" || prov.Parameters["gap_rule"] != "mean" {
		t.Errorf("kind %s parameters %v", kind, prov.Parameters)
	}
	wantSources(t, prov, in)

	for name, o := range map[string]connImportOptions{
		"no source":    {Out: out, Gap: "mean"},
		"bad source":   {Source: "nope", Out: out, Gap: "mean"},
		"bad gap rule": {Source: "edgelist", Out: out, Gap: "max"},
		"bad type":     {Source: "edgelist", Out: out, Gap: "mean", DefaultType: "sideways"},
	} {
		o.g, o.Files = g, []string{in}
		var ue *UsageError
		if err := runConnImport(&o); !errors.As(err, &ue) {
			t.Errorf("%s: error %v is not a usage error", name, err)
		}
	}
}

func edgeLines(edges []connectome.Edge) []string {
	out := make([]string, len(edges))
	for i, e := range edges {
		out[i] = fmt.Sprintf("%s %s→%s %v %g", e.Dataset, e.Pre, e.Post, e.Type, e.Weight)
	}
	return out
}

// runMatrix's sparse export of a two-dataset table, hand-computed: types
// stay apart (no "functional" label on summed weights), the dataset column
// names what was summed, and the edges table input is a source.
func TestRunMatrixSparse(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "two.parquet")
	nan := math.NaN()
	two := []connectome.Edge{
		{Dataset: "a", Pre: "AVAL", Post: "AVAR", Type: connectome.Chemical, Weight: 2, QValue: nan},
		{Dataset: "b", Pre: "AVAL", Post: "AVAR", Type: connectome.Chemical, Weight: 4, QValue: nan},
		{Dataset: "a", Pre: "AVAL", Post: "AVAR", Type: connectome.Electrical, Weight: 1, QValue: nan},
		{Dataset: "a", Pre: "AVAR", Post: "AVAL", Type: connectome.Electrical, Weight: 1, QValue: nan},
		{Dataset: "b", Pre: "DA1", Post: "AVAL", Type: connectome.Chemical, Weight: 5, QValue: nan},
		{Dataset: "b", Pre: "DA1", Post: "AVAL", Type: connectome.Functional, Weight: 0.5, QValue: nan},
	}
	if err := connectome.WriteEdges(in, two, table.Provenance{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		view viewOptions
		want []string
	}{
		// Sum over both datasets: AVAL→AVAR chemical 2 + 4; labels in slot
		// order (AVAL, AVAR, DA1).
		{"sum", viewOptions{Types: "chemical,electrical"},
			[]string{"a+b AVAL→AVAR chemical 6", "a+b DA1→AVAL chemical 5", "a+b AVAL→AVAR electrical 1", "a+b AVAR→AVAL electrical 1"}},
		// Consensus: AVAL→AVAR chemical mean(2, 4) = 3.
		{"consensus", viewOptions{Types: "chemical,electrical", Consensus: true},
			[]string{"consensus AVAL→AVAR chemical 3", "consensus DA1→AVAL chemical 5", "consensus AVAL→AVAR electrical 1", "consensus AVAR→AVAL electrical 1"}},
		{"one dataset, chemical, subset", viewOptions{Types: "chemical", Dataset: "b", Neurons: "DA1,AVAL"},
			[]string{"b DA1→AVAL chemical 5"}},
		{"functional", viewOptions{Types: "functional"}, []string{"a+b DA1→AVAL functional 0.5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "m.parquet")
			g, _, _ := testGlobals()
			o := &matrixOptions{g: g, viewOptions: c.view}
			o.Edges, o.Out = []string{in}, out
			if err := runMatrix(o); err != nil {
				t.Fatal(err)
			}
			edges, err := connectome.ReadEdges(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := edgeLines(edges); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			prov, _, rec := readTable(t, out)
			rec.Release()
			wantSources(t, prov, in)
		})
	}
	g, _, _ := testGlobals()
	o := &matrixOptions{g: g, viewOptions: viewOptions{Edges: []string{in}, Out: filepath.Join(dir, "x.csv"), Types: "chemical", Dataset: "c"}}
	if err := runMatrix(o); err == nil || !strings.Contains(err.Error(), `no edges of dataset "c"`) {
		t.Errorf("absent dataset: %v", err)
	}
	o.Types = "sideways"
	var ue *UsageError
	if err := runMatrix(o); !errors.As(err, &ue) {
		t.Errorf("bad type: %v is not a usage error", err)
	}
}

// runNeurons with worm-graph's master sheet records the sheet as a source
// (SHA-256 f3273b52… in worm-graph/SOURCE.md).
func TestRunNeuronsMasterSheet(t *testing.T) {
	sheet := fixtures.Path(t, "worm-graph", "neuron_master_sheet.csv")
	out := filepath.Join(t.TempDir(), "n.parquet")
	g, _, _ := testGlobals()
	if err := runNeurons(&neuronsOptions{g: g, Out: out, MasterSheet: sheet}); err != nil {
		t.Fatal(err)
	}
	prov, kind, rec := readTable(t, out)
	defer rec.Release()
	if kind != table.Neurons || rec.NumRows() != 300 {
		t.Errorf("kind %s, %d rows", kind, rec.NumRows())
	}
	wantSources(t, prov, sheet)
	if prov.Sources[0].SHA256 != "f3273b529c7542cf6b1d61b438d0e87526e32166b74d464fcaefe4700d87a558" {
		t.Errorf("sha256 %s differs from SOURCE.md", prov.Sources[0].SHA256)
	}
}
