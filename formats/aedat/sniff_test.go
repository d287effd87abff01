package aedat

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func TestSniff(t *testing.T) {
	cases := []struct {
		in      string
		version string
		ok      bool
	}{
		{"#!AER-DAT4.0\r\n\x0c\x09", "4.0", true},
		{"#!AER-DAT3.1\r\n#Format: RAW", "3.1", true},
		{"#!AER-DAT2.0\n# This", "2.0", true},
		{"#!AER-DAT3.0\r\n", "3.0", true},
		{"#!AER-DAT2.0", "2.0", true}, // the whole header, no line end
		{"#!AER-DAT10.25\r\n", "10.25", true},
		{"#!AER-DAT4", "", false},
		{"#!AER-DAT4.\r\n", "", false},
		{"#!AER-DAT4.0x\r\n", "", false},
		{"#!AER-DATx.y\r\n", "", false},
		{"% Data file containing CD events", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			v, ok := Sniff([]byte(tc.in))
			if v != tc.version || ok != tc.ok {
				t.Errorf("Sniff(%q) = %q, %v; want %q, %v", tc.in, v, ok, tc.version, tc.ok)
			}
		})
	}
}

func TestNewDecoder(t *testing.T) {
	pkts, _ := roundTripPackets()
	a4 := buildAEDAT4(t, CompressionLZ4, info4Test, pkts, true)
	a31 := append([]byte(header31Test), polPacket31(0, []pol31{{1, 2, true, true, 3}})...)
	a2 := append([]byte("#!AER-DAT2.0\r\n# AEChip: DVS128\r\n"), rec2(dvs128Addr(1, 2, 1), 3)...)
	cases := []struct {
		name   string
		file   []byte
		format string
		n      int
		cause  error
	}{
		{"4.0", a4, "aedat4", 5, nil},
		{"3.1", a31, "aedat3.1", 1, nil},
		{"2.0", a2, "aedat2", 1, nil},
		{"3.0 unsupported", []byte("#!AER-DAT3.0\r\n"), "", 0, neurotab.ErrUnsupported},
		{"no version line", []byte("hello"), "", 0, neurotab.ErrMalformed},
	}
	for _, tc := range cases {
		for _, seekable := range []bool{true, false} {
			t.Run(tc.name, func(t *testing.T) {
				var r io.Reader = bytes.NewReader(tc.file)
				if !seekable {
					r = io.MultiReader(r)
				}
				d, err := NewDecoder(r, Options{DecodeOptions: events.DecodeOptions{Name: "x"}})
				if tc.cause != nil {
					if !errors.Is(err, tc.cause) {
						t.Fatalf("error %v, want %v", err, tc.cause)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				b, err := decodeAll(t, d, 100)
				if err != nil || b.Len() != tc.n || d.Geometry().Format != tc.format {
					t.Errorf("%d events, %v, format %q; want %d, %q", b.Len(), err, d.Geometry().Format, tc.n, tc.format)
				}
			})
		}
	}
}

// TestNewDecoderFixture opens the real AEDAT 4.0 file through NewDecoder:
// same count as the direct decoder (SOURCE.md: 111954).
func TestNewDecoderFixture(t *testing.T) {
	f, err := os.Open(fixtures.Path(t, "tonic", "sample.aedat4"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := NewDecoder(f, Options{DecodeOptions: events.DecodeOptions{Name: "sample.aedat4"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeAll(t, d, 1<<16)
	if err != nil || b.Len() != 111954 {
		t.Fatalf("%d events, %v; want 111954", b.Len(), err)
	}
}
