package eventdata

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/aedat"
	"github.com/neurotab/neurotab/internal/fixtures"
	reg "github.com/neurotab/neurotab/internal/registry"
)

func TestLookupNames(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"evt3", "evt3"}, {"EVT3", "evt3"}, {"aedat3", "aedat31"}, {"AEDAT31", "aedat31"}, {"Csv-Events", "csv-events"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Lookup(c.name)
			if err != nil || s.Name != c.want {
				t.Fatalf("Lookup(%q) = %q, %v; want %q", c.name, s.Name, err, c.want)
			}
		})
	}
	for _, c := range []struct{ name, short string }{
		{"evt4", `unknown event source "evt4" (did you mean "evt2"?)`},
		{"nmnst", `unknown event source "nmnst" (did you mean "nmnist"?)`},
		{"tiff", `unknown event source "tiff"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Lookup(c.name)
			var ue *reg.UnknownError
			if !errors.As(err, &ue) || ue.Short() != c.short || !errors.Is(err, neurotab.ErrNotFound) {
				t.Fatalf("Lookup(%q): %v; want %s", c.name, err, c.short)
			}
		})
	}
}

// Detect names real files as their SOURCE.md files say, through
// formats/sniff; an HDF5 file is an event source only in the SHD layout.
func TestDetect(t *testing.T) {
	for _, c := range []struct {
		path []string
		want string
	}{
		{[]string{"tonic", "sample_nmnist.bin"}, "nmnist"},
		{[]string{"tonic", "sample_ncars.dat"}, "dat"},
		{[]string{"tonic", "sample.aedat4"}, "aedat4"},
		{[]string{"expelliarmus", "evt2_sample.raw"}, "evt2"},
		{[]string{"expelliarmus", "evt3_sample.raw"}, "evt3"},
		{[]string{"reference-made", "shd", "shd_like.h5"}, "shd"},
		{[]string{"dag2023", "2022-07-26-31-data.h5"}, ""},
		{[]string{"pynapple", "F.npy"}, ""},
		{[]string{"tonic", "sample_stmnist.mat"}, ""},
	} {
		t.Run(filepath.Join(c.path...), func(t *testing.T) {
			got, err := Detect(fixtures.Path(t, c.path...))
			if err != nil || got != c.want {
				t.Fatalf("Detect = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	if _, err := Detect(filepath.Join(t.TempDir(), "absent.raw")); err == nil {
		t.Fatal("a missing file gave no error")
	}
}

// A folder expands to the files the source reads, sorted: by sniffing for
// the formats with a header, by extension for the generic ones; a folder
// with none is an error naming the folder and what was looked for.
func TestExpand(t *testing.T) {
	dir := t.TempDir()
	e3 := fixtures.CopyTo(t, dir, "a.raw", "expelliarmus", "evt3_sample.raw")
	e2 := fixtures.CopyTo(t, dir, "b.raw", "expelliarmus", "evt2_sample.raw")
	nm := fixtures.CopyTo(t, dir, "c.bin", "tonic", "sample_nmnist.bin")
	csv := filepath.Join(dir, "d.csv")
	os.WriteFile(csv, []byte("t,x,y,p\n1,0,0,1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("lab notes"), 0o644)

	for _, c := range []struct {
		source string
		want   []string
	}{
		{"evt3", []string{e3}},
		{"EVT2", []string{e2}},
		{"nmnist", []string{nm}},
		{"csv-events", []string{csv}},
		{"auto", []string{e3, e2, nm}},
	} {
		t.Run(c.source, func(t *testing.T) {
			got, err := Expand(c.source, []string{dir})
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("Expand = %v, %v; want %v", got, err, c.want)
			}
		})
	}
	_, err := Expand("aedat4", []string{dir})
	if err == nil || !strings.Contains(err.Error(), dir+": folder holds no input: looked for aedat4 files (.aedat4)") || !errors.Is(err, neurotab.ErrNotFound) {
		t.Fatalf("empty folder: %v", err)
	}
}

func TestParseCamera(t *testing.T) {
	for _, c := range []struct {
		in   string
		want aedat.Camera
	}{
		{"", aedat.CameraAuto}, {"auto", aedat.CameraAuto}, {"DVS128", aedat.DVS128}, {"davis240c", aedat.DAVIS240},
		{"davis346", aedat.DAVIS346}, {"Davis640", aedat.DAVIS640},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got, err := ParseCamera(c.in); err != nil || got != c.want {
				t.Errorf("ParseCamera(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		// Through the source, as a run with --camera dvs129 meets it.
		_, err := decodeAll(t, "aedat2", []byte("#!AER-DAT2.0\r\n"), Options{Camera: "dvs129"})
		want := `eventdata: unknown AEDAT 2.0 camera "dvs129" (auto, dvs128, davis240, davis346, davis640): invalid parameter`
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
		if !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("%v does not wrap ErrParam", err)
		}
	})
}
