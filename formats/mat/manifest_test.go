package mat

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// jsonFloat converts a manifest number (shared with the other readers' tests).
var jsonFloat = fixtures.ManifestNumber

// manifest is /work/shared/data/reference-made/manifest.json: what every
// reference file must contain, written by gen.py from scipy.io.loadmat and
// gen.py's own decoder (two independent readers; see that folder's
// SOURCE.md). Numbers are exact; 64-bit integers need UseNumber.
type manifest struct {
	Files map[string]map[string]any `json:"files"`
}

func loadManifest(t *testing.T) (dir string, m manifest) {
	t.Helper()
	p := fixtures.Path(t, "reference-made", "manifest.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(p), m
}

// TestManifestV5 decodes every mat5 entry of the manifest (scipy-written,
// gen.py hand-encoded MATLAB-style, and the 46 MATLAB/Octave-written files)
// and compares every node with the manifest.
func TestManifestV5(t *testing.T) {
	dir, m := loadManifest(t)
	var names []string
	for k, e := range m.Files {
		if e["format"] == "mat5" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	// 7 reference-made v5 files + 46 under matlab_written/ (SOURCE.md).
	if len(names) != 53 {
		t.Fatalf("manifest lists %d mat5 files, want 53", len(names))
	}
	written := 0
	for _, name := range names {
		entry := m.Files[name]
		if strings.Contains(name, "matlab_written/") {
			written++
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, filepath.FromSlash(name))
			if exp, ok := entry["expect_error"]; ok {
				checkRejected(t, path, exp)
				return
			}
			f, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			checkHeader(t, f, entry["header"].(map[string]any))
			order := toStrings(entry["variable_order"])
			if got := f.Names(); !equalStrings(got, order) {
				t.Fatalf("variables %q, want %q", got, order)
			}
			vars := entry["variables"].(map[string]any)
			storage, _ := entry["storage"].(map[string]any)
			for _, vn := range order {
				v, err := f.Var(vn)
				if err != nil {
					t.Fatalf("Var(%q): %v", vn, err)
				}
				checkNode(t, vn, vars[vn].(map[string]any), v)
				if st, ok := storage[vn].(map[string]any); ok {
					checkStorage(t, f, vn, st)
				}
			}
		})
	}
	if written != 46 {
		t.Errorf("%d MATLAB-written files in the manifest, want 46", written)
	}
}

// checkRejected asserts a damaged file fails with an error wrapping one of
// our sentinels, either at Open or when its variables are decoded.
func checkRejected(t *testing.T, path string, exp any) {
	t.Helper()
	f, err := Open(path)
	if err == nil {
		defer f.Close()
		for _, vi := range f.Variables() {
			if _, err = f.Var(vi.Name); err != nil {
				break
			}
		}
	}
	if err == nil {
		t.Fatalf("damaged file (%v) decoded without error", exp)
	}
	if !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrTooLarge) {
		t.Errorf("error %v does not wrap neurotab.ErrMalformed or neurotab.ErrTooLarge", err)
	}
	if !strings.Contains(err.Error(), filepath.Base(path)) || !strings.Contains(err.Error(), "offset") {
		t.Errorf("error %q does not name the file and offset", err)
	}
	t.Logf("rejected as expected: %v", err)
}

func checkHeader(t *testing.T, f *File, h map[string]any) {
	t.Helper()
	if p := h["text_prefix"].(string); !strings.HasPrefix(f.Header.Text, p) {
		t.Errorf("header text %q lacks prefix %q", f.Header.Text, p)
	}
	if v := jsonInt(t, h["version"]); int64(f.Header.Version) != v {
		t.Errorf("version %#x, want %#x", f.Header.Version, v)
	}
	if e := h["endian"].(string); f.Header.Endian != e {
		t.Errorf("endian %q, want %q", f.Header.Endian, e)
	}
}

