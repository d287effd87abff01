package connectome

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
	"github.com/xuri/excelize/v2"
	"gonum.org/v1/gonum/mat"
)

// refCount is one row of testdata/reference_counts.csv, written by
// testdata/reference_counts.py (pandas/openpyxl/xlrd, no shared code). The
// figures equal the table of the connectome issue for every listed source;
// the Varshney chemical row (2,194 / 6,394) is reached by summing S
// and Sp per pair, not by keeping the first row.
type refCount struct {
	name, dir, file string
	neurons         int
	chemEdges       int
	chemWeight      float64
	elecEdges       int
	elecWeight      float64
}

var refCounts = []refCount{
	{"white1986_whole", "c302", "aconnectome_white_1986_whole.csv", 299, 2266, 6509, 1132, 1916},
	{"white1986_n2u", "c302", "aconnectome_white_1986_A.csv", 180, 1414, 3740, 526, 660},
	{"white1986_jsh", "c302", "aconnectome_white_1986_L4.csv", 178, 1291, 3702, 570, 1510},
	{"white1986_jse", "worm-graph", "white_1986_jse.csv", 34, 94, 261, 0, 0},
	{"witvliet2020_1", "c302", "witvliet_2020_1.xlsx", 161, 675, 1152, 164, 206},
	{"witvliet2020_2", "c302", "witvliet_2020_2.xlsx", 162, 865, 1687, 240, 258},
	{"witvliet2020_3", "c302", "witvliet_2020_3.xlsx", 162, 887, 1884, 186, 216},
	{"witvliet2020_4", "c302", "witvliet_2020_4.xlsx", 168, 1011, 2521, 407, 475},
	{"witvliet2020_5", "c302", "witvliet_2020_5.xlsx", 174, 1324, 3644, 572, 824},
	{"witvliet2020_6", "c302", "witvliet_2020_6.xlsx", 174, 1314, 3893, 422, 528},
	{"witvliet2020_7", "c302", "witvliet_2020_7.xlsx", 180, 1944, 6587, 528, 732},
	{"witvliet2020_8", "c302", "witvliet_2020_8.xlsx", 180, 1933, 7099, 600, 839},
	{"varshney2011", "c302", "NeuronConnectFormatted.xlsx", 279, 2194, 6394, 1031, 1777},
	{"openworm", "c302", "CElegansNeuronTables.xls", 299, 2279, 6465, 1109, 1876},
	{"cook2019_herm", "c302", "SI 5 Connectome adjacency matrices.xlsx", 300, 3707, 20905, 2192, 9610},
	{"cook2019_male", "c302", "SI 5 Connectome adjacency matrices.xlsx", 289, 2203, 19186, 1484, 10566},
	{"cook2015_herm_full", "c302", "herm_full_edgelist.csv", 300, 3638, 20589, 2173, 8649},
}

// refEdge is one row of testdata/reference_edges.csv, written by
// testdata/reference_edges.py (pandas/openpyxl/xlrd, the readers of
// reference_counts.py): per type the position sum
// Σ A[pre][post]·(300·slot(pre) + slot(post) + 1), and the heaviest
// chemical edge.
type refEdge struct {
	chemSum, elecSum float64
	pre, post        string
	weight           float64
}

func loadRefEdges(t *testing.T) map[string]refEdge {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reference_edges.csv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]refEdge{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(l, ",")
		if len(f) != 6 {
			t.Fatalf("reference_edges.csv: line %q", l)
		}
		var r refEdge
		r.pre, r.post = f[3], f[4]
		for i, p := range []*float64{&r.chemSum, &r.elecSum, &r.weight} {
			if *p, err = strconv.ParseFloat(f[[]int{1, 2, 5}[i]], 64); err != nil {
				t.Fatalf("reference_edges.csv: %v", err)
			}
		}
		out[f[0]] = r
	}
	return out
}

// positionSum is Σ A[i][j]·(300·i + j + 1) over the adjacency in slot order.
func positionSum(a *mat.Dense) float64 {
	n, _ := a.Dims()
	var s float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			s += a.At(i, j) * float64(300*i+j+1)
		}
	}
	return s
}

