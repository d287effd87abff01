package aedat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

func TestCameraFromChip(t *testing.T) {
	cases := []struct {
		chip string
		want Camera
		w, h int
	}{
		// Sizes: iniVation DVS128 128x128, DAVIS240 240x180, DAVIS346
		// 346x260, DAVIS640 640x480 (device datasheets).
		{"ch.unizh.ini.jaer.chip.retina.DVS128", DVS128, 128, 128},
		{"eu.seebetter.ini.chips.davis.DAVIS240C", DAVIS240, 240, 180},
		{"eu.seebetter.ini.chips.davis.Davis240b", DAVIS240, 240, 180},
		{"eu.seebetter.ini.chips.davis.Davis346red", DAVIS346, 346, 260},
		{"eu.seebetter.ini.chips.davis.Davis346B", DAVIS346, 346, 260},
		{"eu.seebetter.ini.chips.davis.Davis640", DAVIS640, 640, 480},
		{"eu.seebetter.ini.chips.davis.DavisFooBar", CameraAuto, 0, 0},
		{"", CameraAuto, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.chip, func(t *testing.T) {
			c := cameraFromChip(tc.chip)
			w, h := c.size()
			if c != tc.want || w != tc.w || h != tc.h {
				t.Errorf("camera %d (%d x %d), want %d (%d x %d)", c, w, h, tc.want, tc.w, tc.h)
			}
		})
	}
}

func TestDeviceSize31(t *testing.T) {
	cases := []struct {
		desc string
		w, h int
	}{
		{"DVS128", 128, 128},
		{"DAVIS240C", 240, 180},
		{"davis346B", 346, 260},
		{"DAVIS640", 640, 480},
		{"File", 0, 0},
		{"", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.desc, func(t *testing.T) {
			if w, h := deviceSize(tc.desc); w != tc.w || h != tc.h {
				t.Errorf("%d x %d, want %d x %d", w, h, tc.w, tc.h)
			}
		})
	}
}

