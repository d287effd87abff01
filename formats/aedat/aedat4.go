package aedat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"sort"

	"github.com/klauspost/compress/zstd"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
)

// Version line of AEDAT 4.0 files (iniVation, AEDAT 4.0 "Header").
const magic4 = "#!AER-DAT4.0\r\n"

// eventSize4 is sizeof(struct Event) in dv-processing's events.fbs:
// int64 timestamp, int16 x, int16 y, bool polarity, padded to the 8-byte
// alignment of the struct.
const eventSize4 = 16

// Compression is the IOHeader CompressionType of an AEDAT 4.0 file
// (dv-processing IOHeader.fbs: NONE, LZ4, LZ4_HIGH, ZSTD, ZSTD_HIGH).
type Compression int32

// Compression types, with their IOHeader codes.
const (
	CompressionNone     Compression = 0 // packets stored as is
	CompressionLZ4      Compression = 1 // each packet one LZ4 frame
	CompressionLZ4High  Compression = 2 // LZ4 frame, high-compression encoder
	CompressionZstd     Compression = 3 // each packet one Zstandard frame
	CompressionZstdHigh Compression = 4 // Zstandard, high-compression encoder
)

// String returns the schema's name of the compression type.
func (c Compression) String() string {
	switch c {
	case CompressionNone:
		return "NONE"
	case CompressionLZ4:
		return "LZ4"
	case CompressionLZ4High:
		return "LZ4_HIGH"
	case CompressionZstd:
		return "ZSTD"
	case CompressionZstdHigh:
		return "ZSTD_HIGH"
	}
	return "UNKNOWN"
}

// Header4 is the decoded IOHeader of an AEDAT 4.0 file.
type Header4 struct {
	// Compression applies to every packet body and to the data table.
	Compression Compression
	// DataTablePosition is the byte offset of the FileDataTable, -1 when
	// the file has none (e.g. an interrupted recording).
	DataTablePosition int64
	// InfoXML is the info node: DV's XML description of the streams.
	InfoXML string
	// DataStart is the byte offset of the first packet.
	DataStart int64
}

// Stream describes one stream of an AEDAT 4.0 file, from the info node, with
// the packets read so far.
type Stream struct {
	ID       int32  // stream id used in packet headers
	Type     string // typeIdentifier: "EVTS", "IMUS", "FRME", "TRIG", …; "" when the info node does not declare the stream
	Name     string // originalOutputName, e.g. "events"
	Source   string // info/source, e.g. the camera's serial
	Width    int    // info/sizeX (0 when absent)
	Height   int    // info/sizeY (0 when absent)
	TSOffset int64  // info/tsOffset, µs
	// Packets is the number of packets of this stream read so far.
	Packets int64
	// Elements is the number of elements in those packets: events (EVTS),
	// IMU samples (IMUS), triggers (TRIG), frames (FRME, one per packet).
	// Packets of other types are not opened and add nothing.
	Elements int64
}

// DataTableEntry is one FileDataDefinition of the FileDataTable
// (dv-processing FileDataTable.fbs): where a packet is and what it holds.
type DataTableEntry struct {
	ByteOffset     int64 // file offset of the packet body, just after its 8-byte header (as DV writes it)
	StreamID       int32 // PacketInfo.StreamID
	Size           int32 // PacketInfo.Size: bytes of the (compressed) body
	NumElements    int64 // elements in the packet
	TimestampStart int64 // first element's timestamp, µs
	TimestampEnd   int64 // last element's timestamp, µs
}

// Decoder4 streams the polarity events of an AEDAT 4.0 file. It implements
// events.Decoder. Use NewDecoder4.
type Decoder4 struct {
	opts     Options
	in       *input
	hdr      Header4
	streams  []Stream
	byID     map[int32]int
	evStream int32 // stream whose events are delivered; -1 until known
	geom     events.Geometry

	comp, dec []byte
	zs        *zstd.Decoder

	ev     []byte // event structs of the current packet
	evI    int    // next event index in ev
	evOff  int64  // file offset of the current packet
	table  []DataTableEntry
	hasTab bool
	err    error // sticky: io.EOF at the end, or the first fault
	stats  events.Stats
}

