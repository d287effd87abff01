package aedat

import "github.com/neurotab/neurotab/formats/events"

// Options configure every decoder of this package. The zero value is usable.
//
// Of the shared options, Lenient skips recoverable faults instead of
// failing: a corrupt or undecompressable packet, an event with negative or
// out-of-range coordinates, a truncated final packet or record; what was
// dropped is counted in Stats. Faults that leave no way to find the next
// packet (a broken version line or file header) still fail. MaxBytes
// bounds header, packet and decompressed sizes. Width and Height override
// the sensor size the file gives (AEDAT 2.0: the camera's).
type Options struct {
	events.DecodeOptions
	// Camera selects the AEDAT 2.0 address layout. CameraAuto (the zero
	// value) takes it from the "# AEChip:" header line and fails when that
	// line is missing or names an unknown chip class.
	Camera Camera
	// RawX keeps the AEDAT 2.0 x address as stored. By default x is
	// mirrored (x = width-1-raw) as jAER's DVS128 and DAVIS extractors do.
	RawX bool
}
