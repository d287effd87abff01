// Package eventdata converts event-camera and cochlea recordings (N-MNIST,
// Prophesee DAT/EVT2/EVT3, AEDAT 2.0/3.1/4.0, …) into the events table,
// streaming: a file of any size converts in memory bounded by a few record
// batches.
//
// A Source names a format and opens its decoder (formats/…); Convert runs
// one or many files into a Parquet file, a file per input sample being
// tagged with its sample id, and reports per-file outcomes so one bad file
// does not stop a batch.
package eventdata
