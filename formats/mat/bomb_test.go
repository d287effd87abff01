package mat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zlib"
	"github.com/neurotab/neurotab"
)

const bombSize = 1 << 30 // inflated bytes of zeros in each bomb

// zlibBomb compresses prefix followed by zeros bytes of zeros, streaming, and
// wraps the result in an miCOMPRESSED element.
func zlibBomb(t *testing.T, e enc, prefix []byte, zeros int64) []byte {
	t.Helper()
	var z bytes.Buffer
	w, err := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(prefix)
	chunk := make([]byte, 1<<20)
	for left := zeros; left > 0; left -= int64(len(chunk)) {
		w.Write(chunk[:min(left, int64(len(chunk)))])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 8, 8+z.Len())
	e.o.PutUint32(out, miCOMPRESSED)
	e.o.PutUint32(out[4:], uint32(z.Len()))
	return append(out, z.Bytes()...)
}

// addSize adds n to the size field of the tag at off.
func addSize(e enc, b []byte, off int, n int64) {
	e.o.PutUint32(b[off+4:], e.o.Uint32(b[off+4:])+uint32(n))
}

// TestZlibBomb: miCOMPRESSED elements whose stream inflates to 1 GiB of
// zeros, in a 1-2 MB file: a double that declares 1 GiB of data, a
// MATLAB-style struct holding it as field "traces", and a 1×1 double whose
// stream goes on with 1 GiB after its declared size. Opening and decoding
// must stay under 64 MB of allocation; the declared 1 GiB is
// neurotab.ErrTooLarge naming the file and variable, the trailing zeros are
// not inflated (the 1×1 value decodes to 7).
func TestZlibBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 3 GiB of zeros")
	}
	e := enc{binary.LittleEndian}
	// A double of 2^27×1 whose data element declares 1 GiB.
	dbl := func(name string) []byte {
		b := e.matrix(6, 0, []int32{bombSize / 8, 1}, name, e.el(miDOUBLE, nil))
		addSize(e, b, len(b)-8, bombSize)
		addSize(e, b, 0, bombSize)
		return b
	}
	field := dbl("")
	names := make([]byte, 32)
	copy(names, "traces")
	st := e.matrix(2, 0, []int32{1, 1}, "s", e.small(miINT32, e.i32s(32)), e.el(miINT8, names), field)
	addSize(e, st, 0, bombSize) // the field's own tags already declare it

	for _, tc := range []struct {
		name, v string
		file    []byte
		wantErr bool
	}{
		{"declared 1 GiB double", "x", e.file(zlibBomb(t, e, dbl("x"), bombSize)), true},
		{"struct field of 1 GiB", "s", e.file(zlibBomb(t, e, st, bombSize)), true},
		{"1 GiB after a 1×1 double", "x", e.file(zlibBomb(t, e, e.double("x", []int32{1, 1}, []float64{7}), bombSize)), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			f, err := decodeBytes(tc.file, "bomb.mat")
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			if vs := f.Variables(); len(vs) != 1 || vs[0].Name != tc.v || vs[0].Err != nil {
				t.Errorf("variables %+v, want one named %q with its header readable", vs, tc.v)
			}
			v, err := f.Var(tc.v)
			runtime.ReadMemStats(&after)
			got := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d-byte file: %d KB allocated", len(tc.file), got>>10)
			if got > 64<<20 {
				t.Errorf("allocated %d MB reading a %d-byte file, want under 64 MB", got>>20, len(tc.file))
			}
			if !tc.wantErr {
				xs, ferr := Float64s(v)
				if err != nil || ferr != nil || len(xs) != 1 || xs[0] != 7 {
					t.Fatalf("got %v, %v (err %v), want [7]", xs, ferr, err)
				}
				return
			}
			if !errors.Is(err, neurotab.ErrTooLarge) {
				t.Fatalf("error %v, want neurotab.ErrTooLarge", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, `bomb.mat: variable "`+tc.v+`": offset 128`) || strings.Contains(msg, "\n") || strings.Contains(msg, "damaged") || !strings.Contains(msg, "allocation cap") {
				t.Errorf("error %q: want one line naming bomb.mat, variable %q, offset 128 and the cap", msg, tc.v)
			}
		})
	}
}

// TestDamagedHeaderNotMissing: a variable whose header is damaged (its
// dims element declares more bytes than the matrix holds) is reported as
// damaged, with its offset, not as missing.
func TestDamagedHeaderNotMissing(t *testing.T) {
	e := enc{binary.LittleEndian}
	x := e.double("x", []int32{1, 1}, []float64{1})
	// The dims element's tag is at 8 (outer tag) + 16 (flags element).
	e.o.PutUint32(x[24+4:], 4000)
	b := e.file(x)
	f, err := decodeBytes(b, "d.mat")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Var("x")
	if err == nil || errors.Is(err, neurotab.ErrNotFound) || !errors.Is(err, neurotab.ErrMalformed) {
		t.Fatalf("error %v: want neurotab.ErrMalformed, not ErrNotFound", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, `d.mat: variable "x": offset `) || !strings.Contains(msg, "variable header at offset 128 is damaged") {
		t.Errorf("error %q: want the file, variable, offset and \"damaged\"", msg)
	}
}
