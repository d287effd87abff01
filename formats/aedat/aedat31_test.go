package aedat

import (
	"bytes"
	"io"
	"slices"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// TestDecoder31HandBytes decodes one polarity packet written by hand from
// the AEDAT 3.1 packet header and polarity event layout (libcaer common.h,
// polarity.h).
func TestDecoder31HandBytes(t *testing.T) {
	file := []byte(header31Test)
	off := int64(len(file))
	file = append(file,
		0x01, 0x00, // eventType 1: polarity
		0x01, 0x00, // eventSource 1
		0x08, 0x00, 0x00, 0x00, // eventSize 8
		0x04, 0x00, 0x00, 0x00, // eventTSOffset 4
		0x01, 0x00, 0x00, 0x00, // eventTSOverflow 1
		0x02, 0x00, 0x00, 0x00, // eventCapacity 2
		0x02, 0x00, 0x00, 0x00, // eventNumber 2
		0x01, 0x00, 0x00, 0x00, // eventValid 1
		// data 0x00140053 = x 10 << 17 | y 20 << 2 | ON << 1 | valid
		0x53, 0x00, 0x14, 0x00,
		0x05, 0x00, 0x00, 0x00, // timestamp 5 → 1 << 31 | 5 = 2147483653
		// data 0x00140052: the same but invalid (bit 0 clear): skipped
		0x52, 0x00, 0x14, 0x00,
		0x06, 0x00, 0x00, 0x00,
	)
	if built := append([]byte(header31Test), polPacket31(1, []pol31{{10, 20, true, true, 5}, {10, 20, true, false, 6}})...); !bytes.Equal(built, file) {
		// The source field differs: the encoder writes source 0.
		built[off+2] = 1
		if !bytes.Equal(built, file) {
			t.Fatalf("encoder output differs from the hand-written bytes:\n% x\n% x", built, file)
		}
	}
	d, err := NewDecoder31(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "hand.aedat"}})
	if err != nil {
		t.Fatal(err)
	}
	h := d.Header()
	if h.Format != "RAW" || h.Sources[1] != "DAVIS240C" || h.StartTime != "2016-04-01 12:00:00 (TZ+0200)" || h.DataStart != off {
		t.Errorf("header %+v", h)
	}
	// DAVIS240: 240 x 180.
	if g := d.Geometry(); g != (events.Geometry{Width: 240, Height: 180, Format: "aedat3.1"}) {
		t.Errorf("geometry %+v", g)
	}
	b, err := decodeAll(t, d, 8)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 1 || b.T[0] != 2147483653 || b.X[0] != 10 || b.Y[0] != 20 || b.P[0] != 1 {
		t.Errorf("got %+v, want one event (2147483653, 10, 20, 1)", *b)
	}
	if s := d.Stats(); s != (events.Stats{Events: 1, Skipped: 1}) {
		t.Errorf("stats %+v", s)
	}
}

func TestDecoder31RoundTrip(t *testing.T) {
	p1 := []pol31{{0, 0, false, true, 0}, {32767, 32767, true, true, 1<<31 - 1}, {5, 6, true, false, 7}}
	p2 := []pol31{{1, 2, true, true, 3}, {3, 4, false, true, 4}}
	var file []byte
	file = append(file, header31Test...)
	file = append(file, polPacket31(0, p1)...)
	// A frame packet (type 2): 1 event of 40 bytes, skipped unread.
	file = append(file, header31(2, 40, 4, 0, 1, 1, 1)...)
	file = append(file, make([]byte, 40)...)
	// A special packet (type 0) with spare capacity: 2 slots, 1 event.
	file = append(file, header31(0, 8, 4, 0, 2, 1, 1)...)
	file = append(file, make([]byte, 16)...)
	file = append(file, polPacket31(3, p2)...)
	file = append(file, polPacket31(3, nil)...)
	// Expected: valid events only; overflow 3 adds 3 << 31.
	wantT := []int64{0, 1<<31 - 1, 3<<31 | 3, 3<<31 | 4}
	wantX := []uint16{0, 32767, 1, 3}
	wantY := []uint16{0, 32767, 2, 4}
	wantP := []int8{0, 1, 1, 0}
	for _, max := range []int{1, 3, 64} {
		for _, unsized := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(file)
			if unsized {
				r = io.MultiReader(r)
			}
			d, err := NewDecoder31(r, Options{DecodeOptions: events.DecodeOptions{Name: "rt.aedat"}})
			if err != nil {
				t.Fatal(err)
			}
			b, err := decodeAll(t, d, max)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(b.T, wantT) || !slices.Equal(b.X, wantX) || !slices.Equal(b.Y, wantY) || !slices.Equal(b.P, wantP) {
				t.Errorf("max %d: got %+v", max, *b)
			}
			want := []PacketCount31{
				{Type: 0, Name: "special", Packets: 1, Events: 1},
				{Type: 1, Name: "polarity", Packets: 3, Events: 5},
				{Type: 2, Name: "frame", Packets: 1, Events: 1},
			}
			if p := d.Packets(); !slices.Equal(p, want) {
				t.Errorf("packets %+v", p)
			}
			if s := d.Stats(); s != (events.Stats{Events: 4, Skipped: 1}) {
				t.Errorf("stats %+v", s)
			}
		}
	}
}

