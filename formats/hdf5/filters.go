package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
	"github.com/neurotab/neurotab"
)

var zlibPool sync.Pool

// bufPool recycles intermediate chunk buffers (raw reads, inflated data
// that is unshuffled afterwards).
var bufPool sync.Pool

func getBuf(n int) []byte {
	if v := bufPool.Get(); v != nil {
		b := *(v.(*[]byte))
		if cap(b) >= n {
			return b[:n]
		}
	}
	return make([]byte, n)
}

func putBuf(b []byte) {
	if cap(b) == 0 || cap(b) > 64<<20 {
		return
	}
	bufPool.Put(&b)
}

func inflate(src []byte, want int, limit int64, into []byte) ([]byte, error) {
	br := bytes.NewReader(src)
	var zr io.ReadCloser
	if v := zlibPool.Get(); v != nil {
		zr = v.(io.ReadCloser)
		if err := zr.(zlib.Resetter).Reset(br, nil); err != nil {
			return nil, fmt.Errorf("deflate: %v: %w", err, neurotab.ErrMalformed)
		}
	} else {
		var err error
		zr, err = zlib.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("deflate: %v: %w", err, neurotab.ErrMalformed)
		}
	}
	defer zlibPool.Put(zr)
	out := into
	if len(out) != want {
		out = make([]byte, want)
	}
	n, err := io.ReadFull(zr, out)
	if err == nil {
		// more output than expected is possible only in unusual pipelines
		var extra bytes.Buffer
		m, err2 := io.Copy(&extra, io.LimitReader(zr, limit-int64(want)+1))
		if err2 != nil {
			return nil, fmt.Errorf("deflate: %v: %w", err2, neurotab.ErrMalformed)
		}
		if m > 0 {
			if int64(want)+m > limit {
				return nil, fmt.Errorf("deflate output beyond %d bytes: %w", limit, neurotab.ErrTooLarge)
			}
			out = append(out[:want:want], extra.Bytes()...)
		}
		return out, nil
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return out[:n], nil
	}
	return nil, fmt.Errorf("deflate: %v: %w", err, neurotab.ErrMalformed)
}

func unshuffle(src []byte, es int, into []byte) []byte {
	if es <= 1 || len(src) < es {
		return src
	}
	n := len(src) / es
	out := into
	if len(out) != len(src) {
		out = make([]byte, len(src))
	}
	switch es {
	case 4:
		p0, p1, p2, p3 := src[:n], src[n:2*n], src[2*n:3*n], src[3*n:4*n]
		o := out[:4*n]
		for i := range p0 {
			o[4*i] = p0[i]
			o[4*i+1] = p1[i]
			o[4*i+2] = p2[i]
			o[4*i+3] = p3[i]
		}
		copy(out[n*es:], src[n*es:])
		return out
	case 8:
		o := out[:8*n]
		for i := 0; i < n; i++ {
			for b := 0; b < 8; b++ {
				o[8*i+b] = src[b*n+i]
			}
		}
		copy(out[n*es:], src[n*es:])
		return out
	}
	for b := 0; b < es; b++ {
		plane := src[b*n : (b+1)*n]
		for i, v := range plane {
			out[i*es+b] = v
		}
	}
	copy(out[n*es:], src[n*es:])
	return out
}

// fletcher32 is HDF5's Fletcher-32 over 16-bit big-endian words (an odd
// final byte is the high byte of a last word).
func fletcher32(b []byte) uint32 {
	var s1, s2 uint32 = 0xffff, 0xffff
	n := len(b) / 2
	i := 0
	for n > 0 {
		t := min(n, 360)
		n -= t
		for ; t > 0; t-- {
			s1 += uint32(b[i])<<8 | uint32(b[i+1])
			s2 += s1
			i += 2
		}
		s1 = (s1 & 0xffff) + (s1 >> 16)
		s2 = (s2 & 0xffff) + (s2 >> 16)
	}
	if len(b)%2 == 1 {
		s1 += uint32(b[len(b)-1]) << 8
		s2 += s1
		s1 = (s1 & 0xffff) + (s1 >> 16)
		s2 = (s2 & 0xffff) + (s2 >> 16)
	}
	s1 = (s1 & 0xffff) + (s1 >> 16)
	s2 = (s2 & 0xffff) + (s2 >> 16)
	return s2<<16 | s1
}

// applyFilters undoes the filter pipeline on one chunk. mask bit i set
// means filter i was skipped for this chunk. want is the decoded size.
// When into has want bytes, the last decoding step writes there.
func applyFilters(data []byte, filters []Filter, mask uint32, es int, want int, limit int64, into []byte) ([]byte, error) {
	last := -1
	for i := range filters {
		if i >= 32 || mask&(1<<uint(i)) == 0 {
			last = i
			break
		}
	}
	var pooled []byte // intermediate buffer to recycle once consumed
	for i := len(filters) - 1; i >= 0; i-- {
		var dst []byte
		if i == last {
			dst = into
		} else if i < 32 && mask&(1<<uint(i)) == 0 && (filters[i].ID == FilterDeflate || filters[i].ID == FilterShuffle) {
			dst = getBuf(want)
		}
		prev := data
		if i < 32 && mask&(1<<uint(i)) != 0 {
			continue
		}
		fl := filters[i]
		switch fl.ID {
		case FilterDeflate:
			out, err := inflate(data, want, limit, dst)
			if err != nil {
				return nil, err
			}
			data = out
		case FilterShuffle:
			if len(data) != want {
				dst = nil
			}
			data = unshuffle(data, es, dst)
		case FilterFletcher32:
			if len(data) < 4 {
				return nil, fmt.Errorf("fletcher32 chunk of %d bytes: %w", len(data), neurotab.ErrMalformed)
			}
			body := data[:len(data)-4]
			stored := binary.LittleEndian.Uint32(data[len(data)-4:])
			sum := fletcher32(body)
			// files from HDF5 < 1.6.3 stored the bytes of each half swapped
			rev := (sum&0xff)<<8 | (sum>>8)&0xff | (sum>>16&0xff)<<24 | (sum>>24&0xff)<<16
			if stored != sum && stored != rev {
				return nil, fmt.Errorf("fletcher32 stored %#08x, computed %#08x: %w", stored, sum, neurotab.ErrChecksum)
			}
			data = body
		default:
			name := fl.Name
			if name == "" {
				name = "unknown"
			}
			return nil, fmt.Errorf("filter id %d (%s): %w", fl.ID, name, ErrFilter)
		}
		if pooled != nil && len(prev) > 0 && &prev[0] == &pooled[0] && (len(data) == 0 || &data[0] != &pooled[0]) {
			putBuf(pooled)
			pooled = nil
		}
		if i != last && len(data) > 0 && len(dst) > 0 && &data[0] == &dst[0] {
			pooled = dst
		}
	}
	return data, nil
}
