package hdf5_test

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/hdf5"
)

// TestOtherFilters: files from testdata/make_testdata.py. LZF and
// scale-offset are not decoded: the error names the filter id; plain data
// next to them still reads (arange(100), a closed form).
func TestOtherFilters(t *testing.T) {
	f, err := hdf5.Open("testdata/filters_other.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		path, id string
	}{{"/lzf", "filter id 32000"}, {"/scaleoffset", "filter id 6 (scaleoffset)"}} {
		t.Run(c.path, func(t *testing.T) {
			o, err := f.Get(c.path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = o.(*hdf5.Dataset).ReadFloat64()
			if !errors.Is(err, hdf5.ErrFilter) || !strings.Contains(err.Error(), c.id) {
				t.Errorf("error %v, want ErrFilter naming %q", err, c.id)
			}
			if !strings.Contains(err.Error(), "testdata/filters_other.h5") || !strings.Contains(err.Error(), c.path) {
				t.Errorf("error %q does not name file and path", err)
			}
		})
	}
	o, err := f.Get("/plain")
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.(*hdf5.Dataset).ReadFloat32()
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range v {
		if x != float32(i) {
			t.Fatalf("plain[%d] = %v, want %d", i, x, i)
		}
	}
}

// TestUserBlock1024: superblock after a 1024-byte user block;
// x = arange(12).reshape(3, 4) in (2, 3) chunks (make_testdata.py).
func TestUserBlock1024(t *testing.T) {
	f, err := hdf5.Open("testdata/userblock1024.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.UserBlockSize() != 1024 || f.SuperblockVersion() != 3 {
		t.Errorf("user block %d, superblock %d; want 1024, 3", f.UserBlockSize(), f.SuperblockVersion())
	}
	o, err := f.Get("/x")
	if err != nil {
		t.Fatal(err)
	}
	d := o.(*hdf5.Dataset)
	cases := []struct {
		name         string
		start, count []uint64
		want         []int64
	}{
		{"all", []uint64{0, 0}, []uint64{3, 4}, []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
		{"edge chunk", []uint64{2, 3}, []uint64{1, 1}, []int64{11}},
		{"across chunks", []uint64{1, 2}, []uint64{2, 2}, []int64{6, 7, 10, 11}},
		{"column", []uint64{0, 1}, []uint64{3, 1}, []int64{1, 5, 9}},
		{"empty", []uint64{1, 1}, []uint64{0, 2}, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := hdf5.ReadHyperslabAs[int64](d, c.start, c.count)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
	if _, err := d.ReadHyperslab([]uint64{2, 0}, []uint64{2, 1}); !errors.Is(err, hdf5.ErrType) {
		t.Errorf("out-of-range selection error %v, want ErrType", err)
	}
}

// TestHyperslabMatchesFullRead: for every numeric dataset of the generic
// fixtures, random blocks equal the corresponding part of the full read
// (itself checked against manifest.json in TestManifestHDF5).
func TestHyperslabMatchesFullRead(t *testing.T) {
	for _, name := range []string{"generic_earliest.h5", "generic_v108.h5", "generic_latest.h5"} {
		t.Run(name, func(t *testing.T) {
			f := openFixture(t, "reference-made", "hdf5", name)
			rng := rand.New(rand.NewSource(7))
			n := 0
			err := f.Walk(func(p string, o hdf5.Object) error {
				d, ok := o.(*hdf5.Dataset)
				if !ok || d.Kind() != hdf5.SpaceSimple {
					return nil
				}
				switch d.Datatype().Class {
				case hdf5.ClassInteger, hdf5.ClassFloat:
				default:
					return nil
				}
				full, err := d.ReadFloat64()
				if err != nil {
					return err
				}
				shape := d.Shape()
				for k := 0; k < 20; k++ {
					start := make([]uint64, len(shape))
					count := make([]uint64, len(shape))
					for i, s := range shape {
						if s == 0 {
							continue
						}
						start[i] = uint64(rng.Int63n(int64(s)))
						count[i] = 1 + uint64(rng.Int63n(int64(s-start[i])))
					}
					got, err := d.ReadHyperslab(start, count)
					if err != nil {
						return err
					}
					// expected: index the full read
					idx := make([]uint64, len(shape))
					for j := range got {
						lin := uint64(0)
						for i := range shape {
							lin = lin*shape[i] + start[i] + idx[i]
						}
						if !sameFloat(got[j], full[lin]) {
							t.Errorf("%s %v+%v element %d = %v, want %v", p, start, count, j, got[j], full[lin])
							return nil
						}
						for i := len(idx) - 1; i >= 0; i-- {
							idx[i]++
							if idx[i] < count[i] {
								break
							}
							idx[i] = 0
						}
					}
				}
				n++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < 40 {
				t.Errorf("only %d numeric datasets checked", n)
			}
		})
	}
}

// TestCorruptInputs: damaged headers give errors wrapping the sentinels.
func TestCorruptInputs(t *testing.T) {
	good, err := os.ReadFile(fixturePath(t, "generic_sb1_istorek.h5"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, hdf5.ErrNotHDF5},
		{"text", []byte("MATLAB 5.0 MAT-file"), hdf5.ErrNotHDF5},
		{"bad superblock version", append([]byte("\x89HDF\r\n\x1a\n\x07"), make([]byte, 100)...), hdf5.ErrUnsupported},
		{"truncated", good[:200], hdf5.ErrCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := hdf5.NewReader(bytes.NewReader(c.data), int64(len(c.data)), "bad.h5")
			if err == nil {
				_, err = f.Root()
				if err == nil {
					err = f.Walk(func(string, hdf5.Object) error { return nil })
				}
			}
			if !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "bad.h5") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func fixturePath(t *testing.T, name string) string {
	t.Helper()
	f := openFixture(t, "reference-made", "hdf5", name)
	return f.Name()
}
