package aedat

import (
	"encoding/binary"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

type conformanceEvent = eventstest.Event

// conformance2 builds an AEDAT 2.0 file: tonic's real jAER header
// (sample_aedat_header.aedat, AEChip Davis346red: 346 x 260) followed by n
// DVS events at raw (x, y) = (7i mod 346, 13i mod 260), p = i mod 2, t =
// 1000 + 3i µs, with an IMU, an APS and an external-input record after
// every tenth event. It returns the file, the events a decoder must give
// (x mirrored: 345 - raw, as jAER does) and the offset of event 100's
// record.
func conformance2(t *testing.T, n int) ([]byte, []conformanceEvent, int) {
	file, err := os.ReadFile(fixtures.Path(t, "tonic", "sample_aedat_header.aedat"))
	if err != nil {
		t.Fatal(err)
	}
	var want []conformanceEvent
	off100 := 0
	for i := range n {
		x, y, p, ts := uint32(7*i%346), uint32(13*i%260), uint32(i%2), int32(1000+3*i)
		if i == 100 {
			off100 = len(file)
		}
		file = append(file, rec2(davisAddr(x, y, p), ts)...)
		want = append(want, conformanceEvent{T: int64(ts), X: uint16(345 - x), Y: uint16(y), P: int8(p)})
		if i%10 == 9 {
			file = append(file, rec2(0x80000C00, ts)...)
			file = append(file, rec2(0x80000000|davisAddr(3, 4, 0)|123, ts)...)
			file = append(file, rec2(0x400, ts)...)
		}
	}
	return file, want, off100
}

// conformance31 builds an AEDAT 3.1 file (header31Test: a DAVIS240C,
// 240 x 180) of 5 polarity packets of 200 events each, packet k with
// eventTSOverflow k, separated by a frame packet whose body is skipped; in
// each packet event j is at (x, y) = (j mod 240, (7j + k) mod 180), p = j
// mod 2, timestamp 10j, and every 50th event is marked invalid (skipped).
// It returns the file, the valid events and the offset of packet 2's 11th
// event.
func conformance31() ([]byte, []conformanceEvent, int) {
	file := []byte(header31Test)
	var want []conformanceEvent
	bad := 0
	for k := range 5 {
		var evs []pol31
		for j := range 200 {
			e := pol31{x: uint16(j % 240), y: uint16((7*j + k) % 180), p: j%2 == 1, vald: j%50 != 49, ts: int32(10 * j)}
			evs = append(evs, e)
			if e.vald {
				p := int8(0)
				if e.p {
					p = 1
				}
				want = append(want, conformanceEvent{T: int64(k)<<31 | int64(e.ts), X: e.x, Y: e.y, P: p})
			}
		}
		if k == 2 {
			bad = len(file) + header31Size + 10*polaritySize
		}
		file = append(file, polPacket31(int32(k), evs)...)
		file = append(file, header31(2, 4, 0, 0, 3, 3, 3)...)
		file = append(file, make([]byte, 12)...)
	}
	return file, want, bad
}

// firstPacket4 returns the offset of the first packet of stream id in an
// AEDAT 4.0 file.
func firstPacket4(t *testing.T, b []byte, id uint32) int {
	p := len(magic4) + 4 + int(binary.LittleEndian.Uint32(b[len(magic4):]))
	for p+8 <= len(b) {
		if binary.LittleEndian.Uint32(b[p:]) == id {
			return p
		}
		p += 8 + int(binary.LittleEndian.Uint32(b[p+4:]))
	}
	t.Fatalf("no packet of stream %d", id)
	return 0
}

// TestConformance runs the event-decoder conformance suite on AEDAT 2.0 and
// 3.1 files built here with known events, and on tonic's sample.aedat4,
// whose count and first/last events are those of
// ../shared/data/tonic/SOURCE.md (cross-checked there against the file's
// own data table).
func TestConformance(t *testing.T) {
	type E = conformanceEvent
	ev := eventstest.Ev
	open := func(name string, f func(io.Reader, Options) (events.Decoder, error)) func(io.Reader, bool) (events.Decoder, error) {
		return func(r io.Reader, lenient bool) (events.Decoder, error) {
			return f(r, Options{DecodeOptions: events.DecodeOptions{Name: name, Lenient: lenient, BufferSize: 1000}})
		}
	}
	t.Run("aedat2", func(t *testing.T) {
		file, want, off100 := conformance2(t, 3000)
		eventstest.Run(t, eventstest.Case{
			Name: "built.aedat", Fixture: file, EmptyErr: true,
			Want: eventstest.Want{Events: len(want), Width: 346, Height: 260, Format: "aedat2",
				First: want[:5], Last: want[len(want)-3:]},
			Damage: func(b []byte) []byte {
				binary.BigEndian.PutUint32(b[off100:], davisAddr(1, 300, 1)) // y 300 ≥ 260
				return b
			},
			Open: open("built.aedat", func(r io.Reader, o Options) (events.Decoder, error) { return NewDecoder2(r, o) }),
		})
	})
	t.Run("aedat3.1", func(t *testing.T) {
		file, want, bad := conformance31()
		eventstest.Run(t, eventstest.Case{
			Name: "built.aedat", Fixture: file, EmptyErr: true,
			Want: eventstest.Want{Events: len(want), Width: 240, Height: 180, Format: "aedat3.1",
				First: want[:5], Last: want[len(want)-3:]},
			Damage: func(b []byte) []byte {
				binary.LittleEndian.PutUint32(b[bad+4:], 0x80000005) // negative timestamp
				return b
			},
			Open: open("built.aedat", func(r io.Reader, o Options) (events.Decoder, error) { return NewDecoder31(r, o) }),
		})
	})
	t.Run("aedat4", func(t *testing.T) {
		file, err := os.ReadFile(fixtures.Path(t, "tonic", "sample.aedat4"))
		if err != nil {
			t.Fatal(err)
		}
		const t0 = 1605537493718345
		eventstest.Run(t, eventstest.Case{
			Name: "sample.aedat4", Fixture: file, EmptyErr: true,
			Want: eventstest.Want{Events: 111954, Width: 320, Height: 240, Format: "aedat4",
				First: []E{ev(t0, 154, 204, 0), ev(t0+3, 149, 206, 0), ev(t0+4, 148, 199, 1), ev(t0+9, 139, 30, 0), ev(t0+15, 130, 181, 1)},
				Last:  []E{ev(1605537494308262, 88, 237, 1)}},
			Damage: func(b []byte) []byte {
				b[firstPacket4(t, b, 0)+8] ^= 0xFF // the LZ4 frame magic of the first event packet
				return b
			},
			Open: open("sample.aedat4", func(r io.Reader, o Options) (events.Decoder, error) { return NewDecoder4(r, o) }),
		})
	})
}
