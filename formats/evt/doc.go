// Package evt decodes and encodes Prophesee RAW event streams in the EVT 2.0
// and EVT 3.0 encodings (https://docs.prophesee.ai/stable/data/encoding_formats/evt2.html,
// .../evt3.html).
//
// A RAW file is an ASCII header of lines starting with '%' ("% evt 2.0",
// "% format EVT3;height=720;width=1280", "% geometry 1280x720", optionally
// "% end"), then little-endian words:
//
//	EVT 2.0, 32-bit words, type = w >> 28
//	  0x0 CD_OFF, 0x1 CD_ON   t[5:0] = w[27:22], x = w[21:11], y = w[10:0]
//	  0x8 EVT_TIME_HIGH       t[33:6] = w[27:0]
//	  0xA EXT_TRIGGER         t[5:0] = w[27:22], channel = w[12:8], value = w[0]
//	  0xE OTHERS, 0xF CONTINUED (vendor data, skipped)
//
//	EVT 3.0, 16-bit words, type = w >> 12
//	  0x0 EVT_ADDR_Y   y = w[10:0]                 (state)
//	  0x2 EVT_ADDR_X   p = w[11], x = w[10:0]      (one event)
//	  0x3 VECT_BASE_X  p = w[11], base = w[10:0]   (state)
//	  0x4 VECT_12      mask = w[11:0]: an event at base+i per set bit i, then base += 12
//	  0x5 VECT_8       mask = w[7:0]:  an event at base+i per set bit i, then base += 8
//	  0x6 EVT_TIME_LOW  t[11:0]  = w[11:0]
//	  0x8 EVT_TIME_HIGH t[23:12] = w[11:0]
//	  0xA EXT_TRIGGER  channel = w[11:8], value = w[0]
//	  0xE OTHERS, 0x7 CONTINUED_4, 0xF CONTINUED_12 (vendor data, skipped)
//
// Time is unwrapped into a continuous int64 µs count: the EVT 2.0 timer has 34
// bits and the EVT 3.0 timer 24 bits; a TIME_HIGH value that falls by more
// than half its range is a timer loop and adds 2^34 (2^24) µs, smaller falls
// are a time running backwards (an error, or dropped events with
// Options.Lenient). In EVT 3.0 a TIME_HIGH that changes the high bits sets the
// low 12 bits to 0 until the next TIME_LOW (as Prophesee's own decoder does),
// so the timeline is continuous across every 12-bit low-time rollover.
// Events before the first TIME_HIGH (and, in EVT 3.0, before the first
// EVT_ADDR_Y) have no defined time or row; they are dropped and counted.
//
// The decoders read the stream through one large buffer and decode words
// straight into the Batch columns: no allocation per event. Encoder2 and
// Encoder3 write a header and Batches back to RAW (EVT 3.0 with VECT_12
// vectors for runs of events on one row).
//
// Nothing here holds Arrow memory; there is nothing to Release.
package evt
