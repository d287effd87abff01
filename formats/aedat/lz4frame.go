package aedat

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/pierrec/lz4/v4"
)

// LZ4 frame decoding into one reused buffer (LZ4 Frame Format
// Description v1.6, lz4/doc/lz4_Frame_format.md). DV compresses each packet
// as one LZ4 frame with linked 64 KiB blocks; decoding the frame here, with
// pierrec/lz4's block decoder, avoids the per-frame buffers of lz4.Reader
// and bounds the output before writing it.
//
//	frame:  magic 0x184D2204 | FLG | BD | [content size u64] | [dict id u32] | HC
//	        { block size u32 (bit 31: stored) | data | [block checksum u32] } …
//	        end mark 0 | [content checksum u32]
//	FLG:    bits 7-6 version 01, bit 5 block independence, bit 4 block
//	        checksum, bit 3 content size, bit 2 content checksum, bit 0 dict id
//	BD:     bits 6-4 block maximum size: 4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB
//
// Skippable frames (magic 0x184D2A50-5F) are skipped; several frames are
// decoded one after the other. Checksums are skipped, not verified: a
// corrupt block is caught by the block decoder or by the FlatBuffer checks
// that follow.

const (
	lz4Magic     = 0x184D2204
	lz4SkipMagic = 0x184D2A50
	lz4Window    = 64 << 10
)

var errLZ4Limit = errors.New("lz4: output beyond limit")

// errLZ4Short marks an LZ4 input that ends inside a frame: a truncated file
// when the frame runs to the end of the file (the data table).
var errLZ4Short = errors.New("input ends inside the frame")

// lz4Frames appends the decoded content of the LZ4 frames in src to
// dst[:0], failing when it would exceed limit bytes.
func lz4Frames(dst, src []byte, limit int) ([]byte, error) {
	dst = dst[:0]
	p := 0
	for p < len(src) {
		if len(src)-p < 4 {
			return dst, fmt.Errorf("lz4: %d stray bytes at %d: %w", len(src)-p, p, errLZ4Short)
		}
		m := binary.LittleEndian.Uint32(src[p:])
		if m&0xFFFFFFF0 == lz4SkipMagic {
			if len(src)-p < 8 {
				return dst, fmt.Errorf("lz4: truncated skippable frame at %d: %w", p, errLZ4Short)
			}
			n := uint64(binary.LittleEndian.Uint32(src[p+4:]))
			if n > uint64(len(src)-p-8) {
				return dst, fmt.Errorf("lz4: skippable frame of %d bytes beyond input at %d: %w", n, p, errLZ4Short)
			}
			p += 8 + int(n)
			continue
		}
		if m != lz4Magic {
			return dst, fmt.Errorf("lz4: bad magic 0x%08x at %d", m, p)
		}
		if len(src)-p < 7 {
			return dst, fmt.Errorf("lz4: truncated frame header at %d: %w", p, errLZ4Short)
		}
		flg, bd := src[p+4], src[p+5]
		if flg>>6 != 1 || flg&2 != 0 || bd&0x8F != 0 {
			return dst, fmt.Errorf("lz4: bad frame descriptor FLG 0x%02x BD 0x%02x at %d", flg, bd, p)
		}
		bmax := 0
		switch bd >> 4 & 7 {
		case 4:
			bmax = 64 << 10
		case 5:
			bmax = 256 << 10
		case 6:
			bmax = 1 << 20
		case 7:
			bmax = 4 << 20
		default:
			return dst, fmt.Errorf("lz4: bad block maximum size code %d at %d", bd>>4&7, p)
		}
		indep := flg&0x20 != 0
		blockSum := flg&0x10 != 0
		hdr := 7
		if flg&0x08 != 0 {
			hdr += 8
		}
		if flg&0x01 != 0 {
			hdr += 4
		}
		if len(src)-p < hdr {
			return dst, fmt.Errorf("lz4: truncated frame header at %d: %w", p, errLZ4Short)
		}
		p += hdr
		frameStart := len(dst)
		for {
			if len(src)-p < 4 {
				return dst, fmt.Errorf("lz4: truncated block header at %d: %w", p, errLZ4Short)
			}
			bs := binary.LittleEndian.Uint32(src[p:])
			p += 4
			if bs == 0 {
				break
			}
			stored := bs&0x80000000 != 0
			n := int(bs & 0x7FFFFFFF)
			if n > bmax {
				return dst, fmt.Errorf("lz4: block of %d bytes (maximum %d) at %d", n, bmax, p-4)
			}
			if n > len(src)-p {
				return dst, fmt.Errorf("lz4: block of %d bytes (%d left) at %d: %w", n, len(src)-p, p-4, errLZ4Short)
			}
			block := src[p : p+n]
			p += n
			if blockSum {
				if len(src)-p < 4 {
					return dst, fmt.Errorf("lz4: truncated block checksum at %d: %w", p, errLZ4Short)
				}
				p += 4
			}
			// An LZ4 block expands at most 255-fold (each extra match-length
			// byte adds 255 bytes of output), so 256n+64 bytes always suffice:
			// small blocks never reserve a whole 4 MiB block.
			need := min(bmax, 256*n+64)
			room := min(need, limit-len(dst))
			if stored {
				if n > limit-len(dst) {
					return dst, errLZ4Limit
				}
				dst = append(dst, block...)
				continue
			}
			if cap(dst)-len(dst) < room {
				dst = append(dst[:cap(dst)], make([]byte, room-(cap(dst)-len(dst)))...)[:len(dst)]
			}
			var dict []byte
			if !indep {
				dict = dst[max(frameStart, len(dst)-lz4Window):len(dst)]
			}
			k, err := lz4.UncompressBlockWithDict(block, dst[len(dst):len(dst)+room], dict)
			if err != nil {
				if room < need {
					return dst, errLZ4Limit
				}
				return dst, fmt.Errorf("lz4: block at %d: %v", p-n, err)
			}
			dst = dst[:len(dst)+k]
		}
		if flg&0x04 != 0 {
			if len(src)-p < 4 {
				return dst, fmt.Errorf("lz4: truncated content checksum at %d: %w", p, errLZ4Short)
			}
			p += 4
		}
	}
	return dst, nil
}
