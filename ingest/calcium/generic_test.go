package calcium

import (
	"os"
	"path/filepath"
	"testing"
)

// Expected values below are the literals gen.py writes into testdata/.
func TestGeneric(t *testing.T) {
	cases := []struct {
		name   string
		path   string
		opt    Options
		labels []string
		time   []float64
		rows   [][]float64 // T×N, NaN where gen.py left a gap
	}{
		{"csv with time column", "traces.csv", Options{TimeColumn: "t"},
			[]string{"AVAL", "AVAR", "RIML"}, []float64{0.5, 1, 1.5, 2},
			[][]float64{{1, 2, 3}, {1.5, nan, 3.5}, {2, 2.5, nan}, {2.5, 3, 4.5}}},
		{"csv with sample rate", "traces.csv", Options{SampleRate: 2},
			[]string{"t", "AVAL", "AVAR", "RIML"}, []float64{0, 0.5, 1, 1.5},
			[][]float64{{0.5, 1, 2, 3}, {1, 1.5, nan, 3.5}, {1.5, 2, 2.5, nan}, {2, 2.5, 3, 4.5}}},
		{"tsv", "traces.tsv", Options{SampleRate: 4},
			[]string{"AVAL", "SMDVR"}, []float64{0, 0.25, 0.5},
			[][]float64{{0.25, -1}, {0.5, -2}, {0.75, -3}}},
		{"npy with names", "traces.npy", Options{SampleRate: 2, Names: []string{"AVAL", "", "RIML"}},
			[]string{"AVAL", "", "RIML"}, []float64{0, 0.5, 1, 1.5, 2, 2.5},
			// gen.py: value = 10*t + n
			[][]float64{{0, 1, 2}, {10, 11, 12}, {20, 21, 22}, {30, 31, 32}, {40, 41, 42}, {50, 51, 52}}},
		{"npy without names", "traces.npy", Options{SampleRate: 1},
			[]string{"", "", ""}, []float64{0, 1, 2, 3, 4, 5},
			[][]float64{{0, 1, 2}, {10, 11, 12}, {20, 21, 22}, {30, 31, 32}, {40, 41, 42}, {50, 51, 52}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := readOne(t, ReadGeneric, filepath.Join("testdata", c.path), c.opt)
			if r.Dataset != "generic" || r.Worm != "traces" {
				t.Errorf("dataset %q worm %q", r.Dataset, r.Worm)
			}
			wantLabels(t, r.Labels, c.labels)
			wantShape(t, r, len(c.rows), len(c.labels))
			for i, v := range c.time {
				if r.Time[i] != v {
					t.Errorf("time[%d] = %v, want %v", i, r.Time[i], v)
				}
			}
			for i, row := range c.rows {
				for j, v := range row {
					if got := r.Traces.At(i, j); !same(got, v) {
						t.Errorf("(%d,%d) = %v, want %v", i, j, got, v)
					}
				}
			}
		})
	}
}

func TestGenericBadInput(t *testing.T) {
	write := func(t *testing.T, name, body string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		path func(t *testing.T) string
		opt  Options
		want []string
	}{
		{"no time base", local("traces.csv"), Options{}, []string{"traces.csv", "no time base"}},
		{"time column missing", local("traces.csv"), Options{TimeColumn: "time"},
			[]string{"traces.csv", `column "time": missing`}},
		{"npy names count", local("traces.npy"), Options{SampleRate: 1, Names: []string{"a", "b"}},
			[]string{"traces.npy", "2 names for 3 traces"}},
		{"npy without rate", local("traces.npy"), Options{}, []string{"traces.npy", "no time base"}},
		{"not a number", func(t *testing.T) string { return write(t, "x.csv", "a,b\n1,zz\n") }, Options{SampleRate: 1},
			[]string{"x.csv:2:2: ", `column "b": "zz" is not a number`}},
		{"short row", func(t *testing.T) string { return write(t, "x.csv", "a,b\n1\n") }, Options{SampleRate: 1},
			[]string{"x.csv:2:2: ", "row has 1 fields, header 2"}},
		{"ragged quoted row", func(t *testing.T) string { return write(t, "x.csv", "a,b\n1,2\n\"3\n4\",5,6\n") }, Options{SampleRate: 1},
			[]string{"x.csv:3:3: ", "row has 3 fields, header 2"}},
		{"header only", func(t *testing.T) string { return write(t, "x.csv", "a,b\n") }, Options{SampleRate: 1},
			[]string{"x.csv", "no samples"}},
		{"empty", func(t *testing.T) string { return write(t, "x.csv", "") }, Options{SampleRate: 1},
			[]string{"x.csv", "empty file"}},
		{"time not increasing", func(t *testing.T) string { return write(t, "x.csv", "t,a\n1,1\n1,2\n") },
			Options{TimeColumn: "t"}, []string{"x.csv", "time does not increase"}},
		{"blank time", func(t *testing.T) string { return write(t, "x.csv", "t,a\n,1\n") },
			Options{TimeColumn: "t"}, []string{"x.csv:2:1: ", `column "t": "" is not a finite number`}},
		{"other extension", func(t *testing.T) string { return write(t, "x.xlsx", "") }, Options{},
			[]string{"x.xlsx", ".csv, .tsv or .npy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadGeneric(c.path(t), c.opt)
			wantErr(t, err, c.want...)
		})
	}
}

// Text layouts the CSV reader accepts: a byte order mark, CRLF line ends,
// comment lines and quoted names; every value is written in the input.
func TestGenericCSVText(t *testing.T) {
	p := filepath.Join(t.TempDir(), "w1.csv")
	text := "\ufeff# exported by hand\r\ntime,\"AVAL\",AVAR\r\n0.5,1,NA\r\n# dropped frame\r\n1.5,-2,3.25\r\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := readOne(t, ReadGeneric, p, Options{TimeColumn: "time"})
	wantLabels(t, r.Labels, []string{"AVAL", "AVAR"})
	wantShape(t, r, 2, 2)
	want := [][]float64{{1, nan}, {-2, 3.25}}
	for i, row := range want {
		for j, v := range row {
			if got := r.Traces.At(i, j); !same(got, v) {
				t.Errorf("(%d,%d) = %v, want %v", i, j, got, v)
			}
		}
	}
	if r.Time[0] != 0.5 || r.Time[1] != 1.5 {
		t.Errorf("time %v", r.Time)
	}
}