func TestImportCounts(t *testing.T) {
	refEdges := loadRefEdges(t)
	for _, c := range refCounts {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && strings.HasPrefix(c.name, "cook2019") {
				t.Skip("large workbook; skipped with -short")
			}
			p := fixtures.Path(t, c.dir, c.file)
			src, err := LookupSource(c.name)
			if err != nil {
				t.Fatal(err)
			}
			edges, err := src.Import(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := Summarize(edges)
			if s.Neurons != c.neurons {
				t.Errorf("neurons = %d, want %d", s.Neurons, c.neurons)
			}
			if s.Chemical.Edges != c.chemEdges || s.Chemical.Weight != c.chemWeight {
				t.Errorf("chemical = %d / %g, want %d / %g", s.Chemical.Edges, s.Chemical.Weight, c.chemEdges, c.chemWeight)
			}
			if s.Electrical.Edges != c.elecEdges || math.Abs(s.Electrical.Weight-c.elecWeight) > 1e-9 {
				t.Errorf("electrical = %d / %g, want %d / %g", s.Electrical.Edges, s.Electrical.Weight, c.elecEdges, c.elecWeight)
			}
			for _, e := range edges {
				if e.Dataset != c.name {
					t.Fatalf("edge %+v: dataset %q, want %q", e, e.Dataset, c.name)
				}
				if !math.IsNaN(e.QValue) {
					t.Fatalf("edge %+v: q value without a q column", e)
				}
				if e.Type == Chemical || e.Type == Electrical {
					if _, ok := DefaultAtlas().Slot(e.Pre); !ok {
						t.Fatalf("edge %+v: pre not canonical", e)
					}
					if _, ok := DefaultAtlas().Slot(e.Post); !ok {
						t.Fatalf("edge %+v: post not canonical", e)
					}
				}
			}
			// Every weight at its place: the position sums and the heaviest
			// chemical edge of reference_edges.csv (relative 1e-12: the
			// electrical means are summed in another order).
			re, ok := refEdges[c.name]
			if !ok {
				t.Fatalf("reference_edges.csv has no %s", c.name)
			}
			chem, err := Adjacency(edges, DefaultAtlas().Labels(), Chemical)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Adjacency(edges, DefaultAtlas().Labels(), Electrical)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []struct {
				typ       string
				got, want float64
			}{{"chemical", positionSum(chem), re.chemSum}, {"electrical", positionSum(a), re.elecSum}} {
				if math.Abs(p.got-p.want) > 1e-12*math.Max(1, p.want) {
					t.Errorf("%s position sum %.17g, want %.17g", p.typ, p.got, p.want)
				}
			}
			var top Edge
			for _, e := range edges {
				if e.Type == Chemical && (e.Weight > top.Weight || e.Weight == top.Weight && (e.Pre < top.Pre || e.Pre == top.Pre && e.Post < top.Post)) {
					top = e
				}
			}
			if top.Pre != re.pre || top.Post != re.post || top.Weight != re.weight {
				t.Errorf("heaviest chemical edge %s→%s %g, want %s→%s %g", top.Pre, top.Post, top.Weight, re.pre, re.post, re.weight)
			}
			// Electrical edges are symmetric.
			n, _ := a.Dims()
			for i := 0; i < n; i++ {
				for j := 0; j < i; j++ {
					if a.At(i, j) != a.At(j, i) {
						t.Fatalf("electrical adjacency not symmetric at (%d, %d)", i, j)
					}
				}
			}
		})
	}
}

