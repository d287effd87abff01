package nmnist_test

import (
	"bytes"
	"fmt"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/nmnist"
)

func Example() {
	file := []byte{
		7, 15, 0x80, 0x02, 0x8E, // x 7, y 15, ON, t 654
		0, 240, 0, 0, 0, // timestamp-overflow marker: +2^23 µs from here on
		19, 18, 0x00, 0x0B, 0xB7, // x 19, y 18, OFF, t 2999 (+ 2^23)
	}
	d, err := nmnist.NewDecoder(bytes.NewReader(file), nmnist.Options{DecodeOptions: events.DecodeOptions{Name: "example.bin", Width: 34, Height: 34}})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := events.ReadAll(d)
	fmt.Println(b.Len(), d.Overflows(), err)
	for i := range b.T {
		fmt.Println(b.T[i], b.X[i], b.Y[i], b.P[i])
	}
	// Output:
	// 2 1 <nil>
	// 654 7 15 1
	// 8391607 19 18 0
}
