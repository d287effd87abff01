package npy

import (
	"math"
	"testing"
)

func TestParseDict(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		descr    string
		fortran  bool
		shape    []int64
		ok       bool
	}{
		{"numpy", "{'descr': '<f4', 'fortran_order': False, 'shape': (219, 2000), }        \n", "<f4", false, []int64{219, 2000}, true},
		{"no-trailing-comma", "{'descr':'<f8','fortran_order':True,'shape':(3,)}", "<f8", true, []int64{3}, true},
		{"python2-long", "{'descr': '<i8', 'fortran_order': False, 'shape': (10L, 2L), }", "<i8", false, []int64{10, 2}, true},
		{"double-quotes", `{"descr": "|b1", "fortran_order": False, "shape": (2,)}`, "|b1", false, []int64{2}, true},
		{"lowercase-bool", `{"descr": "|b1", "fortran_order": false, "shape": ()}`, "", false, nil, false},
		{"scalar", "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", "<f8", false, []int64{}, true},
		{"list-shape", "{'descr': '<f8', 'fortran_order': False, 'shape': [2, 2]}", "<f8", false, []int64{2, 2}, true},
		{"unterminated", "{'descr': '<f8", "", false, nil, false},
		{"missing-colon", "{'descr' '<f8'}", "", false, nil, false},
		{"trailing-junk", "{'descr': '<f8', 'fortran_order': False, 'shape': ()} x", "", false, nil, false},
		{"int-key", "{1: 2}", "", false, nil, false},
		{"deep", "{'a': " + repeat("(", 40) + repeat(")", 40) + "}", "", false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseDict(tc.in)
			if !tc.ok {
				if err == nil {
					t.Fatalf("parsed %v, want an error", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d["descr"] != tc.descr || d["fortran_order"] != tc.fortran {
				t.Errorf("descr %v fortran %v", d["descr"], d["fortran_order"])
			}
			sh := d["shape"].([]any)
			if len(sh) != len(tc.shape) {
				t.Fatalf("shape %v, want %v", sh, tc.shape)
			}
			for i := range sh {
				if sh[i].(int64) != tc.shape[i] {
					t.Errorf("shape %v, want %v", sh, tc.shape)
				}
			}
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// TestHalf checks binary16 decoding against values from the IEEE 754
// definition: 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (largest normal),
// 0x0001 = 2^-24 (smallest subnormal), 0x03FF = 1023·2^-24, 0x0400 = 2^-14,
// 0x8000 = -0, 0x7C00 = +Inf, 0x7E00 = NaN.
func TestHalf(t *testing.T) {
	for _, tc := range []struct {
		h    uint16
		want float64
	}{
		{0x3C00, 1}, {0xC000, -2}, {0x7BFF, 65504}, {0x0001, math.Ldexp(1, -24)},
		{0x03FF, 1023 * math.Ldexp(1, -24)}, {0x0400, math.Ldexp(1, -14)}, {0x8001, -math.Ldexp(1, -24)},
		{0x7C00, math.Inf(1)}, {0xFC00, math.Inf(-1)}, {0x3555, 0.333251953125},
	} {
		if got := float64(halfToFloat32(tc.h)); got != tc.want {
			t.Errorf("half %#04x = %v, want %v", tc.h, got, tc.want)
		}
	}
	if z := halfToFloat32(0x8000); z != 0 || !math.Signbit(float64(z)) {
		t.Errorf("half 0x8000 = %v, want -0", z)
	}
	if n := halfToFloat32(0x7E00); !math.IsNaN(float64(n)) {
		t.Errorf("half 0x7E00 = %v, want NaN", n)
	}
}

// TestFortran2D: a 2×3 Fortran-order int16 array built by hand; file order
// is column-major [a00 a10 a01 a11 a02 a12] = [1 4 2 5 3 6], so row-major
// is 1..6.
func TestFortran2D(t *testing.T) {
	a := &Array{Shape: []int{2, 3}, Dtype: "<i2", FortranOrder: true, data: []int16{1, 4, 2, 5, 3, 6}}
	i, err := a.Int64s()
	if err != nil {
		t.Fatal(err)
	}
	f := a.Float32s()
	b := a.Bools()
	for k := range 6 {
		if i[k] != int64(k+1) || f[k] != float32(k+1) || !b[k] {
			t.Fatalf("Int64s %v Float32s %v Bools %v, want 1..6", i, f, b)
		}
	}
	a.data = []float32{1, 4, 2, 5, 3, 6}
	a.Dtype = "<f4"
	if f := a.Float32s(); f[1] != 2 || f[3] != 4 {
		t.Errorf("float32 Fortran: %v", f)
	}
}
