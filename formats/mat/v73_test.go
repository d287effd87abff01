package mat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestManifestV73 opens every mat73 entry of the manifest (hdf5storage's
// kato2015-like, kaplan2020-like and v73_types files, gen.py's h5py file
// in MATLAB's own layout, and the MATLAB 7.4-written file) and compares
// the header, the variable list, the index (class and dims before any data
// is read) and every decoded node with the manifest, using the same
// comparison as the v5 test: one value model for both versions.
func TestManifestV73(t *testing.T) {
	dir, m := loadManifest(t)
	var names []string
	for k, e := range m.Files {
		if e["format"] == "mat73" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	// SOURCE.md's table lists 5 v7.3 files, one of them MATLAB-written.
	if len(names) != 5 {
		t.Fatalf("manifest lists %d mat73 files, want 5", len(names))
	}
	for _, name := range names {
		entry := m.Files[name]
		t.Run(name, func(t *testing.T) {
			f, err := Open(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Version() != V73 || f.Version().String() != "v7.3" {
				t.Errorf("Version %v, want v7.3", f.Version())
			}
			h := entry["header"].(map[string]any)
			if p := h["text_prefix"].(string); !strings.HasPrefix(f.Header.Text, p) {
				t.Errorf("header text %q lacks prefix %q", f.Header.Text, p)
			}
			// version_bytes are the two bytes as stored ("0002"), read in
			// the file's byte order (IM: little-endian) as 0x0200.
			if vb := h["version_bytes"].(string); vb != "0002" || f.Header.Version != 0x0200 {
				t.Errorf("version %#04x, manifest bytes %s", f.Header.Version, vb)
			}
			if e := h["endian"].(string); f.Header.Endian != e {
				t.Errorf("endian %q, want %q", f.Header.Endian, e)
			}
			order := toStrings(entry["variable_order"])
			if got := f.Names(); !equalStrings(got, order) {
				t.Fatalf("variables %q, want %q", got, order)
			}
			vars := entry["variables"].(map[string]any)
			top := entry["hdf5_top"].(map[string]any)
			for _, vi := range f.Variables() {
				node := vars[vi.Name].(map[string]any)
				checkInfoV73(t, vi, node, top[vi.Name].(map[string]any))
				v, err := f.Var(vi.Name)
				if err != nil {
					t.Fatalf("Var(%q): %v", vi.Name, err)
				}
				checkNode(t, vi.Name, node, v)
			}
		})
	}
}

// checkInfoV73 compares the index entry (read without the data) with the
// manifest node and the manifest's hdf5_top record of the variable.
func checkInfoV73(t *testing.T, vi VarInfo, node, top map[string]any) {
	t.Helper()
	if vi.Err != nil {
		t.Errorf("%s: index error %v", vi.Name, vi.Err)
		return
	}
	if want := toInts(t, node["dims"]); !equalInts(vi.Dims, want) {
		t.Errorf("%s: indexed dims %v, want %v", vi.Name, vi.Dims, want)
	}
	if cls := top["MATLAB_class"].(string); vi.Class.String() != cls {
		t.Errorf("%s: indexed class %s, want MATLAB_class %s", vi.Name, vi.Class, cls)
	}
	if sp := node["sparse"] == true; sp != vi.Sparse {
		t.Errorf("%s: indexed sparse %v, want %v", vi.Name, vi.Sparse, sp)
	}
	if c, ok := node["complex"].(bool); ok && c != vi.Complex {
		t.Errorf("%s: indexed complex %v, want %v", vi.Name, vi.Complex, c)
	}
	if vi.Offset < 512 {
		t.Errorf("%s: object header offset %d inside the 512-byte user block", vi.Name, vi.Offset)
	}
}

// TestV73Lookups reads values the way the ingest adapters do, through
// paths into cells and structs. Expected values are the manifest's (quoted
// in the comments) for kato2015_like_v73.mat and v73_by_hand_h5py.mat.
func TestV73Lookups(t *testing.T) {
	dir, m := loadManifest(t)
	kato := m.Files["mat_v73/kato2015_like_v73.mat"]["variables"].(map[string]any)["WT_Stim"].(map[string]any)
	el := kato["elements"].([]any)[0].(map[string]any)

	f, err := Open(filepath.Join(dir, "mat_v73", "kato2015_like_v73.mat"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// WT_Stim.fps: a 1×1 double.
	v, err := f.Lookup("WT_Stim.fps")
	if err != nil {
		t.Fatal(err)
	}
	fps, err := v.(*Numeric).Scalar()
	if err != nil {
		t.Fatal(err)
	}
	checkFloat(t, "WT_Stim.fps", fps, el["fps"].(map[string]any)["data"].(map[string]any)["first"])
	// WT_Stim.traces{2}: a T×N double matrix; RowMajor row 0 holds the N
	// values at time 0, i.e. column-major elements 0, T, 2T, ...
	v, err = f.Lookup("WT_Stim.traces{2}")
	if err != nil {
		t.Fatal(err)
	}
	tr := v.(*Numeric)
	want := el["traces"].(map[string]any)["elements"].([]any)[1].(map[string]any)
	if wd := toInts(t, want["dims"]); !equalInts(tr.Shape, wd) {
		t.Fatalf("traces{2} dims %v, want %v", tr.Shape, wd)
	}
	rm := tr.RowMajor()
	for j := range tr.Shape[1] {
		if rm[j] != tr.Real[j*tr.Shape[0]] {
			t.Errorf("RowMajor row 0 col %d = %v, want %v", j, rm[j], tr.Real[j*tr.Shape[0]])
		}
	}
	// WT_Stim.IDs{1}: a cell of labels; Strings gives them in order.
	ids := el["IDs"].(map[string]any)["elements"].([]any)[0].(map[string]any)
	v, err = f.Lookup("WT_Stim.IDs{1}")
	if err != nil {
		t.Fatal(err)
	}
	c := v.(*Cell)
	for i, e := range ids["elements"].([]any) {
		e := e.(map[string]any)
		if e["class"] != "char" {
			continue
		}
		s, err := String(c.Elems[i])
		if err != nil || s != e["value"].(string) {
			t.Errorf("IDs{1}{%d} = %q, %v; want %q", i+1, s, err, e["value"])
		}
	}

	g, err := Open(filepath.Join(dir, "mat_v73", "v73_by_hand_h5py.mat"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	// cell_1x3{3} references MATLAB's shared '#refs#/a' canonical empty:
	// [] (0×0 double) per SOURCE.md.
	v, err = g.Lookup("cell_1x3{3}")
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := v.(*Numeric); !ok || n.Type != ClassDouble || !equalInts(n.Shape, []int{0, 0}) || !IsEmpty(n) {
		t.Errorf("cell_1x3{3} = %#v, want 0×0 double", v)
	}
	// s.worm = 'w07' (MATLAB_fields order: worm, fps).
	if v, err = g.Lookup("s.worm"); err != nil {
		t.Fatal(err)
	}
	if s, _ := String(v); s != "w07" {
		t.Errorf("s.worm = %q, want w07", s)
	}
	// sparse_double: the 4×5 matrix of gen.py; ToDense puts 3.25 at (4,3).
	if v, err = g.Var("sparse_double"); err != nil {
		t.Fatal(err)
	}
	dv, err := v.(*Sparse).ToDense()
	if err != nil {
		t.Fatal(err)
	}
	if d := dv.(*Numeric); d.Real[3+4*2] != 3.25 || d.Real[1+4*0] != 2 || d.Real[0] != 0 {
		t.Errorf("dense sparse_double = %v", d.Real)
	}
}

func readFixture(t testing.TB, elem ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixtures.Path(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// objectAddr returns the HDF5 object header address (relative to the
// superblock) of path in a v7.3 file held in b.
func objectAddr(t *testing.T, b []byte, path string) uint64 {
	t.Helper()
	h, err := hdf5.NewReader(bytes.NewReader(b), int64(len(b)), "t.mat")
	if err != nil {
		t.Fatal(err)
	}
	o, err := h.Get(path)
	if err != nil {
		t.Fatal(err)
	}
	return o.Addr()
}

// patchRefs returns a copy of b in which the reference dataset holding the
// addresses old (as stored, 8 bytes each, little-endian) holds new instead.
func patchRefs(t *testing.T, b []byte, old, new []uint64) []byte {
	t.Helper()
	from := le64(old...)
	if bytes.Count(b, from) != 1 {
		t.Fatalf("reference data %x found %d times", from, bytes.Count(b, from))
	}
	return bytes.Replace(b, from, le64(new...), 1)
}

// TestV73References follows cell references that MATLAB never writes but a
// damaged file can hold: a cell containing itself must fail with an error
// naming the file, the variable path and the offset (not recurse until the
// stack overflows); a cell whose elements all point at one object decodes
// that object once. Built by rewriting the three reference addresses of
// v73_by_hand_h5py.mat's cell_1x3 (#refs#/b, #refs#/c, #refs#/a).
func TestV73References(t *testing.T) {
	b := readFixture(t, "reference-made", "mat_v73", "v73_by_hand_h5py.mat")
	refs := []uint64{objectAddr(t, b, "/#refs#/b"), objectAddr(t, b, "/#refs#/c"), objectAddr(t, b, "/#refs#/a")}
	self := objectAddr(t, b, "/cell_1x3")

	t.Run("cycle", func(t *testing.T) {
		p := patchRefs(t, b, refs, []uint64{refs[0], self, refs[2]})
		f, err := NewReader(bytes.NewReader(p), int64(len(p)), "cycle.mat")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Var("cell_1x3")
		if !errors.Is(err, neurotab.ErrMalformed) {
			t.Fatalf("err %v, want neurotab.ErrMalformed", err)
		}
		for _, s := range []string{"cycle.mat", `"cell_1x3{2}"`, "offset", "cycle"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q lacks %q", err, s)
			}
		}
		// The other variables stay readable.
		if v, err := f.Var("label"); err != nil || v.(*Char).String() != "RIML" {
			t.Errorf("label = %v, %v; want RIML", v, err)
		}
	})
	t.Run("shared", func(t *testing.T) {
		p := patchRefs(t, b, refs, []uint64{refs[1], refs[1], refs[1]})
		f, err := NewReader(bytes.NewReader(p), int64(len(p)), "shared.mat")
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.Var("cell_1x3")
		if err != nil {
			t.Fatal(err)
		}
		c := v.(*Cell)
		for i, e := range c.Elems {
			// #refs#/c is [0.5 1.5 2.5] (gen.py write_v73_by_hand).
			if n := e.(*Numeric); !equalInts(n.Shape, []int{1, 3}) || n.Real[2] != 2.5 {
				t.Errorf("element %d = %v %v", i, n.Shape, n.Real)
			}
		}
	})
	t.Run("null", func(t *testing.T) {
		p := patchRefs(t, b, refs, []uint64{refs[0], 0, refs[2]})
		f, err := NewReader(bytes.NewReader(p), int64(len(p)), "null.mat")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Var("cell_1x3"); !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), "null") {
			t.Errorf("err %v, want neurotab.ErrMalformed naming the null reference", err)
		}
	})
}

// TestV73Damaged cuts and corrupts every v7.3 fixture and checks that
// Decode and Var return errors (wrapping our sentinels, naming the file)
// rather than panicking, and that a truncated HDF5 part is an error.
func TestV73Damaged(t *testing.T) {
	for _, name := range []string{"v73_types.mat", "v73_by_hand_h5py.mat", "kato2015_like_v73.mat", "kaplan2020_like_v73.mat"} {
		b := readFixture(t, "reference-made", "mat_v73", name)
		t.Run(name, func(t *testing.T) {
			// A header with no HDF5 superblock after it.
			if _, err := NewReader(bytes.NewReader(b[:HeaderSize]), HeaderSize, name); !errors.Is(err, neurotab.ErrMalformed) ||
				!strings.HasPrefix(err.Error(), name+": ") || !strings.Contains(err.Error(), "not an HDF5 file") {
				t.Errorf("header only: err %v, want neurotab.ErrMalformed saying not an HDF5 file and naming %s first", err, name)
			}
			step := max(1, len(b)/97)
			failed := 0
			for cut := HeaderSize; cut < len(b); cut += step {
				if decodeAll(b[:cut], name) != nil {
					failed++
				}
			}
			if failed == 0 {
				t.Error("no truncation gave an error")
			}
			// Flip one byte at a time across the HDF5 metadata and data.
			for off := 512; off < len(b); off += max(1, len(b)/211) {
				p := bytes.Clone(b)
				p[off] ^= 0xA5
				_ = decodeAll(p, name) // must not panic; either outcome is allowed
			}
		})
	}
}

// decodeAll decodes every variable of the file in b and returns the first
// error. Every error must wrap one of the package's sentinels and name the
// file.
func decodeAll(b []byte, name string) error {
	f, err := NewReader(bytes.NewReader(b), int64(len(b)), name)
	if err != nil {
		return checkErr(err, name)
	}
	var first error
	for _, vi := range f.Variables() {
		if _, err := f.Var(vi.Name); err != nil && first == nil {
			first = checkErr(err, name)
		}
	}
	return first
}

func checkErr(err error, name string) error {
	if !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrTooLarge) && !errors.Is(err, neurotab.ErrUnsupported) && !errors.Is(err, neurotab.ErrNotFound) {
		panic("error without a sentinel: " + err.Error())
	}
	if !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "\n") {
		panic("error not one line naming the file: " + err.Error())
	}
	return err
}

// TestV73SameAsV5 checks that the value model does not depend on the
// version: every variable that the manifest describes identically in
// mat_v5/v5_types.mat (scipy) and mat_v73/v73_types.mat (hdf5storage) —
// 14 of them, from complex matrices to a 1×4 mixed cell — decodes to
// deeply equal Go values from both files.
func TestV73SameAsV5(t *testing.T) {
	dir, m := loadManifest(t)
	n5 := m.Files["mat_v5/v5_types.mat"]["variables"].(map[string]any)
	n73 := m.Files["mat_v73/v73_types.mat"]["variables"].(map[string]any)
	f5, err := Open(filepath.Join(dir, "mat_v5", "v5_types.mat"))
	if err != nil {
		t.Fatal(err)
	}
	defer f5.Close()
	f73, err := Open(filepath.Join(dir, "mat_v73", "v73_types.mat"))
	if err != nil {
		t.Fatal(err)
	}
	defer f73.Close()
	same := 0
	for _, name := range f73.Names() {
		if a, ok := n5[name]; !ok || !reflect.DeepEqual(a, n73[name]) {
			continue
		}
		same++
		a, err := f5.Var(name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f73.Var(name)
		if err != nil {
			t.Fatal(err)
		}
		if !equalNaN(reflect.ValueOf(a), reflect.ValueOf(b)) {
			t.Errorf("%s: v5 %#v\nv7.3 %#v", name, a, b)
		}
	}
	if same != 14 {
		t.Errorf("%d variables described identically, want 14", same)
	}
}

// equalNaN is reflect.DeepEqual in which NaN equals NaN (and -0 differs
// from +0, as the manifest's exact float convention has it).
func equalNaN(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() || a.IsValid() && a.Type() != b.Type() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalNaN(a.Elem(), b.Elem())
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalNaN(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalNaN(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Float64:
		x, y := a.Float(), b.Float()
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// le64 encodes values as little-endian uint64s, as the fixtures store them.
func le64(a ...uint64) []byte {
	out := make([]byte, 8*len(a))
	for i, x := range a {
		binary.LittleEndian.PutUint64(out[8*i:], x)
	}
	return out
}

// TestV73DamagedValues rewrites values inside v73_by_hand_h5py.mat that
// the fuzzer found dangerous (regressions): column starts that run past
// the nonzero count (indexing ir out of range), a vlen attribute type with
// zero-size elements, and an empty array with a dim of 2^40 (per-row
// allocations downstream). Each must be an error naming the variable; the
// other variables stay readable.
func TestV73DamagedValues(t *testing.T) {
	b := readFixture(t, "reference-made", "mat_v73", "v73_by_hand_h5py.mat")
	t.Run("sparse-jc", func(t *testing.T) {
		// sparse_double's jc is [0 1 2 3 3 5] (gen.py: the 4×5 matrix
		// with nonzeros in columns 0, 1, 2, 4, 4); column 1 now ends at 6.
		p := bytes.Replace(b, le64(0, 1, 2, 3, 3, 5), le64(0, 6, 2, 3, 3, 5), 1)
		if bytes.Equal(p, b) {
			t.Fatal("jc data not found")
		}
		f, err := NewReader(bytes.NewReader(p), int64(len(p)), "jc.mat")
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Var("sparse_double")
		if !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), `"sparse_double"`) {
			t.Errorf("err %v, want neurotab.ErrMalformed naming sparse_double", err)
		}
		if _, err := f.Var("sparse_logical"); err != nil {
			t.Errorf("sparse_logical: %v", err)
		}
	})
	t.Run("zero-size-vlen-base", func(t *testing.T) {
		// MATLAB_fields is a vlen sequence (datatype 0x19, 16-byte
		// elements) of 1-byte strings (0x13 ... size 1). With the base
		// size patched to 0 a damaged length could claim 2^32 elements
		// without bytes behind them; the fuzzer ran out of memory here.
		typ := []byte{0x19, 0, 0, 0, 0x10, 0, 0, 0, 0x13, 0x01, 0, 0, 0x01, 0, 0, 0}
		bad := bytes.Clone(typ)
		bad[12] = 0
		p := bytes.ReplaceAll(b, typ, bad)
		if bytes.Equal(p, b) {
			t.Fatal("MATLAB_fields datatype not found")
		}
		f, err := NewReader(bytes.NewReader(p), int64(len(p)), "vlen.mat")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Var("s"); !errors.Is(err, neurotab.ErrMalformed) || !strings.Contains(err.Error(), "MATLAB_fields") {
			t.Errorf("s: err %v, want neurotab.ErrMalformed naming MATLAB_fields", err)
		}
		if _, err := f.Var("d_2x3"); err != nil {
			t.Errorf("d_2x3: %v", err)
		}
	})
	t.Run("empty-dims", func(t *testing.T) {
		// empty_0x3 stores its dims [0 3]; the same 16 bytes occur twice
		// in the file, so try both and require that one is the dims.
		from := le64(0, 3)
		hit := 0
		for at := bytes.Index(b, from); at >= 0; {
			p := bytes.Clone(b)
			copy(p[at:], le64(0, 1<<40))
			if f, err := NewReader(bytes.NewReader(p), int64(len(p)), "dims.mat"); err == nil {
				_, err := f.Var("empty_0x3")
				if errors.Is(err, neurotab.ErrTooLarge) && strings.Contains(err.Error(), `"empty_0x3"`) {
					hit++
				}
			}
			next := bytes.Index(b[at+1:], from)
			if next < 0 {
				break
			}
			at += 1 + next
		}
		if hit != 1 {
			t.Errorf("%d patched files gave neurotab.ErrTooLarge for empty_0x3, want 1", hit)
		}
	})
}

// TestSparseFromCSCDamaged covers the CSC checks shared by v5 and v7.3:
// every inconsistent input is an error, never an index out of range.
func TestSparseFromCSCDamaged(t *testing.T) {
	for _, tc := range []struct {
		name   string
		m, n   int
		ir, jc []int64
		re     []float64
	}{
		{"jc past nnz", 4, 2, []int64{0, 1}, []int64{0, 3, 2}, []float64{1, 2}},
		{"jc decreasing", 4, 2, []int64{0, 1}, []int64{0, 2, 1}, []float64{1, 2}},
		{"jc too short", 4, 3, []int64{0}, []int64{0, 1}, []float64{1}},
		{"jc not from 0", 4, 1, []int64{0}, []int64{1, 1}, []float64{1}},
		{"row out of range", 2, 1, []int64{2}, []int64{0, 1}, []float64{1}},
		{"negative row", 2, 1, []int64{-1}, []int64{0, 1}, []float64{1}},
		{"too few values", 2, 1, []int64{0, 1}, []int64{0, 2}, []float64{1}},
		{"nnz past ir", 2, 1, []int64{0}, []int64{0, 2}, []float64{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if sp, err := sparseFromCSC(ClassDouble, tc.m, tc.n, tc.ir, tc.jc, tc.re, nil); err == nil {
				t.Errorf("accepted: %+v", sp)
			}
		})
	}
}

// TestV73Classes rewrites MATLAB_class values in v73_by_hand_h5py.mat to
// check the classes no fixture holds: an unknown class on a dataset is
// Unsupported (Var also returns neurotab.ErrUnsupported; inside a cell it is just
// an Unsupported element), and a struct-like group whose MATLAB_class is
// not a MATLAB class is an old-style object of that class name. The
// attribute strings are fixed-length, so the names keep their length.
func TestV73Classes(t *testing.T) {
	b := readFixture(t, "reference-made", "mat_v73", "v73_by_hand_h5py.mat")
	p := bytes.ReplaceAll(b, []byte("char"), []byte("chaz"))
	p = bytes.ReplaceAll(p, []byte("struct"), []byte("strucx"))
	f, err := NewReader(bytes.NewReader(p), int64(len(p)), "classes.mat")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Var("label")
	u, ok := v.(*Unsupported)
	if !ok || !errors.Is(err, neurotab.ErrUnsupported) || u.ClassName != "chaz" || u.Class() != ClassUnknown {
		t.Errorf("label = %#v, %v; want Unsupported class chaz and neurotab.ErrUnsupported", v, err)
	}
	if err != nil && !strings.Contains(err.Error(), `"label"`) {
		t.Errorf("error %q does not name the variable", err)
	}
	v, err = f.Var("cell_1x3")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.(*Cell).Elems[0].(*Unsupported); !ok {
		t.Errorf("cell_1x3{1} = %T, want *Unsupported", v.(*Cell).Elems[0])
	}
	v, err = f.Var("s")
	if err != nil {
		t.Fatal(err)
	}
	o, ok := v.(*Object)
	if !ok || o.ClassName != "strucx" || !equalStrings(o.Fields, []string{"worm", "fps"}) {
		t.Fatalf("s = %#v, want an object of class strucx with fields worm, fps", v)
	}
	if fps, err := Lookup(o, "fps"); err != nil || fps.(*Numeric).Real[0] != 2.85 {
		t.Errorf("s.fps = %v, %v; want 2.85 (gen.py)", fps, err)
	}
	for _, vi := range f.Variables() {
		if vi.Name == "s" && vi.Class != ClassObject {
			t.Errorf("indexed class of s %s, want object", vi.Class)
		}
	}
	if v, err := f.Var("d_2x3"); err != nil || v.(*Numeric).Real[1] != 4 {
		t.Errorf("d_2x3 = %v, %v; want column-major [1 4 2 5 3 6]", v, err)
	}
}

// TestV73ErrorChain flips bytes near the end of kaplan2020_like_v73.mat,
// where the fletcher32-protected chunks of the traces lie (SOURCE.md: 600×5
// and 520×4, gzip + shuffle + fletcher32), until one decodes with a bad
// checksum: the error is a *Error wrapping neurotab.ErrMalformed that keeps
// neurotab.ErrChecksum in its chain and names the file, the MATLAB path of the
// value and an offset.
func TestV73ErrorChain(t *testing.T) {
	b := readFixture(t, "reference-made", "mat_v73", "kaplan2020_like_v73.mat")
	for off := len(b) - 1; off > len(b)/2; off -= 97 {
		p := bytes.Clone(b)
		p[off] ^= 0xFF
		err := decodeAll(p, "chain.mat")
		if !errors.Is(err, neurotab.ErrChecksum) {
			continue
		}
		var fe *Error
		if !errors.As(err, &fe) || !errors.Is(err, neurotab.ErrMalformed) {
			t.Fatalf("err %v: want a *Error wrapping neurotab.ErrMalformed", err)
		}
		if !strings.HasPrefix(fe.Path, "RIShisCl_Neuron2019.") || fe.Offset <= 512 {
			t.Errorf("error names %q at offset %d, want a path inside RIShisCl_Neuron2019 past the user block", fe.Path, fe.Offset)
		}
		t.Logf("byte %d: %v", off, err)
		return
	}
	t.Fatal("no flipped byte gave neurotab.ErrChecksum")
}

// TestV73Concurrent decodes every variable of v73_types.mat from several
// goroutines at once: a File is safe for concurrent Var calls, and each
// call gives a value equal to a sequential decode.
func TestV73Concurrent(t *testing.T) {
	b := readFixture(t, "reference-made", "mat_v73", "v73_types.mat")
	f, err := NewReader(bytes.NewReader(b), int64(len(b)), "v73_types.mat")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Value{}
	for _, n := range f.Names() {
		if want[n], err = f.Var(n); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for _, n := range f.Names() {
				v, err := f.Var(n)
				if err != nil {
					errs <- err
					return
				}
				if !equalNaN(reflect.ValueOf(v), reflect.ValueOf(want[n])) {
					errs <- errors.New(n + ": differs from the sequential decode")
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestV73VarErrors covers the File API edges on a v7.3 file: an unknown
// variable is neurotab.ErrNotFound naming it, a bad Lookup path names the variable,
// and Close may be called twice.
func TestV73VarErrors(t *testing.T) {
	f, err := Open(fixtures.Path(t, "reference-made", "mat_v73", "v73_by_hand_h5py.mat"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Var("nope"); !errors.Is(err, neurotab.ErrNotFound) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Var(nope): %v", err)
	}
	if _, err := f.Lookup("s.missing"); !errors.Is(err, neurotab.ErrNotFound) || !strings.Contains(err.Error(), `"s"`) {
		t.Errorf("Lookup(s.missing): %v", err)
	}
	if _, err := f.Lookup("cell_1x3{4}"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("Lookup(cell_1x3{4}): %v", err)
	}
	for _, n := range []string{"#refs#", "#subsystem#"} {
		if _, err := f.Var(n); !errors.Is(err, neurotab.ErrNotFound) {
			t.Errorf("Var(%s) = %v: the reference group is not a variable", n, err)
		}
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestV73ErrorOneLine: names from a damaged file can hold line breaks (the
// fuzzer found a compound member named "imag\n"); errors escape them.
func TestV73ErrorOneLine(t *testing.T) {
	f := &File{name: "x.mat"}
	err := f.h5err(700, "v", errors.New("hdf5 says\r\nno"), "compound member %s", "imag\n")
	if s := err.Error(); strings.ContainsAny(s, "\r\n") || !strings.Contains(s, `imag\n`) || !strings.Contains(s, "offset 700") {
		t.Errorf("error %q: want one line with the break escaped and the offset", s)
	}
	if !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("error %v does not wrap neurotab.ErrMalformed", err)
	}
}
