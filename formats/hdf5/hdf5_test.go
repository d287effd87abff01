package hdf5_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
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
			if !errors.Is(err, hdf5.ErrFilter) || !errors.Is(err, neurotab.ErrUnsupported) || !strings.Contains(err.Error(), c.id) {
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
	if _, err := d.ReadHyperslab([]uint64{2, 0}, []uint64{2, 1}); !errors.Is(err, neurotab.ErrType) {
		t.Errorf("out-of-range selection error %v, want neurotab.ErrType", err)
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
		{"empty", nil, neurotab.ErrMalformed},
		{"text", []byte("MATLAB 5.0 MAT-file"), neurotab.ErrMalformed},
		{"bad superblock version", append([]byte("\x89HDF\r\n\x1a\n\x07"), make([]byte, 100)...), neurotab.ErrUnsupported},
		{"truncated", good[:200], neurotab.ErrMalformed},
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

// TestDenseHuge: dense attributes including a huge fractal-heap object and
// dense links (testdata/make_testdata.py: a_i = i*i, big = arange(10000),
// c_i holds i).
func TestDenseHuge(t *testing.T) {
	f, err := hdf5.Open("testdata/dense_huge.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o, err := f.Get("/g")
	if err != nil {
		t.Fatal(err)
	}
	g := o.(*hdf5.Group)
	if g.LinkStorage() != "dense" {
		t.Errorf("link storage %s, want dense", g.LinkStorage())
	}
	as, err := g.Attrs()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 12 {
		t.Fatalf("%d attributes, want 12", len(as))
	}
	for i := 0; i < 11; i++ {
		a, err := g.Attr(fmt.Sprintf("a%02d", i))
		if err != nil {
			t.Fatal(err)
		}
		if v, err := a.Value(); err != nil || v != int64(i*i) {
			t.Errorf("a%02d = %v (%v), want %d", i, v, err, i*i)
		}
	}
	big, err := g.Attr("big")
	if err != nil {
		t.Fatal(err)
	}
	v, err := big.AsFloat64s()
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 10000 {
		t.Fatalf("big has %d values, want 10000", len(v))
	}
	for i, x := range v {
		if x != float64(i) {
			t.Fatalf("big[%d] = %v", i, x)
		}
	}
	members, err := g.Members()
	if err != nil || len(members) != 30 {
		t.Fatalf("members %v (%v), want 30", members, err)
	}
	for i, m := range members {
		if m != fmt.Sprintf("c%02d", i) {
			t.Errorf("member %d = %s", i, m)
		}
		o, err := g.Open(m)
		if err != nil {
			t.Fatal(err)
		}
		x, err := o.(*hdf5.Dataset).ReadInt64()
		if err != nil || len(x) != 1 || x[0] != int64(i) {
			t.Errorf("%s = %v (%v), want [%d]", m, x, err, i)
		}
	}
}

// TestTypeErrors: asking for the wrong kind of value fails with neurotab.ErrType.
func TestTypeErrors(t *testing.T) {
	f := openFixture(t, "reference-made", "hdf5", "generic_latest.h5")
	cases := []struct {
		name string
		path string
		read func(d *hdf5.Dataset) error
	}{
		{"strings of floats", "/arrays/f64", func(d *hdf5.Dataset) error { _, err := d.ReadStrings(); return err }},
		{"floats of strings", "/strings/vlen_utf8", func(d *hdf5.Dataset) error { _, err := d.ReadFloat64(); return err }},
		{"refs of ints", "/arrays/i32", func(d *hdf5.Dataset) error { _, err := d.ReadReferences(); return err }},
		{"vlen of floats", "/arrays/f32", func(d *hdf5.Dataset) error { _, err := d.ReadVLenFloat64(); return err }},
		{"compound of ints", "/arrays/i8", func(d *hdf5.Dataset) error { _, err := d.ReadCompound(); return err }},
		{"complex of compound", "/arrays/compound", func(d *hdf5.Dataset) error { _, err := d.ReadComplex128(); return err }},
		{"bad rank", "/arrays/f64_2d", func(d *hdf5.Dataset) error { _, err := d.ReadHyperslab([]uint64{0}, []uint64{1}); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := getDataset(t, f, c.path)
			if err := c.read(d); !errors.Is(err, neurotab.ErrType) {
				t.Errorf("error %v, want neurotab.ErrType", err)
			}
		})
	}
	if _, err := f.Get("/arrays/nope"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("missing path error %v, want neurotab.ErrNotFound", err)
	}
	if _, err := f.Get("/arrays/f64/below"); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("path below a dataset: error %v, want neurotab.ErrNotFound", err)
	}
}

// TestManySoftLinks: 300 soft links in dense storage whose fractal heap
// has an indirect root block; s_k points to /g/c(k mod 30), which holds
// k mod 30 (testdata/make_testdata.py).
func TestManySoftLinks(t *testing.T) {
	f, err := hdf5.Open("testdata/dense_huge.h5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o, err := f.Get("/many")
	if err != nil {
		t.Fatal(err)
	}
	links, err := o.(*hdf5.Group).Links()
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 300 {
		t.Fatalf("%d links, want 300", len(links))
	}
	for k, l := range links {
		target := fmt.Sprintf("/g/c%02d", k%30)
		if l.Name != fmt.Sprintf("s%03d", k) || l.Type != hdf5.SoftLink || l.Target != target {
			t.Fatalf("link %d = %+v, want soft link s%03d -> %s", k, l, k, target)
		}
	}
	for _, k := range []int{0, 77, 299} {
		d := getDataset(t, f, fmt.Sprintf("/many/s%03d", k))
		v, err := d.ReadInt64()
		if err != nil || len(v) != 1 || v[0] != int64(k%30) {
			t.Errorf("s%03d reads %v (%v), want %d", k, v, err, k%30)
		}
	}
}
