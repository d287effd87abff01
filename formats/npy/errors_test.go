package npy

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestNewReaderSameAsOpen: NewReader on the bytes of a real file gives the
// array Open gives, with the content ../shared/data/pynapple/SOURCE.md
// states for suite2p's F.npy (<f4, shape (219, 2000), float64 sum
// 11763546.973597638 by numpy), and the file starts with Magic.
func TestNewReaderSameAsOpen(t *testing.T) {
	path := fixtures.Path(t, "pynapple", "F.npy")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(Magic)) || Magic != "\x93NUMPY" {
		t.Fatalf("F.npy starts %q, Magic is %q; the NumPy format page gives \\x93NUMPY", b[:6], Magic)
	}
	want, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewReader(bytes.NewReader(b), int64(len(b)), "F.npy")
	if err != nil {
		t.Fatal(err)
	}
	w, g := want.Float64s(), got.Float64s()
	if got.Dtype != "<f4" || !equalInts(got.Shape, []int{219, 2000}) || !equalInts(want.Shape, got.Shape) || len(g) != len(w) {
		t.Fatalf("NewReader: %s %v, Open: %s %v, want <f4 [219 2000]", got.Dtype, got.Shape, want.Dtype, want.Shape)
	}
	sum := 0.0
	for _, v := range g {
		sum += v
	}
	if d := math.Abs(sum - 11763546.973597638); d > 1e-6*11763546.973597638 {
		t.Errorf("sum %v, SOURCE.md gives 11763546.973597638", sum)
	}
	for i := range w {
		if g[i] != w[i] {
			t.Fatalf("element %d: NewReader %v, Open %v", i, g[i], w[i])
		}
	}
}

// TestTruncatedCopies cuts a real file short at many places; NewReader
// (size known) and Read (a stream) both give a one-line *Error naming the
// file first and wrapping neurotab.ErrTruncated.
func TestTruncatedCopies(t *testing.T) {
	b, err := os.ReadFile(fixtures.Path(t, "pynapple", "iscell.npy"))
	if err != nil {
		t.Fatal(err)
	}
	readers := []struct {
		name string
		read func(b []byte, name string) (*Array, error)
	}{
		{"NewReader", func(b []byte, name string) (*Array, error) {
			return NewReader(bytes.NewReader(b), int64(len(b)), name)
		}},
		{"Read", func(b []byte, name string) (*Array, error) { return Read(bytes.NewReader(b), name) }},
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			for _, n := range []int{0, 5, 9, 11, 40, 127, 128, len(b) / 2, len(b) - 1} {
				cut := fmt.Sprintf("cut%d.npy", n)
				_, err := r.read(b[:n], cut)
				var e *Error
				if !errors.Is(err, neurotab.ErrTruncated) || !errors.As(err, &e) || e.File != cut ||
					!strings.HasPrefix(err.Error(), cut+": ") || strings.ContainsAny(err.Error(), "\r\n") {
					t.Errorf("cut at %d of %d: %v, want a one-line *Error naming %s first, wrapping ErrTruncated", n, len(b), err, cut)
				}
			}
		})
	}
}

// TestErrorFormat: file first, then the field and offset, then the cause.
func TestErrorFormat(t *testing.T) {
	e := &Error{File: "F.npy", Path: "data", Offset: 128, Err: fmt.Errorf("shape [3 4] of <f8 needs 96 bytes, file has 20: %w", neurotab.ErrTruncated)}
	want := "F.npy: data at offset 128: shape [3 4] of <f8 needs 96 bytes, file has 20: truncated"
	if e.Error() != want || !errors.Is(e, neurotab.ErrMalformed) {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
}
