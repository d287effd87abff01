package mat

import (
	"math"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestSTMNIST reads tonic's ST-MNIST sample (a real MATLAB-written,
// compressed v5 file) and checks what ../shared/data/tonic/SOURCE.md states.
func TestSTMNIST(t *testing.T) {
	f, err := Open(fixtures.Path(t, "tonic", "sample_stmnist.mat"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// SOURCE.md: header text, version 0x0100, "IM".
	if want := "MATLAB 5.0 MAT-file, Platform: PCWIN64, Created on: Fri Mar 20 16:58:33 2020"; f.Header.Text != want {
		t.Errorf("header %q, want %q", f.Header.Text, want)
	}
	if f.Header.Version != 0x0100 || f.Header.Endian != "IM" {
		t.Errorf("version %#x endian %q, want 0x100 IM", f.Header.Version, f.Header.Endian)
	}
	// SOURCE.md: first element miCOMPRESSED, 37996 bytes, one variable.
	vars := f.Variables()
	if len(vars) != 1 || !vars[0].Compressed || vars[0].Size != 8+37996 || vars[0].Offset != 128 {
		t.Fatalf("variables %+v, want one miCOMPRESSED element of 37996 bytes at 128", vars)
	}
	v, err := f.Var("spiketrain")
	if err != nil {
		t.Fatal(err)
	}
	n, ok := v.(*Numeric)
	if !ok || n.Type != ClassDouble || !equalInts(n.Shape, []int{101, 2346}) {
		t.Fatalf("spiketrain is %T %v %v, want double 101x2346", v, v.Class(), v.Dims())
	}
	// Tonic's decoding: transpose, events where a taxel (rows 0..99) is
	// nonzero, t from row 100. SOURCE.md: 2346 events, 1601 ON, 745 OFF,
	// timestamps 0.19662648 .. 0.89574499 s, monotonic; first events
	// (45, 0.19662648000023505, -1) (45, 0.19662649600023505, -1)
	// (45, 0.199902480000239, -1).
	rows := n.RowMajor() // row r is rows[r*2346:(r+1)*2346]
	const T = 2346
	type ev struct {
		addr int
		t, v float64
	}
	var evs []ev
	on, off := 0, 0
	for j := range T {
		for a := range 100 {
			x := n.Real[a+101*j]
			if x != rows[a*T+j] {
				t.Fatalf("RowMajor(%d,%d) = %v, column-major %v", a, j, rows[a*T+j], x)
			}
			switch x {
			case 0:
				continue
			case 1:
				on++
			case -1:
				off++
			default:
				t.Fatalf("taxel %d at column %d = %v, want -1, 0 or 1", a, j, x)
			}
			evs = append(evs, ev{a, n.Real[100+101*j], x})
		}
	}
	if len(evs) != 2346 || on != 1601 || off != 745 {
		t.Errorf("%d events (%d on, %d off), want 2346 (1601, 745)", len(evs), on, off)
	}
	ts := rows[100*T:]
	for j := 1; j < T; j++ {
		if ts[j] < ts[j-1] {
			t.Fatalf("timestamps decrease at %d: %v < %v", j, ts[j], ts[j-1])
		}
	}
	if math.Abs(ts[0]-0.19662648) > 5e-9 || math.Abs(ts[T-1]-0.89574499) > 5e-9 {
		t.Errorf("timestamps %v .. %v, want 0.19662648 .. 0.89574499", ts[0], ts[T-1])
	}
	want := []ev{{45, 0.19662648000023505, -1}, {45, 0.19662649600023505, -1}, {45, 0.199902480000239, -1}}
	for i, w := range want {
		if evs[i] != w {
			t.Errorf("event %d = %+v, want %+v", i, evs[i], w)
		}
	}
}