// TestVarshneyTotals reconciles the importer with the totals of Varshney et
// al. 2011 (doi:10.1371/journal.pcbi.1001066): 279 neurons, 6,393 chemical
// synapses (the file has 6,394), 890 gap junctions and 1,410 neuromuscular
// junctions. The raw figures (S 2,430 + Sp 3,964 = 6,394; EJ 1,777 of which
// 3 on self pairs, so (1,777 − 3)/2 + 3 = 890; NMJ 1,410 from 115 neurons)
// are printed by testdata/reference_counts.py.
func TestVarshneyTotals(t *testing.T) {
	p := fixtures.Path(t, "c302", "NeuronConnectFormatted.xlsx")
	edges, err := ImportVarshney(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(edges)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"neurons", float64(s.Neurons), 279},
		{"chemical synapses", s.Chemical.Weight, 6394},
		{"gap junctions", s.GapJunctions, 890},
		{"neuromuscular junctions", s.NeuroMuscular.Weight, 1410},
		{"neuromuscular neurons", float64(s.NeuroMuscular.Edges), 115},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s = %g, want %g", c.name, c.got, c.want)
			}
		})
	}
	dropped, err := ImportVarshney(p, Options{DropNeuromuscular: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := Summarize(dropped).NeuroMuscular.Edges; n != 0 {
		t.Errorf("DropNeuromuscular left %d edges", n)
	}
}

// TestOpenWormNeuromuscular checks the NeuronsToMuscle sheet against the
// figures of c302/SOURCE.md (564 rows, 127 neurons, 97 muscles, total
// 1,881), which xlrd reproduces.
func TestOpenWormNeuromuscular(t *testing.T) {
	p := fixtures.Path(t, "c302", "CElegansNeuronTables.xls")
	edges, err := ImportOpenWorm(p, Options{KeepNonNeurons: true})
	if err != nil {
		t.Fatal(err)
	}
	pre, post := map[string]bool{}, map[string]bool{}
	var n int
	var w float64
	for _, e := range edges {
		if e.Type != NeuroMuscular {
			continue
		}
		n++
		w += e.Weight
		pre[e.Pre], post[e.Post] = true, true
		if nm := Normalize(e.Post); nm.Kind != Muscle {
			t.Errorf("post %q normalizes to kind %v", e.Post, nm.Kind)
		}
	}
	if n != 564 || w != 1881 || len(pre) != 127 || len(post) != 97 {
		t.Errorf("neuromuscular: %d rows / %g, %d neurons, %d muscles; want 564 / 1881, 127, 97", n, w, len(pre), len(post))
	}
}

func TestGapRules(t *testing.T) {
	p := fixtures.Path(t, "c302", "NeuronConnectFormatted.xlsx")
	for _, c := range []struct {
		rule        GapRule
		edges       int
		weight      float64
		description string
	}{
		// Varshney lists both directions: mean keeps 1,777, sum doubles the
		// non-self pairs ((1,777 − 3)·2 + 3 = 3,551), as-listed keeps rows.
		{GapMean, 1031, 1777, "mean"},
		{GapSum, 1031, 3551, "sum"},
		{GapAsListed, 1031, 1777, "as listed"},
	} {
		t.Run(c.description, func(t *testing.T) {
			edges, err := ImportVarshney(p, Options{Gap: c.rule})
			if err != nil {
				t.Fatal(err)
			}
			s := Summarize(edges)
			if s.Electrical.Edges != c.edges || s.Electrical.Weight != c.weight {
				t.Errorf("electrical %d / %g, want %d / %g", s.Electrical.Edges, s.Electrical.Weight, c.edges, c.weight)
			}
		})
	}
}

func TestKeepNonNeurons(t *testing.T) {
	p := fixtures.Path(t, "c302", "aconnectome_white_1986_A.csv")
	edges, err := ImportNemaNode(p, Options{KeepNonNeurons: true})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[Kind]int{}
	for _, e := range edges {
		for _, l := range []string{e.Pre, e.Post} {
			if n := Normalize(l); !n.IsNeuron() {
				kinds[n.Kind]++
			}
		}
	}
	// SOURCE.md: the N2U file has 1,629 chemical rows and names body-wall
	// muscles (BWM-DL01…) and glia (CEPshDR, GLRDL…); the reference counts
	// keep 1,414 neuron-to-neuron chemical edges, so keeping non-neurons must
	// add edges, with muscle and glia ends.
	if s := Summarize(edges); s.Chemical.Edges <= 1414 {
		t.Errorf("KeepNonNeurons gives %d chemical edges, want more than 1414", s.Chemical.Edges)
	}
	if kinds[Muscle] == 0 || kinds[Glia] == 0 {
		t.Errorf("non-neuron ends by kind: %v; want muscles and glia", kinds)
	}
	if kinds[Unknown] != 0 {
		t.Errorf("%d ends of unknown kind", kinds[Unknown])
	}
}

// writeFile writes a small test input into a temporary folder.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportErrors(t *testing.T) {
	for _, c := range []struct {
		name, file, text string
		imp              func(string, Options) ([]Edge, error)
		want             string
	}{
		{"nemanode bad weight", "w.csv", "pre\tpost\ttype\tsynapses\nADAL\tADAR\tchemical\tx\n", ImportNemaNode, "w.csv:2:4: weight \"x\""},
		{"nemanode bad type", "w.csv", "pre\tpost\ttype\tsynapses\nADAL\tADAR\tfoo\t1\n", ImportNemaNode, "w.csv:2:3: type \"foo\""},
		{"nemanode no column", "w.csv", "pre\tpost\ttype\n", ImportNemaNode, "w.csv:1: header \"pre post type\" has no \"synapses\" column: not found"},
		{"nemanode short row", "w.csv", "pre post type synapses\nADAL ADAR\n", ImportNemaNode, "w.csv:2:3: row has 2 fields"},
		{"edgelist bad q", "e.csv", "pre,post,weight,q\nADAL,ADAR,1,2\n", ImportEdgeList, "e.csv:2:4: q value"},
		{"edgelist no weight", "e.csv", "pre,post\nADAL,ADAR\n", ImportEdgeList, "e.csv:1: header \"pre,post\" has no \"weight\" column: not found"},
		{"matrix bad cell", "m.csv", ",ADAL,ADAR\nADAL,0,z\n", ImportMatrix, "m.csv:2:3: weight \"z\""},
		{"matrix long row", "m.csv", ",ADAL\nADAL,0,1\n", ImportMatrix, "m.csv:2:3: row has 3 fields"},
		{"xlsx not a workbook", "v.xlsx", "not a zip", ImportVarshney, "v.xlsx: not a readable .xlsx"},
		{"xls not a workbook", "o.xls", "not a compound file", ImportOpenWorm, "o.xls: biff: compound file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.file, c.text)
			_, err := c.imp(p, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			// A missing column is ErrNotFound, every other fault ErrMalformed.
			cause := neurotab.ErrMalformed
			if strings.Contains(c.want, "not found") {
				cause = neurotab.ErrNotFound
			}
			var fe *FormatError
			if !errors.Is(err, cause) || !errors.As(err, &fe) {
				t.Errorf("error %v (%T) is not a *FormatError wrapping %v", err, err, cause)
			}
			if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line containing %q", err, c.want)
			}
		})
	}
}

