package aedat

import (
	"bytes"
	"encoding/binary"
	"io"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// AEDAT 2.0 (iniVation "AEDAT 2.0"; jAER): an optional header of lines
// starting with '#', the first being "#!AER-DAT2.0", then events of 8 bytes:
// big-endian signed int32 address, int32 timestamp (µs). The address layout
// belongs to the jAER AEChip class:
//
//	DVS128 (AEDAT 1.0/2.0 DVS128 table; jAER DVS128 extractor):
//	  bit 15       external event (skipped)
//	  bits 14-8    y
//	  bits 7-1     x (jAER mirrors it: x = 127 - raw)
//	  bit 0        polarity, 1 = ON (iniVation's table; jAER's DVS128
//	               extractor computes type = (1 - addr) & 1, the opposite
//	               sense, and labels it so: we follow the documentation)
//	DAVIS240/346/640 (jAER eu.seebetter.ini.chips.DavisChip):
//	  bit 31       0 = DVS or external input, 1 = APS sample or IMU sample
//	  bits 30-22   y (9 bits)
//	  bits 21-12   x (10 bits; jAER mirrors it: x = width-1 - raw)
//	  bit 11       polarity, 1 = ON
//	  bit 10       with bit 31 = 0: external input event (skipped)
//	  bits 11-10   with bit 31 = 1: APS read cycle, or 11 = IMU sample (skipped)
//	  bits 9-0     APS ADC sample

const magic2 = "#!AER-DAT2.0"

// Header2 is the decoded header of an AEDAT 2.0 file.
type Header2 struct {
	// Lines are the header lines without the line ending, '#' included.
	Lines []string
	// AEChip is the jAER chip class of the "# AEChip:" line ("" if absent).
	AEChip string
	// CreationTimeMillis is the value of the "# Creation time:
	// System.currentTimeMillis() N" line: ms since the Unix epoch, 0 if
	// absent. It is when jAER opened the file, not the device's time base.
	CreationTimeMillis int64
	// Camera is the address layout in use (Options.Camera or from AEChip).
	Camera Camera
	// DataStart is the byte offset of the first event.
	DataStart int64
}

// Counts2 counts the AEDAT 2.0 records by kind.
type Counts2 struct {
	DVS      int64 // polarity events (delivered, or dropped when Lenient)
	APS      int64 // APS ADC samples (skipped)
	IMU      int64 // IMU samples (skipped)
	External int64 // external input / special events (skipped)
}

// Decoder2 streams the polarity events of an AEDAT 2.0 file. It implements
// events.Decoder. Use NewDecoder2.
type Decoder2 struct {
	opts   Options
	in     *input
	rd     *events.WordReader // the event records after the header
	hdr    Header2
	geom   events.Geometry
	prev   int32 // previous raw timestamp
	wrap   int64 // multiples of 2^32 added to raw timestamps
	counts Counts2
}

// NewDecoder2 reads the header of an AEDAT 2.0 file from r and returns a
// decoder positioned at the first event. The address layout is
// opts.Camera, or (CameraAuto) the one the "# AEChip:" line names; a
// missing or unknown AEChip then fails with neurotab.ErrUnsupported, or
// neurotab.ErrTruncated when the file ends in the header.
//
// The header ends at the first line that does not start with '#'. As in
// jAER, a first event whose address starts with byte 0x23 ('#') would be
// taken for a header line; the format gives no way to tell.
func NewDecoder2(r io.Reader, opts Options) (*Decoder2, error) {
	d := &Decoder2{opts: opts, in: newInput(r)}
	lines, err := readHeaderLines(d.in, opts, magic2, "")
	if err != nil {
		return nil, err
	}
	d.hdr.Lines = lines
	for _, l := range lines {
		s := strings.TrimSpace(strings.TrimPrefix(l, "#"))
		if v, ok := strings.CutPrefix(s, "AEChip:"); ok {
			d.hdr.AEChip = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(s, "Creation time:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				if ms, err := strconv.ParseInt(f[len(f)-1], 10, 64); err == nil {
					d.hdr.CreationTimeMillis = ms
				}
			}
		}
	}
	d.hdr.DataStart = d.in.off
	d.hdr.Camera = opts.Camera
	if d.hdr.Camera == CameraAuto {
		d.hdr.Camera = cameraFromChip(d.hdr.AEChip)
		if _, err := d.in.peekByte(); d.hdr.Camera == CameraAuto && err == io.EOF {
			return nil, events.Errorf(opts.Name, d.in.off, neurotab.ErrTruncated, "file ends in the header, AEChip %q names no known address layout", d.hdr.AEChip)
		}
		if d.hdr.Camera == CameraAuto {
			return nil, events.Errorf(opts.Name, d.in.off, neurotab.ErrUnsupported, "AEChip %q names no known address layout; set Options.Camera", d.hdr.AEChip)
		}
	}
	d.geom = events.Geometry{Format: events.FormatAEDAT2}
	w, h := d.hdr.Camera.size()
	if w == 0 {
		return nil, events.Errorf(opts.Name, d.in.off, neurotab.ErrUnsupported, "camera %d", int(d.hdr.Camera))
	}
	d.geom.Width, d.geom.Height = opts.Size(w, h)
	d.rd = events.NewWordReader(d.in.r, nil, d.in.off, 8, "8-byte record", opts.DecodeOptions)
	return d, nil
}

