package sniff

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// Real files and the formats their SOURCE.md files say they are.
func TestRealFiles(t *testing.T) {
	cases := []struct {
		path []string
		want Format
	}{
		{[]string{"dag2023", "2022-07-26-31-data.h5"}, HDF5},
		{[]string{"pynapple", "A8604-211122.nwb"}, HDF5},
		{[]string{"pynapple", "F.npy"}, NPY},
		{[]string{"tonic", "sample_stmnist.mat"}, MAT5},
		{[]string{"tonic", "sample_nmnist.bin"}, "nmnist"},
		{[]string{"tonic", "sample_ncars.dat"}, "dat"},
		{[]string{"tonic", "sample.aedat4"}, "aedat4"},
		{[]string{"expelliarmus", "evt2_sample.raw"}, "evt2"},
		{[]string{"expelliarmus", "evt3_sample.raw"}, "evt3"},
		{[]string{"reference-made", "mat_v73", "kato2015_like_v73.mat"}, MAT73},
		{[]string{"reference-made", "mat_v5", "v5_types.mat"}, MAT5},
		{[]string{"reference-made", "hdf5", "generic_earliest.h5"}, HDF5},
	}
	for _, c := range cases {
		t.Run(filepath.Join(c.path...), func(t *testing.T) {
			got, err := File(fixtures.Path(t, c.path...))
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}

func TestSynthetic(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ub := make([]byte, 1024+16)
	copy(ub[1024:], hdf5Magic)
	cases := []struct {
		name string
		path string
		want Format
	}{
		{"parquet", write("a.parquet", []byte("PAR1xxxxxxxxPAR1")), Parquet},
		{"arrow", write("a.arrow", []byte("ARROW1\x00\x00xxxxxxxxARROW1")), ArrowIPC},
		{"hdf5 behind 1024-byte user block", write("a.h5", ub), HDF5},
		{"json", write("a.json", []byte(" {\"a\":1}")), JSON},
		{"text", write("a.txt", []byte("1 2 3\n")), Unknown},
		{"empty", write("e.dat", nil), Unknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := File(c.path)
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	if _, err := File(dir); err == nil {
		t.Fatal("a folder gave no error")
	}
}
