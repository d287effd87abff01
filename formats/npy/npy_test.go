package npy

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// testdata/*.npy are written by numpy (testdata/gen.py); the expected
// values are the closed forms stated in gen.py and testdata/expected.txt.

func TestNumpyWritten(t *testing.T) {
	// a[i,j,k] = 100i + 10j + k over shape (2,3,4), row-major.
	ijk := make([]float64, 24)
	for i := range 2 {
		for j := range 3 {
			for k := range 4 {
				ijk[(i*3+j)*4+k] = float64(100*i + 10*j + k)
			}
		}
	}
	for _, tc := range []struct {
		file         string
		dtype        string
		shape        []int
		fortran      bool
		major, minor int
		want         []float64
	}{
		{"fortran_f8.npy", "<f8", []int{2, 3, 4}, true, 1, 0, ijk},
		{"c_be_f8_v2.npy", ">f8", []int{2, 3, 4}, false, 2, 0, ijk},
		{"v3_f4.npy", "<f4", []int{6}, false, 3, 0, []float64{-1, -0.75, -0.5, -0.25, 0, 0.25}},
		{"int_i1.npy", "|i1", []int{4}, false, 1, 0, []float64{-128, 127, 0, 1}},
		{"int_u1.npy", "|u1", []int{4}, false, 1, 0, []float64{0, 255, 0, 1}},
		{"int_lei2.npy", "<i2", []int{4}, false, 1, 0, []float64{-32768, 32767, 0, 1}},
		{"int_leu2.npy", "<u2", []int{4}, false, 1, 0, []float64{0, 65535, 0, 1}},
		{"int_lei4.npy", "<i4", []int{4}, false, 1, 0, []float64{-2147483648, 2147483647, 0, 1}},
		{"int_leu4.npy", "<u4", []int{4}, false, 1, 0, []float64{0, 4294967295, 0, 1}},
		{"int_bei4.npy", ">i4", []int{4}, false, 1, 0, []float64{-2147483648, 2147483647, 0, 1}},
		{"int_lei8.npy", "<i8", []int{4}, false, 1, 0, []float64{math.MinInt64, math.MaxInt64, 0, 1}},
		{"int_leu8.npy", "<u8", []int{4}, false, 1, 0, []float64{0, math.MaxUint64, 0, 1}},
		{"bool.npy", "|b1", []int{2, 3}, false, 1, 0, []float64{1, 0, 1, 0, 1, 0}}, // (r+c)%2 == 0
		{"f2.npy", "<f2", []int{5}, false, 1, 0, []float64{0.5, -2, 65504, math.Inf(1), math.NaN()}},
		{"scalar_f8.npy", "<f8", []int{}, false, 1, 0, []float64{2.5}},
		{"empty_0x3.npy", "<f4", []int{0, 3}, false, 1, 0, []float64{}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a, err := Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if a.Dtype != tc.dtype || a.FortranOrder != tc.fortran || a.Major != tc.major || a.Minor != tc.minor || !equalInts(a.Shape, tc.shape) {
				t.Fatalf("header %s fortran=%v v%d.%d %v", a.Dtype, a.FortranOrder, a.Major, a.Minor, a.Shape)
			}
			got := a.Float64s()
			if len(got) != len(tc.want) {
				t.Fatalf("%d values, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] && !(math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
					t.Errorf("[%d] = %v, want %v", i, got[i], tc.want[i])
				}
			}
			f32 := a.Float32s()
			for i := range f32 {
				if w := float32(tc.want[i]); f32[i] != w && !math.IsNaN(float64(w)) {
					t.Errorf("Float32s[%d] = %v, want %v", i, f32[i], w)
				}
			}
		})
	}
}

