// Package events holds the in-memory form shared by every event-stream
// decoder (formats/evt, formats/dat, formats/nmnist, formats/aedat, …):
// columnar batches of address events, the Decoder interface that streams
// them with its Stats and shared DecodeOptions, the buffered fill loop of
// the word formats (WordReader), the decoding error type, format sniffing,
// and the streaming transforms
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
// # The decoder contract
//
// Every event format (formats/evt, dat, nmnist, aedat, shd, and the CSV/NPY
// event lists of ingest/eventdata) gives the same face:
//
//   - one exported decoder type per format version: Decoder where a package
//     decodes one format (dat.Decoder, nmnist.Decoder), DecoderN per version
//     where versions differ (evt.Decoder2, evt.Decoder3, aedat.Decoder2,
//     aedat.Decoder31, aedat.Decoder4), made by NewDecoder / NewDecoderN;
//     a package-level NewDecoder that picks the version from the header
//     returns the Decoder interface. shd.File is the exception: HDF5 needs
//     random access, so shd.Open(path, opt) and shd.NewReader(r, size, opt)
//     take the place of NewDecoder;
//   - every constructor is NewDecoder(r io.Reader, opt Options) (*T, error):
//     it reads and checks the header, and returns an error, never panics;
//   - each format's Options embeds DecodeOptions, the shared fields (Name
//     for errors, Lenient, Width/Height overrides, BufferSize, MaxBytes),
//     and adds only what is its own (evt's Trigger, aedat's Camera and RawX);
//   - Next(b, max) appends at most max events and returns 0, io.EOF at the
//     end; faults are sticky; Geometry describes the sensor; Stats returns
//     the one Stats type (events, dropped, skipped, triggers, dropped
//     packets);
//   - the formats of fixed-size words or records (EVT 2.0/3.0, DAT,
//     N-MNIST, AEDAT 2.0) share one buffered fill loop, WordReader: the
//     format supplies only the function that decodes buffered words into
//     batch columns.
//
// Errors are *Error values (File, Offset, Err) whose cause wraps a neurotab
// sentinel: ErrTruncated (input ends inside a header, word or packet),
// ErrMalformed (bad magic, header or record type), ErrOutOfRange (a
// coordinate beyond the sensor, a polarity of 2), ErrTimeOrder (time runs
// backwards), ErrTooLarge (a declared size beyond the input or
// DecodeOptions.MaxBytes), ErrUnsupported (a valid format version or
// encoding not decoded here). Under Lenient, faulty events are dropped and
// counted in Stats.Dropped (whole packets in Stats.DroppedPackets) instead.
//
// Package eventstest holds the conformance suite every decoder's tests run:
// the known content of a real fixture, empty input, every truncation,
// strict vs lenient on a damaged copy, and time order.
//
// Memory: nothing here holds Arrow memory; there is nothing to Release.
package events
