package hdf5_test

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"testing"
	"unicode/utf16"

	"github.com/neurotab/neurotab/formats/hdf5"
)

// TestManifestMAT73 reads the MATLAB v7.3 files as plain HDF5: the 512-byte
// user block, the top-level objects and their MATLAB_class attributes, and
// the values of the numeric, logical and char variables, all as
// manifest.json states them (MATLAB dims are the HDF5 dims reversed; values
// are column-major, i.e. the stored row-major order).
func TestManifestMAT73(t *testing.T) {
	dir, m := loadManifest(t)
	var names []string
	for name, fe := range m.Files {
		if fe["format"] == "mat73" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) != 5 {
		t.Fatalf("%d mat73 files in the manifest, want 5", len(names))
	}
	for _, name := range names {
		fe := m.Files[name]
		t.Run(name, func(t *testing.T) {
			f, err := hdf5.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			hdr := fe["header"].(map[string]any)
			if f.UserBlockSize() != int64(num(t, hdr["userblock_size"])) {
				t.Errorf("user block %d, want %v", f.UserBlockSize(), hdr["userblock_size"])
			}
			if float64(f.SuperblockVersion()) != num(t, fe["superblock_version"]) {
				t.Errorf("superblock %d, want %v", f.SuperblockVersion(), fe["superblock_version"])
			}
			n := 0
			if err := f.Walk(func(string, hdf5.Object) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			top := fe["hdf5_top"].(map[string]any)
			for vname, v := range top {
				w := v.(map[string]any)
				o, err := f.Get("/" + vname)
				if err != nil {
					t.Fatal(err)
				}
				switch w["kind"] {
				case "group":
					if _, ok := o.(*hdf5.Group); !ok {
						t.Errorf("%s is %T, want group", vname, o)
					}
				case "dataset":
					if _, ok := o.(*hdf5.Dataset); !ok {
						t.Errorf("%s is %T, want dataset", vname, o)
					}
				}
				a, err := o.Attr("MATLAB_class")
				if err != nil {
					t.Fatal(err)
				}
				cls, err := a.AsString()
				if err != nil || cls != w["MATLAB_class"] {
					t.Errorf("%s MATLAB_class %q (%v), want %v", vname, cls, err, w["MATLAB_class"])
				}
			}
			for vname, v := range fe["variables"].(map[string]any) {
				w := v.(map[string]any)
				o, err := f.Get("/" + vname)
				if err != nil {
					t.Fatal(err)
				}
				d, ok := o.(*hdf5.Dataset)
				if !ok || w["sparse"] == true {
					continue
				}
				if _, err := d.Attr("MATLAB_empty"); err == nil {
					continue
				}
				dims := w["dims"].([]any)
				shape := d.Shape()
				if len(shape) != len(dims) {
					t.Errorf("%s: shape %v for MATLAB dims %v", vname, shape, dims)
					continue
				}
				for i := range dims {
					if float64(shape[len(shape)-1-i]) != num(t, dims[i]) {
						t.Errorf("%s: shape %v is not MATLAB dims %v reversed", vname, shape, dims)
					}
				}
				switch w["class"] {
				case "cell", "struct":
				case "char":
					want, ok := w["value"].(string)
					if !ok {
						continue
					}
					u, err := d.ReadUint16()
					if err != nil {
						t.Fatal(err)
					}
					if got := string(utf16.Decode(u)); got != want {
						t.Errorf("%s = %q, want %q", vname, got, want)
					}
				default:
					if data, ok := w["data"].(map[string]any); ok {
						t.Run(vname, func(t *testing.T) { checkData(t, d, data) })
					}
				}
			}
		})
	}
}

var _ = json.Number("")

// TestMATLABFields: MATLAB_fields is a vlen sequence of 1-character strings
// per field name; h5py reads ['worm', 'fps'] from /s of the hand-made file
// (gen.py writes the struct s with fields worm and fps).
func TestMATLABFields(t *testing.T) {
	f := openFixture(t, "reference-made", "mat_v73", "v73_by_hand_h5py.mat")
	o, err := f.Get("/s")
	if err != nil {
		t.Fatal(err)
	}
	a, err := o.Attr("MATLAB_fields")
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.AsStrings()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "worm" || got[1] != "fps" {
		t.Errorf("MATLAB_fields %q, want [worm fps]", got)
	}
	if s := a.Type.String(); s != "vlen<str[1]>" {
		t.Errorf("type %s, want vlen<str[1]>", s)
	}
}
