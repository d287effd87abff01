package events

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
)

func TestSniff(t *testing.T) {
	cases := []struct {
		name, file string
		head       string
		want       string
	}{
		{"evt2 key", "a.raw", "% Date 2020\n% evt 2.0\n", "evt2"},
		{"evt3 key", "a.raw", "% evt 3.0\n% end\n", "evt3"},
		{"format key", "a.raw", "% format EVT3;height=720;width=1280\n", "evt3"},
		{"evt21", "a.raw", "% format EVT21\n", "evt21"},
		{"dat", "a.dat", "% Data file containing Event2D events.\n% Version 2\n\x00\x08", "dat"},
		{"raw without evt line", "old.raw", "% Date 2019\n", "evt2"},
		{"aedat4", "x.aedat4", "#!AER-DAT4.0\r\n", "aedat4"},
		{"aedat2", "x.aedat", "#!AER-DAT2.0\r\n", "aedat2"},
		{"aedat3", "x.aedat", "#!AER-DAT3.1\r\n", "aedat3"},
		{"nmnist by name", "00002.bin", "\x07\x0f\x80\x02\x8e", "nmnist"},
		{"unknown", "x.txt", "hello", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SniffFile(c.file, []byte(c.head)); got != c.want {
				t.Errorf("SniffFile(%q) = %q, want %q", c.file, got, c.want)
			}
		})
	}
}

// TestSniffFixtures: the real files' first KiB (see the SOURCE.md files).
func TestSniffFixtures(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "data")
	if d := os.Getenv("NEUROTAB_DATA"); d != "" {
		root = d
	}
	cases := [][3]string{
		{"expelliarmus", "evt2_sample.raw", "evt2"}, {"expelliarmus", "evt3_sample.raw", "evt3"},
		{"faery", "evt2.raw", "evt2"}, {"tonic", "sample_ncars.dat", "dat"},
		{"tonic", "sample_nmnist.bin", "nmnist"}, {"tonic", "sample.aedat4", "aedat4"},
		{"tonic", "sample_aedat_header.aedat", "aedat2"},
	}
	for _, c := range cases {
		t.Run(c[1], func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, c[0], c[1]))
			if errors.Is(err, os.ErrNotExist) && os.Getenv("NEUROTAB_REQUIRE_FIXTURES") == "" {
				t.Skip("fixture folder absent")
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := SniffFile(c[1], data[:min(1024, len(data))]); got != c[2] {
				t.Errorf("got %q, want %q", got, c[2])
			}
		})
	}
}

func TestReadHeader(t *testing.T) {
	in := "% Date 2020-09-14\n% evt 2.0\n% format EVT2;height=480;width=640\n% end\n\x01\x02"
	h, rest, err := ReadHeader(bytes.NewReader([]byte(in)), "h.raw")
	if err != nil {
		t.Fatal(err)
	}
	if h.Size != int64(len(in)-2) || !bytes.Equal(rest, []byte{1, 2}) || len(h.Lines) != 4 {
		t.Fatalf("size %d rest %v lines %q", h.Size, rest, h.Lines)
	}
	if w, hh := h.Geometry(); w != 640 || hh != 480 {
		t.Errorf("geometry %dx%d", w, hh)
	}
	long := bytes.Repeat([]byte("%"), MaxHeaderBytes+10)
	if _, _, err := ReadHeader(bytes.NewReader(long), "big"); !errors.Is(err, neurotab.ErrTooLarge) {
		t.Errorf("over-long header: %v", err)
	}
	if _, _, err := ReadHeader(bytes.NewReader([]byte("% evt")), "cut"); !errors.Is(err, neurotab.ErrTruncated) {
		t.Errorf("cut header: %v", err)
	}
}
