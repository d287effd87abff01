package aedat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/pierrec/lz4/v4"
)

func lz4Encode(t *testing.T, data []byte, opts ...lz4.Option) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := lz4.NewWriter(&buf)
	if err := w.Apply(opts...); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// linkedFrame is an LZ4 frame written by hand with two linked blocks (FLG
// 0x40: version 01, blocks not independent; BD 0x40: 64 KiB), the second
// block matching into the first, as DV's LZ4F frames may:
//
//	block 1, stored (bit 31 set), 8 bytes "abcdefgh"
//	block 2, compressed: token 0x04 (0 literals, match 4+4 = 8), offset 8
//	         → copies "abcdefgh" from block 1; token 0x50: 5 literals "12345"
//
// Content: "abcdefghabcdefgh12345". HC (0x00 here) is not verified.
var linkedFrame = []byte{
	0x04, 0x22, 0x4D, 0x18, 0x40, 0x40, 0x00,
	0x08, 0x00, 0x00, 0x80, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
	0x09, 0x00, 0x00, 0x00, 0x04, 0x08, 0x00, 0x50, '1', '2', '3', '4', '5',
	0x00, 0x00, 0x00, 0x00,
}

func TestLZ4Frames(t *testing.T) {
	text := bytes.Repeat([]byte("event cameras emit address events; "), 5000) // 175 kB: several 64 kB blocks
	skippable := append(binary.LittleEndian.AppendUint32(nil, 0x184D2A5F), 3, 0, 0, 0, 'x', 'y', 'z')
	cases := []struct {
		name  string
		src   []byte
		want  []byte
		limit int
		err   bool
		big   bool // errLZ4Limit
	}{
		{name: "linked blocks by hand", src: linkedFrame, want: []byte("abcdefghabcdefgh12345")},
		{name: "64 KiB blocks with checksums", src: lz4Encode(t, text, lz4.BlockSizeOption(lz4.Block64Kb), lz4.BlockChecksumOption(true), lz4.ChecksumOption(true)), want: text},
		{name: "content size", src: lz4Encode(t, text, lz4.SizeOption(uint64(len(text)))), want: text},
		{name: "4 MiB blocks", src: lz4Encode(t, text, lz4.BlockSizeOption(lz4.Block4Mb)), want: text},
		{name: "two frames and a skippable frame", src: append(append(append([]byte(nil), linkedFrame...), skippable...), linkedFrame...), want: []byte("abcdefghabcdefgh12345abcdefghabcdefgh12345")},
		{name: "empty input", src: nil, want: []byte{}},
		{name: "limit", src: lz4Encode(t, text), limit: 1000, err: true, big: true},
		{name: "stored block beyond limit", src: linkedFrame, limit: 4, err: true, big: true},
		{name: "bad magic", src: []byte{1, 2, 3, 4, 5, 6, 7}, err: true},
		{name: "bad version", src: append([]byte{0x04, 0x22, 0x4D, 0x18, 0x80}, linkedFrame[5:]...), err: true},
		{name: "bad block size code", src: append([]byte{0x04, 0x22, 0x4D, 0x18, 0x40, 0x10}, linkedFrame[6:]...), err: true},
		{name: "block beyond input", src: linkedFrame[:20], err: true},
		{name: "no end mark", src: linkedFrame[:len(linkedFrame)-4], err: true},
		{name: "block larger than the maximum", src: append(append([]byte(nil), linkedFrame[:7]...), 0x01, 0x00, 0x02, 0x00), err: true},
		{name: "match before the window", src: append(append([]byte(nil), linkedFrame[:7]...), 0x09, 0x00, 0x00, 0x00, 0x04, 0x08, 0x00, 0x50, '1', '2', '3', '4', '5', 0, 0, 0, 0), err: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			limit := tc.limit
			if limit == 0 {
				limit = 1 << 20
			}
			got, err := lz4Frames(nil, tc.src, limit)
			if tc.err {
				if err == nil {
					t.Fatal("no error")
				}
				if big := errors.Is(err, errLZ4Limit); big != tc.big {
					t.Errorf("error %v: limit error %v, want %v", err, big, tc.big)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Errorf("got %d bytes %.40q…, want %d bytes", len(got), got, len(tc.want))
			}
		})
	}
}
