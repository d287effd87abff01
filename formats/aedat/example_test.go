package aedat_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/aedat"
	"github.com/neurotab/neurotab/formats/events"
)

// An AEDAT 2.0 file from a DVS128: two header lines, then big-endian
// (address, timestamp) pairs. Address bit 0 is the polarity, bits 7-1 x
// (mirrored as jAER does: 127 - raw), bits 14-8 y.
func Example() {
	file := []byte("#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n")
	for _, e := range []struct{ x, y, p, t uint32 }{{0, 0, 1, 10}, {127, 5, 0, 25}} {
		file = binary.BigEndian.AppendUint32(file, e.y<<8|e.x<<1|e.p)
		file = binary.BigEndian.AppendUint32(file, e.t)
	}
	d, err := aedat.NewDecoder(bytes.NewReader(file), aedat.Options{DecodeOptions: events.DecodeOptions{Name: "dvs128.aedat"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := d.Geometry()
	fmt.Printf("%s %dx%d\n", g.Format, g.Width, g.Height)
	b := &events.Batch{}
	for {
		_, err := d.Next(b, 1024)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	for i := range b.T {
		fmt.Printf("t=%dµs x=%d y=%d p=%d\n", b.T[i], b.X[i], b.Y[i], b.P[i])
	}
	// Output:
	// aedat2 128x128
	// t=10µs x=127 y=0 p=1
	// t=25µs x=0 y=5 p=0
}

func ExampleSniff() {
	for _, h := range []string{"#!AER-DAT4.0\r\n", "#!AER-DAT3.1\r\n", "#!AER-DAT2.0\n", "% Data file"} {
		v, ok := aedat.Sniff([]byte(h))
		fmt.Printf("%q %v\n", v, ok)
	}
	// Output:
	// "4.0" true
	// "3.1" true
	// "2.0" true
	// "" false
}

// Bad input gives a one-line error naming the file and the byte offset; it
// wraps a neurotab sentinel (here neurotab.ErrTooLarge).
func ExampleNewDecoder4_error() {
	file := []byte("#!AER-DAT4.0\r\n\xff\xff\xff\x7f")
	_, err := aedat.NewDecoder4(bytes.NewReader(file), aedat.Options{DecodeOptions: events.DecodeOptions{Name: "bad.aedat4"}})
	fmt.Println(err)
	fmt.Println(errors.Is(err, neurotab.ErrTooLarge))
	// Output:
	// bad.aedat4: offset 14: too large: IOHeader length 2147483647 (limit 268435456, 0 bytes left)
	// true
}

// An AEDAT 3.1 polarity packet: 28-byte header, then 8-byte events whose
// data word holds x (bits 17-31), y (bits 2-16), polarity (bit 1) and the
// valid mark (bit 0); the packet's overflow counter supplies timestamp bits
// 31 and up.
func ExampleNewDecoder31() {
	file := []byte("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n")
	file = binary.LittleEndian.AppendUint16(file, 1) // eventType 1: polarity
	file = binary.LittleEndian.AppendUint16(file, 1) // eventSource 1
	for _, v := range []uint32{8, 4, 2, 1, 1, 1} {   // size, TS offset, overflow 2, capacity, number, valid
		file = binary.LittleEndian.AppendUint32(file, v)
	}
	file = binary.LittleEndian.AppendUint32(file, 10<<17|20<<2|1<<1|1) // x 10, y 20, ON, valid
	file = binary.LittleEndian.AppendUint32(file, 7)                   // timestamp 7 µs
	d, err := aedat.NewDecoder31(bytes.NewReader(file), aedat.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := events.ReadAll(d)
	fmt.Println(b.T, b.X, b.Y, b.P, err, d.Geometry().Width)
	// Output:
	// [4294967303] [10] [20] [1] <nil> 128
}
