// Package sniff names a file's format from its first and last bytes (and, for
// headerless formats, its name). It is the one place that knows magic
// numbers, used by `neurotab inspect`, `neurotab ingest --source auto` and
// the ingest adapters' matchers (IsHDF5, IsNPY): no ingest package checks a
// signature itself.
//
// A Format's Kind says what ingest does with it: event formats go to the
// events table, Parquet and Arrow files are tables already, and containers
// (HDF5, MAT, NPY, JSON, Zip) need a look at their variables to tell a
// calcium recording from an event or spike file.
package sniff

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/npy"
)

// Format is a file format name.
type Format string

// Formats recognized. Event formats use the names of formats/events.
const (
	Unknown  Format = ""
	Parquet  Format = "parquet"
	ArrowIPC Format = "arrow"
	HDF5     Format = "hdf5" // includes NWB
	MAT5     Format = "mat5"
	MAT73    Format = "mat73" // HDF5 with a 512-byte MATLAB user block
	NPY      Format = "npy"
	Zip      Format = "zip"
	JSON     Format = "json"
)

// Kind is what a format holds, as far as its bytes tell.
type Kind int

// Kinds of formats.
const (
	KindUnknown   Kind = iota // not recognized
	KindEvents                // an event-camera or spike-event stream (events table)
	KindTable                 // a Parquet or Arrow IPC table
	KindContainer             // HDF5, MAT, NPY, JSON or Zip: calcium, events or spikes by its contents
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindEvents:
		return "events"
	case KindTable:
		return "table"
	case KindContainer:
		return "container"
	}
	return "unknown"
}

// Kind says what the format holds.
func (f Format) Kind() Kind {
	switch f {
	case Unknown:
		return KindUnknown
	case Parquet, ArrowIPC:
		return KindTable
	case HDF5, MAT5, MAT73, NPY, Zip, JSON:
		return KindContainer
	}
	return KindEvents // every other name is one of formats/events
}

// IsHDF5 reports whether head holds the HDF5 superblock signature
// (hdf5.Signature) at one of the offsets HDF5Offsets that fall within it.
func IsHDF5(head []byte) bool {
	for _, off := range HDF5Offsets {
		if off+int64(len(hdf5.Signature)) > int64(len(head)) {
			break
		}
		if string(head[off:off+int64(len(hdf5.Signature))]) == hdf5.Signature {
			return true
		}
	}
	return false
}

// IsNPY reports whether head starts with the NumPy .npy magic string
// (npy.Magic).
func IsNPY(head []byte) bool { return bytes.HasPrefix(head, []byte(npy.Magic)) }

// HeadSize is how many leading bytes Head reads: enough for every check of
// this package and for the ingest matchers.
const HeadSize = 4096

// Head returns the first HeadSize bytes of the file at path (fewer when the
// file is shorter).
func Head(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, HeadSize)
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return buf[:n], nil
}

// HDF5Offsets are where an HDF5 superblock may start: 0 and then every power
// of two from 512 (the user block sizes the HDF5 specification allows).
var HDF5Offsets = []int64{0, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536}

// Bytes names the format of a file from its head (at least 128 bytes when the
// file is that long), its tail (the last 8 bytes, may be nil) and its name.
// head must cover offset 512+8 to recognize MATLAB v7.3 files.
func Bytes(head, tail []byte, name string) Format {
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")): // a truncated file is still "Parquet", for a precise error later
		return Parquet
	case bytes.HasPrefix(head, []byte("ARROW1")):
		return ArrowIPC
	case bytes.HasPrefix(head, []byte(hdf5.Signature)):
		return HDF5
	case IsNPY(head):
		return NPY
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip
	}
	if bytes.HasPrefix(head, []byte("MATLAB ")) && len(head) >= 128 {
		if len(head) >= 520 && string(head[512:520]) == hdf5.Signature {
			return MAT73
		}
		// v5: version 0x0100 at 124, endian indicator "IM" or "MI" at 126.
		if e := string(head[126:128]); e == "IM" || e == "MI" {
			return MAT5
		}
	}
	// Event formats, by header and then by name (headerless N-MNIST .bin,
	// DAT and AEDAT 4 files whose header is not recognized); an empty file
	// is nothing.
	if f := events.SniffFile(name, head); f != "" && len(head) > 0 {
		return Format(f)
	}
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '{' || t[0] == '[') && strings.EqualFold(filepath.Ext(name), ".json") {
		return JSON
	}
	return Unknown
}

// File names the format of the file at path. It returns an error only when
// the file cannot be read (an I/O error; a folder gives one wrapping
// neurotab.ErrType); an unrecognized file gives Unknown.
func File(path string) (Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return Unknown, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Unknown, err
	}
	if st.IsDir() {
		return Unknown, fmt.Errorf("%s: is a folder, not a file: %w", path, neurotab.ErrType)
	}
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return Unknown, fmt.Errorf("%s: %w", path, err)
	}
	head = head[:n]
	var tail []byte
	if st.Size() >= 12 {
		tail = make([]byte, 8)
		if _, err := f.ReadAt(tail, st.Size()-8); err != nil {
			return Unknown, fmt.Errorf("%s: %w", path, err)
		}
	}
	if fm := Bytes(head, tail, path); fm != Unknown {
		return fm, nil
	}
	// HDF5 behind a larger user block.
	sig := make([]byte, len(hdf5.Signature))
	for _, off := range HDF5Offsets[1:] {
		if off+int64(len(sig)) > st.Size() {
			break
		}
		if _, err := f.ReadAt(sig, off); err == nil && string(sig) == hdf5.Signature {
			return HDF5, nil
		}
	}
	return Unknown, nil
}
