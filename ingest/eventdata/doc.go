// Package eventdata converts event-camera and cochlea recordings (N-MNIST,
// Prophesee DAT/EVT2/EVT3, AEDAT 2.0/3.1/4.0, SHD, generic CSV/NPY lists)
// into the events table, streaming: a file of any size converts in memory
// bounded by a few record batches.
//
// A Source names a format and opens its decoder (formats/…); sources are
// looked up by name, case-insensitive (Lookup), or detected from the file
// by formats/sniff (Detect). ToFile runs many inputs into one Parquet file,
// each tagged with its sample id; ToDir writes one partition per input.
// Both take []ingest.Input and return []ingest.FileResult, so one bad file
// is reported and does not stop a batch. Durations (filters, bin widths) are
// time.Duration, applied at the table's whole-microsecond resolution.
package eventdata
