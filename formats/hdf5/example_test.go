package hdf5_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// The file is written by testdata/make_testdata.py: a 1024-byte user block,
// then x = arange(12, dtype=int16).reshape(3, 4) in gzip-compressed (2, 3)
// chunks.
func Example() {
	f, err := hdf5.Open("testdata/userblock1024.h5")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	o, err := f.Get("/x")
	if err != nil {
		fmt.Println(err)
		return
	}
	d := o.(*hdf5.Dataset)
	l := d.Layout()
	fmt.Println(d.Shape(), d.Datatype(), l.Class, l.Chunk, d.Filters()[0].Name)
	all, _ := d.ReadFloat64()
	fmt.Println(all)
	block, _ := d.ReadHyperslab([]uint64{1, 2}, []uint64{2, 2})
	fmt.Println(block)
	// Output:
	// [3 4] int16 chunked [2 3] deflate
	// [0 1 2 3 4 5 6 7 8 9 10 11]
	// [6 7 10 11]
}

// Walk visits each object once, members in name order.
func ExampleFile_Walk() {
	f, err := hdf5.Open("testdata/filters_other.h5")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	_ = f.Walk(func(path string, o hdf5.Object) error {
		if d, ok := o.(*hdf5.Dataset); ok {
			fmt.Println(path, d.Datatype(), d.Shape(), d.Layout().Class)
		} else {
			fmt.Println(path, "group")
		}
		return nil
	})
	// Output:
	// / group
	// /lzf float32 [100] chunked
	// /plain float32 [100] contiguous
	// /scaleoffset int32 [100] chunked
}

// A copy of testdata/userblock1024.h5 cut inside its data: the error names
// the file, the object and the offset (from the start of the file; the
// address is relative to the superblock after the 1024-byte user block),
// and tells damaged input apart with the shared sentinels of package
// neurotab.
func ExampleError() {
	data, err := os.ReadFile("testdata/userblock1024.h5")
	if err != nil {
		fmt.Println(err)
		return
	}
	cut := data[:len(data)*3/4]
	f, err := hdf5.NewReader(bytes.NewReader(cut), int64(len(cut)), "cut.h5")
	if err == nil {
		err = f.Walk(func(p string, o hdf5.Object) error {
			if d, ok := o.(*hdf5.Dataset); ok {
				_, err := d.ReadFloat64()
				return err
			}
			return nil
		})
	}
	fmt.Println(err)
	var e *hdf5.Error
	fmt.Println(errors.Is(err, neurotab.ErrTruncated), errors.Is(err, neurotab.ErrMalformed), errors.As(err, &e) && e.Path == "/x")
	// Output:
	// cut.h5: "/x": offset 3072: chunk [0 0]: 20 bytes at address 2048 beyond end of file (2349 bytes): truncated
	// true true true
}
