package connectome

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// edgeStrings renders edges compactly for comparisons.
func edgeStrings(edges []Edge) []string {
	out := make([]string, len(edges))
	for i, e := range edges {
		out[i] = fmt.Sprintf("%s %s→%s %v %g", e.Dataset, e.Pre, e.Post, e.Type, e.Weight)
	}
	return out
}

func TestImportEdgeListFormats(t *testing.T) {
	for _, c := range []struct {
		name, file, text string
		opt              Options
		want             []string // hand-derived from the text
	}{
		{
			name: "comma with BOM and types",
			file: "e.csv",
			text: "\ufeffPre,Post,Type,Weight\nAVAL,AVAR,gap,2\nAVAR,AVAL,electrical,4\nAVAL,DA01,chemical,1\n",
			want: []string{"edgelist AVAL→DA1 chemical 1", "edgelist AVAL→AVAR electrical 3", "edgelist AVAR→AVAL electrical 3"},
		},
		{
			name: "tab guessed, no type column, default type",
			file: "e.tsv",
			text: "pre\tpost\tweight\nADAL\tADAR\t1.5\n\nADAR\tADAL\t2\n",
			opt:  Options{DefaultType: Electrical, Gap: GapSum, Dataset: "x"},
			want: []string{"x ADAL→ADAR electrical 3.5", "x ADAR→ADAL electrical 3.5"},
		},
		{
			name: "semicolon given",
			file: "e.txt",
			text: "a;b;w\nADAL;ADAR;1\nhyp;ADAL;2\n",
			opt:  Options{Comma: ';', Pre: "a", Post: "b", Weight: "w", KeepNonNeurons: true},
			want: []string{"edgelist ADAL→ADAR chemical 1", "edgelist hyp→ADAL chemical 2"},
		},
		{
			name: "zero weights dropped, first chemical row kept",
			file: "e.csv",
			text: "pre,post,weight\nADAL,ADAR,0\nADAL,ADAR,5\nADAR,ADAL,7\nADAR,ADAL,1\n",
			want: []string{"edgelist ADAR→ADAL chemical 7"},
		},
		{
			name: "comment lines and CRLF",
			file: "e.csv",
			text: "# exported by hand\r\npre,post,weight\r\n# AVAL,AVAR,9\r\nAVAL,AVAR,2\r\n",
			want: []string{"edgelist AVAL→AVAR chemical 2"},
		},
		{
			name: "herm_full style padding",
			file: "h.csv",
			text: "Source,Target,Weight,Type\nI1L , I2L           ,10,chemical\nDA01 ,VD01 ,1,electrical  \n",
			opt:  Options{Pre: "source", Post: "target", Type: "type"},
			want: []string{"edgelist I1L→I2L chemical 10", "edgelist DA1→VD1 electrical 1", "edgelist VD1→DA1 electrical 1"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.file, c.text)
			edges, err := ImportEdgeList(p, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := edgeStrings(edges); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestImportEdgeListNamedColumnMissing(t *testing.T) {
	p := writeFile(t, "e.csv", "pre,post,weight\nADAL,ADAR,1\n")
	for _, opt := range []Options{{Type: "kind"}, {Q: "qval"}} {
		if _, err := ImportEdgeList(p, opt); !errors.Is(err, neurotab.ErrNotFound) || !strings.Contains(err.Error(), "e.csv:1: header") {
			t.Errorf("options %+v: error %v", opt, err)
		}
	}
}

func TestImportMatrixFormats(t *testing.T) {
	for _, c := range []struct {
		name, text string
		opt        Options
		want       []string
	}{
		{
			name: "chemical with padding and gaps",
			text: ",ADAL,ADAR,DA01\nADAL,,2,\nDA01,1,,0\n",
			want: []string{"matrix ADAL→ADAR chemical 2", "matrix DA1→ADAL chemical 1"},
		},
		{
			// mean of A[0][1] = 2 and A[1][0] = 4.
			name: "electrical asymmetric matrix symmetrized",
			text: "x\tADAL\tADAR\nADAL\t0\t2\nADAR\t4\t0\n",
			opt:  Options{DefaultType: Electrical},
			want: []string{"matrix ADAL→ADAR electrical 3", "matrix ADAR→ADAL electrical 3"},
		},
		{
			name: "short rows",
			text: ",ADAL,ADAR\nADAR,3\n",
			want: []string{"matrix ADAR→ADAL chemical 3"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, "m.csv", c.text)
			edges, err := ImportMatrix(p, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := edgeStrings(edges); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestImportNemaNodeFormats(t *testing.T) {
	for _, c := range []struct {
		name, text string
		opt        Options
		want       []string
	}{
		{
			name: "no trailing newline, CRLF",
			text: "pre\tpost\ttype\tsynapses\r\nAVAL\tAVAR\telectrical\t2\r\nAVAL\tDA9\tchemical\t3",
			want: []string{"nemanode AVAL→DA9 chemical 3", "nemanode AVAL→AVAR electrical 2", "nemanode AVAR→AVAL electrical 2"},
		},
		{
			name: "columns in another order",
			text: "synapses type post pre\n4\tchemical\tAVAR\tAVAL\n",
			want: []string{"nemanode AVAL→AVAR chemical 4"},
		},
		{
			name: "as listed",
			text: "pre post type synapses\nAVAL AVAR electrical 2\nCEPshDL AVAL electrical 1\n",
			opt:  Options{Gap: GapAsListed, KeepNonNeurons: true},
			want: []string{"nemanode AVAL→AVAR electrical 2", "nemanode CEPshDL→AVAL electrical 1"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, "n.csv", c.text)
			edges, err := ImportNemaNode(p, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := edgeStrings(edges); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			for _, e := range edges {
				if !math.IsNaN(e.QValue) {
					t.Errorf("q value %g", e.QValue)
				}
			}
		})
	}
	if _, err := ImportNemaNode(writeFile(t, "empty.csv", "\n\n"), Options{}); !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), "empty.csv:1: empty file") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := ImportNemaNode("/nonexistent/file.csv", Options{}); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "/nonexistent/file.csv") {
		t.Errorf("missing file: error %v", err)
	}
}
