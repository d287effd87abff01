package calcium_test

import (
	"fmt"
	"log"

	"github.com/neurotab/neurotab/ingest/calcium"
)

// Read a generic CSV whose column "t" holds the sample times; the other
// columns are traces named by the header (testdata/traces.csv, written by
// testdata/gen.py).
func Example() {
	path := "testdata/traces.csv"
	name, err := calcium.Detect(path)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := calcium.Lookup(name)
	raws, err := a.Read(path, calcium.Options{TimeColumn: "t"})
	if err != nil {
		log.Fatal(err)
	}
	r := raws[0]
	T, N := r.Traces.Dims()
	fmt.Println(name, r.Worm, T, N, r.Labels)
	for t := range T {
		fmt.Println(r.Time[t], r.Traces.RawRowView(t))
	}
	// Output:
	// generic traces 4 3 [AVAL AVAR RIML]
	// 0.5 [1 2 3]
	// 1 [1.5 NaN 3.5]
	// 1.5 [2 2.5 NaN]
	// 2 [2.5 3 4.5]
}

// Errors name the file and the field.
func ExampleReadLin2023() {
	_, err := calcium.ReadLin2023("testdata/lin_bad_times.mat", calcium.Options{})
	fmt.Println(err)
	// Output:
	// testdata/lin_bad_times.mat: variable "times": 4 times for 5 samples
}
