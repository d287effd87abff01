package events_test

import (
	"fmt"

	"github.com/neurotab/neurotab/formats/events"
)

func ExampleFrameBinner() {
	b := &events.Batch{}
	b.Append(0, 0, 0, 1)  // ON at (0,0), bin 0
	b.Append(4, 0, 0, 1)  // ON at (0,0), bin 0
	b.Append(12, 1, 0, 0) // OFF at (1,0), bin 1
	f := &events.FrameBinner{Width: 2, Height: 1, BinWidth: 10, MergePolarity: true}
	data, shape, err := f.ToFrames(b)
	fmt.Println(shape, data, err)
	// Output: [2 1 1 2] [2 0 0 1] <nil>
}

func ExampleRefractory() {
	b := &events.Batch{}
	for _, t := range []int64{0, 3, 10, 12, 25} {
		b.Append(t, 0, 0, 1)
	}
	r := &events.Refractory{Period: 10, Width: 1, Height: 1}
	if err := r.Apply(b, b); err != nil { // in place
		panic(err)
	}
	fmt.Println(b.T)
	// Output: [0 10 25]
}

func ExampleSniffFile() {
	fmt.Println(events.SniffFile("recording.raw", []byte("% date 2024-01-01\n% evt 3.0\n% end\n")))
	fmt.Println(events.SniffFile("00001.bin", []byte{7, 15, 0x80, 2, 0x8e}))
	// Output:
	// evt3
	// nmnist
}