// NewDecoder4 reads the version line and IOHeader of an AEDAT 4.0 file from
// r and returns a decoder positioned at the first packet. r is read
// sequentially; the FileDataTable is read when the stream reaches it.
//
// Errors: neurotab.ErrMalformed when the version line is not "#!AER-DAT4.0\r\n";
// neurotab.ErrTruncated, neurotab.ErrTooLarge or neurotab.ErrMalformed for a bad IOHeader;
// neurotab.ErrUnsupported for an unknown compression code.
func NewDecoder4(r io.Reader, opts Options) (*Decoder4, error) {
	d := &Decoder4{opts: opts, in: newInput(r), byID: map[int32]int{}, evStream: -1}
	name := opts.Name
	var m [len(magic4)]byte
	if err := d.in.full(m[:]); err != nil {
		if n := d.in.off; string(m[:n]) == magic4[:n] {
			return nil, events.Errorf(name, n, neurotab.ErrTruncated, "version line cut after %d bytes", n)
		}
		return nil, events.Errorf(name, 0, neurotab.ErrMalformed, "version line %q, want %q", m[:d.in.off], magic4)
	}
	if string(m[:]) != magic4 {
		return nil, events.Errorf(name, 0, neurotab.ErrMalformed, "version line %q, want %q", m[:], magic4)
	}
	var lb [4]byte
	if err := d.in.full(lb[:]); err != nil {
		return nil, events.Errorf(name, d.in.off, ioCause(err), "reading IOHeader length")
	}
	hl := int64(int32(binary.LittleEndian.Uint32(lb[:])))
	if hl < 8 {
		return nil, events.Errorf(name, len64(magic4), neurotab.ErrMalformed, "IOHeader length %d", hl)
	}
	if hl > int64(opts.MaxAlloc()) || (d.in.left() >= 0 && hl > d.in.left()) {
		return nil, events.Errorf(name, len64(magic4), neurotab.ErrTooLarge, "IOHeader length %d (limit %d, %d bytes left)", hl, opts.MaxAlloc(), d.in.left())
	}
	hb, err := d.in.readN(nil, int(hl))
	if err != nil {
		return nil, events.Errorf(name, d.in.off, ioCause(err), "reading IOHeader of %d bytes", hl)
	}
	hdrOff := len64(magic4) + 4
	if id := fbIdentifier(hb); id != "IOHE" {
		return nil, events.Errorf(name, hdrOff+4, neurotab.ErrMalformed, "IOHeader identifier %q, want \"IOHE\"", id)
	}
	root, err := fbRoot(hb)
	if err != nil {
		return nil, d.fbFault(hdrOff, err, "IOHeader")
	}
	c, err := root.i32(0, 0)
	if err != nil {
		return nil, d.fbFault(hdrOff, err, "IOHeader compression")
	}
	d.hdr.Compression = Compression(c)
	if c < 0 || c > 4 {
		return nil, events.Errorf(name, hdrOff, neurotab.ErrUnsupported, "compression code %d", c)
	}
	if d.hdr.DataTablePosition, err = root.i64(1, -1); err != nil {
		return nil, d.fbFault(hdrOff, err, "IOHeader dataTablePosition")
	}
	info, _, err := root.bytesField(2)
	if err != nil {
		return nil, d.fbFault(hdrOff, err, "IOHeader infoNode")
	}
	d.hdr.InfoXML = string(info)
	d.hdr.DataStart = d.in.off
	if p := d.hdr.DataTablePosition; p != -1 && p < d.hdr.DataStart {
		return nil, events.Errorf(name, hdrOff, neurotab.ErrMalformed, "dataTablePosition %d before the first packet at %d", p, d.hdr.DataStart)
	}
	streams, err := parseInfo(info)
	if err != nil && !opts.Lenient {
		return nil, events.Errorf(name, hdrOff, neurotab.ErrMalformed, "info node: %v", err)
	}
	for _, s := range streams {
		d.byID[s.ID] = len(d.streams)
		d.streams = append(d.streams, s)
		if s.Type == "EVTS" && d.evStream < 0 {
			d.evStream = s.ID
			d.geom.Width, d.geom.Height = s.Width, s.Height
		}
	}
	d.geom.Width, d.geom.Height = opts.Size(d.geom.Width, d.geom.Height)
	d.geom.Format = events.FormatAEDAT4
	return d, nil
}

