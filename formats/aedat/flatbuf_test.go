package aedat

import (
	"testing"
)

// TestFlatBufferBounds checks the FlatBuffer reader on hand-made buffers:
// valid fields read back, and every out-of-range reference is an error.
func TestFlatBufferBounds(t *testing.T) {
	valid := eventPacketFB([]ev{{7, 1, 2, true}, {8, 3, 4, false}})
	cases := []struct {
		name   string
		buf    []byte
		root   bool // fbRoot succeeds
		vector bool // vector(0, 16) succeeds
		n      int
	}{
		{"valid", valid, true, true, 2},
		{"empty", nil, false, false, 0},
		{"root beyond buffer", append(le32(nil, 1000), valid[4:]...), false, false, 0},
		{"vtable before buffer", func() []byte { b := append([]byte(nil), valid...); b[16] = 100; return b }(), false, false, 0},
		{"vtable length odd", func() []byte { b := append([]byte(nil), valid...); b[8] = 7; return b }(), false, false, 0},
		{"table length beyond buffer", func() []byte { b := append([]byte(nil), valid...); b[10] = 0xFF; b[11] = 0xFF; return b }(), false, false, 0},
		{"vector count beyond buffer", func() []byte { b := append([]byte(nil), valid...); b[24] = 3; return b }(), true, false, 0},
		{"vector offset beyond buffer", func() []byte { b := append([]byte(nil), valid...); b[20] = 0xF0; return b }(), true, false, 0},
		{"field absent", func() []byte { b := append([]byte(nil), valid...); b[12] = 0; return b }(), true, true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := fbRoot(tc.buf)
			if (err == nil) != tc.root {
				t.Fatalf("fbRoot error %v, want success %v", err, tc.root)
			}
			if err != nil {
				return
			}
			_, n, _, err := tab.vector(0, eventSize4)
			if (err == nil) != tc.vector || n != tc.n {
				t.Errorf("vector: %d elements, error %v; want %d, success %v", n, err, tc.n, tc.vector)
			}
		})
	}
	// Scalars with defaults: the IOHeader builder's fields read back.
	h, err := fbRoot(ioHeaderFB(3, 12345, "abc"))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := h.i32(0, -1)
	p, _ := h.i64(1, -1)
	s, _, _ := h.bytesField(2)
	absent, _ := h.i64(7, -9)
	if c != 3 || p != 12345 || string(s) != "abc" || absent != -9 {
		t.Errorf("IOHeader fields %d %d %q %d; want 3 12345 \"abc\" -9 (default)", c, p, s, absent)
	}
}
