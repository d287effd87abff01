package aedat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// decodeAll drains d with batches of at most max events.
func decodeAll(t testing.TB, d events.Decoder, max int) (*events.Batch, error) {
	t.Helper()
	b := &events.Batch{}
	for {
		n, err := d.Next(b, max)
		if n > max || n < 0 {
			t.Fatalf("Next returned %d events for max %d", n, max)
		}
		if len(b.X) != len(b.T) || len(b.Y) != len(b.T) || len(b.P) != len(b.T) {
			t.Fatalf("batch columns of unequal length %d %d %d %d", len(b.T), len(b.X), len(b.Y), len(b.P))
		}
		if err == io.EOF {
			if n != 0 {
				t.Fatalf("io.EOF with %d events", n)
			}
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if n == 0 {
			t.Fatal("Next returned 0 events and no error")
		}
	}
}

func TestDecoder4Fixture(t *testing.T) {
	path := fixtures.Path(t, "tonic", "sample.aedat4")
	for _, max := range []int{1, 7, 4096, 1 << 20} {
		t.Run(fmt.Sprintf("max=%d", max), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			d, err := NewDecoder4(f, Options{DecodeOptions: events.DecodeOptions{Name: "sample.aedat4"}})
			if err != nil {
				t.Fatal(err)
			}
			// Header facts from SOURCE.md: IOHeader length 2316, LZ4,
			// file_data_position 945243.
			h := d.Header()
			if h.Compression != CompressionLZ4 || h.DataTablePosition != 945243 || h.DataStart != 14+4+2316 {
				t.Errorf("header = %v, %d, %d; want LZ4, 945243, %d", h.Compression, h.DataTablePosition, h.DataStart, 14+4+2316)
			}
			// SOURCE.md: EVTS sizeX 320 sizeY 240.
			if g := d.Geometry(); g != (events.Geometry{Width: 320, Height: 240, Format: "aedat4"}) {
				t.Errorf("geometry = %+v", g)
			}
			b, err := decodeAll(t, d, max)
			if err != nil {
				t.Fatal(err)
			}
			// SOURCE.md: 111954 events.
			if b.Len() != 111954 {
				t.Fatalf("%d events, want 111954", b.Len())
			}
			// SOURCE.md: first 5 (t, x, y, on) and last.
			want := []struct {
				i    int
				t    int64
				x, y uint16
				p    int8
			}{
				{0, 1605537493718345, 154, 204, 0},
				{1, 1605537493718348, 149, 206, 0},
				{2, 1605537493718349, 148, 199, 1},
				{3, 1605537493718354, 139, 30, 0},
				{4, 1605537493718360, 130, 181, 1},
				{111953, 1605537494308262, 88, 237, 1},
			}
			for _, w := range want {
				if b.T[w.i] != w.t || b.X[w.i] != w.x || b.Y[w.i] != w.y || b.P[w.i] != w.p {
					t.Errorf("event %d = (%d,%d,%d,%d), want (%d,%d,%d,%d)", w.i, b.T[w.i], b.X[w.i], b.Y[w.i], b.P[w.i], w.t, w.x, w.y, w.p)
				}
			}
			// SOURCE.md: x max 319, y max 239, ON count 55023, monotonic.
			on := 0
			for i := range b.T {
				on += int(b.P[i])
				if i > 0 && b.T[i] < b.T[i-1] {
					t.Fatalf("timestamp %d at %d below its predecessor %d", b.T[i], i, b.T[i-1])
				}
			}
			if mx, my := slices.Max(b.X), slices.Max(b.Y); mx != 319 || my != 239 {
				t.Errorf("max x, y = %d, %d; want 319, 239", mx, my)
			}
			if on != 55023 {
				t.Errorf("ON count %d, want 55023", on)
			}
			// SOURCE.md: 59 EVTS packets (stream 0), 59 IMUS packets with
			// 475 samples (stream 2), no TRIG packets (stream 3); tsOffset.
			got := d.Streams()
			wantS := []Stream{
				{ID: 0, Type: "EVTS", Name: "events", Source: "DVXplorer_DXB00010", Width: 320, Height: 240, TSOffset: 1605507430438338, Packets: 59, Elements: 111954},
				{ID: 2, Type: "IMUS", Name: "imu", Source: "DVXplorer_DXB00010", TSOffset: 1605507430438338, Packets: 59, Elements: 475},
				{ID: 3, Type: "TRIG", Name: "triggers", Source: "DVXplorer_DXB00010", TSOffset: 1605507430438338},
			}
			if !slices.Equal(got, wantS) {
				t.Errorf("streams\n got %+v\nwant %+v", got, wantS)
			}
			// SOURCE.md: FTAB with 118 entries; its numElements for stream 0
			// sum to the event count.
			tab, ok := d.DataTable()
			if !ok || len(tab) != 118 {
				t.Fatalf("data table: %d entries, %v; want 118", len(tab), ok)
			}
			var sum int64
			for _, e := range tab {
				if e.StreamID == 0 {
					sum += e.NumElements
				}
			}
			if sum != 111954 {
				t.Errorf("data table events %d, want 111954", sum)
			}
			// ByteOffset points at the first packet's body, after its
			// 8-byte header (observed in this DV-written file).
			if tab[0].ByteOffset != h.DataStart+8 {
				t.Errorf("first table entry at %d, want the first packet body at %d", tab[0].ByteOffset, h.DataStart+8)
			}
			// The table's time span of the event packets matches the
			// decoded first and last timestamps (two independent records).
			var firstEv, lastEv *DataTableEntry
			for i := range tab {
				if tab[i].StreamID == 0 {
					if firstEv == nil {
						firstEv = &tab[i]
					}
					lastEv = &tab[i]
				}
			}
			if firstEv.TimestampStart != b.T[0] || lastEv.TimestampEnd != b.T[b.Len()-1] {
				t.Errorf("table spans %d … %d, events %d … %d", firstEv.TimestampStart, lastEv.TimestampEnd, b.T[0], b.T[b.Len()-1])
			}
			// ReadDataTable4 reads the same table without the packets.
			st, _ := f.Stat()
			h2, tab2, err := ReadDataTable4(f, st.Size(), Options{DecodeOptions: events.DecodeOptions{Name: "sample.aedat4"}})
			if err != nil || !slices.Equal(tab2, tab) || h2 != h {
				t.Errorf("ReadDataTable4: %d entries, %v, header equal %v", len(tab2), err, h2 == h)
			}
			if s := d.Stats(); s != (events.Stats{Events: 111954}) {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// TestDecoder4HandBytes decodes a minimal file written byte by byte from the
// AEDAT 4.0 layout and the IOHeader / events.fbs schemas.
func TestDecoder4HandBytes(t *testing.T) {
	file := []byte("#!AER-DAT4.0\r\n") // offsets 0-13
	file = append(file,
		0x2D, 0x00, 0x00, 0x00, // IOHeader length 45 (offset 14)
		// IOHeader FlatBuffer, offsets 18-62
		0x14, 0x00, 0x00, 0x00, // root table at +20
		'I', 'O', 'H', 'E', // file identifier
		0x0A, 0x00, 0x14, 0x00, // vtable: 10 bytes, table 20 bytes
		0x04, 0x00, 0x08, 0x00, 0x10, 0x00, // compression @+4, dataTablePosition @+8, infoNode @+16
		0x00, 0x00, // padding
		0x0C, 0x00, 0x00, 0x00, // table: soffset 12 → vtable at +8
		0x00, 0x00, 0x00, 0x00, // compression NONE
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // dataTablePosition -1
		0x04, 0x00, 0x00, 0x00, // infoNode → 4 bytes on
		0x00, 0x00, 0x00, 0x00, 0x00, // empty string and its NUL
		// packet header at offset 63: stream 0, 48 bytes
		0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00,
		0x2C, 0x00, 0x00, 0x00, // size prefix 44
		0x10, 0x00, 0x00, 0x00, 'E', 'V', 'T', 'S', // root at +16, identifier
		0x06, 0x00, 0x08, 0x00, 0x04, 0x00, 0x00, 0x00, // vtable: 6 bytes, table 8, elements @+4, pad
		0x08, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, // table: soffset 8; elements → +4
		0x01, 0x00, 0x00, 0x00, // 1 event
		0xE8, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // timestamp 1000 µs
		0x05, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, // x 5, y 7, polarity true, padding
	)
	// The test encoder must write exactly these bytes.
	if built := buildAEDAT4(t, CompressionNone, "", []pkt{evPkt(0, []ev{{1000, 5, 7, true}})}, false); !bytes.Equal(built, file) {
		t.Fatalf("encoder output differs from the hand-written bytes:\n% x\n% x", built, file)
	}
	d, err := NewDecoder4(bytes.NewReader(file), Options{DecodeOptions: events.DecodeOptions{Name: "hand.aedat4"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeAll(t, d, 10)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 1 || b.T[0] != 1000 || b.X[0] != 5 || b.Y[0] != 7 || b.P[0] != 1 {
		t.Fatalf("got %+v, want one event (1000, 5, 7, 1)", *b)
	}
	// Undeclared stream: type unknown, found EVTS by its packet identifier.
	if s := d.Streams(); !slices.Equal(s, []Stream{{ID: 0, Packets: 1, Elements: 1}}) {
		t.Errorf("streams %+v", s)
	}
	if _, ok := d.DataTable(); ok {
		t.Error("a data table reported for dataTablePosition -1")
	}
}

// roundTripPackets is a file with every stream type and known content.
func roundTripPackets() ([]pkt, []ev) {
	a := []ev{{1000, 0, 0, true}, {1001, 639, 479, false}, {1001, 320, 240, true}}
	b := []ev{{2000, 1, 2, false}, {1 << 40, 32767, 3, true}}
	frame := pkt{stream: 1, raw: []byte("not opened: frames are counted only"), n: 1, t0: 1500, t1: 1500}
	imu := pkt{stream: 2, raw: sizePrefixed(countPacketFB("IMUS", 4, 56)), n: 4}
	trig := pkt{stream: 3, raw: sizePrefixed(countPacketFB("TRIG", 1, 16)), n: 1}
	return []pkt{evPkt(0, a), imu, frame, evPkt(0, b), trig, evPkt(0, nil)}, append(a, b...)
}

func TestDecoder4RoundTrip(t *testing.T) {
	pkts, want := roundTripPackets()
	for _, c := range []Compression{CompressionNone, CompressionLZ4, CompressionLZ4High, CompressionZstd, CompressionZstdHigh} {
		for _, withTable := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/table=%v", c, withTable), func(t *testing.T) {
				file := buildAEDAT4(t, c, info4Test, pkts, withTable)
				// An unsized reader too: the decoder must not need the size.
				for _, r := range []io.Reader{bytes.NewReader(file), io.MultiReader(bytes.NewReader(file))} {
					d, err := NewDecoder4(r, Options{DecodeOptions: events.DecodeOptions{Name: "rt.aedat4"}})
					if err != nil {
						t.Fatal(err)
					}
					if g := d.Geometry(); g.Width != 640 || g.Height != 480 {
						t.Errorf("geometry %+v, want 640 x 480 from the info node", g)
					}
					b, err := decodeAll(t, d, 2)
					if err != nil {
						t.Fatal(err)
					}
					checkEvents(t, b, want)
					wantS := []Stream{
						{ID: 0, Type: "EVTS", Name: "events", Source: "TestCam", Width: 640, Height: 480, TSOffset: 42, Packets: 3, Elements: 5},
						{ID: 1, Type: "FRME", Packets: 1, Elements: 1},
						{ID: 2, Type: "IMUS", Packets: 1, Elements: 4},
						{ID: 3, Type: "TRIG", Packets: 1, Elements: 1},
					}
					if s := d.Streams(); !slices.Equal(s, wantS) {
						t.Errorf("streams\n got %+v\nwant %+v", s, wantS)
					}
					tab, ok := d.DataTable()
					if ok != withTable {
						t.Fatalf("data table present = %v, want %v", ok, withTable)
					}
					if withTable {
						if len(tab) != len(pkts) {
							t.Fatalf("%d table entries, want %d", len(tab), len(pkts))
						}
						// Entry 3 is the second event packet: 2 events, 2000 … 2^40 µs.
						if e := tab[3]; e.StreamID != 0 || e.NumElements != 2 || e.TimestampStart != 2000 || e.TimestampEnd != 1<<40 {
							t.Errorf("table entry 3 = %+v", e)
						}
						if tab[0].ByteOffset != d.Header().DataStart+8 {
							t.Errorf("entry 0 at %d, first packet at %d", tab[0].ByteOffset, d.Header().DataStart)
						}
					}
				}
			})
		}
	}
}

func checkEvents(t *testing.T, b *events.Batch, want []ev) {
	t.Helper()
	if b.Len() != len(want) {
		t.Fatalf("%d events, want %d", b.Len(), len(want))
	}
	for i, w := range want {
		var p int8
		if w.p {
			p = 1
		}
		if b.T[i] != w.t || b.X[i] != uint16(w.x) || b.Y[i] != uint16(w.y) || b.P[i] != p {
			t.Errorf("event %d = (%d,%d,%d,%d), want %+v", i, b.T[i], b.X[i], b.Y[i], b.P[i], w)
		}
	}
}

// checkDecodeError asserts a one-line *events.Error with the cause, the file
// name and the byte offset.
func checkDecodeError(t *testing.T, err error, name string, cause error, off int64) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v at offset %d", cause, off)
	}
	var fe *events.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *events.Error", err, err)
	}
	if !errors.Is(err, cause) {
		t.Errorf("error %q does not wrap %v", err, cause)
	}
	prefix := fmt.Sprintf("%s: offset %d: ", name, off)
	if !strings.HasPrefix(err.Error(), prefix) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q: want one line starting %q", err, prefix)
	}
}

func TestDecoder4Errors(t *testing.T) {
	pkts, all := roundTripPackets()
	hdrLen := int64(len(ioHeaderFB(0, 0, info4Test)))
	first := 18 + hdrLen // first packet header
	evBody := first + 8  // its body: size prefix, then the FlatBuffer
	plain := buildAEDAT4(t, CompressionNone, info4Test, pkts, true)
	noTable := buildAEDAT4(t, CompressionNone, info4Test, pkts, false)
	lz := buildAEDAT4(t, CompressionLZ4, info4Test, pkts, false)
	tablePos := int64(binary.LittleEndian.Uint64(plain[18+28:]))
	patch := func(src []byte, off int64, b ...byte) []byte {
		out := bytes.Clone(src)
		copy(out[off:], b)
		return out
	}
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	// Packets 0 and 1: events (3) then IMU; the LZ4 file's first body.
	lzFirstSize := int64(binary.LittleEndian.Uint32(lz[first+4:]))
	// A packet of 1000 equal events: 16 kB decompressed, tiny compressed.
	many := make([]ev, 1000)
	bomb := buildAEDAT4(t, CompressionLZ4, "", []pkt{evPkt(0, many)}, false)
	zbomb := buildAEDAT4(t, CompressionZstd, "", []pkt{evPkt(0, many)}, false)
	bombLimit := 2048
	hl := int64(len(ioHeaderFB(0, 0, "")))

	cases := []struct {
		name     string
		file     []byte
		unsized  bool
		limit    int
		cause    error
		off      int64
		lenient  bool // recoverable: Lenient decodes without error
		lenEv    int  // events then
		lenStats events.Stats
	}{
		{name: "empty", file: nil, cause: neurotab.ErrMalformed, off: 0},
		{name: "wrong version line", file: patch(plain, 11, '1'), cause: neurotab.ErrMalformed, off: 0},
		{name: "truncated IOHeader", file: plain[:30], cause: neurotab.ErrTooLarge, off: 14},
		{name: "truncated IOHeader, unsized reader", file: plain[:30], unsized: true, cause: neurotab.ErrTruncated, off: 30},
		{name: "IOHeader length 3", file: patch(plain, 14, 3, 0, 0, 0), cause: neurotab.ErrMalformed, off: 14},
		{name: "IOHeader length 2^31-1", file: patch(plain, 14, 0xFF, 0xFF, 0xFF, 0x7F), cause: neurotab.ErrTooLarge, off: 14},
		{name: "IOHeader identifier", file: patch(plain, 22, 'X'), cause: neurotab.ErrMalformed, off: 22},
		{name: "IOHeader root offset outside", file: patch(plain, 18, 0xFF, 0xFF, 0, 0), cause: neurotab.ErrMalformed, off: 18 + hdrLen},
		{name: "compression code 9", file: patch(plain, 18+24, 9), cause: neurotab.ErrUnsupported, off: 18},
		{name: "data table before the packets", file: patch(plain, 18+28, 5, 0, 0, 0, 0, 0, 0, 0), cause: neurotab.ErrMalformed, off: 18},
		{name: "packet size beyond the file", file: patch(noTable, first+4, u32(uint32(len(noTable)))...), cause: neurotab.ErrTooLarge, off: first,
			lenient: true, lenEv: 0, lenStats: events.Stats{DroppedPackets: 1}},
		{name: "packet size beyond the limit", file: patch(noTable, first+4, u32(1<<30)...), cause: neurotab.ErrTooLarge, off: first},
		{name: "negative packet size", file: patch(noTable, first+4, u32(0xFFFFFFF0)...), cause: neurotab.ErrTooLarge, off: first},
		{name: "truncated packet body, unsized reader", file: noTable[:evBody+20], unsized: true, cause: neurotab.ErrTruncated, off: evBody + 20,
			lenient: true, lenEv: 0, lenStats: events.Stats{DroppedPackets: 1}},
		{name: "truncated packet header", file: noTable[:first+5], cause: neurotab.ErrTruncated, off: first,
			lenient: true, lenEv: 0, lenStats: events.Stats{DroppedPackets: 1}},
		{name: "vector count 2^30", file: patch(noTable, evBody+4+24, u32(1<<30)...), cause: neurotab.ErrMalformed, off: first,
			lenient: true, lenEv: 2, lenStats: events.Stats{Events: 2, DroppedPackets: 1}},
		{name: "size prefix beyond packet", file: patch(noTable, evBody, u32(1<<20)...), cause: neurotab.ErrMalformed, off: first,
			lenient: true, lenEv: 2, lenStats: events.Stats{Events: 2, DroppedPackets: 1}},
		{name: "wrong identifier for EVTS stream", file: patch(noTable, evBody+8, 'I', 'M', 'U', 'S'), cause: neurotab.ErrMalformed, off: first,
			lenient: true, lenEv: 2, lenStats: events.Stats{Events: 2, DroppedPackets: 1}},
		{name: "negative x", file: patch(noTable, evBody+4+28+8, 0xFF, 0xFF), cause: neurotab.ErrMalformed, off: first,
			lenient: true, lenEv: 4, lenStats: events.Stats{Events: 4, Dropped: 1}},
		{name: "corrupt LZ4 body", file: patch(lz, first+8+lzFirstSize/2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), cause: neurotab.ErrMalformed, off: first,
			lenient: true, lenEv: 2, lenStats: events.Stats{Events: 2, DroppedPackets: 1}},
		{name: "LZ4 decompressed size bound", file: bomb, limit: bombLimit, cause: neurotab.ErrTooLarge, off: 18 + hl,
			lenient: true, lenEv: 0, lenStats: events.Stats{DroppedPackets: 1}},
		{name: "zstd decompressed size bound", file: zbomb, limit: bombLimit, cause: neurotab.ErrTooLarge, off: 18 + hl,
			lenient: true, lenEv: 0, lenStats: events.Stats{DroppedPackets: 1}},
		{name: "packet overlaps the data table", file: patch(plain, tablePos-int64(len(pkts[5].raw))-4, u32(uint32(len(pkts[5].raw)+4))...), cause: neurotab.ErrMalformed, off: tablePos - int64(len(pkts[5].raw)) - 8,
			lenient: true, lenEv: 5, lenStats: events.Stats{Events: 5, DroppedPackets: 1}},
		{name: "file ends at the data table", file: plain[:tablePos], cause: neurotab.ErrTruncated, off: tablePos,
			lenient: true, lenEv: 5, lenStats: events.Stats{Events: 5}},
		{name: "corrupt data table", file: patch(plain, tablePos+8, 'X'), cause: neurotab.ErrMalformed, off: tablePos,
			lenient: true, lenEv: 5, lenStats: events.Stats{Events: 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, lenient := range []bool{false, true} {
				var r io.Reader = bytes.NewReader(tc.file)
				if tc.unsized {
					r = io.MultiReader(r)
				}
				opts := Options{DecodeOptions: events.DecodeOptions{Name: "bad.aedat4", Lenient: lenient, MaxBytes: tc.limit}}
				d, err := NewDecoder4(r, opts)
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
				checkDecodeError(t, err, "bad.aedat4", tc.cause, tc.off)
			}
		})
	}
	_ = all
}

func TestReadDataTable4(t *testing.T) {
	pkts, _ := roundTripPackets()
	withTab := buildAEDAT4(t, CompressionZstd, info4Test, pkts, true)
	noTab := buildAEDAT4(t, CompressionZstd, info4Test, pkts, false)
	tablePos := int64(binary.LittleEndian.Uint64(withTab[18+28:]))
	cases := []struct {
		name    string
		file    []byte
		entries int
		cause   error
		off     int64
	}{
		{"table", withTab, len(pkts), nil, 0},
		{"no table", noTab, 0, nil, 0},
		{"table cut off", withTab[:tablePos], 0, neurotab.ErrTruncated, tablePos},
		{"not AEDAT", []byte("#!AER-DAT2.0\r\n"), 0, neurotab.ErrMalformed, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, tab, err := ReadDataTable4(bytes.NewReader(tc.file), int64(len(tc.file)), Options{DecodeOptions: events.DecodeOptions{Name: "t.aedat4"}})
			if tc.cause != nil {
				checkDecodeError(t, err, "t.aedat4", tc.cause, tc.off)
				return
			}
			if err != nil || len(tab) != tc.entries || h.Compression != CompressionZstd {
				t.Fatalf("%d entries, %v, %v; want %d", len(tab), err, h.Compression, tc.entries)
			}
			for i, e := range tab {
				if e.NumElements != pkts[i].n || e.StreamID != pkts[i].stream {
					t.Errorf("entry %d = %+v, want stream %d, %d elements", i, e, pkts[i].stream, pkts[i].n)
				}
			}
		})
	}
}
