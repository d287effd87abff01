package events_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// u16Decoder is a toy format on the shared fill loop: each little-endian
// uint16 word is an event at t = the word.
type u16Decoder struct{ rd *events.WordReader }

func (d *u16Decoder) decode(b *events.Batch, room int) (int, error) {
	buf := d.rd.Buf[d.rd.Pos:d.rd.End]
	k := 0
	for ; k < room && 2*k+2 <= len(buf); k++ {
		b.Append(int64(binary.LittleEndian.Uint16(buf[2*k:])), 0, 0, 1)
	}
	d.rd.Pos += 2 * k
	return k, nil
}

// A format of fixed-size words supplies only the function that decodes
// buffered words; WordReader.Next does the reading, the end of the input
// and the truncated last word.
func ExampleWordReader() {
	file := []byte{5, 0, 7, 0, 9} // words 5 and 7, then half a word
	d := &u16Decoder{}
	d.rd = events.NewWordReader(bytes.NewReader(file), nil, 0, 2, "16-bit word", events.DecodeOptions{Name: "toy.bin"})
	b := &events.Batch{}
	n, err := d.rd.Next(b, 100, d.decode)
	fmt.Println(n, b.T, err, errors.Is(err, neurotab.ErrTruncated))
	fmt.Printf("%+v\n", d.rd.Stats)
	// Output:
	// 2 [5 7] toy.bin: offset 4: truncated: 1 trailing byte, not a whole 16-bit word true
	// {Events:2 Dropped:0 Skipped:0 Triggers:0 DroppedPackets:0}
}
