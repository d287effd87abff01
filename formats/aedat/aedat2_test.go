package aedat

import (
	"bytes"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestDecoder2FixtureHeader reads tonic's AEDAT 2.0 header sample.
func TestDecoder2FixtureHeader(t *testing.T) {
	path := fixtures.Path(t, "tonic", "sample_aedat_header.aedat")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := NewDecoder2(f, Options{DecodeOptions: events.DecodeOptions{Name: "sample_aedat_header.aedat"}})
	if err != nil {
		t.Fatal(err)
	}
	h := d.Header()
	// SOURCE.md: 12 '#' lines; first "#!AER-DAT2.0"; AEChip Davis346red;
	// creation time 1695355587880 (tonic asserts start_timestamp).
	if len(h.Lines) != 12 || h.Lines[0] != "#!AER-DAT2.0" {
		t.Errorf("%d lines, first %q; want 12, \"#!AER-DAT2.0\"", len(h.Lines), h.Lines[0])
	}
	if h.AEChip != "eu.seebetter.ini.chips.davis.Davis346red" || h.Camera != DAVIS346 {
		t.Errorf("AEChip %q → camera %d", h.AEChip, h.Camera)
	}
	if h.CreationTimeMillis != 1695355587880 {
		t.Errorf("creation time %d, want 1695355587880", h.CreationTimeMillis)
	}
	// The file is 599 bytes of header and no events (SOURCE.md).
	if h.DataStart != 599 {
		t.Errorf("data start %d, want 599", h.DataStart)
	}
	// DAVIS346: 346 x 260 (iniVation DAVIS346 datasheet).
	if g := d.Geometry(); g != (events.Geometry{Width: 346, Height: 260, Format: "aedat2"}) {
		t.Errorf("geometry %+v", g)
	}
	b, err := decodeAll(t, d, 16)
	if err != nil || b.Len() != 0 {
		t.Errorf("%d events, %v; want 0 events", b.Len(), err)
	}
	// Sniff on the same bytes: version 2.0 (tonic asserts data_version 2).
	raw, _ := os.ReadFile(path)
	if v, ok := Sniff(raw); !ok || v != "2.0" {
		t.Errorf("Sniff = %q, %v", v, ok)
	}
}

// TestDecoder2HandBytes decodes records worked out by hand from the bit
// layouts in aedat2.go (iniVation AEDAT 1.0/2.0 tables, jAER DavisChip).
func TestDecoder2HandBytes(t *testing.T) {
	cases := []struct {
		name    string
		chip    string
		rec     []byte
		rawX    bool
		t       int64
		x, y    uint16
		p       int8
		skipped Counts2
	}{
		// 0x00003A55 = 0b0011_1010_0101_0101: bit 0 = 1 (ON);
		// bits 7-1 = 0101010 = 42 → mirrored 127-42 = 85; bits 14-8 = 0111010 = 58.
		{name: "DVS128", chip: "ch.unizh.ini.jaer.chip.retina.DVS128", rec: []byte{0x00, 0x00, 0x3A, 0x55, 0x00, 0x00, 0x03, 0xE8}, t: 1000, x: 85, y: 58, p: 1},
		{name: "DVS128 raw x", chip: "ch.unizh.ini.jaer.chip.retina.DVS128", rec: []byte{0x00, 0x00, 0x3A, 0x55, 0x00, 0x00, 0x03, 0xE8}, rawX: true, t: 1000, x: 42, y: 58, p: 1},
		// 0x190C8800: bits 30-22 = 0x190C8800>>22 = 100; bits 21-12 =
		// (0x190C8800>>12)&0x3FF = 0xC8 = 200 → mirrored 345-200 = 145;
		// bit 11 = 1 (ON); bit 10 = 0 (DVS).
		{name: "DAVIS346", chip: "eu.seebetter.ini.chips.davis.Davis346B", rec: []byte{0x19, 0x0C, 0x88, 0x00, 0x00, 0x01, 0x00, 0x00}, t: 65536, x: 145, y: 100, p: 1},
		// Same on a DAVIS240 (240 wide): 239-200 = 39. Timestamp
		// 0xFFFFFFFF is the signed value -1.
		{name: "DAVIS240 negative timestamp", chip: "eu.seebetter.ini.chips.davis.DAVIS240C", rec: []byte{0x19, 0x0C, 0x80, 0x00, 0xFF, 0xFF, 0xFF, 0xFF}, t: -1, x: 39, y: 100, p: 0},
		// 0x80000C00: bit 31 set, bits 11-10 = 11: IMU sample.
		{name: "DAVIS IMU skipped", chip: "eu.seebetter.ini.chips.davis.Davis346red", rec: []byte{0x80, 0x00, 0x0C, 0x00, 0, 0, 0, 1}, skipped: Counts2{IMU: 1}},
		// 0x80000400: bit 31 set, bits 11-10 = 01: APS reset read.
		{name: "DAVIS APS skipped", chip: "eu.seebetter.ini.chips.davis.Davis346red", rec: []byte{0x80, 0x00, 0x04, 0x00, 0, 0, 0, 1}, skipped: Counts2{APS: 1}},
		// 0x00000400: bit 31 clear, bit 10 set: external input.
		{name: "DAVIS external skipped", chip: "eu.seebetter.ini.chips.davis.Davis346red", rec: []byte{0x00, 0x00, 0x04, 0x00, 0, 0, 0, 1}, skipped: Counts2{External: 1}},
		// 0x00008000: DVS128 bit 15: external event.
		{name: "DVS128 external skipped", chip: "DVS128", rec: []byte{0x00, 0x00, 0x80, 0x00, 0, 0, 0, 1}, skipped: Counts2{External: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := append([]byte("#!AER-DAT2.0\r\n# AEChip: "+tc.chip+"\r\n"), tc.rec...)
			d, err := NewDecoder2(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "hand.aedat"}, RawX: tc.rawX})
			if err != nil {
				t.Fatal(err)
			}
			b, err := decodeAll(t, d, 4)
			if err != nil {
				t.Fatal(err)
			}
			if tc.skipped != (Counts2{}) {
				if b.Len() != 0 || d.Counts() != tc.skipped || d.Stats().Skipped != 1 {
					t.Errorf("%d events, counts %+v, stats %+v; want 0, %+v", b.Len(), d.Counts(), d.Stats(), tc.skipped)
				}
				return
			}
			if b.Len() != 1 || b.T[0] != tc.t || b.X[0] != tc.x || b.Y[0] != tc.y || b.P[0] != tc.p {
				t.Errorf("got %+v, want (%d, %d, %d, %d)", *b, tc.t, tc.x, tc.y, tc.p)
			}
		})
	}
}

