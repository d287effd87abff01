package eventdata

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/ingest"
)

func decodeAll(t *testing.T, src string, data []byte, o Options) (*events.Batch, error) {
	t.Helper()
	s, err := Lookup(src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Open(bytes.NewReader(data), "in", o)
	if err != nil {
		return nil, err
	}
	return events.ReadAll(d)
}

// Hand-written lists: every value of the output is stated in the input.
func TestCSVEvents(t *testing.T) {
	cm, err := ParseColumnMap("t=timestamp,p=polarity", "ms")
	if err != nil {
		t.Fatal(err)
	}
	in := "timestamp,x,y,polarity\n0.5,1,2,1\n1.25,3,4,-1\n2,5,6,0\n"
	b, err := decodeAll(t, "csv-events", []byte(in), Options{Columns: cm})
	if err != nil {
		t.Fatal(err)
	}
	want := [][4]int64{{500, 1, 2, 1}, {1250, 3, 4, 0}, {2000, 5, 6, 0}}
	if b.Len() != 3 {
		t.Fatalf("%d events", b.Len())
	}
	for i, w := range want {
		if b.T[i] != w[0] || int64(b.X[i]) != w[1] || int64(b.Y[i]) != w[2] || int64(b.P[i]) != w[3] {
			t.Fatalf("event %d = %d %d %d %d, want %v", i, b.T[i], b.X[i], b.Y[i], b.P[i], w)
		}
	}
	// A 1-D spike list, tab-separated: t (s) and channel only; all ON.
	cm1, _ := ParseColumnMap("t=time,x=unit", "s")
	b, err = decodeAll(t, "csv-events", []byte("time\tunit\n0.001\t3\n0.002\t0\n"), Options{Columns: cm1})
	if err != nil || b.Len() != 2 || b.T[1] != 2000 || b.X[0] != 3 || b.Y[0] != 0 || b.P[0] != 1 {
		t.Fatalf("1-D list: %+v %v", b, err)
	}
}

func TestCSVEventsErrors(t *testing.T) {
	cm, _ := ParseColumnMap("", "us")
	cases := map[string]struct {
		in, want string
		cause    error
	}{
		"backwards":   {"t,x,y,p\n5,1,1,1\n4,1,1,1\n", "in:3: time 4 µs after 5; use --lenient to keep it: time runs backwards", neurotab.ErrTimeOrder},
		"not number":  {"t,x,y,p\n5,a,1,1\n", `in:2:2: column "x": "a" is not a number: malformed input`, neurotab.ErrMalformed},
		"empty cell":  {"t,x,y,p\n5,1,,1\n", `in:2:3: column "y": "" is not a finite number`, neurotab.ErrNotFinite},
		"bad x":       {"t,x,y,p\n5,70000,1,1\n", "in:2: x 70000, y 1 must be integers in 0..65535: value out of range", neurotab.ErrOutOfRange},
		"bad p":       {"t,x,y,p\n5,1,1,2\n", "in:2: polarity 2 must be 0, 1 or -1: value out of range", neurotab.ErrOutOfRange},
		"huge t":      {"t,x,y,p\n1e19,1,1,1\n", "in:2: time 1e+19: want a finite time within ±2⁶² µs", neurotab.ErrOutOfRange},
		"ragged row":  {"t,x,y,p\n5,1\n", `in:2:3: row has 2 fields, no column "y"`, neurotab.ErrMalformed},
		"bad quote":   {"t,x,y,p\n5,1,\"1,1\n", "in:2: extraneous or missing", neurotab.ErrMalformed},
		"missing col": {"time,x\n1,2\n", `in:1: --columns t=t: no column "t"`, neurotab.ErrNotFound},
	}
	for name, c := range cases {
		_, err := decodeAll(t, "csv-events", []byte(c.in), Options{Columns: cm})
		if err == nil || !strings.HasPrefix(err.Error(), "in:") || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line naming the file and %q", name, err, c.want)
		}
		if c.cause != nil && !errors.Is(err, c.cause) {
			t.Errorf("%s: error %v does not wrap %v", name, err, c.cause)
		}
	}
}

func TestParseColumnMap(t *testing.T) {
	cm, err := ParseColumnMap("x=unit, t=time", "ms")
	if err != nil || !reflect.DeepEqual(cm, ColumnMap{T: "time", X: "unit", Y: "y", P: "p", TimeScale: 1000, Mapped: []string{"x", "t"}}) {
		t.Fatalf("ParseColumnMap = %+v, %v", cm, err)
	}
	cases := []struct{ name, spec, unit, want string }{
		{"unknown key", "q=1", "", `eventdata: column map "q=1": unknown key "q" (t, x, y, p): invalid parameter`},
		{"no pair", "t", "", `eventdata: column map "t": want key=column pairs: invalid parameter`},
		{"unit", "", "min", `eventdata: time unit "min": want us, ms or s: invalid parameter`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseColumnMap(c.spec, c.unit)
			if err == nil || err.Error() != c.want {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if !errors.Is(err, neurotab.ErrParam) {
				t.Errorf("%v does not wrap ErrParam", err)
			}
		})
	}
}

