package evt_test

import (
	"bytes"
	"fmt"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
)

// Encode two events to EVT 3.0 and decode them back.
func Example() {
	var file bytes.Buffer
	enc, err := evt.NewEncoder3(&file, "example.raw", 1280, 720)
	if err != nil {
		panic(err)
	}
	b := &events.Batch{}
	b.Append(11718656, 874, 200, 0)
	b.Append(11718660, 806, 201, 1)
	if err := enc.Write(b); err != nil {
		panic(err)
	}
	enc.Close()

	d, err := evt.NewDecoder(&file, evt.Options{DecodeOptions: events.DecodeOptions{Name: "example.raw"}})
	if err != nil {
		panic(err)
	}
	out, err := events.ReadAll(d)
	g := d.Geometry()
	fmt.Println(g.Width, g.Height, g.Format, err)
	for i := range out.T {
		fmt.Println(out.T[i], out.X[i], out.Y[i], out.P[i])
	}
	// Output:
	// 1280 720 evt3 <nil>
	// 11718656 874 200 0
	// 11718660 806 201 1
}
