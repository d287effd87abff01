package eventdata_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest/eventdata"
)

// Bin a two-pixel events table into 1 ms count frames and into rates.
func ExampleBin() {
	dir, _ := os.MkdirTemp("", "bin")
	defer os.RemoveAll(dir)
	b := &events.Batch{}
	b.Append(0, 0, 0, 1)    // x0 ON in bin 0
	b.Append(400, 1, 0, 0)  // x1 OFF in bin 0
	b.Append(1200, 1, 0, 1) // x1 ON in bin 1
	eb := table.NewEventsBuilder(nil)
	defer eb.Release()
	eb.Append(0, b)
	rec := eb.NewRecord()
	defer rec.Release()
	path := filepath.Join(dir, "ev.parquet")
	if err := table.WriteParquet(path, table.Events, table.Provenance{}, table.EventsMetadata(events.Geometry{Width: 2, Height: 1}), nil, rec); err != nil {
		fmt.Println(err)
		return
	}
	fr, err := eventdata.Bin(path, eventdata.BinOptions{Width: time.Millisecond, Frames: true, Sample: -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("frames", fr.Shape, fr.Frames)
	rt, err := eventdata.Bin(path, eventdata.BinOptions{Width: time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rt.Rates[0]
	for k := range r.Time {
		fmt.Printf("t=%gs rates %v Hz\n", r.Time[k], r.Data.RawRowView(k))
	}
	// Output:
	// frames [2 2 1 2] [0 1 1 0 0 0 0 1]
	// t=0s rates [1000 1000] Hz
	// t=0.001s rates [0 1000] Hz
}