// TestSpreadsheetErrors writes wrong-shaped workbooks with excelize and
// checks that the error names file, sheet and cell.
func TestSpreadsheetErrors(t *testing.T) {
	mk := func(t *testing.T, name, sheet string, cells map[string]any) string {
		f := excelize.NewFile()
		defer f.Close()
		if sheet != "Sheet1" {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				t.Fatal(err)
			}
		}
		for k, v := range cells {
			if err := f.SetCellValue(sheet, k, v); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(t.TempDir(), name)
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name  string
		file  string
		sheet string
		cells map[string]any
		imp   func(string, Options) ([]Edge, error)
		want  string
	}{
		{"varshney bad count", "v.xlsx", "Sheet1", map[string]any{"A1": "Neuron 1", "B1": "Neuron 2", "C1": "Type", "D1": "Nbr",
			"A2": "ADAL", "B2": "ADAR", "C2": "S", "D2": "many"}, ImportVarshney, `v.xlsx: sheet "Sheet1" cell D2: weight "many"`},
		{"varshney bad type", "v.xlsx", "Sheet1", map[string]any{"A1": "Neuron 1", "B1": "Neuron 2", "C1": "Type", "D1": "Nbr",
			"A2": "ADAL", "B2": "ADAR", "C2": "Q", "D2": 1}, ImportVarshney, `v.xlsx: sheet "Sheet1" cell C2: type "Q"`},
		{"varshney missing column", "v.xlsx", "Sheet1", map[string]any{"A1": "Neuron 1", "B1": "Neuron 2", "C1": "Type"},
			ImportVarshney, `v.xlsx: sheet "Sheet1" cell D1: header row`},
		{"witvliet bad synapses", "witvliet_2020_7.xlsx", "w", map[string]any{"A1": "pre", "B1": "post", "C1": "type", "D1": "synapses",
			"A2": "ADAL", "B2": "ADAR", "C2": "chemical", "D2": "?"}, ImportWitvliet, `witvliet_2020_7.xlsx: sheet "w" cell D2`},
		{"cook missing sheet", "c.xlsx", "Sheet1", map[string]any{"A1": 1}, func(p string, o Options) ([]Edge, error) {
			return ImportCook(p, "hermaphrodite", o)
		}, `c.xlsx: sheet "hermaphrodite chemical": cannot read sheet`},
		{"cook bad cell", "c.xlsx", "hermaphrodite chemical", map[string]any{"D3": "ADAR", "C4": "ADAL", "D4": "x", "A5": ""},
			func(p string, o Options) ([]Edge, error) { return ImportCook(p, "hermaphrodite", o) },
			`c.xlsx: sheet "hermaphrodite chemical" cell D4: weight "x"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mk(t, c.file, c.sheet, c.cells)
			_, err := c.imp(p, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			if !strings.HasPrefix(got, p) || !strings.Contains(got, c.want) || strings.Contains(got, "\n") {
				t.Errorf("error %q, want one line starting with the path and containing %q", got, c.want)
			}
			var fe *FormatError
			if !errors.Is(err, neurotab.ErrMalformed) || !errors.As(err, &fe) || fe.File != p {
				t.Errorf("error %v (%T) is not a *FormatError on %s wrapping ErrMalformed", err, err, p)
			}
		})
	}
}

// TestImportOptions checks the dataset name, KeepNonNeurons on the Cook
// matrices and the neuromuscular switch of the OpenWorm tables.
func TestImportOptions(t *testing.T) {
	t.Run("witvliet dataset name", func(t *testing.T) {
		p := fixtures.Path(t, "c302", "witvliet_2020_1.xlsx")
		for _, c := range []struct {
			opt  Options
			want string
		}{{Options{}, "witvliet2020_1"}, {Options{Dataset: "L1a"}, "L1a"}} {
			edges, err := ImportWitvliet(p, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			// every edge carries it; the count is reference_counts.csv's
			if s := Summarize(edges); s.Chemical.Edges != 675 || s.Electrical.Edges != 164 {
				t.Errorf("summary %+v", s)
			}
			for _, e := range edges {
				if e.Dataset != c.want {
					t.Fatalf("edge %+v: dataset %q, want %q", e, e.Dataset, c.want)
				}
			}
		}
	})
	t.Run("cook unknown sex", func(t *testing.T) {
		_, err := ImportCook("c.xlsx", "female", Options{})
		if !errors.Is(err, neurotab.ErrParam) || err.Error() != `connectome: Cook 2019 sex "female", want hermaphrodite or male: invalid parameter` {
			t.Errorf("error %v", err)
		}
	})
	t.Run("openworm without neuromuscular", func(t *testing.T) {
		p := fixtures.Path(t, "c302", "CElegansNeuronTables.xls")
		edges, err := ImportOpenWorm(p, Options{DropNeuromuscular: true})
		if err != nil {
			t.Fatal(err)
		}
		// Chemical and electrical counts are unchanged (reference_counts.csv).
		s := Summarize(edges)
		if s.NeuroMuscular.Edges != 0 || s.Chemical.Edges != 2279 || s.Electrical.Edges != 1109 {
			t.Errorf("summary %+v", s)
		}
	})
	t.Run("herm_full keeps end organs", func(t *testing.T) {
		p := fixtures.Path(t, "c302", "herm_full_edgelist.csv")
		edges, err := ImportCookEdgeList(p, Options{KeepNonNeurons: true})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[Kind]bool{}
		names := map[string]bool{}
		for _, e := range edges {
			for _, l := range []string{e.Pre, e.Post} {
				names[l] = true
				kinds[Normalize(l).Kind] = true
				if strings.TrimSpace(l) != l {
					t.Fatalf("untrimmed label %q", l)
				}
			}
		}
		// 448 distinct cells in the file (c302/SOURCE.md); body-wall muscles in
		// three spellings collapse, so at most 448 remain; the file names the
		// hypodermis (hyp, 136 rows by grep) and dBWML1 (→ MDL01).
		if len(names) > 448 || !names["hyp"] || !names["MDL01"] {
			t.Errorf("%d names, hyp %v, MDL01 %v", len(names), names["hyp"], names["MDL01"])
		}
		if !kinds[Muscle] || !kinds[EndOrgan] {
			t.Errorf("kinds %v", kinds)
		}
	})
}

func TestSummaryGapJunctions(t *testing.T) {
	edges := []Edge{e("A", "B", Electrical, 3), e("B", "A", Electrical, 3), e("C", "C", Electrical, 2), e("A", "C", Chemical, 4)}
	// Hand count: one A–B junction pair of weight 3 plus the self pair 2.
	s := Summarize(edges)
	if s.GapJunctions != 5 || s.Electrical.Edges != 3 || s.Electrical.Weight != 8 || s.Chemical.Weight != 4 {
		t.Errorf("summary %+v", s)
	}
}

func TestFormatError(t *testing.T) {
	cause := errors.New("cause")
	for _, c := range []struct {
		err  FormatError
		want string
	}{
		{FormatError{File: "a.xlsx", Sheet: "S", Cell: "B7", Msg: "bad", Err: neurotab.ErrMalformed}, `a.xlsx: sheet "S" cell B7: bad: malformed input`},
		{FormatError{File: "a.csv", Line: 3, Column: 2, Msg: "bad\nvalue", Err: neurotab.ErrMalformed}, "a.csv:3:2: bad value: malformed input"},
		{FormatError{File: "a.csv", Line: 3, Msg: "bad", Err: neurotab.ErrMalformed}, "a.csv:3: bad: malformed input"},
		{FormatError{File: "a.xls", Err: fmt.Errorf("biff: no Workbook stream: %w", neurotab.ErrMalformed)}, "a.xls: biff: no Workbook stream: malformed input"},
		{FormatError{File: "a.xls", Msg: "bad", Err: cause}, "a.xls: bad: cause"},
	} {
		t.Run(c.want, func(t *testing.T) {
			if got := c.err.Error(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			// Unwrap keeps the cause, whatever it is.
			if !errors.Is(&c.err, c.err.Err) {
				t.Errorf("errors.Is(err, %v) is false", c.err.Err)
			}
			if got := errors.Is(&c.err, neurotab.ErrMalformed); got != (c.err.Err != cause) {
				t.Errorf("errors.Is(err, ErrMalformed) = %v", got)
			}
		})
	}
}

// TestEveryCellClassified imports every source keeping non-neurons and
// checks that Normalize classifies every cell name: no Unknown kind, and
// neurons off the canonical list only in the male connectome. The names
// were listed from all files with pandas/xlrd while writing the
// classification rules (muscles, glia, end organs of Cook et al. 2019).
func TestEveryCellClassified(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every workbook; skipped with -short")
	}
	for _, c := range refCounts {
		t.Run(c.name, func(t *testing.T) {
			p := fixtures.Path(t, c.dir, c.file)
			src, _ := LookupSource(c.name)
			edges, err := src.Import(p, Options{KeepNonNeurons: true})
			if err != nil {
				t.Fatal(err)
			}
			bad := map[string]bool{}
			for _, e := range edges {
				for _, l := range []string{e.Pre, e.Post} {
					n := Normalize(l)
					male := n.Kind == NeuronKind && n.Status == Rejected && c.name == "cook2019_male"
					if n.Kind == Unknown || (n.Kind == NeuronKind && n.Status != Exact && !male) {
						bad[fmt.Sprintf("%s (%v, %v)", l, n.Kind, n.Status)] = true
					}
				}
			}
			if len(bad) > 0 {
				t.Errorf("unclassified cells: %v", bad)
			}
		})
	}
}

// TestReferenceFile checks that refCounts is the committed output of
// testdata/reference_counts.py.
func TestReferenceFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "reference_counts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "source,") {
			rows = append(rows, l)
		}
	}
	if len(rows) != len(refCounts) {
		t.Fatalf("%d rows in the file, %d in refCounts", len(rows), len(refCounts))
	}
	for i, c := range refCounts {
		want := fmt.Sprintf("%s,%d,%d,%g,%d,%g", c.name, c.neurons, c.chemEdges, c.chemWeight, c.elecEdges, c.elecWeight)
		if rows[i] != want {
			t.Errorf("row %d: file %q, refCounts %q", i, rows[i], want)
		}
	}
}

// TestCorruptWorkbooks truncates copies of the real workbooks (in a
// temporary folder) and checks for a one-line error naming the file.
func TestCorruptWorkbooks(t *testing.T) {
	for _, c := range []struct {
		file string
		imp  func(string, Options) ([]Edge, error)
		keep int // bytes kept
	}{
		{"CElegansNeuronTables.xls", ImportOpenWorm, 100000},
		{"CElegansNeuronTables.xls", ImportOpenWorm, 600},
		{"NeuronConnectFormatted.xlsx", ImportVarshney, 50000},
		{"witvliet_2020_8.xlsx", ImportWitvliet, 20000},
	} {
		t.Run(fmt.Sprint(c.file, "/", c.keep), func(t *testing.T) {
			b, err := os.ReadFile(fixtures.Path(t, "c302", c.file))
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), c.file)
			if err := os.WriteFile(p, b[:c.keep], 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = c.imp(p, Options{})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, p+": ") || strings.Contains(msg, "\n") || !errors.Is(err, neurotab.ErrMalformed) {
				t.Errorf("error %q, want one line starting with %q", msg, p)
			}
		})
	}
}
