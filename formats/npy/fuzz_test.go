package npy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// FuzzRead reads arbitrary bytes as .npy. It must never panic, and a
// decoded array must hold exactly numel(shape) elements and survive a
// Write/Read round trip of its float64 values. Seeds: the suite2p files
// (pynapple), the numpy-written testdata files and a few Write outputs.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"F.npy", "Fneu.npy", "spks.npy", "iscell.npy"} {
		b, err := os.ReadFile(fixtures.Path(f, "pynapple", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	local, _ := filepath.Glob(filepath.Join("testdata", "*.npy"))
	for _, p := range local {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, d := range []any{[]float64{1, 2}, []bool{true}, []int16{-3, 4}} {
		var buf bytes.Buffer
		n := 2
		if _, ok := d.([]bool); ok {
			n = 1
		}
		if err := Write(&buf, []int{n}, d); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Read(bytes.NewReader(data), "fuzz.npy")
		ra, rerr := NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.npy")
		if (err == nil) != (rerr == nil) {
			t.Fatalf("Read error %v, NewReader error %v", err, rerr)
		}
		if err != nil {
			for _, err := range []error{err, rerr} {
				var e *Error
				if !errors.As(err, &e) || e.File != "fuzz.npy" || strings.ContainsAny(err.Error(), "\r\n") ||
					!errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrUnsupported) && !errors.Is(err, neurotab.ErrTooLarge) {
					t.Fatalf("error %q: want a one-line *Error naming fuzz.npy and wrapping a sentinel", err)
				}
			}
			return
		}
		if ra.Dtype != a.Dtype || !equalInts(ra.Shape, a.Shape) {
			t.Fatalf("NewReader %s %v, Read %s %v", ra.Dtype, ra.Shape, a.Dtype, a.Shape)
		}
		v := a.Float64s()
		if len(v) != a.Len() || len(a.Float32s()) != a.Len() || len(a.Bools()) != a.Len() {
			t.Fatalf("shape %v: %d values", a.Shape, len(v))
		}
		var buf bytes.Buffer
		if err := Write(&buf, a.Shape, v); err != nil {
			t.Fatal(err)
		}
		b, err := Read(&buf, "roundtrip")
		if err != nil {
			t.Fatal(err)
		}
		w := b.Float64s()
		for i := range v {
			if w[i] != v[i] && !(v[i] != v[i] && w[i] != w[i]) {
				t.Fatalf("round trip [%d]: %v != %v", i, w[i], v[i])
			}
		}
	})
}
