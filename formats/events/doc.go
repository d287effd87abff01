// Package events holds the in-memory form shared by every event-stream
// decoder (formats/evt, formats/dat, formats/nmnist, formats/aedat, …):
// columnar batches of address events, the Decoder interface that streams
// them, the decoding error type, format sniffing, and the streaming transforms
// users of tonic reach for first.
//
// Notation: one event is (t, x, y, p) with t in microseconds (int64, from the
// recording's time origin), x and y pixel coordinates (uint16; 1-D sensors such
// as cochleas use x = channel and y = 0) and p the polarity (int8: 1 on, 0 off).
// W and H are the sensor width and height in pixels, B the number of time bins.
// This is the events table of DESIGN.md; formats/table turns a Batch into an
// Arrow record.
//
// Transforms are small structs whose exported fields are the parameters and
// whose unexported fields carry state from one batch to the next, so a stream
// decoded batch by batch gives the same result as the whole recording at once:
//
//	Downsample      x, y divided by an integer factor
//	MergePolarity   every polarity set to 0 (one channel)
//	Refractory      per-pixel refractory period (drop events < R µs after the last kept one)
//	Denoise         drop events with no recent event in the 8- (or 4-) neighbourhood
//	TimeSlicer      cut the stream into fixed-duration windows
//	CountSlicer     cut the stream into windows of N events
//	FrameBinner     per-pixel event counts in fixed time bins, [B][P][H][W]
//	RateBinner      per-channel rates (Hz) in fixed time bins for 1-D / spike data
//
// Filters implement Transform: Apply(dst, src) writes the result into dst and
// dst may be src (in-place). Slicers and binners hand finished windows or
// frames to a callback; the slices passed to the callback are owned by the
// operator and valid only during the call.
//
// Memory: nothing here holds Arrow memory; there is nothing to Release.
package events
