package eventdata

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/aedat"
	"github.com/neurotab/neurotab/formats/dat"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
	"github.com/neurotab/neurotab/formats/nmnist"
	"github.com/neurotab/neurotab/formats/shd"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/ingest"
	reg "github.com/neurotab/neurotab/internal/registry"
)

// Options are the decoder settings a user can give on the command line.
type Options struct {
	Lenient bool // keep going past recoverable faults, counting dropped events
	Width   int  // sensor width override (0: from the file or the format)
	Height  int  // sensor height override
	// Camera is the AEDAT 2.0 address layout: "auto" (from the header),
	// "dvs128", "davis240", "davis346" or "davis640".
	Camera string
	// Columns maps a generic CSV/NPY event list's columns (csv-events, npy-events).
	Columns ColumnMap
}

// decodeOptions are the shared decoder options of o for the file name.
func (o Options) decodeOptions(name string) events.DecodeOptions {
	return events.DecodeOptions{Name: name, Lenient: o.Lenient, Width: o.Width, Height: o.Height}
}

// Source is one event file format.
type Source struct {
	Name        string
	Description string
	Citation    string
	// Exts are the file name extensions of the format (lower case, with the
	// dot), used to pick the files of a folder that sniffing cannot name
	// (headerless and generic formats).
	Exts []string
	// TimeBase is what the format's t counts from (events.Geometry.TimeBase):
	// recorded in the events table's metadata.
	TimeBase string
	// Aliases are other names Lookup accepts ("aedat3" for aedat31).
	Aliases []string
	// Open returns a decoder reading r; name is used in errors.
	Open func(r io.Reader, name string, o Options) (events.Decoder, error)
	// OpenFile, when set instead of Open, opens a random-access format
	// (HDF5) by path; the closer releases the file.
	OpenFile func(path string, o Options) (events.Decoder, io.Closer, error)
}

var sources = []Source{
	{Name: "nmnist", TimeBase: "sample", Description: "N-MNIST / N-Caltech101 .bin (5-byte records, 34×34 for N-MNIST)",
		Citation: "Orchard et al. 2015, Front. Neurosci. 9:437, doi:10.3389/fnins.2015.00437",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			do := o.decodeOptions(name)
			if do.Width == 0 {
				do.Width, do.Height = nmnist.NMNISTWidth, nmnist.NMNISTHeight
			}
			return nmnist.NewDecoder(r, nmnist.Options{DecodeOptions: do})
		}},
	{Name: "dat", TimeBase: "device", Description: "Prophesee .dat CD events (N-CARS, ATIS/Gen1 recordings)",
		Citation: "Prophesee DAT format; Sironi et al. 2018, CVPR (N-CARS), doi:10.1109/CVPR.2018.00186",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			return dat.NewDecoder(r, dat.Options{DecodeOptions: o.decodeOptions(name)})
		}},
	{Name: "evt2", TimeBase: "device", Description: "Prophesee EVT 2.0 .raw",
		Citation: "Prophesee EVT 2.0 format specification (Metavision SDK docs)",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			return explicitEVT(evt.NewDecoder2(r, evt.Options{DecodeOptions: o.decodeOptions(name)}))
		}},
	{Name: "evt3", TimeBase: "device", Description: "Prophesee EVT 3.0 .raw (vectorized events)",
		Citation: "Prophesee EVT 3.0 format specification (Metavision SDK docs)",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			return explicitEVT(evt.NewDecoder3(r, evt.Options{DecodeOptions: o.decodeOptions(name)}))
		}},
	{Name: "aedat4", TimeBase: "unix", Description: "iniVation AEDAT 4.0 (DV): FlatBuffers packets, LZ4/Zstd",
		Citation: "iniVation AEDAT 4.0 format documentation",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			return aedat.NewDecoder4(r, aedat.Options{DecodeOptions: o.decodeOptions(name)})
		}},
	{Name: "aedat31", TimeBase: "device", Description: "iniVation AEDAT 3.1 (cAER): 28-byte packet headers",
		Citation: "iniVation AEDAT 3.1 format documentation",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			return aedat.NewDecoder31(r, aedat.Options{DecodeOptions: o.decodeOptions(name)})
		}},
	{Name: "aedat2", TimeBase: "device", Description: "jAER AEDAT 2.0: big-endian address/timestamp pairs, camera layout by --camera",
		Citation: "jAER AEDAT 2.0 format documentation (Delbruck et al.)",
		Open: func(r io.Reader, name string, o Options) (events.Decoder, error) {
			cam, err := ParseCamera(o.Camera)
			if err != nil {
				return nil, err
			}
			return aedat.NewDecoder2(r, aedat.Options{DecodeOptions: o.decodeOptions(name), Camera: cam})
		}},
	{Name: "shd", TimeBase: "sample", Description: "Spiking Heidelberg Digits / SSC-style HDF5: spikes/times + spikes/units per sample, labels (each sample its own sample id; x = channel)",
		Citation: "Cramer et al. 2022, IEEE TNNLS 33(7):2744, doi:10.1109/TNNLS.2020.3044364",
		OpenFile: func(path string, o Options) (events.Decoder, io.Closer, error) {
			f, err := shd.Open(path, shd.Options{DecodeOptions: o.decodeOptions(path)})
			if err != nil {
				return nil, nil, err
			}
			return f, f, nil
		}},
	{Name: "csv-events", TimeBase: "as-given", Description: "generic CSV/TSV event list with a header; columns and time unit by --columns/--time-unit (polarity -1 is read as 0)",
		Citation: "generic", Open: newCSVDecoder},
	{Name: "npy-events", TimeBase: "as-given", Description: "generic 2-D NumPy array, events × columns (default order t, x, y, p); --columns by index",
		Citation: "generic", Open: newNPYDecoder},
}

