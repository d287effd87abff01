package evt_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
)

func w32(ws ...uint32) []byte {
	var b []byte
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return b
}

func w16(ws ...uint16) []byte {
	var b []byte
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint16(b, w)
	}
	return b
}

// Hand-built EVT 2.0 words (layout in the Prophesee EVT 2.0 spec).
func cd2(p, lsb, x, y uint32) uint32 { return p<<28 | lsb<<22 | x<<11 | y }
func th2(h uint32) uint32            { return 0x8<<28 | h }

func readAll(t *testing.T, d events.Decoder, max int) (*events.Batch, error) {
	t.Helper()
	b := &events.Batch{}
	for {
		_, err := d.Next(b, max)
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

func TestEVT2Synthetic(t *testing.T) {
	hdr := []byte("% evt 2.0\n% geometry 640x480\n% end\n")
	cases := []struct {
		name    string
		body    []byte
		lenient bool
		want    []ev  // expected events, derived by hand from the bit layout
		dropped int64 // expected Stats.Dropped
		err     error // expected sentinel, nil for success
		off     int64 // expected error offset
	}{
		{name: "basic", body: w32(th2(10), cd2(1, 5, 3, 4), cd2(0, 63, 639, 479)),
			want: []ev{{10<<6 | 5, 3, 4, 1}, {10<<6 | 63, 639, 479, 0}}},
		{name: "before first time high dropped", body: w32(cd2(1, 1, 1, 1), th2(1), cd2(1, 2, 2, 2)),
			want: []ev{{64 + 2, 2, 2, 1}}, dropped: 1},
		// 34-bit timer loop: TIME_HIGH 2^28-1 then 0 continues at 2^34.
		{name: "timer loop", body: w32(th2(1<<28-1), cd2(1, 63, 0, 0), th2(0), cd2(0, 0, 1, 1)),
			want: []ev{{(1<<28-1)<<6 | 63, 0, 0, 1}, {1 << 34, 1, 1, 0}}},
		{name: "others skipped", body: w32(th2(0), 0xE<<28|5, 0xF<<28|7, cd2(1, 1, 1, 1)),
			want: []ev{{1, 1, 1, 1}}},
		{name: "trailing bytes", body: append(w32(th2(0), cd2(1, 1, 1, 1)), 0xAA, 0xBB),
			want: []ev{{1, 1, 1, 1}}, err: neurotab.ErrTruncated, off: int64(len(hdr)) + 8},
		{name: "reserved type", body: w32(th2(0), 0x3<<28), err: neurotab.ErrMalformed, off: int64(len(hdr)) + 4},
		{name: "event backwards", body: w32(th2(0), cd2(1, 9, 1, 1), cd2(1, 8, 1, 1)),
			want: []ev{{9, 1, 1, 1}}, err: neurotab.ErrTimeOrder, off: int64(len(hdr)) + 8},
		{name: "time high backwards", body: w32(th2(100), th2(99)), err: neurotab.ErrTimeOrder, off: int64(len(hdr)) + 4},
		{name: "outside sensor", body: w32(th2(0), cd2(1, 0, 640, 0)), err: neurotab.ErrOutOfRange, off: int64(len(hdr)) + 4},
		{name: "lenient", lenient: true, body: append(w32(th2(0), cd2(1, 9, 1, 1), cd2(1, 8, 1, 1), 0x3<<28, th2(0), cd2(1, 0, 700, 0), cd2(0, 10, 2, 2)), 1),
			want: []ev{{9, 1, 1, 1}, {10, 2, 2, 0}}, dropped: 3}, // 2 faulty CD words and the trailing byte
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := evt.NewDecoder2(bytes.NewReader(append(append([]byte{}, hdr...), c.body...)), evt.Options{DecodeOptions: events.DecodeOptions{Name: "x.raw", Lenient: c.lenient}})
			if err != nil {
				t.Fatal(err)
			}
			b, err := readAll(t, d, 1)
			checkErr(t, err, c.err, c.off)
			checkEvents(t, b, c.want)
			if d.Stats().Dropped != c.dropped {
				t.Errorf("dropped %d, want %d", d.Stats().Dropped, c.dropped)
			}
		})
	}
}

func checkErr(t *testing.T, err, want error, off int64) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	var e *events.Error
	if !errors.Is(err, want) || !errors.As(err, &e) {
		t.Fatalf("error %v, want %v", err, want)
	}
	if e.Offset != off || e.File == "" {
		t.Errorf("error %q at offset %d, want offset %d", err, e.Offset, off)
	}
	if bytes.ContainsRune([]byte(err.Error()), '\n') {
		t.Errorf("error is not one line: %q", err)
	}
}

func checkEvents(t *testing.T, b *events.Batch, want []ev) {
	t.Helper()
	if b.Len() != len(want) {
		t.Fatalf("%d events %v, want %d %v", b.Len(), b, len(want), want)
	}
	for i, e := range want {
		if at(b, i) != e {
			t.Errorf("event %d = %+v, want %+v", i, at(b, i), e)
		}
	}
}

// Hand-built EVT 3.0 words (layout in the Prophesee EVT 3.0 spec).
func y3(y uint16) uint16        { return y }
func x3(p, x uint16) uint16     { return 0x2<<12 | p<<11 | x }
func base3(p, x uint16) uint16  { return 0x3<<12 | p<<11 | x }
func v12(m uint16) uint16       { return 0x4<<12 | m }
func v8(m uint16) uint16        { return 0x5<<12 | m }
func lo3(l uint16) uint16       { return 0x6<<12 | l }
func hi3(h uint16) uint16       { return 0x8<<12 | h }
func trig3(id, v uint16) uint16 { return 0xA<<12 | id<<8 | v }

