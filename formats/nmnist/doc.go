// Package nmnist decodes the 40-bit event files of N-MNIST and N-Caltech101
// (Orchard et al. 2015, "Converting Static Image Datasets to Spiking
// Neuromorphic Datasets Using Saccades", Front. Neurosci. 9:437,
// doi:10.3389/fnins.2015.00437; format notes of the dataset download).
//
// The files have no header. Each event is 5 bytes:
//
//	byte 0            x (pixels)
//	byte 1            y (pixels)
//	byte 2 bit 7      polarity (1 ON, 0 OFF)
//	byte 2 bits 6..0, byte 3, byte 4   23-bit timestamp, µs, most significant first
//
// The ATIS sensor's 23-bit timer wraps every 2^23 µs (8.39 s). The recorder
// then writes a timestamp-overflow marker: a record with y = 240 (a row the
// 304 x 240 sensor does not have). The marker is not an event; every later
// timestamp is 2^23 µs later than its 23 bits say. (tonic's and the original
// MATLAB reader add 2^13 instead, which is not the period of a 23-bit
// counter; recordings in the datasets are far shorter than 8.39 s, so the
// difference never shows in them.)
//
// N-MNIST images are 34 x 34 pixels, N-Caltech101 up to 240 x 180; the file
// does not say which, so Options.Width/Height give the geometry.
//
// Nothing here holds Arrow memory; there is nothing to Release.
package nmnist
