package hdf5

import (
	"math"
	"testing"
)

func TestFletcher32(t *testing.T) {
	// Hand derivation of HDF5's Fletcher-32 (sums start at 0xffff, which is
	// 0 mod 65535; words are big-endian 16-bit):
	//   "\x00\x01\x00\x02": words 1, 2 -> s1 = 3, s2 = 1 + 3 = 4 -> 0x00040003
	//   "\x01": odd byte is a high byte: word 0x0100 -> s1 = s2 = 0x0100
	//   "": s1 = s2 = 0xffff
	cases := []struct {
		name string
		in   []byte
		want uint32
	}{
		{"two words", []byte{0, 1, 0, 2}, 0x00040003},
		{"odd byte", []byte{1}, 0x01000100},
		{"empty", nil, 0xffffffff},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fletcher32(c.in); got != c.want {
				t.Errorf("fletcher32 = %#08x, want %#08x", got, c.want)
			}
		})
	}
}

func TestHalfToFloat(t *testing.T) {
	// IEEE 754 binary16 definitions
	cases := []struct {
		bits uint16
		want float64
	}{
		{0x3c00, 1},
		{0xc000, -2},
		{0x7bff, 65504},
		{0x0001, math.Ldexp(1, -24)},
		{0x0400, math.Ldexp(1, -14)},
		{0x7c00, math.Inf(1)},
		{0xfc00, math.Inf(-1)},
		{0x8000, math.Copysign(0, -1)},
	}
	for _, c := range cases {
		got := halfToFloat(c.bits)
		if got != c.want || math.Signbit(got) != math.Signbit(c.want) {
			t.Errorf("half %#04x = %v, want %v", c.bits, got, c.want)
		}
	}
	if !math.IsNaN(halfToFloat(0x7e00)) {
		t.Error("0x7e00 is not NaN")
	}
}

func TestUnshuffle(t *testing.T) {
	// shuffled planes of two 4-byte elements 0x04030201, 0x08070605
	src := []byte{1, 5, 2, 6, 3, 7, 4, 8}
	want := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	for _, es := range []int{4} {
		got := unshuffle(src, es, nil)
		if string(got) != string(want) {
			t.Errorf("es %d: %v, want %v", es, got, want)
		}
	}
	// element size 2, odd trailing byte kept: planes [1 3] [2 4] + tail 9
	got := unshuffle([]byte{1, 3, 2, 4, 9}, 2, nil)
	if string(got) != string([]byte{1, 2, 3, 4, 9}) {
		t.Errorf("es 2: %v", got)
	}
}

func TestEncSize(t *testing.T) {
	// floor(log2(n))/8 + 1 bytes
	for _, c := range []struct {
		n    uint64
		want int
	}{{1, 1}, {255, 1}, {256, 2}, {65535, 2}, {65536, 3}, {1 << 40, 6}} {
		if got := encSize(c.n); got != c.want {
			t.Errorf("encSize(%d) = %d, want %d", c.n, got, c.want)
		}
	}
}