// checkStorage compares the indexed VarInfo with the manifest's storage
// record (mx class, logical flag, miCOMPRESSED).
func checkStorage(t *testing.T, f *File, name string, st map[string]any) {
	t.Helper()
	var vi VarInfo
	for _, x := range f.Variables() {
		if x.Name == name {
			vi = x
		}
	}
	if c, ok := st["compressed"].(bool); ok && c != vi.Compressed {
		t.Errorf("%s: compressed %v, want %v", name, vi.Compressed, c)
	}
	mx := st["mx_class"].(string)
	switch {
	case mx == "sparse":
		if !vi.Sparse {
			t.Errorf("%s: VarInfo not sparse", name)
		}
	case st["logical"] == true:
		if vi.Class != ClassLogical {
			t.Errorf("%s: VarInfo class %s, want logical", name, vi.Class)
		}
	case vi.Class.String() != mx:
		t.Errorf("%s: VarInfo class %s, want %s", name, vi.Class, mx)
	}
}

func checkNode(t *testing.T, path string, node map[string]any, v Value) {
	t.Helper()
	if v == nil {
		t.Errorf("%s: nil value", path)
		return
	}
	cls := node["class"].(string)
	if dims, ok := node["dims"]; ok {
		if want := toInts(t, dims); !equalInts(v.Dims(), want) {
			t.Errorf("%s: dims %v, want %v", path, v.Dims(), want)
		}
	}
	if node["sparse"] == true {
		sp, ok := v.(*Sparse)
		if !ok {
			t.Errorf("%s: got %T, want *Sparse", path, v)
			return
		}
		if sp.Class().String() != cls {
			t.Errorf("%s: sparse class %s, want %s", path, sp.Class(), cls)
		}
		if nnz := jsonInt(t, node["nnz"]); int64(sp.NNZ()) != nnz {
			t.Errorf("%s: nnz %d, want %d", path, sp.NNZ(), nnz)
		}
		if want := toInts(t, node["rows"]); !equalInts(sp.Rows, want) {
			t.Errorf("%s: rows %v, want %v", path, sp.Rows, want)
		}
		if want := toInts(t, node["cols"]); !equalInts(sp.Cols, want) {
			t.Errorf("%s: cols %v, want %v", path, sp.Cols, want)
		}
		if c, ok := node["complex"].(bool); ok && c != (sp.Imag != nil) {
			t.Errorf("%s: complex %v, want %v", path, sp.Imag != nil, c)
		}
		checkData(t, path, node["data"].(map[string]any), dataOf(sp.Type, sp.Real, sp.Imag, nil, nil))
		// ToDense must put each stored value at (row, col).
		dv, err := sp.ToDense()
		if err != nil {
			t.Errorf("%s: ToDense: %v", path, err)
			return
		}
		dense, _ := Float64s(dv)
		for k, r := range sp.Rows {
			if got := dense[r+sp.Shape[0]*sp.Cols[k]]; got != sp.Real[k] {
				t.Errorf("%s: dense(%d,%d) = %v, want %v", path, r, sp.Cols[k], got, sp.Real[k])
			}
		}
		return
	}
	switch cls {
	case "logical":
		l, ok := v.(*Logical)
		if !ok {
			t.Errorf("%s: got %T, want *Logical", path, v)
			return
		}
		checkData(t, path, node["data"].(map[string]any), dataOf(ClassLogical, l.Float64s(), nil, nil, nil))
	case "char":
		c, ok := v.(*Char)
		if !ok {
			t.Errorf("%s: got %T, want *Char", path, v)
			return
		}
		if val, ok := node["value"].(string); ok {
			if c.String() != val {
				t.Errorf("%s: value %q, want %q", path, c.String(), val)
			}
		}
		if rows, ok := node["rows"]; ok {
			if want := toStrings(rows); !equalStrings(c.Rows(), want) {
				t.Errorf("%s: rows %q, want %q", path, c.Rows(), want)
			}
		}
	case "cell":
		c, ok := v.(*Cell)
		if !ok {
			t.Errorf("%s: got %T, want *Cell", path, v)
			return
		}
		els := node["elements"].([]any)
		if len(c.Elems) != len(els) {
			t.Errorf("%s: %d elements, want %d", path, len(c.Elems), len(els))
			return
		}
		for i, e := range els {
			checkNode(t, fmt.Sprintf("%s{%d}", path, i+1), e.(map[string]any), c.Elems[i])
		}
	case "struct", "object":
		var s *Struct
		switch x := v.(type) {
		case *Struct:
			if cls != "struct" {
				t.Errorf("%s: got *Struct, want %s", path, cls)
			}
			s = x
		case *Object:
			if cls != "object" {
				t.Errorf("%s: got *Object, want %s", path, cls)
			}
			if want := node["classname"].(string); x.ClassName != want {
				t.Errorf("%s: classname %q, want %q", path, x.ClassName, want)
			}
			s = &x.Struct
		default:
			t.Errorf("%s: got %T, want %s", path, v, cls)
			return
		}
		if v.Class().String() != cls {
			t.Errorf("%s: Class() %s, want %s", path, v.Class(), cls)
		}
		if want := toStrings(node["fields"]); !equalStrings(s.Fields, want) {
			t.Errorf("%s: fields %q, want %q", path, s.Fields, want)
			return
		}
		els := node["elements"].([]any)
		if s.Len() != len(els) {
			t.Errorf("%s: %d elements, want %d", path, s.Len(), len(els))
			return
		}
		for e, el := range els {
			for _, fn := range s.Fields {
				got, err := s.At(e, fn)
				if err != nil {
					t.Errorf("%s(%d).%s: %v", path, e+1, fn, err)
					continue
				}
				checkNode(t, fmt.Sprintf("%s(%d).%s", path, e+1, fn), el.(map[string]any)[fn].(map[string]any), got)
			}
		}
	default:
		n, ok := v.(*Numeric)
		if !ok {
			t.Errorf("%s: got %T, want *Numeric", path, v)
			return
		}
		if n.Class().String() != cls {
			t.Errorf("%s: class %s, want %s", path, n.Class(), cls)
		}
		if c, ok := node["complex"].(bool); ok && c != n.IsComplex() {
			t.Errorf("%s: complex %v, want %v", path, n.IsComplex(), c)
		}
		checkData(t, path, node["data"].(map[string]any), dataOf(n.Type, n.Real, n.Imag, n.Int64, n.Uint64))
	}
}