func TestDecoder2RoundTrip(t *testing.T) {
	type e2 struct {
		x, y, p uint32
		ts      int32
	}
	in := []e2{{0, 0, 1, 10}, {345, 259, 0, 11}, {100, 200, 1, 1<<31 - 1}, {7, 8, 0, -(1 << 31)}, {9, 10, 1, -5}, {11, 12, 1, 3}}
	// Expected timestamps: the fourth wraps (−2^31 after 2^31−1: +2^32).
	wantT := []int64{10, 11, 1<<31 - 1, 1 << 31, 1<<32 - 5, 1<<32 + 3}
	var body []byte
	for i, e := range in {
		body = append(body, rec2(davisAddr(e.x, e.y, e.p), e.ts)...)
		if i == 2 {
			// Interleave non-DVS records, which must be skipped.
			body = append(body, rec2(0x80000C00, e.ts)...)
			body = append(body, rec2(0x80000000|davisAddr(3, 4, 0)|123, e.ts)...)
			body = append(body, rec2(0x400, e.ts)...)
		}
	}
	file := append([]byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis346red\r\n#End Of ASCII Header\r\n"), body...)
	for _, max := range []int{1, 2, 100} {
		d, err := NewDecoder2(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "rt.aedat"}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := decodeAll(t, d, max)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(b.T, wantT) {
			t.Errorf("max %d: t = %v, want %v", max, b.T, wantT)
		}
		for i, e := range in {
			if b.X[i] != uint16(345-e.x) || b.Y[i] != uint16(e.y) || b.P[i] != int8(e.p) {
				t.Errorf("event %d = (%d, %d, %d), want (%d, %d, %d)", i, b.X[i], b.Y[i], b.P[i], 345-e.x, e.y, e.p)
			}
		}
		if c := d.Counts(); c != (Counts2{DVS: 6, APS: 1, IMU: 1, External: 1}) {
			t.Errorf("counts %+v", c)
		}
	}
}

func TestDecoder2Errors(t *testing.T) {
	good := "#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS240C\r\n"
	hl := int64(len(good))
	rec := rec2(davisAddr(1, 2, 1), 5)
	cases := []struct {
		name     string
		file     []byte
		opts     Options
		cause    error
		off      int64
		lenient  bool
		lenEv    int
		lenStats events.Stats
	}{
		{name: "empty", file: nil, cause: neurotab.ErrMalformed, off: 0},
		{name: "AEDAT 3.1 given to the 2.0 decoder", file: []byte(header31Test), cause: neurotab.ErrMalformed, off: 0},
		{name: "version line with trailing text", file: []byte("#!AER-DAT2.01\r\n"), cause: neurotab.ErrMalformed, off: 0},
		{name: "no AEChip", file: append([]byte("#!AER-DAT2.0\r\n"), rec...), cause: neurotab.ErrUnsupported, off: 14},
		{name: "unknown AEChip", file: append([]byte("#!AER-DAT2.0\r\n# AEChip: foo.Bar\r\n"), rec...), cause: neurotab.ErrUnsupported, off: 33},
		{name: "unknown AEChip, no events", file: []byte("#!AER-DAT2.0\r\n# AEChip: foo.Bar\r\n"), cause: neurotab.ErrTruncated, off: 33},
		{name: "header beyond the limit", file: []byte(good + "# a long line\r\n"), opts: Options{DecodeOptions: events.DecodeOptions{MaxBytes: 70}}, cause: neurotab.ErrTooLarge, off: hl},
		{name: "truncated last record", file: append(append([]byte(good), rec...), rec[:5]...), cause: neurotab.ErrTruncated, off: hl + 8,
			lenient: true, lenEv: 1, lenStats: events.Stats{Events: 1, Dropped: 1}},
		// x raw 300 does not fit a DAVIS240 (240 wide).
		{name: "x beyond the sensor", file: append(append([]byte(good), rec2(davisAddr(300, 2, 1), 6)...), rec...), cause: neurotab.ErrMalformed, off: hl,
			lenient: true, lenEv: 1, lenStats: events.Stats{Events: 1, Dropped: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				opts := tc.opts
				opts.Name, opts.Lenient = "bad.aedat", lenient
				d, err := NewDecoder2(io.MultiReader(bytes.NewReader(tc.file)), opts)
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
