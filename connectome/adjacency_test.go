package connectome

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
	"gonum.org/v1/gonum/mat"
)

func e(pre, post string, t EdgeType, w float64) Edge {
	return Edge{Dataset: "d", Pre: pre, Post: post, Type: t, Weight: w, QValue: math.NaN()}
}

func TestAdjacency(t *testing.T) {
	labels := []string{"A", "B", "C"}
	edges := []Edge{
		e("A", "B", Chemical, 2), e("A", "B", Chemical, 1), // summed: 3
		e("B", "C", Electrical, 4), e("C", "B", Electrical, 4),
		e("C", "A", Functional, 0.5),
		e("A", "Z", Chemical, 9), // outside the labels
	}
	for _, c := range []struct {
		name  string
		types EdgeType
		want  []float64 // hand-derived from the edges above
	}{
		{"chemical", Chemical, []float64{0, 3, 0, 0, 0, 0, 0, 0, 0}},
		{"electrical", Electrical, []float64{0, 0, 0, 0, 0, 4, 0, 4, 0}},
		{"combined", Chemical | Electrical, []float64{0, 3, 0, 0, 0, 4, 0, 4, 0}},
		{"functional", Functional, []float64{0, 0, 0, 0, 0, 0, 0.5, 0, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := Adjacency(edges, labels, c.types)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(a, mat.NewDense(3, 3, c.want)) {
				t.Errorf("got\n%v\nwant %v", mat.Formatted(a), c.want)
			}
			tr, err := Triplets(edges, labels, c.types)
			if err != nil {
				t.Fatal(err)
			}
			back := mat.NewDense(3, 3, nil)
			for _, x := range tr {
				back.Set(x.Row, x.Col, x.Value)
			}
			if !mat.Equal(a, back) {
				t.Errorf("triplets %v differ from dense", tr)
			}
		})
	}
	for _, bad := range []struct {
		labels []string
		is     error
		msg    string
	}{
		{nil, neurotab.ErrShape, "connectome: adjacency over no labels: shape mismatch"},
		{[]string{"A", "A"}, neurotab.ErrParam, `connectome: label "A" listed twice: invalid parameter`},
	} {
		_, err := Adjacency(edges, bad.labels, Chemical)
		_, terr := Triplets(edges, bad.labels, Chemical)
		for _, e := range []error{err, terr} {
			if !errors.Is(e, bad.is) || e.Error() != bad.msg {
				t.Errorf("labels %v: error %v, want %q", bad.labels, e, bad.msg)
			}
		}
	}
}

// TestAdjacencyPermutation: permuting the labels permutes rows and columns.
func TestAdjacencyPermutation(t *testing.T) {
	edges := []Edge{e("A", "B", Chemical, 1), e("B", "C", Chemical, 2), e("C", "A", Chemical, 3), e("C", "C", Chemical, 4)}
	a, _ := Adjacency(edges, []string{"A", "B", "C"}, Chemical)
	perm := []int{2, 0, 1}
	b, _ := Adjacency(edges, []string{"C", "A", "B"}, Chemical)
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			if b.At(i, j) != a.At(perm[i], perm[j]) {
				t.Fatalf("(%d,%d): %g, want %g", i, j, b.At(i, j), a.At(perm[i], perm[j]))
			}
		}
	}
}

