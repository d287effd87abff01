// Package aedat decodes the AEDAT event-camera file formats of iniVation
// (DV, cAER) and jAER into columnar event batches (formats/events).
//
// Three versions are read, each by its own streaming decoder:
//
//   - AEDAT 4.0 (DV, dv-processing): NewDecoder4. A version line
//     "#!AER-DAT4.0\r\n", an int32 length and an IOHeader FlatBuffer
//     (compression, data table position, an XML info node naming the
//     streams), then packets: int32 stream id, int32 size, and a packet body
//     that is a size-prefixed FlatBuffer, compressed with the file's codec
//     (none, LZ4 frame or Zstandard). Event packets ("EVTS") hold 16-byte
//     Event structs {int64 timestamp; int16 x; int16 y; bool polarity}.
//     IMU ("IMUS"), frame ("FRME") and trigger ("TRIG") packets are counted
//     and skipped (Decoder4.Streams gives per-stream packet and element
//     counts). The FileDataTable ("FTAB") at the end is read when the
//     stream reaches it and is available from DataTable; ReadDataTable4
//     reads it alone from an io.ReaderAt. LZ4 frames are decoded here on
//     pierrec/lz4's block decoder (linked or independent blocks, output
//     bounded before it is written; frame checksums are skipped, not
//     verified); Zstandard by klauspost/compress.
//   - AEDAT 3.1 (cAER): NewDecoder31. "#" header lines ending with
//     "#!END-HEADER\r\n", then packets with a 28-byte little-endian header;
//     polarity packets (type 1) carry 8-byte events whose 31-bit timestamps
//     the packet's overflow counter extends to 64 bits. Other event types
//     are counted per type (Packets) and skipped unread.
//   - AEDAT 2.0 (jAER): NewDecoder2. "#" header lines, then big-endian
//     (int32 address, int32 timestamp) pairs; the address layout belongs to
//     the camera class (Camera: DVS128, DAVIS240, DAVIS346, DAVIS640). APS
//     samples, IMU samples and external-input events are counted (Counts)
//     and skipped.
//
// NewDecoder sniffs the version line and picks the decoder; Sniff reports the
// version of a header prefix.
//
// Notation and units follow formats/events: t is int64 microseconds, x and y
// are pixel coordinates (uint16), p is the polarity (int8: 1 ON/increase,
// 0 OFF/decrease).
//
//   - AEDAT 4.0 timestamps are absolute (µs since the Unix epoch, as DV
//     writes them), so Geometry().TimeOrigin is 0: t = 0 is the epoch.
//   - AEDAT 3.1 timestamps are device time (µs since the device's timestamp
//     reset); AEDAT 2.0 timestamps are 32-bit device time extended across
//     wrap-arounds. Their TimeOrigin is 0 (unknown); the header's creation
//     time is reported by Header2/Header31 but is not the device's time base.
//
// Errors. Malformed input returns an *events.Error naming the file, the byte
// offset and the fault in one line; it wraps one of the neurotab sentinels
// ErrMalformed (a bad version line, FlatBuffer or packet header),
// ErrOutOfRange (impossible coordinates or timestamps), ErrTruncated,
// ErrTooLarge or ErrUnsupported (use errors.Is). No length read
// from a file is trusted for an allocation: packet and header sizes are
// bounded by Options.MaxBytes and by the input's size when it is
// known, buffers grow only as bytes actually arrive, and decompressed sizes
// are bounded too. With Options.Lenient the decoders skip recoverable faults
// (a corrupt packet, a truncated tail, an event with impossible coordinates)
// and count what they dropped in Stats.
//
// Specifications: iniVation "AEDAT File Formats" (docs.inivation.com,
// software/software-advanced-usage/file-formats: aedat-4.0, aedat-3.1,
// aedat-2.0); dv-processing FlatBuffers schemas IOHeader.fbs, FileDataTable.fbs
// and events.fbs; libcaer events/common.h and events/polarity.h (3.1 packet
// header, TS_OVERFLOW_SHIFT = 31); jAER DavisChip and DVS128 event extractors
// (2.0 address layouts, x mirrored).
//
// Nothing here needs releasing: decoders hold only Go memory.
package aedat
