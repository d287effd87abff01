package dat_test

import (
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/dat"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestConformance runs the event-decoder conformance suite on tonic's
// sample_ncars.dat; the count and first/last events are those of
// ../shared/data/tonic/SOURCE.md. The damaged copy has polarity 2 in its
// 100th record.
func TestConformance(t *testing.T) {
	data, err := os.ReadFile(fixtures.Path(t, "tonic", "sample_ncars.dat"))
	if err != nil {
		t.Fatal(err)
	}
	const body = 91 + 2 // header, then the event type and size bytes (SOURCE.md)
	type E = eventstest.Event
	ev := eventstest.Ev
	eventstest.Run(t, eventstest.Case{
		Name: "sample_ncars.dat", Fixture: data, EmptyErr: true,
		Want: eventstest.Want{Events: 2009, Format: "dat",
			First: []E{ev(0, 25, 8, 0), ev(35, 67, 35, 0), ev(152, 56, 27, 1), ev(202, 74, 39, 1), ev(244, 49, 28, 1)},
			Last:  []E{ev(99952, 75, 28, 1)}},
		Damage: func(b []byte) []byte {
			b[body+99*dat.RecordSize+7] |= 0x20 // w >> 28 = 2 | p
			return b
		},
		Open: func(r io.Reader, lenient bool) (events.Decoder, error) {
			return dat.NewDecoder(r, dat.Options{DecodeOptions: events.DecodeOptions{Name: "sample_ncars.dat", Lenient: lenient, BufferSize: 1000}})
		},
	})
}
