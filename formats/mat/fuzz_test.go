package mat

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// FuzzDecodeV5 decodes arbitrary bytes as a v5 file and every variable in
// it. It must never panic, and every decoded value must be consistent
// (element counts match dims). Seeds: every v5 fixture (reference-made and
// MATLAB-written, including the damaged ones), tonic's ST-MNIST sample, and
// small synthetic files from the test encoder.
func FuzzDecodeV5(f *testing.F) {
	dir := fixtures.Path(f, "reference-made", "mat_v5")
	var paths []string
	for _, pat := range []string{"*.mat", "matlab_written/*.mat"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		paths = append(paths, m...)
	}
	paths = append(paths, fixtures.Path(f, "tonic", "sample_stmnist.mat"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		e := enc{o}
		x := e.double("x", []int32{2, 2}, []float64{1, 2, 3, 4})
		f.Add(e.file(x))
		f.Add(e.file(e.compress(x)))
		f.Add(e.file(e.matrix(1, 0, []int32{1, 2}, "c", x, e.el(miMATRIX, nil))))
		f.Add(e.file(e.matrix(5, 0, []int32{2, 2}, "s",
			e.el(miINT32, e.i32s(1, 0)), e.el(miINT32, e.i32s(0, 1, 2)), e.el(miDOUBLE, e.f64s([]float64{5, 6})))))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.mat")
		if err != nil {
			return
		}
		// A small inflation cap keeps each input cheap (the cap itself is
		// tested by the bomb tests). The pauses at "0 execs/sec" seen when
		// fuzzing are the engine minimizing a new interesting input (up to
		// -fuzzminimizetime, 60 s by default), not a slow input: a 3 s
		// per-input watchdog never fired in 60 s of fuzzing.
		file.MaxAlloc = 4 << 20
		for _, vi := range file.Variables() {
			v, err := file.Var(vi.Name)
			if err != nil {
				continue
			}
			checkConsistent(t, v, 0)
		}
	})
}

// checkConsistent walks a value and fails on any element-count mismatch.
func checkConsistent(t *testing.T, v Value, depth int) {
	if depth > maxDepth+1 {
		t.Fatalf("value nested deeper than %d", maxDepth)
	}
	switch v := v.(type) {
	case *Numeric:
		if len(v.Real) != numel(v.Shape) || v.Imag != nil && len(v.Imag) != len(v.Real) {
			t.Fatalf("numeric %v with %d/%d values", v.Shape, len(v.Real), len(v.Imag))
		}
		_ = v.RowMajor()
	case *Logical:
		if len(v.Data) != numel(v.Shape) {
			t.Fatalf("logical %v with %d values", v.Shape, len(v.Data))
		}
	case *Char:
		if len(v.Data) != numel(v.Shape) {
			t.Fatalf("char %v with %d units", v.Shape, len(v.Data))
		}
		if v.Shape[0] <= 1<<20 { // Rows allocates one string per row, even for an empty char
			_ = v.Rows()
		}
	case *Cell:
		if len(v.Elems) != numel(v.Shape) {
			t.Fatalf("cell %v with %d elements", v.Shape, len(v.Elems))
		}
		for _, e := range v.Elems {
			checkConsistent(t, e, depth+1)
		}
	case *Struct:
		checkStruct(t, v, depth)
	case *Object:
		checkStruct(t, &v.Struct, depth)
	case *Sparse:
		if len(v.Cols) != len(v.Rows) || len(v.Real) != len(v.Rows) {
			t.Fatalf("sparse with %d rows %d cols %d values", len(v.Rows), len(v.Cols), len(v.Real))
		}
		if v.Len() <= 1<<16 {
			if _, err := v.ToDense(); err != nil {
				t.Fatalf("ToDense of a decoded sparse matrix: %v", err)
			}
		}
	}
}

func checkStruct(t *testing.T, s *Struct, depth int) {
	if len(s.Values) != numel(s.Shape)*len(s.Fields) {
		t.Fatalf("struct %v × %d fields with %d values", s.Shape, len(s.Fields), len(s.Values))
	}
	for _, e := range s.Values {
		checkConsistent(t, e, depth+1)
	}
}

// FuzzDecodeV73 decodes arbitrary bytes as a MAT-file and every variable in
// it, seeded with every v7.3 fixture (hdf5storage-written, h5py-written in
// MATLAB's layout, MATLAB-written). It must never panic or hang; every
// error must wrap a sentinel and name the file on one line (checkErr), and
// every decoded value must be consistent (element counts match dims).
//
// The seeds are 4–70 KB, and the fuzzer minimizes every new input for up to
// a minute by default, which stalls it; run it as
//
//	go test -run XXX -fuzz FuzzDecodeV73 -fuzzminimizetime 10x -fuzztime 10m
func FuzzDecodeV73(f *testing.F) {
	dir := fixtures.Path(f, "reference-made", "mat_v73")
	var paths []string
	for _, pat := range []string{"*.mat", "matlab_written/*.mat"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		paths = append(paths, m...)
	}
	if len(paths) != 5 {
		f.Fatalf("%d v7.3 fixtures, want 5", len(paths))
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.mat")
		if err != nil {
			checkErr(err, "fuzz.mat")
			return
		}
		for _, vi := range file.Variables() {
			v, err := file.Var(vi.Name)
			if err != nil {
				checkErr(err, "fuzz.mat")
				continue
			}
			checkConsistent(t, v, 0)
		}
	})
}