// elems gives the decoded elements in the manifest's JSON vocabulary.
type elems struct {
	class  Class
	count  int
	re, im []float64
	i64    []int64
	u64    []uint64
}

func dataOf(c Class, re, im []float64, i64 []int64, u64 []uint64) elems {
	return elems{class: c, count: len(re), re: re, im: im, i64: i64, u64: u64}
}

var npNames = map[Class]string{ClassDouble: "float64", ClassSingle: "float32", ClassInt8: "int8",
	ClassUint8: "uint8", ClassInt16: "int16", ClassUint16: "uint16", ClassInt32: "int32",
	ClassUint32: "uint32", ClassInt64: "int64", ClassUint64: "uint64", ClassLogical: "bool"}

func (e elems) dtype() string {
	if e.im != nil {
		if e.class == ClassSingle {
			return "complex64"
		}
		return "complex128"
	}
	return npNames[e.class]
}

// checkElem compares element i with a JSON value from the manifest.
func (e elems) checkElem(t *testing.T, where string, i int, want any) {
	t.Helper()
	switch {
	case e.class == ClassLogical:
		if b, ok := want.(bool); !ok || b != (e.re[i] != 0) {
			t.Errorf("%s[%d] = %v, want %v", where, i, e.re[i] != 0, want)
		}
	case e.im != nil:
		pair, ok := want.([]any)
		if !ok || len(pair) != 2 {
			t.Errorf("%s[%d]: manifest value %v is not [re, im]", where, i, want)
			return
		}
		checkFloat(t, fmt.Sprintf("%s[%d].re", where, i), e.re[i], pair[0])
		checkFloat(t, fmt.Sprintf("%s[%d].im", where, i), e.im[i], pair[1])
	case e.class == ClassInt64:
		if got := strconv.FormatInt(e.i64[i], 10); got != want.(json.Number).String() {
			t.Errorf("%s[%d] = %s, want %s", where, i, got, want)
		}
	case e.class == ClassUint64:
		if got := strconv.FormatUint(e.u64[i], 10); got != want.(json.Number).String() {
			t.Errorf("%s[%d] = %s, want %s", where, i, got, want)
		}
	case e.class == ClassDouble || e.class == ClassSingle:
		checkFloat(t, fmt.Sprintf("%s[%d]", where, i), e.re[i], want)
	default: // 8–32-bit integers are exact in float64
		if got := strconv.FormatInt(int64(e.re[i]), 10); got != want.(json.Number).String() || float64(int64(e.re[i])) != e.re[i] {
			t.Errorf("%s[%d] = %v, want %s", where, i, e.re[i], want)
		}
	}
}