func (c Camera) size() (int, int) {
	switch c {
	case DVS128:
		return 128, 128
	case DAVIS240:
		return 240, 180
	case DAVIS346:
		return 346, 260
	case DAVIS640:
		return 640, 480
	}
	return 0, 0
}

// cameraFromChip maps a jAER AEChip class name to a layout.
func cameraFromChip(chip string) Camera {
	c := strings.ToLower(chip)
	if i := strings.LastIndexByte(c, '.'); i >= 0 {
		c = c[i+1:]
	}
	switch {
	case strings.Contains(c, "dvs128"):
		return DVS128
	case strings.Contains(c, "davis240"):
		return DAVIS240
	case strings.Contains(c, "davis346"):
		return DAVIS346
	case strings.Contains(c, "davis640"):
		return DAVIS640
	}
	return CameraAuto
}

// readHeaderLines reads '#' header lines. The first must start with
// version. When end is "", the header stops before the first line that does
// not start with '#' (or at EOF); otherwise it stops after the line end.
func readHeaderLines(in *input, opts Options, version, end string) ([]string, error) {
	limit := opts.MaxAlloc()
	var lines []string
	total := 0
	for {
		if end == "" && len(lines) > 0 {
			c, err := in.peekByte()
			if err == io.EOF || (err == nil && c != '#') {
				return lines, nil
			}
			if err != nil {
				return nil, events.Errorf(opts.Name, in.off, err, "reading header")
			}
		}
		off := in.off
		l, err := in.line(limit - total)
		if err == errTooLong {
			return nil, events.Errorf(opts.Name, off, neurotab.ErrTooLarge, "header beyond %d bytes", limit)
		}
		if len(lines) == 0 {
			if err != nil && len(l) < len(version) && bytes.HasPrefix([]byte(version), l) {
				return nil, events.Errorf(opts.Name, in.off, neurotab.ErrTruncated, "version line cut after %d bytes", len(l))
			}
			if !bytes.HasPrefix(l, []byte(version)) || len(bytes.TrimRight(l, "\r\n")) != len(version) {
				return nil, events.Errorf(opts.Name, 0, neurotab.ErrMalformed, "version line %q, want %q", trimLine(l, 40), version)
			}
		}
		if err != nil {
			if err == io.EOF && end == "" {
				// A header-only file: the last line may lack its '\n'.
				lines = append(lines, string(bytes.TrimRight(l, "\r\n")))
				return lines, nil
			}
			return nil, events.Errorf(opts.Name, in.off, ioCause(err), "header line")
		}
		total += len(l)
		s := string(bytes.TrimRight(l, "\r\n"))
		if len(s) == 0 || s[0] != '#' {
			return nil, events.Errorf(opts.Name, off, neurotab.ErrMalformed, "header line %q does not start with '#'", trimLine(l, 40))
		}
		lines = append(lines, s)
		if end != "" && s == end {
			return lines, nil
		}
	}
}

