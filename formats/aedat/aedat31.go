package aedat

import (
	"encoding/binary"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// AEDAT 3.1 (iniVation "AEDAT 3.1"; libcaer events/common.h, polarity.h):
// header lines starting with '#', first "#!AER-DAT3.1\r\n", then
// "#Format: RAW", "#Source <id>: <device>", "#Start-Time: …", ending with
// "#!END-HEADER\r\n"; then event packets, all little-endian:
//
//	packet header, 28 bytes:
//	  int16 eventType   (1 = polarity)
//	  int16 eventSource
//	  int32 eventSize   (bytes per event; 8 for polarity)
//	  int32 eventTSOffset (offset of the timestamp in an event; 4)
//	  int32 eventTSOverflow
//	  int32 eventCapacity (events the body has room for)
//	  int32 eventNumber (events present, valid and invalid)
//	  int32 eventValid
//	body: eventCapacity * eventSize bytes
//	polarity event, 8 bytes:
//	  uint32 data: bit 0 valid, bit 1 polarity (1 = ON),
//	               bits 2-16 y, bits 17-31 x
//	  int32  timestamp (µs, 31 significant bits)
//
// The 64-bit timestamp is eventTSOverflow << 31 | timestamp
// (TS_OVERFLOW_SHIFT = 31).

const (
	magic31       = "#!AER-DAT3.1"
	end31         = "#!END-HEADER"
	header31Size  = 28
	polarityType  = 1
	polaritySize  = 8
	tsOverflowBit = 31
)

// Header31 is the decoded header of an AEDAT 3.1 file.
type Header31 struct {
	Lines     []string         // header lines without line endings
	Format    string           // "#Format:" value ("RAW")
	Sources   map[int16]string // "#Source <id>: <description>"
	StartTime string           // "#Start-Time:" value, as written
	DataStart int64            // byte offset of the first packet
}

// PacketCount31 counts the packets of one event type.
type PacketCount31 struct {
	Type    int16  // eventType
	Name    string // libcaer's name for the type ("polarity", "frame", "imu6", …)
	Packets int64  // packets read
	Events  int64  // eventNumber summed over those packets
}

var typeNames31 = [...]string{"special", "polarity", "frame", "imu6", "imu9", "sample", "ear", "config", "point1d", "point2d", "point3d", "point4d", "spike", "matrix4x4"}

// Decoder31 streams the polarity events of an AEDAT 3.1 file. It implements
// events.Decoder. Use NewDecoder31.
type Decoder31 struct {
	opts   Options
	in     *input
	hdr    Header31
	geom   events.Geometry
	counts map[int16]*PacketCount31

	body     []byte
	evI, evN int
	overflow int64
	pktOff   int64
	err      error
	stats    events.Stats
}

// NewDecoder31 reads the header of an AEDAT 3.1 file from r and returns a
// decoder positioned at the first packet. Only the RAW format is
// supported. The sensor size comes from the first "#Source" line when it
// names a known device (DVS128, DAVIS240*, DAVIS346*, DAVIS640).
func NewDecoder31(r io.Reader, opts Options) (*Decoder31, error) {
	d := &Decoder31{opts: opts, in: newInput(r), counts: map[int16]*PacketCount31{}}
	lines, err := readHeaderLines(d.in, opts, magic31, end31)
	if err != nil {
		return nil, err
	}
	d.hdr.Lines = lines
	d.hdr.Sources = map[int16]string{}
	first := int16(-1)
	for _, l := range lines {
		s := strings.TrimPrefix(l, "#")
		switch {
		case strings.HasPrefix(s, "Format:"):
			d.hdr.Format = strings.TrimSpace(strings.TrimPrefix(s, "Format:"))
		case strings.HasPrefix(s, "Start-Time:"):
			d.hdr.StartTime = strings.TrimSpace(strings.TrimPrefix(s, "Start-Time:"))
		case strings.HasPrefix(s, "Source "):
			id, desc, ok := strings.Cut(strings.TrimPrefix(s, "Source "), ":")
			if n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 16); ok && err == nil {
				d.hdr.Sources[int16(n)] = strings.TrimSpace(desc)
				if first < 0 || int16(n) < first {
					first = int16(n)
				}
			}
		}
	}
	d.hdr.DataStart = d.in.off
	if d.hdr.Format != "" && d.hdr.Format != "RAW" {
		return nil, events.Errorf(opts.Name, d.in.off, neurotab.ErrUnsupported, "format %q (only RAW)", d.hdr.Format)
	}
	d.geom = events.Geometry{Format: "aedat3.1"}
	if first >= 0 {
		d.geom.Width, d.geom.Height = deviceSize(d.hdr.Sources[first])
	}
	d.geom.Width, d.geom.Height = opts.Size(d.geom.Width, d.geom.Height)
	return d, nil
}

// deviceSize maps a 3.1 source description to a sensor size (0, 0 unknown).
func deviceSize(desc string) (int, int) {
	u := strings.ToUpper(desc)
	switch {
	case strings.HasPrefix(u, "DVS128"):
		return 128, 128
	case strings.HasPrefix(u, "DAVIS240"):
		return 240, 180
	case strings.HasPrefix(u, "DAVIS346"):
		return 346, 260
	case strings.HasPrefix(u, "DAVIS640"):
		return 640, 480
	}
	return 0, 0
}

// Header returns the decoded header.
func (d *Decoder31) Header() Header31 { return d.hdr }

// Geometry returns the sensor size (from the first source line, 0 when
// unknown) and Format "aedat3.1"; TimeOrigin is 0 (device time).
func (d *Decoder31) Geometry() events.Geometry { return d.geom }

// Stats returns the counts so far; Skipped counts polarity events marked
// invalid.
func (d *Decoder31) Stats() events.Stats { return d.stats }

