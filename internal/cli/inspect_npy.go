package cli

import (
	"fmt"
	"io"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/sniff"
)

func init() {
	inspectors[sniff.NPY] = inspectNPY
}

// ArrayInfo is what inspect reports for a NumPy .npy file: its header,
// read without the data (whose size is checked against the file).
type ArrayInfo struct {
	Shape       []int  `json:"shape"`        // NumPy shape; [] for a 0-d scalar
	Dtype       string `json:"dtype"`        // descr, e.g. "<f4"
	Order       string `json:"order"`        // "C" (row-major) or "F" (fortran_order)
	Version     string `json:"version"`      // format version, e.g. "1.0"
	HeaderBytes int64  `json:"header_bytes"` // preamble and header: the offset of the data
	DataBytes   int64  `json:"data_bytes"`   // bytes of the elements
}

func inspectNPY(path string) (*InspectReport, error) {
	h, err := npy.OpenHeader(path)
	if err != nil {
		return nil, err
	}
	a := &ArrayInfo{Shape: h.Shape, Dtype: h.Dtype, Order: "C", Version: fmt.Sprintf("%d.%d", h.Major, h.Minor),
		HeaderBytes: h.DataOffset, DataBytes: h.DataBytes}
	if a.Shape == nil {
		a.Shape = []int{}
	}
	if h.FortranOrder {
		a.Order = "F"
	}
	return &InspectReport{File: path, Format: "npy", Array: a}, nil
}

func (a *ArrayInfo) print(w io.Writer) {
	if a == nil {
		return
	}
	fmt.Fprintf(w, "shape:   %v\ndtype:   %s\norder:   %s\nversion: %s\nheader:  %d bytes (data at offset %d, %d bytes)\n",
		a.Shape, a.Dtype, a.Order, a.Version, a.HeaderBytes, a.HeaderBytes, a.DataBytes)
}
