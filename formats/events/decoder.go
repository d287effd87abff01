package events

import "io"

// Decoder streams events. Next appends up to max events (max > 0) to b and
// returns the number appended; it returns 0, io.EOF at the end of the
// stream. A fault returns the events decoded before it and an error naming
// the file and the location (an *Error for the byte-stream formats); every
// later call returns the same error. Stats counts what was decoded, dropped
// and skipped so far.
type Decoder interface {
	Next(b *Batch, max int) (int, error)
	Geometry() Geometry
	Stats() Stats
}

// Stats counts what a decoder saw besides the events it returned. The
// counts are the same for every format; a format that has no such records
// leaves a count at 0.
type Stats struct {
	// Events is the number of events appended to batches.
	Events int64
	// Dropped counts events lost: faulty events skipped under
	// DecodeOptions.Lenient (a coordinate beyond the sensor, a time running
	// backwards, a truncated last record), and events the stream gives no
	// time or row for (EVT words before the first TIME_HIGH).
	Dropped int64
	// Skipped counts records that are not events and are skipped by design:
	// vendor words, APS and IMU samples, triggers, events marked invalid,
	// and under Lenient faulty non-event words.
	Skipped int64
	// Triggers counts external-trigger records (EVT EXT_TRIGGER, AEDAT 2.0
	// external input events), also counted in Skipped.
	Triggers int64
	// DroppedPackets counts whole packets (AEDAT 3.1, 4.0) skipped under
	// Lenient; their events are in Dropped when the packet header gave
	// their number.
	DroppedPackets int64
}

// DefaultMaxBytes bounds any header, packet (compressed or decompressed) or
// table a decoder allocates for when DecodeOptions.MaxBytes is 0: 256 MiB,
// far above what cameras write (DV's packets are a few MiB at most).
const DefaultMaxBytes = 256 << 20

// DefaultBufferSize is the read buffer of WordReader when
// DecodeOptions.BufferSize is 0.
const DefaultBufferSize = 1 << 20

// DecodeOptions are the options every decoder shares; each format's Options
// embeds them. The zero value decodes strictly with the geometry the file
// gives.
type DecodeOptions struct {
	// Name is the file name used in errors (Error.File).
	Name string
	// Lenient drops and counts faulty events (Stats.Dropped) and faulty
	// non-event records (Stats.Skipped) instead of failing. Faults that leave
	// no way to find the next record (a broken header) still fail.
	Lenient bool
	// Width and Height override the sensor size of the file when > 0. The
	// word and record formats (EVT, DAT, N-MNIST, AEDAT 2.0) check
	// coordinates against the sensor size; AEDAT 3.1 and 4.0 report it in
	// Geometry only (their events carry 15- and 16-bit coordinates and
	// streams of other sizes).
	Width, Height int
	// BufferSize is the read buffer of the word and record formats (EVT,
	// DAT, N-MNIST, AEDAT 2.0) in bytes; DefaultBufferSize when 0.
	BufferSize int
	// MaxBytes bounds every size read from the file that the decoder
	// allocates for (AEDAT headers, packets and tables, HDF5 datasets);
	// DefaultMaxBytes when 0.
	MaxBytes int
}

// MaxAlloc returns MaxBytes, or DefaultMaxBytes when it is 0.
func (o DecodeOptions) MaxAlloc() int {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// Size returns the sensor size: the file's (w, h) with the Width and Height
// overrides applied.
func (o DecodeOptions) Size(w, h int) (int, int) {
	if o.Width > 0 {
		w = o.Width
	}
	if o.Height > 0 {
		h = o.Height
	}
	return w, h
}

// ReadAll drains d into one batch. Meant for tests and small files; streaming
// callers loop on Next instead.
func ReadAll(d Decoder) (*Batch, error) {
	b := &Batch{}
	for {
		_, err := d.Next(b, 1<<16)
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
