package npy_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/neurotab/neurotab/formats/npy"
)

// Write a 2×3 ROI × frame matrix and read it back as row-major float64.
func ExampleWrite() {
	var buf bytes.Buffer
	if err := npy.Write(&buf, []int{2, 3}, []float32{1, 2, 3, 10, 20, 30}); err != nil {
		log.Fatal(err)
	}
	a, err := npy.Read(&buf, "traces.npy")
	if err != nil {
		log.Fatal(err)
	}
	v := a.Float64s()
	fmt.Println(a.Dtype, a.Shape, a.FortranOrder)
	for r := range a.Shape[0] {
		fmt.Println(v[r*a.Shape[1] : (r+1)*a.Shape[1]])
	}
	// Output:
	// <f4 [2 3] false
	// [1 2 3]
	// [10 20 30]
}

// Reading suite2p's cell flags (not run: it needs the shared fixtures).
func ExampleOpen() {
	a, err := npy.Open("../../../shared/data/pynapple/iscell.npy")
	if err != nil {
		log.Fatal(err)
	}
	flags := a.Bools() // row-major: [is_cell, probability] per ROI
	n := 0
	for r := range a.Shape[0] {
		if flags[2*r] {
			n++
		}
	}
	fmt.Println(a.Shape, n)
}
