package calcium

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/neurotab/neurotab/formats/sniff"
)

// opsFrameRate reads the frame rate ops["fs"] from a suite2p ops.npy: a
// 0-d object array whose data is a pickled dict. It does not unpickle:
// it finds the pickle opcodes that push the key "fs" (BINUNICODE or
// SHORT_BINUNICODE, optionally memoized) and decodes the value pushed next,
// which must be a Python float (BINFLOAT), a small int (BININT, BININT1,
// BININT2) or a NumPy float64 scalar (numpy.core.multiarray.scalar with an
// 8-byte payload). Anything else is reported as unreadable.
func opsFrameRate(path string) (float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if len(b) < 10 || !sniff.IsNPY(b) {
		return 0, errors.New("not an .npy file")
	}
	var start int
	switch b[6] {
	case 1:
		start = 10 + int(binary.LittleEndian.Uint16(b[8:10]))
	case 2, 3:
		if len(b) < 12 {
			return 0, errors.New("truncated .npy header")
		}
		start = 12 + int(binary.LittleEndian.Uint32(b[8:12]))
	default:
		return 0, fmt.Errorf("npy format version %d", b[6])
	}
	if start > len(b) || !bytes.Contains(b[:start], []byte("O'")) {
		return 0, errors.New("not a pickled object array")
	}
	p := b[start:]
	if len(p) < 2 || p[0] != 0x80 {
		return 0, errors.New("no pickle protocol marker")
	}
	keys := [][]byte{
		[]byte("X\x02\x00\x00\x00fs"), // BINUNICODE
		[]byte("\x8c\x02fs"),          // SHORT_BINUNICODE (protocol 4+)
		[]byte("U\x02fs"),             // SHORT_BINSTRING (Python 2 pickles)
	}
	for _, key := range keys {
		off := 0
		for {
			i := bytes.Index(p[off:], key)
			if i < 0 {
				break
			}
			at := off + i + len(key)
			if v, ok := pickleNumber(p, at); ok {
				return v, nil
			}
			off = at
		}
	}
	return 0, errors.New(`no readable "fs" entry`)
}

// pickleNumber decodes the value pushed at p[at:], after skipping memo
// opcodes.
func pickleNumber(p []byte, at int) (float64, bool) {
	// skip BINPUT, LONG_BINPUT, MEMOIZE
	for at < len(p) {
		switch p[at] {
		case 'q':
			at += 2
			continue
		case 'r':
			at += 5
			continue
		case 0x94:
			at++
			continue
		}
		break
	}
	if at >= len(p) {
		return 0, false
	}
	rest := p[at+1:]
	switch p[at] {
	case 'G': // BINFLOAT, big-endian
		if len(rest) >= 8 {
			return math.Float64frombits(binary.BigEndian.Uint64(rest)), true
		}
	case 'J': // BININT
		if len(rest) >= 4 {
			return float64(int32(binary.LittleEndian.Uint32(rest))), true
		}
	case 'K': // BININT1
		if len(rest) >= 1 {
			return float64(rest[0]), true
		}
	case 'M': // BININT2
		if len(rest) >= 2 {
			return float64(binary.LittleEndian.Uint16(rest)), true
		}
	case 'c', 0x8c, 'X': // GLOBAL, or the module name before STACK_GLOBAL: a NumPy scalar
		window := rest[:min(len(rest), 256)]
		if !bytes.Contains(window, []byte("scalar")) || !bytes.Contains(window, []byte("f8")) {
			return 0, false
		}
		// The payload is SHORT_BINBYTES 'C' 0x08 (protocol 3+) holding the
		// little-endian float64.
		if j := bytes.Index(window, []byte("C\x08")); j >= 0 && j+10 <= len(window) {
			return math.Float64frombits(binary.LittleEndian.Uint64(window[j+2:])), true
		}
	}
	return 0, false
}