func len64(s string) int64 { return int64(len(s)) }

// fbFault reports a FlatBuffer fault in the IOHeader, which is stored
// uncompressed from file offset base: the offset is exact.
func (d *Decoder4) fbFault(base int64, err error, what string) error {
	var fe *fbError
	if errors.As(err, &fe) {
		return events.Errorf(d.opts.Name, base+int64(fe.pos), neurotab.ErrMalformed, "%s: %s", what, fe.msg)
	}
	return events.Errorf(d.opts.Name, base, neurotab.ErrMalformed, "%s: %v", what, err)
}

// pktFault reports a FlatBuffer fault inside a (possibly compressed) packet
// or data table starting at file offset off; the position inside the
// decompressed FlatBuffer goes in the message.
func (d *Decoder4) pktFault(off int64, err error, what string) error {
	return events.Errorf(d.opts.Name, off, neurotab.ErrMalformed, "%s: %v", what, err)
}

// Header returns the decoded IOHeader.
func (d *Decoder4) Header() Header4 { return d.hdr }

// Geometry returns the sensor size of the event stream (info node sizeX,
// sizeY) and Format "aedat4". TimeOrigin is 0: AEDAT 4.0 timestamps are
// already µs since the Unix epoch.
func (d *Decoder4) Geometry() events.Geometry { return d.geom }

