// Package dat decodes Prophesee DAT files (https://docs.prophesee.ai/stable/data/file_formats/dat.html),
// the format of the N-CARS and Gen1 automotive datasets.
//
// A DAT file is an ASCII header of lines starting with '%' ("% Data file
// containing Event2D events.", "% Version 2", "% Date …", optionally
// "% Width 304" / "% Height 240" or "% geometry WxH"), then two bytes — the
// event type (0x00 Event2D or 0x0C EventCD) and the event size (8) — then
// 8-byte little-endian records:
//
//	bytes 0..3  uint32 timestamp, µs
//	bytes 4..7  uint32 w:  x = w & 0x3FFF, y = (w >> 14) & 0x3FFF, p = w >> 28
//
// The 32-bit timestamp is unwrapped (a fall of more than 2^31 µs is a timer
// loop and adds 2^32 µs); other falls are ErrTimeBackwards. Decoding is
// streaming with one read buffer and no allocation per event.
//
// Nothing here holds Arrow memory; there is nothing to Release.
package dat
