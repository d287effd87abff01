package hdf5_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// readAll opens data and reads every object, attribute and (small) dataset,
// returning the first error.
func readAll(data []byte, name string) error {
	f, err := hdf5.NewReader(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return err
	}
	f.MaxAlloc = 1 << 24
	return f.Walk(func(p string, o hdf5.Object) error {
		as, err := o.Attrs()
		if err != nil {
			return err
		}
		for _, a := range as {
			if _, err := a.Value(); err != nil && !errors.Is(err, neurotab.ErrUnsupported) {
				return err
			}
		}
		d, ok := o.(*hdf5.Dataset)
		if !ok {
			return nil
		}
		if _, err := d.ReadRaw(); err != nil && !errors.Is(err, neurotab.ErrUnsupported) {
			return err
		}
		return nil
	})
}

// TestTruncatedCopies cuts real files short at many places: every cut that
// loses something the reader needs gives a one-line *hdf5.Error naming the
// file and wrapping neurotab.ErrMalformed, and a cut inside the data or a
// header read past the end of the file wraps neurotab.ErrTruncated.
func TestTruncatedCopies(t *testing.T) {
	dir := fixtures.Path(t, "reference-made", "hdf5")
	files := []string{
		filepath.Join(dir, "generic_earliest.h5"),
		filepath.Join(dir, "generic_latest.h5"),
		filepath.Join(dir, "generic_sb1_istorek.h5"),
		filepath.Join("testdata", "userblock1024.h5"),
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := readAll(data, "whole.h5"); err != nil {
				t.Fatalf("whole file: %v", err)
			}
			failed, truncated := 0, 0
			for i := 1; i < 64; i++ {
				n := len(data) * i / 64
				name := fmt.Sprintf("cut%d.h5", n)
				err := readAll(data[:n], name)
				if err == nil {
					continue // the cut kept everything read (e.g. only free space lost)
				}
				failed++
				if errors.Is(err, neurotab.ErrTruncated) {
					truncated++
				}
				var e *hdf5.Error
				switch {
				case !errors.Is(err, neurotab.ErrMalformed):
					t.Errorf("cut at %d: %v does not wrap ErrMalformed", n, err)
				case !errors.As(err, &e) || e.File != name:
					t.Errorf("cut at %d: %v is not an *hdf5.Error naming %s", n, err, name)
				case bytes.ContainsAny([]byte(err.Error()), "\n\r"):
					t.Errorf("cut at %d: error of more than one line: %q", n, err)
				}
			}
			// The data sections take most of each file: most cuts fall in
			// them, and reading past the end is ErrTruncated.
			if failed < 32 || truncated < failed/2 {
				t.Errorf("%d of 63 cuts failed, %d with ErrTruncated", failed, truncated)
			}
		})
	}
}

// TestNotHDF5 names the file and says what is missing.
func TestNotHDF5(t *testing.T) {
	data := bytes.Repeat([]byte("MATLAB 5.0 MAT-file "), 200)
	_, err := hdf5.NewReader(bytes.NewReader(data), int64(len(data)), "x.mat")
	want := "x.mat: no superblock signature at offset 0, 512, 1024, …: not an HDF5 file: malformed input"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	if !errors.Is(err, neurotab.ErrMalformed) || errors.Is(err, neurotab.ErrTruncated) {
		t.Errorf("%v: want ErrMalformed, not ErrTruncated", err)
	}
}

// TestSignature checks the exported signature against the specification's
// bytes (HDF5 File Format Specification 3.0, "Format Signature":
// \211 H D F \r \n \032 \n) and against the start of a real file.
func TestSignature(t *testing.T) {
	if want := []byte{0x89, 'H', 'D', 'F', 0x0d, 0x0a, 0x1a, 0x0a}; hdf5.Signature != string(want) {
		t.Errorf("Signature % x, want % x", hdf5.Signature, want)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "dense_huge.h5"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(hdf5.Signature)) {
		t.Errorf("testdata/dense_huge.h5 starts % x", data[:8])
	}
}