func TestDecoder31Errors(t *testing.T) {
	hl := int64(len(header31Test))
	good := polPacket31(0, []pol31{{1, 2, true, true, 3}})
	two := append(append([]byte(header31Test), good...), good...)
	with := func(parts ...[]byte) []byte {
		out := []byte(header31Test)
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cases := []struct {
		name     string
		file     []byte
		unsized  bool
		cause    error
		off      int64
		lenient  bool
		lenEv    int
		lenStats events.Stats
	}{
		{name: "empty", file: nil, cause: neurotab.ErrMalformed, off: 0},
		{name: "AEDAT 2.0 given to the 3.1 decoder", file: []byte("#!AER-DAT2.0\r\n"), cause: neurotab.ErrMalformed, off: 0},
		{name: "no end of header", file: []byte("#!AER-DAT3.1\r\n#Format: RAW\r\n"), cause: neurotab.ErrTruncated, off: 28},
		{name: "compressed format", file: []byte("#!AER-DAT3.1\r\n#Format: SerializedTS\r\n#!END-HEADER\r\n"), cause: neurotab.ErrUnsupported, off: 14 + 23 + 14}, // reported at the end of the header
		{name: "header line without #", file: []byte("#!AER-DAT3.1\r\nFormat: RAW\r\n#!END-HEADER\r\n"), cause: neurotab.ErrMalformed, off: 14},
		{name: "truncated packet header", file: two[:hl+int64(len(good))+10], cause: neurotab.ErrTruncated, off: hl + int64(len(good)),
			lenient: true, lenEv: 1, lenStats: events.Stats{Events: 1, DroppedPackets: 1}},
		{name: "body beyond the file", file: with(header31(1, 8, 4, 0, 1000, 1000, 1000), good[28:]), cause: neurotab.ErrTooLarge, off: hl,
			lenient: true, lenEv: 0, lenStats: events.Stats{Dropped: 1000, DroppedPackets: 1}},
		{name: "truncated body, unsized reader", file: with(header31(1, 8, 4, 0, 1000, 1000, 1000), good[28:]), unsized: true, cause: neurotab.ErrTruncated, off: hl + 28 + 8,
			lenient: true, lenEv: 0, lenStats: events.Stats{Dropped: 1000, DroppedPackets: 1}},
		{name: "capacity times size beyond the limit", file: with(header31(1, 1<<30, 4, 0, 1<<30, 0, 0)), cause: neurotab.ErrTooLarge, off: hl},
		{name: "negative event size", file: with(header31(1, -8, 4, 0, 1, 1, 1)), cause: neurotab.ErrMalformed, off: hl},
		{name: "negative type", file: with(header31(-1, 8, 4, 0, 1, 1, 1)), cause: neurotab.ErrMalformed, off: hl},
		{name: "eventNumber above capacity", file: with(header31(1, 8, 4, 0, 1, 2, 1), good[28:], good), cause: neurotab.ErrMalformed, off: hl,
			lenient: true, lenEv: 1, lenStats: events.Stats{Events: 1, Dropped: 1, DroppedPackets: 1}},
		{name: "polarity eventSize 16", file: with(header31(1, 16, 4, 0, 1, 1, 1), make([]byte, 16), good), cause: neurotab.ErrMalformed, off: hl,
			lenient: true, lenEv: 1, lenStats: events.Stats{Events: 1, Dropped: 1, DroppedPackets: 1}},
		{name: "negative timestamp", file: with(polPacket31(0, []pol31{{1, 2, true, true, -4}, {1, 2, true, true, 9}})), cause: neurotab.ErrMalformed, off: hl + 28,
			lenient: true, lenEv: 1, lenStats: events.Stats{Events: 1, Dropped: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				var r io.Reader = bytes.NewReader(tc.file)
				if tc.unsized {
					r = io.MultiReader(r)
				}
				d, err := NewDecoder31(r, Options{DecodeOptions: events.DecodeOptions{Name: "bad.aedat", Lenient: lenient}})
				var b *events.Batch
				if err == nil {
					b, err = decodeAll(t, d, 3)
				}
				if lenient && tc.lenient {
					if err != nil {
						t.Fatalf("lenient: %v", err)
					}
					if b.Len() != tc.lenEv || d.Stats() != tc.lenStats {
						t.Errorf("lenient: %d events, stats %+v; want %d, %+v", b.Len(), d.Stats(), tc.lenEv, tc.lenStats)
					}
					continue
				}
				checkDecodeError(t, err, "bad.aedat", tc.cause, tc.off)
			}
		})
	}
}