func TestSymmetrizeGap(t *testing.T) {
	in := []Edge{e("A", "B", Electrical, 2), e("B", "A", Electrical, 4), e("C", "C", Electrical, 1), e("A", "C", Chemical, 5), e("D", "E", Electrical, 0)}
	for _, c := range []struct {
		rule GapRule
		want []Edge
	}{
		// mean of 2 and 4 is 3, both ways; the self pair once; zero pairs dropped.
		{GapMean, []Edge{e("A", "B", Electrical, 3), e("B", "A", Electrical, 3), e("C", "C", Electrical, 1)}},
		{GapSum, []Edge{e("A", "B", Electrical, 6), e("B", "A", Electrical, 6), e("C", "C", Electrical, 1)}},
		{GapAsListed, []Edge{e("A", "B", Electrical, 2), e("B", "A", Electrical, 4), e("C", "C", Electrical, 1)}},
	} {
		t.Run(c.rule.String(), func(t *testing.T) {
			got := SymmetrizeGap(in, c.rule)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestConsensus(t *testing.T) {
	d1 := []Edge{{Dataset: "d1", Pre: "A", Post: "B", Type: Chemical, Weight: 2}, {Dataset: "d1", Pre: "A", Post: "C", Type: Electrical, Weight: 1}, {Dataset: "d1", Pre: "C", Post: "A", Type: Electrical, Weight: 1}}
	d2 := []Edge{{Dataset: "d2", Pre: "A", Post: "B", Type: Chemical, Weight: 4}, {Dataset: "d2", Pre: "A", Post: "C", Type: Electrical, Weight: 3}, {Dataset: "d2", Pre: "C", Post: "A", Type: Electrical, Weight: 3}}
	d3 := []Edge{{Dataset: "d3", Pre: "B", Post: "A", Type: Chemical, Weight: 7}}
	got := Consensus(d1, d2, d3)
	nan := math.NaN()
	// Hand-derived: A→B chemical mean(2, 4) = 3 from d1, d2; A↔C gap
	// mean(1, 3) = 2 from d1, d2; B→A chemical 7 from d3 only.
	want := []ConsensusEdge{
		{Pre: "A", Post: "B", Chemical: 3, Electrical: nan, ChemicalSources: 2, Sources: []string{"d1", "d2"}},
		{Pre: "A", Post: "C", Chemical: nan, Electrical: 2, ElectricalSources: 2, Sources: []string{"d1", "d2"}},
		{Pre: "B", Post: "A", Chemical: 7, Electrical: nan, ChemicalSources: 1, Sources: []string{"d3"}},
		{Pre: "C", Post: "A", Chemical: nan, Electrical: 2, ElectricalSources: 2, Sources: []string{"d1", "d2"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	edges := ConsensusEdges(got, "consensus")
	if s := Summarize(edges); s.Chemical.Edges != 2 || s.Chemical.Weight != 10 || s.Electrical.Edges != 2 || s.Electrical.Weight != 4 {
		t.Errorf("consensus edges summary %+v", s)
	}
}

// TestConsensusOfIdentical: the consensus of a dataset with itself is the
// dataset (White 1986 whole, counts from testdata/reference_counts.csv).
func TestConsensusOfIdentical(t *testing.T) {
	p := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	edges, err := ImportNemaNode(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := Consensus(edges, edges)
	ce := ConsensusEdges(c, "x")
	s := Summarize(ce)
	if s.Chemical.Edges != 2266 || s.Chemical.Weight != 6509 || s.Electrical.Edges != 1132 || s.Electrical.Weight != 1916 {
		t.Errorf("summary %+v", s)
	}
	for _, x := range c {
		if fmt.Sprint(x.Sources) != "[nemanode]" || (x.ChemicalSources != 0 && x.ChemicalSources != 2) {
			t.Fatalf("edge %+v", x)
		}
	}
	// edge by edge: the mean of a weight with itself is that weight
	labels := DefaultAtlas().Labels()
	for _, typ := range []EdgeType{Chemical, Electrical} {
		want, _ := Adjacency(edges, labels, typ)
		got, _ := Adjacency(ce, labels, typ)
		if !mat.Equal(got, want) {
			t.Errorf("%v consensus adjacency differs from the dataset's", typ)
		}
	}
}

// TestMatrixRoundTrip writes the White 1986 whole chemical adjacency as a
// CSV matrix and reads it back with ImportMatrix: the counts must be those of
// testdata/reference_counts.csv (2,266 edges, 6,509 synapses).
func TestMatrixRoundTrip(t *testing.T) {
	p := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	edges, err := ImportNemaNode(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	labels := DefaultAtlas().Labels()
	for _, c := range []struct {
		typ           EdgeType
		edges         int
		weight        float64
		separatorName string
		sep           string
	}{
		{Chemical, 2266, 6509, "comma", ","},
		{Electrical, 1132, 1916, "tab", "\t"},
	} {
		t.Run(c.typ.String()+"/"+c.separatorName, func(t *testing.T) {
			a, err := Adjacency(edges, labels, c.typ)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString("pre" + c.sep + strings.Join(labels, c.sep) + "\n")
			for i, l := range labels {
				b.WriteString(l)
				for j := range labels {
					if v := a.At(i, j); v != 0 {
						fmt.Fprintf(&b, "%s%g", c.sep, v)
					} else {
						b.WriteString(c.sep)
					}
				}
				b.WriteString("\n")
			}
			path := filepath.Join(t.TempDir(), "m.csv")
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			back, err := ImportMatrix(path, Options{DefaultType: c.typ})
			if err != nil {
				t.Fatal(err)
			}
			s := Summarize(back)
			ts := s.Chemical
			if c.typ == Electrical {
				ts = s.Electrical
			}
			if ts.Edges != c.edges || ts.Weight != c.weight {
				t.Errorf("%v: %d / %g, want %d / %g", c.typ, ts.Edges, ts.Weight, c.edges, c.weight)
			}
			a2, _ := Adjacency(back, labels, c.typ)
			if !mat.Equal(a, a2) {
				t.Error("matrix differs after the round trip")
			}
		})
	}
}

func TestImportEdgeList(t *testing.T) {
	text := "from\tto\tamp\tqv\n" +
		"AVAL\tAVAR\t0.5\t0.01\n" + // kept
		"AVAL\tAVBL\t0.7\t0.05\n" + // q = 0.05 is not < 0.05: dropped
		"DA01\tAVAL\t-0.2\t0.001\n" + // kept, label normalized
		"AVAL\tAVAR\t0.9\t0.02\n" + // duplicate pair: first kept
		"hyp\tAVAL\t1\t0.01\n" // not a neuron: dropped
	p := writeFile(t, "randi.tsv", text)
	src, _ := LookupSource("randi2023")
	for _, c := range []struct {
		name string
		qmax float64
		want []string
	}{
		{"default q<0.05", 0, []string{"AVAL→AVAR 0.5 q=0.01", "DA1→AVAL -0.2 q=0.001"}},
		{"q<0.1", 0.1, []string{"AVAL→AVAR 0.5 q=0.01", "AVAL→AVBL 0.7 q=0.05", "DA1→AVAL -0.2 q=0.001"}},
		{"no filter", -1, []string{"AVAL→AVAR 0.5 q=0.01", "AVAL→AVBL 0.7 q=0.05", "DA1→AVAL -0.2 q=0.001"}},
		{"q<0.005", 0.005, []string{"DA1→AVAL -0.2 q=0.001"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			edges, err := src.Import(p, Options{Pre: "from", Post: "to", Weight: "amp", Q: "qv", QMax: c.qmax})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range edges {
				if e.Type != Functional || e.Dataset != "randi2023" {
					t.Fatalf("edge %+v", e)
				}
				got = append(got, fmt.Sprintf("%s→%s %g q=%g", e.Pre, e.Post, e.Weight, e.QValue))
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	if m := (Options{}).Metadata(); m["q_max"] != "0.05" || m["gap_rule"] != "mean" {
		t.Errorf("metadata %v", m)
	}
}

func TestParseEdgeType(t *testing.T) {
	for in, want := range map[string]EdgeType{"chemical": Chemical, "Send": Chemical, "GapJunction": Electrical, "EJ": Electrical, "functional": Functional, "NMJ": NeuroMuscular} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseEdgeType(in)
			if err != nil || got != want {
				t.Errorf("ParseEdgeType(%q) = %v, %v; want %v", in, got, err, want)
			}
		})
	}
	if _, err := ParseEdgeType("R"); !errors.Is(err, neurotab.ErrParam) || err.Error() != `connectome: unknown edge type "R": invalid parameter` {
		t.Errorf("ParseEdgeType(R): error %v", err)
	}
	if s := (Chemical | Electrical).String(); s != "chemical|electrical" {
		t.Errorf("String = %q", s)
	}
}

func TestSources(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Sources() {
		t.Run(s.Name, func(t *testing.T) {
			if seen[s.Name] {
				t.Errorf("duplicate source %s", s.Name)
			}
			seen[s.Name] = true
			if s.Import == nil || s.Description == "" {
				t.Errorf("source %+v incomplete", s)
			}
			if s.File != "" && (s.DOI == "" || s.Citation == "") {
				t.Errorf("source %s has a file but no citation", s.Name)
			}
		})
	}
	// the names the CLI's --source takes, in order: 4 White,
	// 8 Witvliet, Varshney, OpenWorm, 2 Cook, the Cook edge list, 2 generic
	// readers and Randi 2023
	var names []string
	for _, s := range Sources() {
		names = append(names, s.Name)
	}
	want := []string{"white1986_whole", "white1986_n2u", "white1986_jsh", "white1986_jse",
		"witvliet2020_1", "witvliet2020_2", "witvliet2020_3", "witvliet2020_4",
		"witvliet2020_5", "witvliet2020_6", "witvliet2020_7", "witvliet2020_8",
		"varshney2011", "openworm", "cook2019_herm", "cook2019_male", "cook2015_herm_full",
		"edgelist", "matrix", "randi2023", "fc"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("sources %q,\nwant %q", names, want)
	}
}