// explicitEVT returns the decoder an explicit --source evt2 or evt3 chose:
// that version decodes the file whatever it is (a header-less file included),
// and a header naming the other version is an error that says which source
// to use.
func explicitEVT[D events.Decoder](d D, err error) (events.Decoder, error) {
	if err != nil {
		if errors.Is(err, evt.ErrOtherVersion) {
			return nil, fmt.Errorf("%w (use --source auto, or the version the header names)", err)
		}
		return nil, err
	}
	return d, nil
}

// ParseCamera reads the AEDAT 2.0 camera name of Options.Camera, ignoring
// case: "" or auto (from the file's header), dvs128, davis240 (davis240c),
// davis346 or davis640. Any other name is an error wrapping
// neurotab.ErrParam.
func ParseCamera(s string) (aedat.Camera, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return aedat.CameraAuto, nil
	case "dvs128":
		return aedat.DVS128, nil
	case "davis240", "davis240c":
		return aedat.DAVIS240, nil
	case "davis346":
		return aedat.DAVIS346, nil
	case "davis640":
		return aedat.DAVIS640, nil
	}
	return aedat.CameraAuto, fmt.Errorf("eventdata: unknown AEDAT 2.0 camera %q (auto, dvs128, davis240, davis346, davis640): %w", s, neurotab.ErrParam)
}

// sourceExts are the file name extensions of each source (Source.Exts).
var sourceExts = map[string][]string{
	"nmnist": {".bin"}, "dat": {".dat"}, "evt2": {".raw"}, "evt3": {".raw"}, "aedat4": {".aedat4"},
	"aedat31": {".aedat", ".aedat3"}, "aedat2": {".aedat"}, "shd": {".h5", ".hdf5"},
	"csv-events": {".csv", ".tsv"}, "npy-events": {".npy"},
}

// registry holds the sources; names are case-insensitive, and "aedat3"
// (the name formats/events sniffs) is an alias of aedat31.
var registry = func() *reg.Registry[Source] {
	r := reg.New[Source]("event source")
	for _, s := range sources {
		s.Exts = sourceExts[s.Name]
		if s.Name == "aedat31" {
			s.Aliases = []string{events.FormatAEDAT3}
		}
		r.Add(s.Name, s, s.Aliases...)
	}
	return r
}()

// Sources lists the event formats by name.
func Sources() []Source {
	out := registry.Values()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a source by name, ignoring case; "aedat3" is an alias of
// aedat31. An unknown name gives a *registry.UnknownError (wrapping
// neurotab.ErrNotFound) that suggests the closest name.
func Lookup(name string) (Source, error) { return registry.Lookup(name) }

// Detect names the source of the file at path from what formats/sniff
// recognizes, or returns "" when it is not an event format this package
// reads. An HDF5 file is an event source only in the SHD layout; the generic
// CSV and NPY event lists are never detected (name them).
func Detect(path string) (string, error) {
	f, err := sniff.File(path)
	if err != nil {
		return "", err
	}
	switch {
	case f == sniff.HDF5:
		if h, err := shd.Open(path, shd.Options{}); err == nil {
			h.Close()
			return "shd", nil
		}
		return "", nil
	case f.Kind() != sniff.KindEvents:
		return "", nil
	}
	return registry.Canonical(string(f)), nil
}

// Reads reports whether the source reads the file at path: sniffing names
// this source, or names none and the file has one of the source's
// extensions. It picks a folder's files (Expand).
func (s Source) Reads(path string) bool {
	name, err := Detect(path)
	if err != nil {
		return false
	}
	if name != "" {
		return name == s.Name
	}
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range s.Exts {
		if ext == e {
			return true
		}
	}
	return false
}

// Expand replaces each folder among paths by the files in it that source
// reads ("auto" or "": every file Detect names), sorted; see ingest.Expand.
func Expand(source string, paths []string) ([]string, error) {
	if source == "" || source == "auto" {
		reads := func(p string) bool { n, err := Detect(p); return err == nil && n != "" }
		return ingest.Expand(paths, reads, nil, "event files (a format named by its header, or .bin N-MNIST)")
	}
	s, err := Lookup(source)
	if err != nil {
		return nil, err
	}
	return ingest.Expand(paths, s.Reads, nil, s.Name+" files ("+strings.Join(s.Exts, ", ")+")")
}

// bufferedReader gives decoders large reads.
func bufferedReader(r io.Reader) io.Reader { return bufio.NewReaderSize(r, 1<<20) }