func checkData(t *testing.T, path string, data map[string]any, e elems) {
	t.Helper()
	if dt := data["dtype"].(string); dt != e.dtype() {
		t.Errorf("%s: dtype %s, want %s", path, e.dtype(), dt)
	}
	if n := jsonInt(t, data["count"]); int64(e.count) != n {
		t.Errorf("%s: %d elements, want %d", path, e.count, n)
		return
	}
	if vals, ok := data["values"].([]any); ok {
		for i, w := range vals {
			e.checkElem(t, path, i, w)
		}
	}
	if samples, ok := data["samples"].([]any); ok {
		for _, s := range samples {
			pair := s.([]any)
			e.checkElem(t, path, int(jsonInt(t, pair[0])), pair[1])
		}
	}
	if e.count == 0 {
		return
	}
	e.checkElem(t, path+" first", 0, data["first"])
	e.checkElem(t, path+" last", e.count-1, data["last"])
	if tc, ok := data["true_count"]; ok {
		n := 0
		for _, v := range e.re {
			if v != 0 {
				n++
			}
		}
		if int64(n) != jsonInt(t, tc) {
			t.Errorf("%s: %d true, want %s", path, n, tc)
		}
	}
	if e.im != nil || (e.class != ClassDouble && e.class != ClassSingle) {
		return
	}
	// Float summaries: NaN/Inf counts and the sum of finite values (rounded
	// to 6 decimals by gen.py; tolerance 1e-6 relative per SOURCE.md).
	var nan, inf int64
	var sum float64
	for _, v := range e.re {
		switch {
		case math.IsNaN(v):
			nan++
		case math.IsInf(v, 0):
			inf++
		default:
			sum += v
		}
	}
	if nan != jsonInt(t, data["nan_count"]) || inf != jsonInt(t, data["inf_count"]) {
		t.Errorf("%s: %d NaN %d Inf, want %v %v", path, nan, inf, data["nan_count"], data["inf_count"])
	}
	want := jsonFloat(t, data["sum"])
	if math.Abs(sum-want) > 1e-6*math.Max(1, math.Abs(want)) {
		t.Errorf("%s: sum %v, want %v", path, sum, want)
	}
}

func checkFloat(t *testing.T, where string, got float64, want any) {
	t.Helper()
	w := jsonFloat(t, want)
	same := got == w && math.Signbit(got) == math.Signbit(w) || math.IsNaN(got) && math.IsNaN(w)
	if !same {
		t.Errorf("%s = %v, want %v", where, got, want)
	}
}

func jsonInt(t *testing.T, v any) int64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("manifest value %v (%T) is not an integer", v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("manifest integer %q: %v", n, err)
	}
	return i
}

func toInts(t *testing.T, v any) []int {
	t.Helper()
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(jsonInt(t, x)))
	}
	return out
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
