package aedat

// Hand-written encoders for the three formats, used to build test files
// whose every byte is known. They follow the same specifications as the
// decoders (see doc.go) but share no code with them.

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

type ev struct {
	t    int64
	x, y int16
	p    bool
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func le64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

// eventPacketFB builds an EVTS FlatBuffer (no size prefix):
//
//	0  root uoffset = 16        4  "EVTS"
//	8  vtable: len 6, table len 8, field 0 at +4      14 pad
//	16 table: soffset 8 (vtable at 8)                 20 uoffset 4 → vector at 24
//	24 vector count, then 16-byte Event structs.
func eventPacketFB(evs []ev) []byte {
	b := le32(nil, 16)
	b = append(b, "EVTS"...)
	b = le16(b, 6)
	b = le16(b, 8)
	b = le16(b, 4)
	b = le16(b, 0)
	b = le32(b, 8)
	b = le32(b, 4)
	b = le32(b, uint32(len(evs)))
	for _, e := range evs {
		b = le64(b, uint64(e.t))
		b = le16(b, uint16(e.x))
		b = le16(b, uint16(e.y))
		if e.p {
			b = append(b, 1, 0, 0, 0)
		} else {
			b = append(b, 0, 0, 0, 0)
		}
	}
	return b
}

// countPacketFB builds a packet of the given identifier whose field 0 is a
// vector of n elements of size bytes each (zeros): the shape of IMUS and
// TRIG packets as far as counting goes.
func countPacketFB(ident string, n, size int) []byte {
	b := le32(nil, 16)
	b = append(b, ident...)
	b = le16(b, 6)
	b = le16(b, 8)
	b = le16(b, 4)
	b = le16(b, 0)
	b = le32(b, 8)
	b = le32(b, 4)
	b = le32(b, uint32(n))
	return append(b, make([]byte, n*size)...)
}

// ioHeaderFB builds an IOHeader FlatBuffer:
//
//	0  root uoffset = 20     4 "IOHE"
//	8  vtable: len 10, table len 20, fields at +4, +8, +16     18 pad
//	20 table: soffset 12; 24 compression; 28 dataTablePosition; 36 uoffset 4 → string at 40
func ioHeaderFB(comp int32, tablePos int64, info string) []byte {
	b := le32(nil, 20)
	b = append(b, "IOHE"...)
	b = le16(b, 10)
	b = le16(b, 20)
	b = le16(b, 4)
	b = le16(b, 8)
	b = le16(b, 16)
	b = le16(b, 0)
	b = le32(b, 12)
	b = le32(b, uint32(comp))
	b = le64(b, uint64(tablePos))
	b = le32(b, 4)
	b = le32(b, uint32(len(info)))
	b = append(b, info...)
	return append(b, 0)
}

type tabEntry struct {
	off             int64
	id, size        int32
	n, tStart, tEnd int64
}

// fileTableFB builds an FTAB FlatBuffer: root table → vector of tables that
// share one vtable placed after the vector.
func fileTableFB(entries []tabEntry) []byte {
	b := le32(nil, 16)
	b = append(b, "FTAB"...)
	b = le16(b, 6)
	b = le16(b, 8)
	b = le16(b, 4)
	b = le16(b, 0)
	b = le32(b, 8) // root table at 16, vtable at 8
	b = le32(b, 4) // vector at 24
	b = le32(b, uint32(len(entries)))
	vecStart := len(b)
	b = append(b, make([]byte, 4*len(entries))...)
	vt := len(b)
	b = le16(b, 14)
	b = le16(b, 44)
	for _, o := range []uint16{4, 12, 20, 28, 36} {
		b = le16(b, o)
	}
	b = le16(b, 0) // pad to 16
	for i, e := range entries {
		pos := len(b)
		binary.LittleEndian.PutUint32(b[vecStart+4*i:], uint32(pos-(vecStart+4*i)))
		b = le32(b, uint32(pos-vt))
		b = le64(b, uint64(e.off))
		b = le32(b, uint32(e.id))
		b = le32(b, uint32(e.size))
		b = le64(b, uint64(e.n))
		b = le64(b, uint64(e.tStart))
		b = le64(b, uint64(e.tEnd))
	}
	return b
}

func sizePrefixed(fb []byte) []byte { return append(le32(nil, uint32(len(fb))), fb...) }

func compress(tb testing.TB, c Compression, raw []byte) []byte {
	tb.Helper()
	switch c {
	case CompressionNone:
		return raw
	case CompressionLZ4, CompressionLZ4High:
		var buf bytes.Buffer
		w := lz4.NewWriter(&buf)
		if c == CompressionLZ4High {
			if err := w.Apply(lz4.CompressionLevelOption(lz4.Level9)); err != nil {
				tb.Fatal(err)
			}
		}
		if _, err := w.Write(raw); err != nil {
			tb.Fatal(err)
		}
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
		return buf.Bytes()
	case CompressionZstd, CompressionZstdHigh:
		lvl := zstd.SpeedDefault
		if c == CompressionZstdHigh {
			lvl = zstd.SpeedBestCompression
		}
		w, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(lvl))
		if err != nil {
			tb.Fatal(err)
		}
		defer w.Close()
		return w.EncodeAll(raw, nil)
	}
	tb.Fatalf("compression %d", c)
	return nil
}