// TestInt64sExact: 64-bit extremes are exact through Int64s (gen.py writes
// [min, max, 0, 1] of each type).
func TestInt64sExact(t *testing.T) {
	a, err := Open(filepath.Join("testdata", "int_lei8.npy"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Int64s()
	if err != nil || got[0] != math.MinInt64 || got[1] != math.MaxInt64 || got[3] != 1 {
		t.Errorf("Int64s = %v, %v", got, err)
	}
	u, _ := Open(filepath.Join("testdata", "int_leu8.npy"))
	if _, err := u.Int64s(); !errors.Is(err, neurotab.ErrTooLarge) {
		t.Errorf("uint64 max through Int64s: err %v, want neurotab.ErrTooLarge", err)
	}
	if v := u.Data().([]uint64); v[1] != math.MaxUint64 {
		t.Errorf("Data()[1] = %d, want MaxUint64", v[1])
	}
	f, _ := Open(filepath.Join("testdata", "v3_f4.npy"))
	if _, err := f.Int64s(); !errors.Is(err, neurotab.ErrUnsupported) {
		t.Errorf("Int64s of floats: err %v", err)
	}
}

func TestFortranBools(t *testing.T) {
	// fortran_f8: a[i,j,k] = 100i+10j+k is nonzero except at (0,0,0).
	a, err := Open(filepath.Join("testdata", "fortran_f8.npy"))
	if err != nil {
		t.Fatal(err)
	}
	b := a.Bools()
	for i, v := range b {
		if v != (i != 0) {
			t.Fatalf("Bools[%d] = %v", i, v)
		}
	}
	raw := a.Data().([]float64) // file (column-major) order: a[1,0,0] = 100 is second
	if raw[1] != 100 {
		t.Errorf("Data()[1] = %v, want 100", raw[1])
	}
}

func TestRejected(t *testing.T) {
	for _, tc := range []struct {
		file string
		err  error
		msg  string
	}{
		{"object.npy", neurotab.ErrUnsupported, "pickled"},
		{"structured.npy", neurotab.ErrUnsupported, "structured"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := Open(filepath.Join("testdata", tc.file))
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), tc.file) {
				t.Errorf("err %v, want %v mentioning %q and the file", err, tc.err, tc.msg)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape []int
		data  any
		want  []float64
	}{
		{"f8-2x3", []int{2, 3}, []float64{1, -2, 3.5, math.Inf(-1), 0, 1e-300}, []float64{1, -2, 3.5, math.Inf(-1), 0, 1e-300}},
		{"f4", []int{3}, []float32{0.1, -7, 65504}, []float64{float64(float32(0.1)), -7, 65504}},
		{"i1", []int{2}, []int8{-128, 127}, []float64{-128, 127}},
		{"i2", []int{2}, []int16{-32768, 5}, []float64{-32768, 5}},
		{"i4", []int{1, 2}, []int32{-7, 1 << 30}, []float64{-7, 1 << 30}},
		{"i8", []int{2}, []int64{-1 << 40, 3}, []float64{-1 << 40, 3}},
		{"u1", []int{2}, []uint8{0, 255}, []float64{0, 255}},
		{"u2", []int{2}, []uint16{65535, 1}, []float64{65535, 1}},
		{"u4", []int{2}, []uint32{1 << 31, 2}, []float64{1 << 31, 2}},
		{"u8", []int{2}, []uint64{1 << 60, 2}, []float64{1 << 60, 2}},
		{"b1", []int{2, 2}, []bool{true, false, false, true}, []float64{1, 0, 0, 1}},
		{"scalar", []int{}, []float64{4}, []float64{4}},
		{"empty", []int{0, 5}, []float64{}, []float64{}},
		{"big-1d", []int{70000}, make([]float64, 70000), make([]float64, 70000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tc.shape, tc.data); err != nil {
				t.Fatal(err)
			}
			if hl := bytes.IndexByte(buf.Bytes(), '\n') + 1; hl%64 != 0 {
				t.Errorf("data starts at %d, not 64-aligned", hl)
			}
			a, err := Read(&buf, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if !equalInts(a.Shape, tc.shape) {
				t.Fatalf("shape %v, want %v", a.Shape, tc.shape)
			}
			got := a.Float64s()
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Fatalf("[%d] = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
	if err := Write(&bytes.Buffer{}, []int{2, 2}, []float64{1}); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("shape mismatch: err %v", err)
	}
	if err := Write(&bytes.Buffer{}, []int{1}, []string{"x"}); !errors.Is(err, neurotab.ErrUnsupported) {
		t.Errorf("strings: err %v", err)
	}
}

func TestMalformed(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "v3_f4.npy"))
	if err != nil {
		t.Fatal(err)
	}
	hdr := func(dict string) []byte {
		b := append([]byte(Magic), 1, 0, byte(len(dict)), byte(len(dict)>>8))
		return append(b, dict...)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		err   error
		field string
	}{
		{"empty", nil, neurotab.ErrMalformed, "magic"},
		{"bad-magic", []byte("\x93NUMPZ\x01\x00\x00\x00"), neurotab.ErrMalformed, "magic"},
		{"version-9", append([]byte(Magic), 9, 0, 0, 0), neurotab.ErrUnsupported, "version"},
		{"truncated-header", good[:40], neurotab.ErrTruncated, "header"},
		{"truncated-data", good[:len(good)-3], neurotab.ErrTruncated, "data"},
		{"huge-shape", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }"), neurotab.ErrTruncated, "data"},
		{"overflow-shape", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"), neurotab.ErrTooLarge, "shape"},
		{"negative-shape", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"), neurotab.ErrMalformed, "shape"},
		{"no-descr", hdr("{'fortran_order': False, 'shape': (1,), }"), neurotab.ErrMalformed, "descr"},
		{"complex", hdr("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }"), neurotab.ErrUnsupported, "descr"},
		{"bad-dict", hdr("{'descr': '<f8' 'shape': (1,)}"), neurotab.ErrMalformed, "header"},
		{"not-dict", hdr("[1, 2]"), neurotab.ErrMalformed, "header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.data), tc.name+".npy")
			var fe *Error
			if !errors.Is(err, tc.err) || !errors.As(err, &fe) || fe.Path != tc.field {
				t.Fatalf("err %v, want %v in field %q", err, tc.err, tc.field)
			}
			if !strings.Contains(err.Error(), tc.name+".npy") || !strings.Contains(err.Error(), "offset") {
				t.Errorf("message %q lacks file or offset", err)
			}
		})
	}
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
