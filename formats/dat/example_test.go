package dat_test

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/neurotab/neurotab/formats/dat"
	"github.com/neurotab/neurotab/formats/events"
)

func Example() {
	file := []byte("% Version 2\n% Width 120\n% Height 100\n\x00\x08")
	for _, r := range [][3]uint32{{35, 67, 35}, {152, 56, 27 | 1<<14}} { // t, x, y | p<<14
		file = binary.LittleEndian.AppendUint32(file, r[0])
		file = binary.LittleEndian.AppendUint32(file, r[1]|r[2]<<14)
	}
	d, err := dat.NewDecoder(bytes.NewReader(file), dat.Options{DecodeOptions: events.DecodeOptions{Name: "example.dat"}})
	if err != nil {
		panic(err)
	}
	b, err := events.ReadAll(d)
	g := d.Geometry()
	fmt.Println(g.Width, g.Height, g.Format, err)
	for i := range b.T {
		fmt.Println(b.T[i], b.X[i], b.Y[i], b.P[i])
	}
	// Output:
	// 120 100 dat <nil>
	// 35 67 35 0
	// 152 56 27 1
}