type pkt struct {
	stream int32
	raw    []byte // size-prefixed FlatBuffer, before compression
	n      int64  // elements, for the data table
	t0, t1 int64
}

const info4Test = `<dv version="2.0"><node name="outInfo" path="/o/">` +
	`<node name="0" path="/o/0/"><attr key="typeIdentifier" type="string">EVTS</attr>` +
	`<attr key="originalOutputName" type="string">events</attr>` +
	`<node name="info" path="/o/0/info/"><attr key="sizeX" type="int">640</attr><attr key="sizeY" type="int">480</attr>` +
	`<attr key="source" type="string">TestCam</attr><attr key="tsOffset" type="long">42</attr></node></node>` +
	`<node name="1" path="/o/1/"><attr key="typeIdentifier" type="string">FRME</attr></node>` +
	`<node name="2" path="/o/2/"><attr key="typeIdentifier" type="string">IMUS</attr></node>` +
	`<node name="3" path="/o/3/"><attr key="typeIdentifier" type="string">TRIG</attr></node>` +
	`</node></dv>`

// buildAEDAT4 writes a whole AEDAT 4.0 file: version line, IOHeader,
// packets, and (withTable) a FileDataTable listing them.
func buildAEDAT4(tb testing.TB, c Compression, info string, pkts []pkt, withTable bool) []byte {
	tb.Helper()
	var bodies [][]byte
	for _, p := range pkts {
		bodies = append(bodies, compress(tb, c, p.raw))
	}
	hdrLen := len(ioHeaderFB(int32(c), 0, info))
	pos := int64(len(magic4) + 4 + hdrLen)
	var entries []tabEntry
	for i, p := range pkts {
		entries = append(entries, tabEntry{off: pos + 8, id: p.stream, size: int32(len(bodies[i])), n: p.n, tStart: p.t0, tEnd: p.t1})
		pos += 8 + int64(len(bodies[i]))
	}
	tablePos := int64(-1)
	if withTable {
		tablePos = pos
	}
	out := append([]byte(magic4), le32(nil, uint32(hdrLen))...)
	out = append(out, ioHeaderFB(int32(c), tablePos, info)...)
	for i, p := range pkts {
		out = le32(out, uint32(p.stream))
		out = le32(out, uint32(len(bodies[i])))
		out = append(out, bodies[i]...)
	}
	if withTable {
		out = append(out, compress(tb, c, sizePrefixed(fileTableFB(entries)))...)
	}
	return out
}

func evPkt(stream int32, evs []ev) pkt {
	p := pkt{stream: stream, raw: sizePrefixed(eventPacketFB(evs)), n: int64(len(evs))}
	if len(evs) > 0 {
		p.t0, p.t1 = evs[0].t, evs[len(evs)-1].t
	}
	return p
}

// ---- AEDAT 3.1 ----

type pol31 struct {
	x, y    uint16
	p, vald bool
	ts      int32
}

func polData31(e pol31) uint32 {
	d := uint32(e.x)<<17 | uint32(e.y)<<2
	if e.p {
		d |= 2
	}
	if e.vald {
		d |= 1
	}
	return d
}

func header31(typ int16, size, tsOff, over, capacity, number, valid int32) []byte {
	b := le16(nil, uint16(typ))
	b = le16(b, 0)
	for _, v := range []int32{size, tsOff, over, capacity, number, valid} {
		b = le32(b, uint32(v))
	}
	return b
}

func polPacket31(over int32, evs []pol31) []byte {
	valid := int32(0)
	for _, e := range evs {
		if e.vald {
			valid++
		}
	}
	b := header31(1, 8, 4, over, int32(len(evs)), int32(len(evs)), valid)
	for _, e := range evs {
		b = le32(b, polData31(e))
		b = le32(b, uint32(e.ts))
	}
	return b
}

const header31Test = "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DAVIS240C\r\n#Start-Time: 2016-04-01 12:00:00 (TZ+0200)\r\n#!END-HEADER\r\n"

// ---- AEDAT 2.0 ----

func rec2(addr uint32, ts int32) []byte {
	b := binary.BigEndian.AppendUint32(nil, addr)
	return binary.BigEndian.AppendUint32(b, uint32(ts))
}

func davisAddr(x, y uint32, p uint32) uint32 { return y<<22 | x<<12 | p<<11 }

func dvs128Addr(x, y uint32, p uint32) uint32 { return y<<8 | x<<1 | p }
