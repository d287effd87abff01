package events

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/neurotab/neurotab"
)

// u32Decoder is the smallest format on a WordReader: each little-endian
// uint32 word is one event at t = the word; a word of 0xFFFFFFFF is a fault.
type u32Decoder struct{ rd *WordReader }

func (d *u32Decoder) decode(b *Batch, room int) (int, error) {
	k, i := 0, 0
	buf := d.rd.Buf[d.rd.Pos:d.rd.End]
	for ; k < room && i+4 <= len(buf); i += 4 {
		w := binary.LittleEndian.Uint32(buf[i:])
		if w == 0xFFFFFFFF {
			if d.rd.opt.Lenient {
				d.rd.Stats.Dropped++
				continue
			}
			err := Errorf(d.rd.opt.Name, d.rd.Offset(i), neurotab.ErrOutOfRange, "word 0x%08X", w)
			d.rd.Pos += i
			return k, err
		}
		b.Append(int64(w), 0, 0, 1)
		k++
	}
	d.rd.Pos += i
	return k, nil
}

func words(ws ...uint32) []byte {
	var b []byte
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return b
}

// TestWordReader checks the shared fill loop: words split across refills
// and one-byte reads come out whole and in order; the bytes read before it
// (rest) come first and offsets count from off; a partial last word is
// ErrTruncated at its offset, or one dropped event under Lenient; faults
// are sticky.
func TestWordReader(t *testing.T) {
	var many []uint32
	for i := range 5000 {
		many = append(many, uint32(i))
	}
	cases := []struct {
		name    string
		rest    []byte
		body    []byte
		lenient bool
		want    []int64
		err     error
		off     int64 // offset of the fault, counted from off = 100
		dropped int64
	}{
		{name: "empty", want: nil},
		{name: "rest only", rest: words(7, 8), want: []int64{7, 8}},
		{name: "rest then body, a word split between them", rest: words(7)[:2], body: append(words(7)[2:], words(9)...), want: []int64{7, 9}},
		{name: "many words across refills", body: words(many...), want: func() []int64 {
			var w []int64
			for _, v := range many {
				w = append(w, int64(v))
			}
			return w
		}()},
		{name: "partial last word", body: append(words(1, 2), 0xAA), want: []int64{1, 2}, err: neurotab.ErrTruncated, off: 108},
		{name: "partial last word, lenient", lenient: true, body: append(words(1, 2), 0xAA), want: []int64{1, 2}, dropped: 1},
		{name: "fault", rest: words(3), body: words(4, 0xFFFFFFFF, 5), want: []int64{3, 4}, err: neurotab.ErrOutOfRange, off: 108},
		{name: "fault, lenient", lenient: true, body: words(4, 0xFFFFFFFF, 5), want: []int64{4, 5}, dropped: 1},
	}
	for _, c := range cases {
		for _, one := range []bool{false, true} {
			for _, max := range []int{1, 3, 1 << 16} {
				t.Run(c.name, func(t *testing.T) {
					r := io.Reader(bytes.NewReader(c.body))
					if one {
						r = iotest.OneByteReader(r)
					}
					d := &u32Decoder{}
					d.rd = NewWordReader(r, c.rest, 100, 4, "32-bit word", DecodeOptions{Name: "w.bin", Lenient: c.lenient, BufferSize: 4096})
					b := &Batch{}
					var err error
					for {
						var n int
						n, err = d.rd.Next(b, max, d.decode)
						if n > max {
							t.Fatalf("Next returned %d > max %d", n, max)
						}
						if err != nil {
							break
						}
					}
					if c.err == nil && err != io.EOF || c.err != nil && !errors.Is(err, c.err) {
						t.Fatalf("error %v, want %v", err, c.err)
					}
					var e *Error
					if c.err != nil && (!errors.As(err, &e) || e.Offset != c.off || e.File != "w.bin") {
						t.Errorf("error %#v, want offset %d in w.bin", err, c.off)
					}
					if _, again := d.rd.Next(b, max, d.decode); again != err {
						t.Errorf("error not sticky: %v then %v", err, again)
					}
					if len(b.T) != len(c.want) || (len(c.want) > 0 && !equalInts(b.T, c.want)) {
						t.Errorf("decoded %v, want %v", head(b.T), head(c.want))
					}
					if st := d.rd.Stats; st.Events != int64(len(c.want)) || st.Dropped != c.dropped {
						t.Errorf("Stats %+v, want Events %d Dropped %d", st, len(c.want), c.dropped)
					}
				})
			}
		}
	}
}

func equalInts(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func head(v []int64) []int64 { return v[:min(len(v), 8)] }

// TestWordReaderReadError: an input error comes back as an *Error naming
// the file, wrapping the cause.
func TestWordReaderReadError(t *testing.T) {
	cause := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(words(1, 2)), iotest.ErrReader(cause))
	d := &u32Decoder{}
	d.rd = NewWordReader(r, nil, 0, 4, "32-bit word", DecodeOptions{Name: "w.bin"})
	b := &Batch{}
	_, err := d.rd.Next(b, 100, d.decode)
	var e *Error
	if !errors.Is(err, cause) || !errors.As(err, &e) || e.File != "w.bin" || e.Offset != 8 {
		t.Fatalf("error %v, want the cause at offset 8 of w.bin", err)
	}
}
