package nmnist_test

import (
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/formats/nmnist"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestConformance runs the event-decoder conformance suite on tonic's
// sample_nmnist.bin; the count and first/last events are those of
// ../shared/data/tonic/SOURCE.md (listed there as x, y, t, p). The damaged
// copy has x = 200, beyond the 34 x 34 sensor, in its 100th record.
func TestConformance(t *testing.T) {
	data, err := os.ReadFile(fixtures.Path(t, "tonic", "sample_nmnist.bin"))
	if err != nil {
		t.Fatal(err)
	}
	type E = eventstest.Event
	ev := eventstest.Ev
	eventstest.Run(t, eventstest.Case{
		Name: "sample_nmnist.bin", Fixture: data,
		Want: eventstest.Want{Events: 4325, Width: 34, Height: 34, Format: "nmnist",
			First: []E{ev(654, 7, 15, 1), ev(2999, 19, 18, 0), ev(3017, 21, 17, 0), ev(3893, 10, 18, 0), ev(4023, 12, 9, 1)},
			Last:  []E{ev(311175, 21, 14, 1)}},
		Damage: func(b []byte) []byte {
			b[99*nmnist.RecordSize] = 200
			return b
		},
		Open: func(r io.Reader, lenient bool) (events.Decoder, error) {
			return nmnist.NewDecoder(r, nmnist.Options{DecodeOptions: events.DecodeOptions{Name: "sample_nmnist.bin", Lenient: lenient,
				Width: nmnist.NMNISTWidth, Height: nmnist.NMNISTHeight, BufferSize: 1000}})
		},
	})
}
