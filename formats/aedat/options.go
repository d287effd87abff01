package aedat

// DefaultMaxPacketBytes bounds any single header, packet (compressed or
// decompressed) or data table when Options.MaxPacketBytes is 0: 256 MiB,
// far above what DV and cAER write (DV's packets are a few MiB at most).
const DefaultMaxPacketBytes = 256 << 20

// Options configure every decoder of this package. The zero value is usable.
type Options struct {
	// Name is the file name used in error messages.
	Name string
	// Lenient skips recoverable faults instead of failing: a corrupt or
	// undecompressable packet, an event with negative or out-of-range
	// coordinates, a truncated final packet or record. What was dropped is
	// counted in the decoder's Stats. Faults that leave no way to find the
	// next packet (a broken version line or file header) still fail.
	Lenient bool
	// MaxPacketBytes bounds header, packet and decompressed sizes; 0 means
	// DefaultMaxPacketBytes.
	MaxPacketBytes int
	// Camera selects the AEDAT 2.0 address layout. CameraAuto (the zero
	// value) takes it from the "# AEChip:" header line and fails when that
	// line is missing or names an unknown chip class.
	Camera Camera
	// RawX keeps the AEDAT 2.0 x address as stored. By default x is
	// mirrored (x = width-1-raw) as jAER's DVS128 and DAVIS extractors do.
	RawX bool
}

func (o *Options) maxBytes() int {
	if o.MaxPacketBytes > 0 {
		return o.MaxPacketBytes
	}
	return DefaultMaxPacketBytes
}

// Stats counts what a decoder delivered, skipped and dropped so far.
type Stats struct {
	// Events is the number of polarity events appended to batches.
	Events int64
	// Skipped counts records that are not polarity events and were skipped
	// by design: non-event packets' elements are not counted here (see the
	// per-stream counts), but AEDAT 2.0 APS samples, IMU samples and
	// external-input events, and AEDAT 3.1 invalid-marked polarity events are.
	Skipped int64
	// Dropped counts events lost to faults skipped under Options.Lenient
	// (where the count is known: an undecompressable packet's events are
	// unknown and counted in DroppedPackets only).
	Dropped int64
	// DroppedPackets counts packets skipped under Options.Lenient.
	DroppedPackets int64
}