func TestParseInfo(t *testing.T) {
	cases := []struct {
		name string
		xml  string
		want []Stream
		err  bool
	}{
		{name: "test info", xml: info4Test, want: []Stream{
			{ID: 0, Type: "EVTS", Name: "events", Source: "TestCam", Width: 640, Height: 480, TSOffset: 42},
			{ID: 1, Type: "FRME"}, {ID: 2, Type: "IMUS"}, {ID: 3, Type: "TRIG"},
		}},
		{name: "empty", xml: ""},
		{name: "NUL only", xml: "\x00"},
		{name: "no outInfo", xml: `<dv version="2.0"><node name="other"><node name="0"/></node></dv>`},
		{name: "malformed XML", xml: `<dv><node name="outInfo">`, err: true},
		{name: "stream name not a number", xml: `<dv><node name="outInfo"><node name="x"/></node></dv>`, err: true},
		{name: "sizeX not a number", xml: `<dv><node name="outInfo"><node name="0"><node name="info"><attr key="sizeX">big</attr></node></node></node></dv>`, err: true},
		{name: "sizeX negative", xml: `<dv><node name="outInfo"><node name="0"><node name="info"><attr key="sizeX">-1</attr></node></node></node></dv>`, err: true},
		{name: "sizeY beyond int16 range", xml: `<dv><node name="outInfo"><node name="0"><node name="info"><attr key="sizeY">70000</attr></node></node></node></dv>`, err: true},
		{name: "tsOffset not a number", xml: `<dv><node name="outInfo"><node name="0"><node name="info"><attr key="tsOffset">x</attr></node></node></node></dv>`, err: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseInfo([]byte(tc.xml))
			if (err != nil) != tc.err {
				t.Fatalf("error %v, want error %v", err, tc.err)
			}
			if !tc.err && !slices.Equal(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestDecoder4BadInfo: a malformed info node fails strictly and is
// ignored when lenient (no geometry, streams found from their packets).
func TestDecoder4BadInfo(t *testing.T) {
	file := buildAEDAT4(t, CompressionNone, "<dv><node", []pkt{evPkt(0, []ev{{1, 2, 3, true}})}, false)
	_, err := NewDecoder4(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "x"}})
	checkDecodeError(t, err, "x", neurotab.ErrMalformed, 18)
	d, err := NewDecoder4(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "x", Lenient: true}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeAll(t, d, 5)
	if err != nil || b.Len() != 1 || d.Geometry().Width != 0 {
		t.Errorf("%d events, %v, geometry %+v", b.Len(), err, d.Geometry())
	}
}

func TestDecoder4SelectStream(t *testing.T) {
	info := `<dv><node name="outInfo">` +
		`<node name="0"><attr key="typeIdentifier">EVTS</attr><node name="info"><attr key="sizeX">10</attr><attr key="sizeY">10</attr></node></node>` +
		`<node name="5"><attr key="typeIdentifier">EVTS</attr><node name="info"><attr key="sizeX">20</attr><attr key="sizeY">20</attr></node></node>` +
		`</node></dv>`
	left := []ev{{1, 1, 1, true}, {3, 2, 2, false}}
	right := []ev{{2, 11, 11, false}, {4, 12, 12, true}, {5, 13, 13, true}}
	file := buildAEDAT4(t, CompressionLZ4, info, []pkt{evPkt(0, left[:1]), evPkt(5, right[:2]), evPkt(0, left[1:]), evPkt(5, right[2:])}, true)
	cases := []struct {
		name string
		sel  int32
		want []ev
	}{
		{"default: lowest EVTS stream", -1, left},
		{"stream 5", 5, right},
		{"stream 0", 0, left},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder4(bytes.NewReader(file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.sel >= 0 {
				d.SelectStream(tc.sel)
			}
			b, err := decodeAll(t, d, 100)
			if err != nil {
				t.Fatal(err)
			}
			checkEvents(t, b, tc.want)
			// Both streams' packets and elements are counted.
			s := d.Streams()
			if len(s) != 2 || s[0].Packets != 2 || s[1].Packets != 2 || s[0].Elements != 2 || s[1].Elements != 3 {
				t.Errorf("streams %+v", s)
			}
		})
	}
}

// TestNextMaxZero: Next with max 0 returns 0, nil and consumes nothing.
func TestNextMaxZero(t *testing.T) {
	a4 := buildAEDAT4(t, CompressionNone, "", []pkt{evPkt(0, []ev{{1, 2, 3, true}})}, false)
	a31 := append([]byte(header31Test), polPacket31(0, []pol31{{1, 2, true, true, 3}})...)
	a2 := append([]byte("#!AER-DAT2.0\r\n# AEChip: DVS128\r\n"), rec2(dvs128Addr(1, 2, 1), 3)...)
	for _, tc := range []struct {
		name string
		file []byte
	}{{"4.0", a4}, {"3.1", a31}, {"2.0", a2}} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder(bytes.NewReader(tc.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := &events.Batch{}
			if n, err := d.Next(b, 0); n != 0 || err != nil {
				t.Fatalf("Next(0) = %d, %v", n, err)
			}
			if n, err := d.Next(b, 10); n != 1 || err != nil {
				t.Fatalf("Next(10) = %d, %v; want the file's 1 event", n, err)
			}
			if n, err := d.Next(b, 10); n != 0 || err != io.EOF {
				t.Fatalf("Next at the end = %d, %v", n, err)
			}
			// The end is sticky.
			if n, err := d.Next(b, 10); n != 0 || err != io.EOF {
				t.Fatalf("Next after the end = %d, %v", n, err)
			}
		})
	}
}

func TestInputSize(t *testing.T) {
	data := []byte("0123456789")
	tmp := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(4, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	br := bytes.NewReader(data)
	br.Seek(3, io.SeekStart)
	sr := io.NewSectionReader(bytes.NewReader(data), 2, 6)
	sr.Seek(1, io.SeekStart)
	cases := []struct {
		name string
		r    io.Reader
		left int64
	}{
		{"bytes.Reader after 3 bytes", br, 7},
		{"strings.Reader", strings.NewReader("abc"), 3},
		{"os.File at 4", f, 6},
		{"SectionReader of 6 at 1", sr, 5},
		{"unknown size", io.MultiReader(bytes.NewReader(data)), -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if l := newInput(tc.r).left(); l != tc.left {
				t.Errorf("left %d, want %d", l, tc.left)
			}
		})
	}
}

// TestLongHeaderLine: jAER writes its preferences as header lines; a line
// longer than the read buffer is still one line, and the header limit holds.
func TestLongHeaderLine(t *testing.T) {
	long := "#" + strings.Repeat("x", 200000) + "\r\n"
	file := append([]byte("#!AER-DAT2.0\r\n"+long+"# AEChip: DVS128\r\n"), rec2(dvs128Addr(3, 4, 0), 9)...)
	d, err := NewDecoder2(io.MultiReader(bytes.NewReader(file)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if h := d.Header(); len(h.Lines) != 3 || len(h.Lines[1]) != 200001 || h.DataStart != int64(len(file)-8) {
		t.Errorf("%d lines, line 1 of %d bytes, data at %d", len(h.Lines), len(h.Lines[1]), h.DataStart)
	}
	b, err := decodeAll(t, d, 4)
	if err != nil || b.Len() != 1 || b.X[0] != 124 || b.Y[0] != 4 {
		t.Errorf("%+v, %v; want (9, 124, 4, 0)", *b, err)
	}
	_, err = NewDecoder2(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "long", MaxBytes: 100000}})
	checkDecodeError(t, err, "long", neurotab.ErrTooLarge, 14)
}

// TestHeaderLineEndings: LF (as in tonic's sample) and CRLF (as the spec
// writes) headers, and a header-only file without a final newline.
func TestHeaderLineEndings(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		lines int
	}{
		{"CRLF", "#!AER-DAT2.0\r\n# AEChip: DVS128\r\n", 2},
		{"LF", "#!AER-DAT2.0\n# AEChip: DVS128\n", 2},
		{"no final newline", "#!AER-DAT2.0\n# AEChip: DVS128", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDecoder2(strings.NewReader(tc.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if h := d.Header(); len(h.Lines) != tc.lines || h.AEChip != "DVS128" || h.Lines[0] != "#!AER-DAT2.0" {
				t.Errorf("header %+v", h)
			}
		})
	}
}

// TestDVS128AllAddresses encodes every DVS128 pixel and polarity and checks
// the decoded values against the layout: x mirrored, y and p as stored.
func TestDVS128AllAddresses(t *testing.T) {
	var body []byte
	for y := uint32(0); y < 128; y++ {
		for x := uint32(0); x < 128; x++ {
			for p := uint32(0); p < 2; p++ {
				body = append(body, rec2(dvs128Addr(x, y, p), int32(y*256+x*2+p))...)
			}
		}
	}
	for _, raw := range []bool{false, true} {
		t.Run(fmt.Sprintf("RawX=%v", raw), func(t *testing.T) {
			d, err := NewDecoder2(bytes.NewReader(append([]byte("#!AER-DAT2.0\n# AEChip: DVS128\n"), body...)), Options{Camera: DVS128, RawX: raw})
			if err != nil {
				t.Fatal(err)
			}
			b, err := decodeAll(t, d, 1000)
			if err != nil || b.Len() != 128*128*2 {
				t.Fatalf("%d events, %v", b.Len(), err)
			}
			for i := range b.T {
				x, y, p := uint16(i/2%128), uint16(i/256), int8(i%2)
				if !raw {
					x = 127 - x
				}
				if b.T[i] != int64(i) || b.X[i] != x || b.Y[i] != y || b.P[i] != p {
					t.Fatalf("event %d = (%d, %d, %d, %d), want (%d, %d, %d, %d)", i, b.T[i], b.X[i], b.Y[i], b.P[i], i, x, y, p)
				}
			}
		})
	}
}

// TestRoundTripRandom: seeded random events through each encoder and
// decoder, read back with random batch sizes, equal the input.
func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(20261123))
	t.Run("AEDAT4", func(t *testing.T) {
		var pkts []pkt
		var all []ev
		ts := int64(1600000000000000)
		for k := 0; k < 20; k++ {
			evs := make([]ev, rng.Intn(3000))
			for i := range evs {
				ts += int64(rng.Intn(50))
				evs[i] = ev{ts, int16(rng.Intn(640)), int16(rng.Intn(480)), rng.Intn(2) == 1}
			}
			pkts = append(pkts, evPkt(0, evs))
			all = append(all, evs...)
		}
		for _, c := range []Compression{CompressionNone, CompressionLZ4, CompressionZstd} {
			d, err := NewDecoder4(bytes.NewReader(buildAEDAT4(t, c, info4Test, pkts, true)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkEvents(t, drainRandom(t, rng, d), all)
		}
	})
	t.Run("AEDAT3.1", func(t *testing.T) {
		file := []byte(header31Test)
		var wantT []int64
		var wantX, wantY []uint16
		var wantP []int8
		over := int32(0)
		for k := 0; k < 20; k++ {
			over += int32(rng.Intn(2))
			evs := make([]pol31, rng.Intn(2000))
			for i := range evs {
				e := pol31{uint16(rng.Intn(32768)), uint16(rng.Intn(32768)), rng.Intn(2) == 1, rng.Intn(10) != 0, int32(rng.Int63n(1 << 31))}
				evs[i] = e
				if e.vald {
					wantT = append(wantT, int64(over)<<31|int64(e.ts))
					wantX, wantY = append(wantX, e.x), append(wantY, e.y)
					p := int8(0)
					if e.p {
						p = 1
					}
					wantP = append(wantP, p)
				}
			}
			file = append(file, polPacket31(over, evs)...)
		}
		d, err := NewDecoder31(bytes.NewReader(file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		b := drainRandom(t, rng, d)
		if !slices.Equal(b.T, wantT) || !slices.Equal(b.X, wantX) || !slices.Equal(b.Y, wantY) || !slices.Equal(b.P, wantP) {
			t.Errorf("round trip differs: %d events, want %d", b.Len(), len(wantT))
		}
	})
	t.Run("AEDAT2 DAVIS640", func(t *testing.T) {
		file := []byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis640\r\n")
		var wantT []int64
		var wantX, wantY []uint16
		var wantP []int8
		ts := int32(-1 << 31)
		for i := 0; i < 30000; i++ {
			x, y, p := uint32(rng.Intn(640)), uint32(rng.Intn(480)), uint32(rng.Intn(2))
			ts += int32(rng.Intn(100))
			file = append(file, rec2(davisAddr(x, y, p), ts)...)
			wantT = append(wantT, int64(ts))
			wantX, wantY, wantP = append(wantX, uint16(639-x)), append(wantY, uint16(y)), append(wantP, int8(p))
		}
		d, err := NewDecoder2(bytes.NewReader(file), Options{})
		if err != nil {
			t.Fatal(err)
		}
		b := drainRandom(t, rng, d)
		if !slices.Equal(b.T, wantT) || !slices.Equal(b.X, wantX) || !slices.Equal(b.Y, wantY) || !slices.Equal(b.P, wantP) {
			t.Errorf("round trip differs: %d events, want %d", b.Len(), len(wantT))
		}
	})
}

func drainRandom(t *testing.T, rng *rand.Rand, d events.Decoder) *events.Batch {
	t.Helper()
	b := &events.Batch{}
	for {
		_, err := d.Next(b, 1+rng.Intn(5000))
		if errors.Is(err, io.EOF) {
			return b
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
