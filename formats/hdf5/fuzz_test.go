package hdf5_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// exercise opens data as an HDF5 file and reads everything it can with
// small allocation caps; errors are fine, panics and hangs are not.
func exercise(data []byte) {
	f, err := hdf5.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.h5")
	if err != nil {
		return
	}
	f.MaxAlloc = 1 << 22
	objects := 0
	_ = f.Walk(func(p string, o hdf5.Object) error {
		objects++
		if objects > 2000 {
			return neurotab.ErrTooLarge
		}
		if as, err := o.Attrs(); err == nil {
			for _, a := range as {
				_, _ = a.Value()
				_, _ = a.AsStrings()
			}
		}
		if g, ok := o.(*hdf5.Group); ok {
			_ = g.LinkStorage()
			if ls, err := g.Links(); err == nil {
				for _, l := range ls {
					if l.Type == hdf5.SoftLink {
						_, _ = f.Get(p + "/" + l.Name)
					}
				}
			}
		}
		d, ok := o.(*hdf5.Dataset)
		if !ok {
			return nil
		}
		_ = d.Datatype().String()
		if d.Len() > 1<<16 {
			return nil
		}
		switch t := d.Datatype(); {
		case t.Class == hdf5.ClassString || t.IsVarString():
			_, _ = d.ReadStrings()
		case t.Class == hdf5.ClassVLen:
			_, _ = d.ReadVLenFloat64()
		case t.Class == hdf5.ClassReference:
			if refs, err := d.ReadReferences(); err == nil {
				for i, r := range refs {
					if i > 8 {
						break
					}
					_, _ = f.Deref(r)
				}
			}
		case t.Class == hdf5.ClassCompound || t.Class == hdf5.ClassArray || t.Class == hdf5.ClassOpaque:
			_, _ = d.ReadValues()
		default:
			if v, err := d.ReadFloat64(); err == nil && len(v) > 0 {
				sh := d.Shape()
				start := make([]uint64, len(sh))
				count := make([]uint64, len(sh))
				for i := range sh {
					start[i] = sh[i] / 3
					count[i] = sh[i] - start[i]
				}
				_, _ = d.ReadHyperslab(start, count)
			}
		}
		_, _ = d.ChunkCount()
		return nil
	})
}

// FuzzOpen opens, walks and reads arbitrary bytes.
func FuzzOpen(f *testing.F) {
	for _, p := range [][]string{
		{"reference-made", "hdf5", "corrupt_fletcher32.h5"},
		{"reference-made", "hdf5", "generic_sb1_istorek.h5"},
		{"reference-made", "mat_v73", "kato2015_like_v73.mat"},
		{"reference-made", "shd", "shd_like.h5"},
		{"reference-made", "nwb", "ophys_rate.nwb"},
		{"reference-made", "mat_v73", "v73_types.mat"},
		{"reference-made", "mat_v73", "matlab_written", "testhdf5_7.4_GLNX86.mat"},
	} {
		if _, err := fixtures.DataDir(); err != nil && !fixtures.Required() {
			break
		}
		b, err := os.ReadFile(fixtures.Path(f, p...))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, p := range []string{"testdata/userblock1024.h5", "testdata/filters_other.h5", "testdata/dense_huge.h5"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// synthetic seeds: no signature, a bare signature, a truncated v2
	// superblock and a v0 superblock pointing past the end
	f.Add([]byte("not an hdf5 file"))
	f.Add([]byte("\x89HDF\r\n\x1a\n"))
	f.Add([]byte("\x89HDF\r\n\x1a\n\x02\x08\x08\x00"))
	v0 := []byte("\x89HDF\r\n\x1a\n\x00\x00\x00\x00\x00\x08\x08\x00\x04\x00\x10\x00\x00\x00\x00\x00")
	v0 = append(v0, make([]byte, 4*8+40)...)
	v0[len(v0)-40+8] = 0xff
	f.Add(v0)
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := hdf5.NewReader(bytes.NewReader(data), int64(len(data)), "fuzz.h5"); err != nil {
			var e *hdf5.Error
			if !errors.As(err, &e) || e.File != "fuzz.h5" || strings.ContainsAny(err.Error(), "\r\n") ||
				!errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrUnsupported) {
				t.Fatalf("open error %q: want a one-line *hdf5.Error naming fuzz.h5, malformed or unsupported", err)
			}
		}
		exercise(data)
	})
}