// Streams returns the streams, sorted by id, with the packets and elements
// read so far (complete once Next has returned io.EOF).
func (d *Decoder4) Streams() []Stream {
	out := append([]Stream(nil), d.streams...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SelectStream chooses which EVTS stream's events Next delivers (by default
// the lowest-numbered stream the info node declares as EVTS, or the first
// whose packets carry EVTS data). Call it before the first Next.
func (d *Decoder4) SelectStream(id int32) { d.evStream = id }

// DataTable returns the FileDataTable, and whether the file had one that the
// decoder has read (it is read when Next reaches it, at io.EOF).
func (d *Decoder4) DataTable() ([]DataTableEntry, bool) { return d.table, d.hasTab }

// Stats returns the counts so far.
func (d *Decoder4) Stats() events.Stats { return d.stats }

// Next appends up to max events to b. It returns 0, io.EOF after the last
// packet (or at the data table).
func (d *Decoder4) Next(b *events.Batch, max int) (int, error) {
	n := 0
	for n < max {
		if left := len(d.ev)/eventSize4 - d.evI; left > 0 {
			k, err := d.copyEvents(b, min(left, max-n))
			n += k
			if err != nil {
				d.err = err
				break
			}
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

// copyEvents converts k event structs from the current packet into b.
func (d *Decoder4) copyEvents(b *events.Batch, k int) (int, error) {
	T, X, Y, P := b.Slots(k)
	ev := d.ev[d.evI*eventSize4 : (d.evI+k)*eventSize4]
	w := 0
	var err error
	for i := 0; i < k; i++ {
		e := ev[i*eventSize4 : i*eventSize4+eventSize4]
		x := int16(binary.LittleEndian.Uint16(e[8:]))
		y := int16(binary.LittleEndian.Uint16(e[10:]))
		if x < 0 || y < 0 {
			if !d.opts.Lenient {
				err = events.Errorf(d.opts.Name, d.evOff, neurotab.ErrOutOfRange, "event %d of packet: negative coordinates (%d, %d)", d.evI+i, x, y)
				d.evI += i
				b.Commit(w)
				d.ev = nil
				d.stats.Events += int64(w)
				return w, err
			}
			d.stats.Dropped++
			continue
		}
		T[w] = int64(binary.LittleEndian.Uint64(e))
		X[w] = uint16(x)
		Y[w] = uint16(y)
		var p int8
		if e[12] != 0 {
			p = 1
		}
		P[w] = p
		w++
	}
	d.evI += k
	b.Commit(w)
	d.stats.Events += int64(w)
	return w, err
}

func (d *Decoder4) stream(id int32) *Stream {
	i, ok := d.byID[id]
	if !ok {
		i = len(d.streams)
		d.byID[id] = i
		d.streams = append(d.streams, Stream{ID: id})
	}
	return &d.streams[i]
}

// nextPacket reads packets until one of the selected event stream is loaded
// into d.ev; it returns io.EOF at the end of the packets.
func (d *Decoder4) nextPacket() error {
	name := d.opts.Name
	limit := d.opts.MaxAlloc()
	for {
		off := d.in.off
		tp := d.hdr.DataTablePosition
		if tp >= 0 && off >= tp {
			if off > tp {
				if d.opts.Lenient {
					return io.EOF
				}
				return events.Errorf(name, off, neurotab.ErrMalformed, "packets run past the data table at %d", tp)
			}
			return d.readTable()
		}
		var h [8]byte
		if err := d.in.full(h[:]); err != nil {
			if err == io.EOF {
				if tp >= 0 && !d.opts.Lenient {
					return events.Errorf(name, off, neurotab.ErrTruncated, "file ends before the data table at %d", tp)
				}
				return io.EOF
			}
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				return io.EOF
			}
			return events.Errorf(name, off, ioCause(err), "reading packet header")
		}
		id := int32(binary.LittleEndian.Uint32(h[:4]))
		size := int64(int32(binary.LittleEndian.Uint32(h[4:])))
		if size < 0 || size > int64(limit) {
			// No way to find the next packet: fatal even when lenient.
			return events.Errorf(name, off, neurotab.ErrTooLarge, "packet size %d (limit %d)", size, limit)
		}
		if left := d.in.left(); left >= 0 && size > left {
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				return io.EOF
			}
			return events.Errorf(name, off, neurotab.ErrTooLarge, "packet size %d beyond the file (%d bytes left)", size, left)
		}
		if tp >= 0 && off+8+size > tp {
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				if err := d.in.skip(tp - d.in.off); err != nil {
					return io.EOF
				}
				continue
			}
			return events.Errorf(name, off, neurotab.ErrMalformed, "packet of %d bytes overlaps the data table at %d", size, tp)
		}
		s := d.stream(id)
		s.Packets++
		if s.Type == "FRME" || (s.Type != "" && s.Type != "EVTS" && s.Type != "IMUS" && s.Type != "TRIG") {
			// Not opened: frames are one element per packet, other types
			// are not counted.
			if s.Type == "FRME" {
				s.Elements++
			}
			if err := d.in.skip(size); err != nil {
				if d.opts.Lenient {
					d.stats.DroppedPackets++
					return io.EOF
				}
				return events.Errorf(name, d.in.off, neurotab.ErrTruncated, "skipping packet of %d bytes", size)
			}
			continue
		}
		var err error
		d.comp, err = d.in.readN(d.comp, int(size))
		if err != nil {
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				return io.EOF
			}
			return events.Errorf(name, d.in.off, ioCause(err), "reading packet body of %d bytes", size)
		}
		fb, err := d.decompress(d.comp, off, neurotab.ErrMalformed)
		if err == nil {
			err = d.openPacket(s, fb, off)
		}
		if err != nil {
			if d.opts.Lenient {
				d.stats.DroppedPackets++
				continue
			}
			return err
		}
		if len(d.ev) > 0 {
			return nil
		}
	}
}

// openPacket interprets a decompressed packet: a size-prefixed FlatBuffer.
func (d *Decoder4) openPacket(s *Stream, buf []byte, off int64) error {
	name := d.opts.Name
	if len(buf) < 12 {
		return events.Errorf(name, off, neurotab.ErrMalformed, "stream %d: packet of %d bytes is too short for a FlatBuffer", s.ID, len(buf))
	}
	sz := binary.LittleEndian.Uint32(buf)
	if uint64(sz) > uint64(len(buf)-4) {
		return events.Errorf(name, off, neurotab.ErrMalformed, "stream %d: size prefix %d beyond the %d-byte packet", s.ID, sz, len(buf))
	}
	fb := buf[4 : 4+int(sz)]
	id := fbIdentifier(fb)
	if s.Type != "" && s.Type != id {
		return events.Errorf(name, off, neurotab.ErrMalformed, "stream %d declared %q holds a %q packet", s.ID, s.Type, id)
	}
	switch id {
	case "EVTS", "IMUS", "TRIG":
	default:
		return nil
	}
	root, err := fbRoot(fb)
	if err != nil {
		return d.pktFault(off, err, "packet of stream "+itoa(s.ID))
	}
	elemSize := eventSize4
	if id != "EVTS" {
		// Only the count is needed: any positive size checks nothing more.
		elemSize = 1
	}
	start, n, _, err := root.vector(0, elemSize)
	if err != nil {
		return d.pktFault(off, err, "elements of stream "+itoa(s.ID))
	}
	s.Elements += int64(n)
	if id != "EVTS" {
		return nil
	}
	if d.evStream < 0 {
		d.evStream = s.ID
	}
	if s.ID != d.evStream {
		return nil
	}
	d.ev = fb[start : start+n*eventSize4]
	d.evI = 0
	d.evOff = off
	return nil
}

func itoa(v int32) string {
	var b [12]byte
	return string(appendInt(b[:0], int64(v)))
}

func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var t [20]byte
	i := len(t)
	for {
		i--
		t[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, t[i:]...)
}

// decompress returns the decompressed body, bounded by MaxBytes. off is the
// file offset of the packet (or data table) for errors; short is the
// sentinel of a frame that ends early: ErrMalformed in a packet of known
// size, ErrTruncated in the data table, which runs to the end of the file.
func (d *Decoder4) decompress(src []byte, off int64, short error) ([]byte, error) {
	name := d.opts.Name
	limit := d.opts.MaxAlloc()
	switch d.hdr.Compression {
	case CompressionNone:
		return src, nil
	case CompressionLZ4, CompressionLZ4High:
		dst, err := lz4Frames(d.dec, src, limit)
		d.dec = dst[:0]
		if err == errLZ4Limit {
			return nil, events.Errorf(name, off, neurotab.ErrTooLarge, "LZ4 packet decompresses beyond %d bytes", limit)
		}
		if errors.Is(err, errLZ4Short) {
			return nil, events.Errorf(name, off, short, "LZ4 frame: %v", err)
		}
		if err != nil {
			return nil, events.Errorf(name, off, neurotab.ErrMalformed, "LZ4 frame: %v", err)
		}
		return dst, nil
	case CompressionZstd, CompressionZstdHigh:
		if d.zs == nil {
			zs, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(limit)))
			if err != nil {
				return nil, events.Errorf(name, off, neurotab.ErrMalformed, "zstd: %v", err)
			}
			d.zs = zs
		}
		dst, err := d.zs.DecodeAll(src, d.dec[:0])
		if err != nil {
			cause := neurotab.ErrMalformed
			if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) {
				cause = neurotab.ErrTooLarge
			} else if errors.Is(err, io.ErrUnexpectedEOF) {
				cause = short
			}
			return nil, events.Errorf(name, off, cause, "zstd frame: %v", err)
		}
		d.dec = dst
		return dst, nil
	}
	return nil, events.Errorf(name, off, neurotab.ErrUnsupported, "compression %d", int32(d.hdr.Compression))
}

