package shd_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/formats/shd"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestConformance runs the event-decoder conformance suite on the
// reference-made shd_like.h5 (h5py; ../shared/data/reference-made
// manifest.json): 37+120+1+64+9 = 231 spikes; the first is sample 0's
// 0.05089695751667023 s on channel 45, the last sample 4's
// 0.8062242269515991 s on channel 187 (T = round(s × 10⁶) µs). Time
// restarts with every sample. The damaged copy has a NaN in place of
// sample 0's tenth time (the float32 0.3085482716560364, found by value).
func TestConformance(t *testing.T) {
	const name = "shd_like.h5"
	data, err := os.ReadFile(fixtures.Path(t, "reference-made", "shd", name))
	if err != nil {
		t.Fatal(err)
	}
	type E = eventstest.Event
	ev := eventstest.Ev
	eventstest.Run(t, eventstest.Case{
		Name: name, Fixture: data, EmptyErr: true, TimeRestarts: true, Every: len(data),
		Want: eventstest.Want{Events: 231, Width: shd.Channels, Height: 1, Format: "shd",
			First: []E{ev(50897, 45, 0, 1)}, Last: []E{ev(806224, 187, 0, 1)}},
		Damage: func(b []byte) []byte {
			v := binary.LittleEndian.AppendUint32(nil, math.Float32bits(0.3085482716560364))
			i := bytes.Index(b, v)
			if i < 0 || bytes.Count(b, v) != 1 {
				t.Fatal("the tenth time of sample 0 is not in the file once")
			}
			binary.LittleEndian.PutUint32(b[i:], math.Float32bits(float32(math.NaN())))
			return b
		},
		// A cut HDF5 file is truncated where a read runs past its end, and
		// malformed where the cut leaves no superblock or a dangling address
		// (ErrTruncated is a kind of ErrMalformed).
		TruncatedErr: func(err error) bool {
			return errors.Is(err, neurotab.ErrMalformed) || errors.Is(err, neurotab.ErrTooLarge)
		},
		Open: func(r io.Reader, lenient bool) (events.Decoder, error) {
			b, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			return shd.NewReader(bytes.NewReader(b), int64(len(b)), shd.Options{DecodeOptions: events.DecodeOptions{Name: name, Lenient: lenient}})
		},
	})
}
