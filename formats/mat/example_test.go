package mat_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/mat"
)

// A struct with a T×N trace matrix, read the way an ingest adapter would.
func ExampleLookup() {
	traces := &mat.Numeric{
		Type:  mat.ClassDouble,
		Shape: []int{3, 2},                    // T=3 time bins × N=2 neurons
		Real:  []float64{1, 2, 3, 10, 20, 30}, // column-major: neuron 0, then neuron 1
	}
	labels := &mat.Cell{Shape: []int{1, 2}, Elems: []mat.Value{
		&mat.Char{Shape: []int{1, 4}, Data: []uint16{'A', 'V', 'A', 'L'}},
		&mat.Char{Shape: []int{1, 5}, Data: []uint16{'R', 'M', 'D', 'D', 'L'}},
	}}
	rec := &mat.Struct{Shape: []int{1, 1}, Fields: []string{"traces", "labels"}, Values: []mat.Value{traces, labels}}

	v, err := mat.Lookup(rec, "traces")
	if err != nil {
		log.Fatal(err)
	}
	rows := v.(*mat.Numeric).RowMajor() // row t holds the N values at time t
	names, err := mat.Strings(mustLookup(rec, "labels"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Dims(), names)
	for t := range 3 {
		fmt.Println(rows[t*2 : t*2+2])
	}
	// Output:
	// [3 2] [AVAL RMDDL]
	// [1 10]
	// [2 20]
	// [3 30]
}

func mustLookup(v mat.Value, path string) mat.Value {
	out, err := mat.Lookup(v, path)
	if err != nil {
		log.Fatal(err)
	}
	return out
}

// Reading a variable from a MAT v5 file (not run: it needs the shared
// fixture folder; with it, this prints "[d_scalar d_row d_col] w01").
func ExampleOpen() {
	f, err := mat.Open("../../../shared/data/reference-made/mat_v5/v5_types.mat")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	v, err := f.Lookup("struct_nested.meta.worm")
	if err != nil {
		log.Fatal(err)
	}
	s, _ := mat.String(v)
	fmt.Println(f.Names()[:3], s)
}

// Reading a MAT v7.3 (HDF5) file with the same calls as a v5 file (not
// run: it needs the shared fixture folder; with it, this prints
// "v7.3 [WT_Stim] [60 5]").
func ExampleFile_Version() {
	f, err := mat.Open("../../../shared/data/reference-made/mat_v73/kato2015_like_v73.mat")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	v, err := f.Lookup("WT_Stim.traces{1}") // T×N: 60 time bins × 5 neurons
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Version(), f.Names(), v.Dims())
}

// A MAT v5 file whose only element declares more bytes than the file holds:
// the error names the file first, then the offset, and wraps
// neurotab.ErrTruncated (a kind of neurotab.ErrMalformed).
func ExampleError() {
	hdr := make([]byte, mat.HeaderSize)
	copy(hdr, "MATLAB 5.0 MAT-file")
	for i := len("MATLAB 5.0 MAT-file"); i < 116; i++ {
		hdr[i] = ' '
	}
	binary.LittleEndian.PutUint16(hdr[124:], 0x0100) // version
	copy(hdr[126:], "IM")                            // little-endian
	tag := binary.LittleEndian.AppendUint32(nil, 14) // miMATRIX
	tag = binary.LittleEndian.AppendUint32(tag, 5000)
	b := append(hdr, tag...)
	_, err := mat.NewReader(bytes.NewReader(b), int64(len(b)), "short.mat")
	fmt.Println(err)
	fmt.Println(errors.Is(err, neurotab.ErrTruncated), errors.Is(err, neurotab.ErrMalformed))
	// Output:
	// short.mat: offset 128: element declares 5000 bytes but only 0 remain in the 136-byte file: truncated
	// true true
}