func TestEVT3Synthetic(t *testing.T) {
	hdr := []byte("% evt 3.0\n% format EVT3;height=720;width=1280\n% end\n")
	h := int64(len(hdr))
	cases := []struct {
		name    string
		body    []byte
		lenient bool
		want    []ev
		dropped int64
		err     error
		off     int64
	}{
		{name: "addr", body: w16(hi3(1), lo3(2), y3(7), x3(1, 5), x3(0, 6)),
			want: []ev{{1<<12 | 2, 5, 7, 1}, {1<<12 | 2, 6, 7, 0}}},
		// VECT_12 mask 0b100000000101 at base 100: x = 100, 102, 111; then base 112;
		// VECT_8 mask 0b10000001: x = 112, 119.
		{name: "vectors", body: w16(hi3(0), lo3(0), y3(3), base3(1, 100), v12(0x805), v8(0x81)),
			want: []ev{{0, 100, 3, 1}, {0, 102, 3, 1}, {0, 111, 3, 1}, {0, 112, 3, 1}, {0, 119, 3, 1}}},
		// low-time rollover 4095 → TIME_HIGH+1, TIME_LOW 0: continuous 4095 → 4096.
		{name: "low rollover", body: w16(hi3(0), lo3(4095), y3(0), x3(1, 1), hi3(1), lo3(0), x3(1, 2)),
			want: []ev{{4095, 1, 0, 1}, {4096, 2, 0, 1}}},
		// A repeated TIME_HIGH with the same value keeps the low bits.
		{name: "repeated high", body: w16(hi3(5), lo3(7), y3(0), hi3(5), x3(1, 1)),
			want: []ev{{5<<12 | 7, 1, 0, 1}}},
		// 24-bit timer loop: TIME_HIGH 4095 → 0 continues at 2^24.
		{name: "timer loop", body: w16(hi3(4095), lo3(4095), y3(0), x3(1, 1), hi3(0), lo3(0), x3(1, 2), lo3(1), x3(0, 3)),
			want: []ev{{1<<24 - 1, 1, 0, 1}, {1 << 24, 2, 0, 1}, {1<<24 + 1, 3, 0, 0}}},
		{name: "before time and row dropped", body: w16(y3(1), x3(1, 1), hi3(0), x3(1, 2), lo3(1)),
			want: []ev{{0, 2, 1, 1}}, dropped: 1},
		{name: "triggers and others skipped", body: w16(hi3(0), y3(0), trig3(1, 1), 0xE<<12, 0x7<<12, 0xF<<12, x3(1, 9)),
			want: []ev{{0, 9, 0, 1}}},
		{name: "trailing byte", body: append(w16(hi3(0), y3(0), x3(1, 1)), 9),
			want: []ev{{0, 1, 0, 1}}, err: neurotab.ErrTruncated, off: h + 6},
		{name: "reserved type", body: w16(hi3(0), 0x1<<12), err: neurotab.ErrMalformed, off: h + 2},
		{name: "time backwards", body: w16(hi3(0), lo3(9), y3(0), x3(1, 1), lo3(8), x3(1, 1)),
			want: []ev{{9, 1, 0, 1}}, err: neurotab.ErrTimeOrder, off: h + 10},
		{name: "high backwards", body: w16(hi3(100), hi3(99)), err: neurotab.ErrTimeOrder, off: h + 2},
		{name: "row outside", body: w16(hi3(0), y3(720)), err: neurotab.ErrOutOfRange, off: h + 2},
		{name: "vector outside", body: w16(hi3(0), y3(0), base3(0, 1270), v12(0x800)), err: neurotab.ErrOutOfRange, off: h + 6},
		{name: "lenient", lenient: true, body: w16(hi3(0), lo3(9), y3(0), x3(1, 1), lo3(8), x3(1, 1), 0x1<<12, base3(0, 1270), v12(0x801), lo3(10), x3(0, 4)),
			want: []ev{{9, 1, 0, 1}, {10, 4, 0, 0}}, dropped: 3},
	}
	for _, c := range cases {
		for _, max := range []int{1, 5, 1 << 16} {
			t.Run(c.name, func(t *testing.T) {
				var trig []int64
				d, err := evt.NewDecoder3(bytes.NewReader(append(append([]byte{}, hdr...), c.body...)),
					evt.Options{DecodeOptions: events.DecodeOptions{Name: "x.raw", Lenient: c.lenient}, Trigger: func(t int64, id, v uint8) { trig = append(trig, t, int64(id), int64(v)) }})
				if err != nil {
					t.Fatal(err)
				}
				b, err := readAll(t, d, max)
				checkErr(t, err, c.err, c.off)
				checkEvents(t, b, c.want)
				if d.Stats().Dropped != c.dropped {
					t.Errorf("dropped %d, want %d", d.Stats().Dropped, c.dropped)
				}
				if c.name == "triggers and others skipped" && (len(trig) != 3 || trig[1] != 1 || trig[2] != 1 || d.Stats().Skipped != 4 || d.Stats().Triggers != 1) {
					t.Errorf("triggers %v, stats %+v", trig, d.Stats())
				}
			})
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	cases := []struct {
		name string
		in   string
		err  error
	}{
		{"unterminated header line", "% evt 2.0", neurotab.ErrTruncated},
		{"evt3 header to evt2 decoder", "% evt 3.0\n", neurotab.ErrMalformed},
		{"evt 2.1", "% evt 2.1\n", neurotab.ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := evt.NewDecoder2(bytes.NewReader([]byte(c.in)), evt.Options{DecodeOptions: events.DecodeOptions{Name: "h.raw"}})
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
		})
	}
}
