package nwb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// TestCheckIndex: the VectorIndex rule (END offsets, Rübel et al. 2022) —
// non-decreasing, non-negative, ending within the data.
func TestCheckIndex(t *testing.T) {
	for _, tc := range []struct {
		name string
		idx  []int64
		n    int64
		want string // "" for valid
	}{
		{"empty", nil, 0, ""},
		{"exact", []int64{3, 3, 5}, 5, ""},
		{"short of data", []int64{1, 2}, 5, ""}, // trailing data not owned by a row is tolerated
		{"all empty rows", []int64{0, 0}, 0, ""},
		{"backwards", []int64{3, 2, 5}, 5, "runs backwards at row 1"},
		{"negative first", []int64{-1, 2}, 5, "runs backwards at row 0"},
		{"past end", []int64{3, 6}, 5, "row 1 ends at 6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkIndex(tc.idx, tc.n)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("checkIndex(%v, %d) = %v, want %q", tc.idx, tc.n, err, tc.want)
			}
		})
	}
}

// TestColumnSpan: Span/Rows/Cells for plain, ragged and 2-value-cell
// columns (hand-derived ranges).
func TestColumnSpan(t *testing.T) {
	plain := &Column{Name: "x", Kind: KindFloat, Float64: []float64{1, 2, 3}, Width: 1}
	ragged := &Column{Name: "r", Kind: KindInt, Int64: []int64{1, 2, 3, 4}, Width: 1, Index: []int64{1, 1, 4}}
	pairs := &Column{Name: "p", Kind: KindFloat, Float64: []float64{0, 1, 2, 3, 4, 5}, Width: 2, Index: []int64{2, 3}}
	for _, tc := range []struct {
		c           *Column
		cells, rows int
		row, lo, hi int
	}{
		{plain, 3, 3, 2, 2, 3},
		{ragged, 4, 3, 1, 1, 1}, // empty row: [1, 1)
		{ragged, 4, 3, 2, 1, 4},
		{pairs, 3, 2, 0, 0, 4}, // cells 0..1 -> values 0..3
		{pairs, 3, 2, 1, 4, 6},
	} {
		if tc.c.Cells() != tc.cells || tc.c.Rows() != tc.rows {
			t.Errorf("%s: cells %d rows %d", tc.c.Name, tc.c.Cells(), tc.c.Rows())
		}
		if lo, hi := tc.c.Span(tc.row); lo != tc.lo || hi != tc.hi {
			t.Errorf("%s.Span(%d) = [%d, %d), want [%d, %d)", tc.c.Name, tc.row, lo, hi, tc.lo, tc.hi)
		}
	}
	if (&Column{}).Cells() != 0 {
		t.Error("zero Column has cells")
	}
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "nwb: ") {
			t.Errorf("Span out of range: recover() = %v, want an nwb: panic", r)
		}
	}()
	plain.Span(3)
}

func TestKindString(t *testing.T) {
	for k, w := range map[Kind]string{KindFloat: "float", KindInt: "int", KindString: "string", KindReference: "reference", Kind(9): "Kind(9)"} {
		if k.String() != w {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), w)
		}
	}
}

// TestErrorFormat: one line, file then quoted path then offset (when known)
// then cause; unwraps to the sentinel.
func TestErrorFormat(t *testing.T) {
	cause := fmt.Errorf("id has shape [2 2], want 1-D: %w", neurotab.ErrMalformed)
	cases := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "a.nwb", Path: "/units/id", Offset: 800, Err: cause}, `a.nwb: "/units/id": offset 800: id has shape [2 2], want 1-D: malformed input`},
		{&Error{File: "a.nwb", Path: "/units/id", Offset: -1, Err: cause}, `a.nwb: "/units/id": id has shape [2 2], want 1-D: malformed input`},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			if c.e.Error() != c.want || !errors.Is(c.e, neurotab.ErrMalformed) {
				t.Errorf("Error() = %q", c.e.Error())
			}
		})
	}
}

// TestFromHDF5 wraps an open hdf5.File; paths are made absolute and clean.
func TestFromHDF5(t *testing.T) {
	h, err := hdf5.Open(filepath.Join("testdata", "features.nwb"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := FromHDF5(h)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Name() != filepath.Join("testdata", "features.nwb") || f.HDF5() != h || f.Version() != "2.6.0" {
		t.Errorf("Name %q Version %q", f.Name(), f.Version())
	}
	if abs("units//id/") != "/units/id" || join("/", "units") != "/units" || join("/a", "b") != "/a/b" {
		t.Error("abs/join")
	}
	if _, err := f.NeurodataType("/absent"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("NeurodataType(/absent) = %v", err)
	}
	if f.SessionStartTime() != "" { // gen_testdata.py writes no session_start_time
		t.Error("SessionStartTime of a file without one")
	}
	if _, err := Open(filepath.Join("testdata", "gen_testdata.py")); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("Open(script) = %v", err)
	}
	b, _ := os.ReadFile(filepath.Join("testdata", "gen_testdata.py"))
	if _, err := NewReader(strings.NewReader(string(b)), int64(len(b)), "x"); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("NewReader(script) = %v", err)
	}
}

// TestFromHDF5Truncated: a copy cut just after the start of the root object
// header opens as HDF5 (the superblock is whole) but FromHDF5 fails on the
// root group, naming the file and wrapping neurotab.ErrTruncated.
func TestFromHDF5Truncated(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "features.nwb"))
	if err != nil {
		t.Fatal(err)
	}
	whole, err := NewReader(bytes.NewReader(data), int64(len(data)), "whole.nwb")
	if err != nil {
		t.Fatal(err)
	}
	root, err := whole.HDF5().Root()
	if err != nil {
		t.Fatal(err)
	}
	cut := data[:whole.HDF5().UserBlockSize()+int64(root.Addr())+4]
	h, err := hdf5.NewReader(bytes.NewReader(cut), int64(len(cut)), "cut.nwb")
	if err != nil {
		t.Fatalf("superblock of the cut copy: %v", err)
	}
	_, err = FromHDF5(h)
	if !errors.Is(err, neurotab.ErrTruncated) || !strings.HasPrefix(fmt.Sprint(err), "cut.nwb: ") {
		t.Errorf("FromHDF5(cut copy) = %v, want ErrTruncated naming cut.nwb", err)
	}
}
