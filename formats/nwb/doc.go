// Package nwb reads Neurodata Without Borders (NWB 2.x) files stored in HDF5:
// the Units table as spike trains, RoiResponseSeries (Fluorescence, DfOverF
// or anywhere else in the file) as T×N traces, any DynamicTable, and plain
// datasets by path. It follows the NWB 2.x schema (Rübel et al. 2022, "The
// Neurodata Without Borders ecosystem for neurophysiological data science",
// eLife 11:e78362, doi:10.7554/eLife.78362) and the hdmf-common table types
// it builds on. It is built on the pure-Go reader formats/hdf5 and performs no
// neuroscience homogenization: names, ids and units are reported as stored.
//
// # Notation and orientation
//
// T is the number of time points, N the number of ROIs (columns of a
// RoiResponseSeries), U the number of units. NWB stores time as the first
// dimension, so Series.Data is T×N row-major: element (t, n) is at
// Data[t*N+n]. Times are in seconds, as NWB requires for timestamps,
// starting_time and spike_times. Data values are as stored; the value in
// Series.Unit is Data*Conversion + Offset (see Series.Physical).
//
// # Ragged columns
//
// hdmf-common stores a ragged column as a flat VectorData plus a VectorIndex
// whose element i is the END offset of row i, so row i is
//
//	data[index[i-1] : index[i]]     (index[-1] = 0)
//
// Units.SpikeTimes(i) and Column.Span apply exactly this rule. A
// DynamicTableRegion column holds row numbers of another table (Column.Table
// names it); Series.ROIIDs resolves a series' rois through the
// PlaneSegmentation's id column.
//
// # Opening
//
// The constructors have the shape of every file-backed reader in neurotab:
// Open(path) and NewReader(r io.ReaderAt, size, name) return (*File,
// error), and FromHDF5(h *hdf5.File) (*File, error) reads NWB from an HDF5
// file already open (closing the File closes h).
//
// # Errors and ownership
//
// Errors from the HDF5 layer are returned unchanged: *hdf5.Error values
// naming the file, the object path and the byte offset. Structural faults
// this package finds (an index running backwards, a column whose length
// disagrees with id, a rois row outside its table) are *Error values naming
// the file, the object path and the offset of its header, wrapping
// neurotab.ErrMalformed; a missing path wraps neurotab.ErrNotFound. Nothing
// needs releasing but the File (Close).
// Slices returned by a Units or Series belong to it; do not modify them.
package nwb