// readTable reads the FileDataTable: the rest of the input from
// DataTablePosition, compressed like the packets, a size-prefixed "FTAB"
// FlatBuffer. It returns io.EOF when done.
func (d *Decoder4) readTable() error {
	name := d.opts.Name
	limit := d.opts.MaxAlloc()
	off := d.in.off
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(d.in.r, int64(limit)+1))
	d.in.off += n
	if err != nil {
		return d.tableFault(events.Errorf(name, off, err, "reading data table"))
	}
	if n > int64(limit) {
		return d.tableFault(events.Errorf(name, off, neurotab.ErrTooLarge, "data table beyond %d bytes", limit))
	}
	if n == 0 {
		return d.tableFault(events.Errorf(name, off, neurotab.ErrTruncated, "file ends where the data table should start"))
	}
	raw, err := d.decompress(buf.Bytes(), off, neurotab.ErrTruncated)
	if err != nil {
		return d.tableFault(err)
	}
	if len(raw) < 12 {
		return d.tableFault(events.Errorf(name, off, neurotab.ErrMalformed, "data table of %d bytes", len(raw)))
	}
	sz := binary.LittleEndian.Uint32(raw)
	if uint64(sz) > uint64(len(raw)-4) {
		return d.tableFault(events.Errorf(name, off, neurotab.ErrMalformed, "data table size prefix %d beyond %d bytes", sz, len(raw)))
	}
	fb := raw[4 : 4+int(sz)]
	if id := fbIdentifier(fb); id != "FTAB" {
		return d.tableFault(events.Errorf(name, off, neurotab.ErrMalformed, "data table identifier %q, want \"FTAB\"", id))
	}
	root, err := fbRoot(fb)
	if err != nil {
		return d.tableFault(d.pktFault(off, err, "data table"))
	}
	start, cnt, _, err := root.vector(0, 4)
	if err != nil {
		return d.tableFault(d.pktFault(off, err, "data table"))
	}
	table := make([]DataTableEntry, 0, cnt) // cnt*4 bytes were checked to exist
	for i := 0; i < cnt; i++ {
		t, err := root.tableAt(start + 4*i)
		if err != nil {
			return d.tableFault(d.pktFault(off, err, "data table entry"))
		}
		var e DataTableEntry
		e.ByteOffset, err = t.i64(0, 0)
		if err == nil {
			var p int
			var ok bool
			p, ok, err = t.field(1, 8)
			if ok {
				e.StreamID = int32(binary.LittleEndian.Uint32(fb[p:]))
				e.Size = int32(binary.LittleEndian.Uint32(fb[p+4:]))
			}
		}
		if err == nil {
			e.NumElements, err = t.i64(2, 0)
		}
		if err == nil {
			e.TimestampStart, err = t.i64(3, 0)
		}
		if err == nil {
			e.TimestampEnd, err = t.i64(4, 0)
		}
		if err != nil {
			return d.tableFault(d.pktFault(off, err, "data table entry"))
		}
		table = append(table, e)
	}
	d.table, d.hasTab = table, true
	return io.EOF
}

func (d *Decoder4) tableFault(err error) error {
	if d.opts.Lenient {
		return io.EOF
	}
	return err
}

// ReadDataTable4 reads the IOHeader and the FileDataTable of an AEDAT 4.0
// file of size bytes without decoding its packets: the index DV uses to
// seek by time or stream. The table is nil when the header has no data
// table position (-1).
func ReadDataTable4(r io.ReaderAt, size int64, opts Options) (Header4, []DataTableEntry, error) {
	d, err := NewDecoder4(io.NewSectionReader(r, 0, size), opts)
	if err != nil {
		return Header4{}, nil, err
	}
	pos := d.hdr.DataTablePosition
	if pos < 0 {
		return d.hdr, nil, nil
	}
	if pos > size {
		return d.hdr, nil, events.Errorf(opts.Name, len64(magic4)+4, neurotab.ErrTruncated, "data table position %d beyond the file (%d bytes)", pos, size)
	}
	d.in = newInput(io.NewSectionReader(r, pos, size-pos))
	d.in.off, d.in.end = pos, size
	d.opts.Lenient = false // report a bad table whatever the options
	if err := d.readTable(); err != io.EOF {
		return d.hdr, nil, err
	}
	return d.hdr, d.table, nil
}