func trimLine(l []byte, n int) string {
	l = bytes.TrimRight(l, "\r\n")
	if len(l) > n {
		l = l[:n]
	}
	return string(l)
}

// Header returns the decoded header.
func (d *Decoder2) Header() Header2 { return d.hdr }

// Geometry returns the camera's sensor size and Format "aedat2";
// TimeOrigin is 0 (device time).
func (d *Decoder2) Geometry() events.Geometry { return d.geom }

// Stats returns the counts so far: Skipped counts the APS, IMU and
// external-input records, Triggers the external-input records, Dropped the
// polarity events outside the sensor under Options.Lenient.
func (d *Decoder2) Stats() events.Stats { return d.rd.Stats }

// Counts returns the records read so far by kind.
func (d *Decoder2) Counts() Counts2 { return d.counts }

// Next appends up to max polarity events to b; 0, io.EOF at the end.
//
// Timestamps are the signed 32-bit values extended to 64 bits: when one is
// more than 2^31 µs below its predecessor, the counter wrapped and 2^32 µs
// are added from there on.
func (d *Decoder2) Next(b *events.Batch, max int) (int, error) {
	return d.rd.Next(b, max, d.decode)
}

// decode decodes the buffered whole records into b, at most room events.
func (d *Decoder2) decode(b *events.Batch, room int) (int, error) {
	buf := d.rd.Buf[d.rd.Pos:d.rd.End]
	w, h := d.geom.Width, d.geom.Height
	b.Grow(min(room, len(buf)/8))
	m, i := 0, 0
	var err error
	for ; m < room && i+8 <= len(buf); i += 8 {
		rec := buf[i : i+8]
		addr := binary.BigEndian.Uint32(rec)
		ts := int32(binary.BigEndian.Uint32(rec[4:]))
		if int64(ts)-int64(d.prev) < -(1 << 31) {
			d.wrap += 1 << 32
		}
		d.prev = ts
		var x, y int
		var p int8
		if d.hdr.Camera == DVS128 {
			if addr&0xFFFF8000 != 0 {
				d.counts.External++
				d.rd.Stats.Skipped++
				d.rd.Stats.Triggers++
				continue
			}
			x, y, p = int(addr>>1)&0x7F, int(addr>>8)&0x7F, int8(addr&1)
		} else {
			if addr&0x80000000 != 0 {
				if addr&0xC00 == 0xC00 {
					d.counts.IMU++
				} else {
					d.counts.APS++
				}
				d.rd.Stats.Skipped++
				continue
			}
			if addr&0x400 != 0 {
				d.counts.External++
				d.rd.Stats.Skipped++
				d.rd.Stats.Triggers++
				continue
			}
			x, y, p = int(addr>>12)&0x3FF, int(addr>>22)&0x1FF, int8(addr>>11&1)
		}
		d.counts.DVS++
		if x >= w || y >= h {
			if !d.opts.Lenient {
				err = events.Errorf(d.opts.Name, d.rd.Offset(i), neurotab.ErrOutOfRange, "address 0x%08x: (x, y) = (%d, %d) outside %d x %d", addr, x, y, w, h)
				break
			}
			d.rd.Stats.Dropped++
			continue
		}
		if !d.opts.RawX {
			x = w - 1 - x
		}
		b.T = append(b.T, int64(ts)+d.wrap)
		b.X = append(b.X, uint16(x))
		b.Y = append(b.Y, uint16(y))
		b.P = append(b.P, p)
		m++
	}
	d.rd.Pos += i
	return m, err
}