func TestNPYEvents(t *testing.T) {
	var buf bytes.Buffer
	// 3 events × 4 columns in the default order t, x, y, p.
	if err := npy.Write(&buf, []int{3, 4}, []float64{10, 1, 2, 1, 20, 3, 4, 0, 30, 5, 6, 1}); err != nil {
		t.Fatal(err)
	}
	cm, _ := ParseColumnMap("", "us")
	b, err := decodeAll(t, "npy-events", buf.Bytes(), Options{Columns: cm})
	if err != nil || b.Len() != 3 || b.T[2] != 30 || b.X[1] != 3 || b.Y[2] != 6 || b.P[1] != 0 {
		t.Fatalf("%+v %v", b, err)
	}
	// Reordered columns: p, t, x, y.
	buf.Reset()
	npy.Write(&buf, []int{1, 4}, []float64{1, 7, 8, 9})
	cm2, _ := ParseColumnMap("t=1,x=2,y=3,p=0", "us")
	b, err = decodeAll(t, "npy-events", buf.Bytes(), Options{Columns: cm2})
	if err != nil || b.T[0] != 7 || b.X[0] != 8 || b.Y[0] != 9 || b.P[0] != 1 {
		t.Fatalf("reordered: %+v %v", b, err)
	}
}

func TestNPYEventsErrors(t *testing.T) {
	arr := func(shape []int, xs ...float64) []byte {
		var buf bytes.Buffer
		if err := npy.Write(&buf, shape, xs); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	def, _ := ParseColumnMap("", "us")
	cases := []struct {
		name string
		data []byte
		cm   string
		want string
		is   error
	}{
		{"1-D array", arr([]int{4}, 1, 2, 3, 4), "", "in: shape [4]: an event list must be 2-D (events × columns): malformed input", neurotab.ErrMalformed},
		{"backwards", arr([]int{2, 4}, 5, 1, 1, 1, 4, 1, 1, 1), "", "in: row 1: time 4 µs after 5; use --lenient to keep it: time runs backwards", neurotab.ErrTimeOrder},
		{"bad x", arr([]int{1, 4}, 5, -1, 1, 1), "", "in: row 0: x -1, y 1 must be integers in 0..65535: value out of range", neurotab.ErrOutOfRange},
		{"NaN time", arr([]int{1, 4}, math.NaN(), 1, 1, 1), "", "in: row 0: time NaN: want a finite time", neurotab.ErrOutOfRange},
		{"name for an index", arr([]int{1, 4}, 5, 1, 1, 1), "t=time", `in: column "time": NPY columns are 0-based indices: invalid parameter`, neurotab.ErrParam},
		{"index past the array", arr([]int{1, 2}, 5, 1), "x=4", "in: column 4: the array has 2 columns: not found", neurotab.ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cm := def
			if c.cm != "" {
				cm, _ = ParseColumnMap(c.cm, "us")
			}
			_, err := decodeAll(t, "npy-events", c.data, Options{Columns: cm})
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
			if !errors.Is(err, c.is) {
				t.Errorf("%v does not wrap %v", err, c.is)
			}
		})
	}
}

func TestCSVThroughToFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "spikes.csv")
	os.WriteFile(p, []byte("t,x\n1,0\n2,1\n"), 0o644)
	out := filepath.Join(dir, "o.parquet")
	cm, _ := ParseColumnMap("", "s")
	res, err := ToFile([]ingest.Input{{Path: p, Source: "csv-events"}}, out, Config{Options: Options{Columns: cm, Width: 2, Height: 1}})
	if err != nil || res[0].Events != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	s, _ := readEvents(t, out)
	if s.t != 3000000 || s.width != "2" || s.fm != "csv" {
		t.Fatalf("%+v", s)
	}
}

// TestCSVMappedColumnMissing: a column named in --columns that the file lacks
// is an error, while the default y and p columns may be absent (1-D sensors).
func TestCSVMappedColumnMissing(t *testing.T) {
	in := []byte("t,x,p\n1,2,1\n2,3,0\n")
	def, _ := ParseColumnMap("", "us")
	b, err := decodeAll(t, "csv-events", in, Options{Columns: def})
	if err != nil || b.Len() != 2 || b.X[1] != 3 || b.Y[1] != 0 {
		t.Fatalf("default map: %+v, %v; want 2 events, x = 2, 3 and y = 0 (y absent is allowed)", b, err)
	}
	mapped, _ := ParseColumnMap("y=y", "us")
	_, err = decodeAll(t, "csv-events", in, Options{Columns: mapped})
	if err == nil || !errors.Is(err, neurotab.ErrNotFound) || !strings.Contains(err.Error(), `--columns y=y: no column "y"`) {
		t.Fatalf("mapped y: error %v, want one naming --columns y=y", err)
	}
}

// A column named twice in the header is ambiguous: an error naming both
// positions and the --columns index that picks one; by index it works.
func TestCSVDuplicateColumn(t *testing.T) {
	in := []byte("t,x,y,x,p\n1,2,3,4,1\n")
	def, _ := ParseColumnMap("", "us")
	_, err := decodeAll(t, "csv-events", in, Options{Columns: def})
	if err == nil || !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), `column "x" appears 2 times in the header (0-based columns [1 3])`) ||
		!strings.Contains(err.Error(), "--columns x=1") {
		t.Fatalf("error %v", err)
	}
	byIndex, _ := ParseColumnMap("x=3", "us")
	b, err := decodeAll(t, "csv-events", in, Options{Columns: byIndex})
	if err != nil || b.Len() != 1 || b.X[0] != 4 {
		t.Fatalf("by index: %+v, %v", b, err)
	}
}
