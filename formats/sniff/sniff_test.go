package sniff

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/npy"
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
	copy(ub[1024:], hdf5.Signature)
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
	if _, err := File(dir); err == nil || err.Error() != dir+": is a folder, not a file: wrong type" || !errors.Is(err, neurotab.ErrType) {
		t.Fatalf("a folder gave %v, want an error wrapping ErrType", err)
	}
	if _, err := File(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing file gave %v, want fs.ErrNotExist", err)
	}
}

func TestKind(t *testing.T) {
	for _, c := range []struct {
		f    Format
		want Kind
	}{
		{Unknown, KindUnknown}, {Parquet, KindTable}, {ArrowIPC, KindTable},
		{HDF5, KindContainer}, {MAT5, KindContainer}, {MAT73, KindContainer}, {NPY, KindContainer},
		{JSON, KindContainer}, {Zip, KindContainer},
		{"nmnist", KindEvents}, {"dat", KindEvents}, {"evt2", KindEvents}, {"evt3", KindEvents}, {"aedat4", KindEvents},
	} {
		t.Run(string(c.f), func(t *testing.T) {
			if k := c.f.Kind(); k != c.want {
				t.Fatalf("%q.Kind() = %v, want %v", c.f, k, c.want)
			}
		})
	}
}

// IsHDF5 finds the signature at 0 and behind the user blocks the HDF5
// specification allows (512, 1024, …), and nowhere else; IsNPY only at 0.
func TestSignatures(t *testing.T) {
	at := func(off int) []byte {
		b := make([]byte, HeadSize)
		copy(b[off:], hdf5.Signature)
		return b
	}
	npyHead := append([]byte(npy.Magic+"\x01\x00"), make([]byte, 8)...)
	for _, c := range []struct {
		name      string
		head      []byte
		hdf5, npy bool
	}{
		{"hdf5 at 0", at(0), true, false},
		{"hdf5 at 512", at(512), true, false},
		{"hdf5 at 2048", at(2048), true, false},
		{"hdf5 at 100", at(100), false, false},
		{"hdf5 cut short", []byte(hdf5.Signature[:7]), false, false},
		{"npy", npyHead, false, true},
		{"npy not at 0", append([]byte{0}, npyHead...), false, false},
		{"empty", nil, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := IsHDF5(c.head); got != c.hdf5 {
				t.Errorf("IsHDF5 = %v", got)
			}
			if got := IsNPY(c.head); got != c.npy {
				t.Errorf("IsNPY = %v", got)
			}
		})
	}
}

// Head reads HeadSize bytes of a long file and all of a short one.
func TestHead(t *testing.T) {
	dir := t.TempDir()
	long := make([]byte, HeadSize+100)
	for i := range long {
		long[i] = byte(i)
	}
	for _, c := range []struct {
		name string
		data []byte
		want int
	}{{"long", long, HeadSize}, {"short", long[:10], 10}, {"empty", nil, 0}} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			os.WriteFile(p, c.data, 0o644)
			h, err := Head(p)
			if err != nil || len(h) != c.want || (c.want > 0 && h[c.want-1] != byte(c.want-1)) {
				t.Fatalf("Head: %d bytes, %v; want %d", len(h), err, c.want)
			}
		})
	}
	if _, err := Head(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing file gave no error")
	}
}
