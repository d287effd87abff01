package shd_test

import (
	"fmt"
	"io"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/shd"
)

// Read one sample's spikes and its label. testdata/edge.h5 is written by
// testdata/gen_testdata.py.
func ExampleFile_Sample() {
	f, err := shd.Open("testdata/edge.h5", shd.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	times, units, err := f.Sample(2)
	fmt.Println(f.NumSamples(), f.Label(2), times, units, err)
	// Output:
	// 4 1 [0.25 0.25 1] [5 800 6] <nil>
}

// Stream every sample as events (T in µs, X = channel), one sample per
// Next call at most.
func ExampleFile_Next() {
	f, err := shd.Open("testdata/edge.h5", shd.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	b := &events.Batch{}
	for {
		b.Reset()
		n, err := f.Next(b, 2)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("sample %d label %d: %d events T=%v X=%v\n", f.Current(), f.Label(f.Current()), n, b.T, b.X)
	}
	g := f.Geometry()
	fmt.Println(g.Width, g.Height, g.Format)
	// Output:
	// sample 0 label 3: 2 events T=[0 500000] X=[0 699]
	// sample 1 label 0: 0 events T=[] X=[]
	// sample 2 label 1: 2 events T=[250000 250000] X=[5 800]
	// sample 2 label 1: 1 events T=[1000000] X=[6]
	// sample 3 label 2: 1 events T=[2] X=[1]
	// 801 1 shd
}
