package mat

import (
	"bytes"
	"encoding/binary"
	"math"

	"github.com/klauspost/compress/zlib"
)

// A minimal MAT v5 encoder for tests and benchmarks, written from the
// MathWorks "MAT-File Format" document (data element = 8-byte tag + data
// padded to 8 bytes; small elements pack size and type in 4 bytes).

type enc struct{ o binary.ByteOrder }

// el returns a data element of type typ holding payload, padded to 8 bytes.
func (e enc) el(typ uint32, payload []byte) []byte {
	out := make([]byte, 8, 8+len(payload)+7)
	e.o.PutUint32(out, typ)
	e.o.PutUint32(out[4:], uint32(len(payload)))
	out = append(out, payload...)
	for len(out)%8 != 0 {
		out = append(out, 0)
	}
	return out
}

// small returns a small data element (payload of at most 4 bytes).
func (e enc) small(typ uint32, payload []byte) []byte {
	out := make([]byte, 8)
	e.o.PutUint32(out, uint32(len(payload))<<16|typ)
	copy(out[4:], payload)
	return out
}

func (e enc) i32s(v ...int32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		e.o.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

func (e enc) f64s(v []float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		e.o.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

// matrix returns an miMATRIX element: flags (class byte plus flag bits),
// dims, name, then the body elements.
func (e enc) matrix(mx byte, flagBits uint32, dims []int32, name string, body ...[]byte) []byte {
	flags := make([]byte, 8)
	e.o.PutUint32(flags, uint32(mx)|flagBits)
	var p []byte
	p = append(p, e.el(miUINT32, flags)...)
	p = append(p, e.el(miINT32, e.i32s(dims...))...)
	p = append(p, e.el(miINT8, []byte(name))...)
	for _, b := range body {
		p = append(p, b...)
	}
	return e.el(miMATRIX, p)
}

// double returns a double matrix variable stored as miDOUBLE.
func (e enc) double(name string, dims []int32, vals []float64) []byte {
	return e.matrix(6, 0, dims, name, e.el(miDOUBLE, e.f64s(vals)))
}

// header returns a 128-byte v5 header.
func (e enc) header(text string) []byte {
	h := bytes.Repeat([]byte{' '}, HeaderSize)
	copy(h, text)
	for i := 116; i < 124; i++ {
		h[i] = 0
	}
	e.o.PutUint16(h[124:], 0x0100)
	if e.o == binary.LittleEndian {
		copy(h[126:], "IM")
	} else {
		copy(h[126:], "MI")
	}
	return h
}

// compress wraps an element in miCOMPRESSED.
func (e enc) compress(elem []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(elem)
	w.Close()
	out := make([]byte, 8, 8+z.Len())
	e.o.PutUint32(out, miCOMPRESSED)
	e.o.PutUint32(out[4:], uint32(z.Len()))
	return append(out, z.Bytes()...)
}

// file concatenates a header and elements.
func (e enc) file(elems ...[]byte) []byte {
	out := e.header("MATLAB 5.0 MAT-file, Platform: neurotab test encoder")
	for _, x := range elems {
		out = append(out, x...)
	}
	return out
}
