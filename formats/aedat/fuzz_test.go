package aedat

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/events/eventstest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// addFixture seeds f with a real file when the shared data folder exists
// (fuzzing still runs on the synthetic seeds without it).
func addFixture(f *testing.F, name string) {
	dir, err := fixtures.DataDir()
	if err != nil {
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, "tonic", name))
	if err == nil {
		f.Add(b)
	}
}

// fuzzDecode drains d and checks the invariants every input must keep:
// no panic, Next within max, columns of equal length, io.EOF or a
// *events.Error at the end, no more events than the input could hold.
func fuzzDecode(t *testing.T, d events.Decoder, err error, input []byte, bytesPerEvent int) {
	if err != nil {
		var fe *events.Error
		if !errors.As(err, &fe) || !eventstest.WrapsSentinel(err) {
			t.Fatalf("constructor error %v (%T) is not an *events.Error wrapping a neurotab sentinel", err, err)
		}
		return
	}
	b := &events.Batch{}
	for i := 0; ; i++ {
		n, err := d.Next(b, 97)
		if n < 0 || n > 97 {
			t.Fatalf("Next returned %d", n)
		}
		if len(b.X) != len(b.T) || len(b.Y) != len(b.T) || len(b.P) != len(b.T) {
			t.Fatal("columns of unequal length")
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			var fe *events.Error
			if !errors.As(err, &fe) || !eventstest.WrapsSentinel(err) {
				t.Fatalf("error %v (%T) is not an *events.Error wrapping a neurotab sentinel", err, err)
			}
			break
		}
		if n == 0 {
			t.Fatal("0 events without an error")
		}
	}
	for _, p := range b.P {
		if p != 0 && p != 1 {
			t.Fatalf("polarity %d", p)
		}
	}
	if bytesPerEvent > 0 && b.Len() > len(input)/bytesPerEvent {
		t.Fatalf("%d events from %d bytes", b.Len(), len(input))
	}
}

func FuzzAEDAT4(f *testing.F) {
	addFixture(f, "sample.aedat4")
	pkts, _ := roundTripPackets()
	for _, c := range []Compression{CompressionNone, CompressionLZ4, CompressionZstd} {
		f.Add(buildAEDAT4(f, c, info4Test, pkts, true))
	}
	f.Add(buildAEDAT4(f, CompressionNone, "", []pkt{evPkt(0, []ev{{1000, 5, 7, true}})}, false))
	f.Add([]byte(magic4))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			opts := Options{DecodeOptions: events.DecodeOptions{Name: "fuzz.aedat4", Lenient: lenient, MaxBytes: 1 << 22}}
			d, err := NewDecoder4(bytes.NewReader(data), opts)
			var dec events.Decoder
			if err == nil {
				dec = d
			}
			// Compressed packets can expand: no per-byte bound on events.
			fuzzDecode(t, dec, err, data, 0)
		}
	})
}

func FuzzAEDAT2(f *testing.F) {
	addFixture(f, "sample_aedat_header.aedat")
	var body []byte
	for i := uint32(0); i < 8; i++ {
		body = append(body, rec2(davisAddr(i*40, i*30, i&1), int32(i)*1000)...)
	}
	body = append(body, rec2(0x80000C00, 9000)...)
	f.Add(append([]byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis346red\r\n"), body...))
	f.Add(append([]byte("#!AER-DAT2.0\r\n# AEChip: DVS128\r\n"), rec2(dvs128Addr(1, 2, 1), 3)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			d, err := NewDecoder2(bytes.NewReader(data), Options{DecodeOptions: events.DecodeOptions{Name: "fuzz.aedat", Lenient: lenient, MaxBytes: 1 << 22}})
			var dec events.Decoder
			if err == nil {
				dec = d
			}
			fuzzDecode(t, dec, err, data, 8)
		}
	})
}

func FuzzAEDAT31(f *testing.F) {
	addFixture(f, "sample_aedat_header.aedat")
	file := []byte(header31Test)
	file = append(file, polPacket31(0, []pol31{{1, 2, true, true, 3}, {4, 5, false, false, 6}})...)
	file = append(file, header31(2, 40, 4, 0, 1, 1, 1)...)
	file = append(file, make([]byte, 40)...)
	file = append(file, polPacket31(7, []pol31{{9, 9, true, true, 1 << 30}})...)
	f.Add(file)
	f.Add([]byte(header31Test))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			d, err := NewDecoder31(bytes.NewReader(data), Options{DecodeOptions: events.DecodeOptions{Name: "fuzz.aedat", Lenient: lenient, MaxBytes: 1 << 22}})
			var dec events.Decoder
			if err == nil {
				dec = d
			}
			fuzzDecode(t, dec, err, data, 8)
		}
	})
}
