// Package sniff names a file's format from its first and last bytes (and, for
// headerless formats, its name). It is the one place that knows magic
// numbers, used by `neurotab inspect` and `neurotab ingest --source auto`.
package sniff

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab/formats/events"
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

var hdf5Magic = []byte("\x89HDF\r\n\x1a\n")

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
	case bytes.HasPrefix(head, hdf5Magic):
		return HDF5
	case bytes.HasPrefix(head, []byte("\x93NUMPY")):
		return NPY
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip
	}
	if bytes.HasPrefix(head, []byte("MATLAB ")) && len(head) >= 128 {
		if len(head) >= 520 && bytes.Equal(head[512:520], hdf5Magic) {
			return MAT73
		}
		// v5: version 0x0100 at 124, endian indicator "IM" or "MI" at 126.
		if e := string(head[126:128]); e == "IM" || e == "MI" {
			return MAT5
		}
	}
	if f := events.Sniff(head); f != "" {
		return Format(f)
	}
	if strings.EqualFold(filepath.Ext(name), ".bin") {
		return Format(events.FormatNMNIST)
	}
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '{' || t[0] == '[') && strings.EqualFold(filepath.Ext(name), ".json") {
		return JSON
	}
	return Unknown
}

// File names the format of the file at path. It returns an error only when
// the file cannot be read; an unrecognized file gives Unknown.
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
		return Unknown, fmt.Errorf("%s: is a folder, not a file", path)
	}
	head := make([]byte, 4096)
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
	sig := make([]byte, 8)
	for _, off := range HDF5Offsets[1:] {
		if off+8 > st.Size() {
			break
		}
		if _, err := f.ReadAt(sig, off); err == nil && bytes.Equal(sig, hdf5Magic) {
			return HDF5, nil
		}
	}
	return Unknown, nil
}
