package npy_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/npy"
)

// Describe a .npy file without reading its data.
func ExampleOpenHeader() {
	var buf bytes.Buffer
	if err := npy.Write(&buf, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), "npy-example-header.npy")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)
	h, err := npy.OpenHeader(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Shape, h.Dtype, h.FortranOrder, h.DataBytes, h.DataOffset+h.DataBytes == int64(buf.Len()))
	// Output:
	// [2 3] <f8 false 48 true
}

// OpenHeader agrees with Open on every written dtype and shape, and fails
// like Open on a file cut inside its data.
func TestOpenHeader(t *testing.T) {
	cases := []struct {
		name  string
		shape []int
		data  any
		size  int64
	}{
		{"f4 2-D", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}, 4},
		{"i8 1-D", []int{4}, []int64{1, 2, 3, 4}, 8},
		{"u1 scalar", []int{}, []uint8{7}, 1},
		{"empty", []int{0, 5}, []float64{}, 8},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := npy.Write(&buf, c.shape, c.data); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, c.name+".npy")
			if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			a, err := npy.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			h, err := npy.OpenHeader(p)
			if err != nil {
				t.Fatal(err)
			}
			n := int64(1)
			for _, d := range c.shape {
				n *= int64(d)
			}
			if !reflect.DeepEqual(h.Shape, a.Shape) || h.Dtype != a.Dtype || h.FortranOrder != a.FortranOrder ||
				h.Major != a.Major || h.DataBytes != n*c.size || h.DataOffset+h.DataBytes != int64(buf.Len()) {
				t.Errorf("header %+v, array %v %s, file %d bytes", h, a.Shape, a.Dtype, buf.Len())
			}
			if n == 0 {
				return
			}
			if err := os.WriteFile(p, buf.Bytes()[:buf.Len()-1], 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = npy.OpenHeader(p)
			var e *npy.Error
			if !errors.As(err, &e) || e.Path != "data" || !errors.Is(err, neurotab.ErrTruncated) {
				t.Errorf("cut file: %v", err)
			}
		})
	}
}
