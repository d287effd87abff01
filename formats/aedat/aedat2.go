package aedat

import (
	"bytes"
	"encoding/binary"
	"io"
	"strconv"
	"strings"

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
	hdr    Header2
	geom   events.Geometry
	buf    []byte
	prev   int32 // previous raw timestamp
	wrap   int64 // multiples of 2^32 added to raw timestamps
	err    error
	stats  Stats
	counts Counts2
}

// NewDecoder2 reads the header of an AEDAT 2.0 file from r and returns a
// decoder positioned at the first event. The address layout is
// opts.Camera, or (CameraAuto) the one the "# AEChip:" line names; a
// missing or unknown AEChip then fails with ErrUnsupported.
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
		if d.hdr.Camera == CameraAuto {
			return nil, newErr(opts.Name, d.in.off, ErrUnsupported, "AEChip %q names no known address layout; set Options.Camera", d.hdr.AEChip)
		}
	}
	d.geom = events.Geometry{Format: "aedat2"}
	d.geom.Width, d.geom.Height = d.hdr.Camera.size()
	if d.geom.Width == 0 {
		return nil, newErr(opts.Name, d.in.off, ErrUnsupported, "camera %d", int(d.hdr.Camera))
	}
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
	limit := opts.maxBytes()
	var lines []string
	total := 0
	for {
		if end == "" && len(lines) > 0 {
			c, err := in.peekByte()
			if err == io.EOF || (err == nil && c != '#') {
				return lines, nil
			}
			if err != nil {
				return nil, newErr(opts.Name, in.off, err, "reading header")
			}
		}
		off := in.off
		l, err := in.line(limit - total)
		if err == errTooLong {
			return nil, newErr(opts.Name, off, ErrTooLarge, "header beyond %d bytes", limit)
		}
		if len(lines) == 0 {
			if !bytes.HasPrefix(l, []byte(version)) || len(bytes.TrimRight(l, "\r\n")) != len(version) {
				return nil, newErr(opts.Name, 0, ErrMagic, "version line %q, want %q", trimLine(l, 40), version)
			}
		}
		if err != nil {
			if err == io.EOF && end == "" {
				// A header-only file: the last line may lack its '\n'.
				lines = append(lines, string(bytes.TrimRight(l, "\r\n")))
				return lines, nil
			}
			return nil, newErr(opts.Name, in.off, ioCause(err), "header line")
		}
		total += len(l)
		s := string(bytes.TrimRight(l, "\r\n"))
		if len(s) == 0 || s[0] != '#' {
			return nil, newErr(opts.Name, off, ErrCorrupt, "header line %q does not start with '#'", trimLine(l, 40))
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

// Stats returns the counts so far.
func (d *Decoder2) Stats() Stats { return d.stats }

// Counts returns the records read so far by kind.
func (d *Decoder2) Counts() Counts2 { return d.counts }

const chunk2 = 4096 // records per read

// Next appends up to max polarity events to b; 0, io.EOF at the end.
//
// Timestamps are the signed 32-bit values extended to 64 bits: when one is
// more than 2^31 µs below its predecessor, the counter wrapped and 2^32 µs
// are added from there on.
func (d *Decoder2) Next(b *events.Batch, max int) (int, error) {
	n := 0
	if d.buf == nil {
		d.buf = make([]byte, 8*chunk2)
	}
	w, h := d.geom.Width, d.geom.Height
	for n < max && d.err == nil {
		want := min(max-n, chunk2)
		off := d.in.off
		k, err := io.ReadFull(d.in.r, d.buf[:8*want])
		d.in.off += int64(k)
		recs := k / 8
		if err != nil {
			switch {
			case err == io.EOF:
				d.err = io.EOF
			case err == io.ErrUnexpectedEOF && k%8 == 0:
				d.err = io.EOF
			case err == io.ErrUnexpectedEOF:
				if d.opts.Lenient {
					d.stats.Dropped++
					d.err = io.EOF
				} else {
					d.err = newErr(d.opts.Name, off+int64(8*recs), ErrTruncated, "last event has %d of 8 bytes", k%8)
				}
			default:
				d.err = newErr(d.opts.Name, d.in.off, err, "reading events")
			}
		}
		l := len(b.T)
		growBatch(b, recs)
		T, X, Y, P := b.T[l:l+recs], b.X[l:l+recs], b.Y[l:l+recs], b.P[l:l+recs]
		m := 0
		for i := 0; i < recs; i++ {
			rec := d.buf[8*i : 8*i+8]
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
					d.stats.Skipped++
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
					d.stats.Skipped++
					continue
				}
				if addr&0x400 != 0 {
					d.counts.External++
					d.stats.Skipped++
					continue
				}
				x, y, p = int(addr>>12)&0x3FF, int(addr>>22)&0x1FF, int8(addr>>11&1)
			}
			d.counts.DVS++
			if x >= w || y >= h {
				if !d.opts.Lenient {
					d.err = newErr(d.opts.Name, off+int64(8*i), ErrCorrupt, "address 0x%08x: (x, y) = (%d, %d) outside %d x %d", addr, x, y, w, h)
					break
				}
				d.stats.Dropped++
				continue
			}
			if !d.opts.RawX {
				x = w - 1 - x
			}
			T[m] = int64(ts) + d.wrap
			X[m] = uint16(x)
			Y[m] = uint16(y)
			P[m] = p
			m++
		}
		b.T, b.X, b.Y, b.P = b.T[:l+m], b.X[:l+m], b.Y[:l+m], b.P[:l+m]
		n += m
		d.stats.Events += int64(m)
	}
	if n > 0 || max <= 0 {
		return n, nil
	}
	return 0, d.err
}