// Packets returns the packets read so far by event type, sorted by type.
func (d *Decoder31) Packets() []PacketCount31 {
	out := make([]PacketCount31, 0, len(d.counts))
	for _, c := range d.counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// Next appends up to max polarity events to b; 0, io.EOF at the end.
func (d *Decoder31) Next(b *events.Batch, max int) (int, error) {
	n := 0
	for n < max {
		if d.evI < d.evN {
			n += d.copyEvents(b, max-n)
			continue
		}
		if d.err != nil {
			break
		}
		if err := d.nextPacket(); err != nil {
			d.err = err
		}
	}
	if n > 0 || max <= 0 {
		return n, nil
	}
	return 0, d.err
}

func (d *Decoder31) copyEvents(b *events.Batch, want int) int {
	k := min(d.evN-d.evI, want)
	T, X, Y, P := b.Slots(k)
	m := 0
	for i := d.evI; i < d.evI+k; i++ {
		e := d.body[i*polaritySize : i*polaritySize+polaritySize]
		data := binary.LittleEndian.Uint32(e)
		ts := int32(binary.LittleEndian.Uint32(e[4:]))
		if data&1 == 0 {
			d.stats.Skipped++
			continue
		}
		if ts < 0 {
			if !d.opts.Lenient {
				d.err = events.Errorf(d.opts.Name, d.pktOff+header31Size+int64(i*polaritySize), neurotab.ErrOutOfRange, "negative timestamp %d", ts)
				d.evN = i
				k = i - d.evI
				break
			}
			d.stats.Dropped++
			continue
		}
		T[m] = d.overflow<<tsOverflowBit | int64(ts)
		X[m] = uint16(data >> 17)
		Y[m] = uint16(data >> 2 & 0x7FFF)
		P[m] = int8(data >> 1 & 1)
		m++
	}
	d.evI += k
	b.Commit(m)
	d.stats.Events += int64(m)
	return m
}

// nextPacket reads packets until a polarity packet with events is loaded.
func (d *Decoder31) nextPacket() error {
	name := d.opts.Name
	limit := int64(d.opts.MaxAlloc())
	for {
		off := d.in.off
		var h [header31Size]byte
		if err := d.in.full(h[:]); err != nil {
			if err == io.EOF {
				return io.EOF
			}
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				return io.EOF
			}
			return events.Errorf(name, off, neurotab.ErrTruncated, "packet header has %d of %d bytes", d.in.off-off, header31Size)
		}
		typ := int16(binary.LittleEndian.Uint16(h[0:]))
		size := int64(int32(binary.LittleEndian.Uint32(h[4:])))
		tsOff := int32(binary.LittleEndian.Uint32(h[8:]))
		over := int64(int32(binary.LittleEndian.Uint32(h[12:])))
		capacity := int64(int32(binary.LittleEndian.Uint32(h[16:])))
		number := int64(int32(binary.LittleEndian.Uint32(h[20:])))
		valid := int64(int32(binary.LittleEndian.Uint32(h[24:])))
		// Faults in these fields leave the body length unknown: fatal.
		if typ < 0 || size <= 0 || capacity < 0 || over < 0 {
			return events.Errorf(name, off, neurotab.ErrMalformed, "packet header: type %d, eventSize %d, eventCapacity %d, eventTSOverflow %d", typ, size, capacity, over)
		}
		bodyLen := size * capacity
		if bodyLen > limit {
			return events.Errorf(name, off, neurotab.ErrTooLarge, "packet body %d x %d bytes (limit %d)", capacity, size, limit)
		}
		if left := d.in.left(); left >= 0 && bodyLen > left {
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				if typ == polarityType {
					d.stats.Dropped += max(0, min(number, capacity))
				}
				return io.EOF
			}
			return events.Errorf(name, off, neurotab.ErrTooLarge, "packet body of %d bytes beyond the file (%d bytes left)", bodyLen, left)
		}
		c := d.counts[typ]
		if c == nil {
			c = &PacketCount31{Type: typ, Name: "unknown"}
			if int(typ) < len(typeNames31) {
				c.Name = typeNames31[typ]
			}
			d.counts[typ] = c
		}
		c.Packets++
		bad := number < 0 || number > capacity || valid < 0 || valid > number
		if typ != polarityType || bad || size != polaritySize || tsOff != 4 {
			if typ == polarityType && !d.opts.Lenient {
				return events.Errorf(name, off, neurotab.ErrMalformed, "polarity packet header: eventSize %d, eventTSOffset %d, eventCapacity %d, eventNumber %d, eventValid %d", size, tsOff, capacity, number, valid)
			}
			if bad && !d.opts.Lenient {
				return events.Errorf(name, off, neurotab.ErrMalformed, "packet header: eventCapacity %d, eventNumber %d, eventValid %d", capacity, number, valid)
			}
			if typ == polarityType || bad {
				d.stats.DroppedPackets++
				if typ == polarityType {
					d.stats.Dropped += max(0, min(number, capacity))
				}
			} else {
				c.Events += number
			}
			if err := d.in.skip(bodyLen); err != nil {
				if d.opts.Lenient {
					return io.EOF
				}
				return events.Errorf(name, d.in.off, neurotab.ErrTruncated, "skipping packet body of %d bytes", bodyLen)
			}
			continue
		}
		var err error
		d.body, err = d.in.readN(d.body, int(bodyLen))
		if err != nil {
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				d.stats.Dropped += number
				return io.EOF
			}
			return events.Errorf(name, d.in.off, ioCause(err), "reading packet body of %d bytes", bodyLen)
		}
		c.Events += number
		d.overflow = over
		d.pktOff = off
		d.evI, d.evN = 0, int(number)
		if number > 0 {
			return nil
		}
	}
}
