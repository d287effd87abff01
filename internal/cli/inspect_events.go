package cli

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/neurotab/neurotab/formats/aedat"
	"github.com/neurotab/neurotab/formats/dat"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/evt"
	"github.com/neurotab/neurotab/formats/nmnist"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/ingest/eventdata"
)

func init() {
	for _, f := range []string{events.FormatEVT2, events.FormatEVT3, events.FormatDAT, events.FormatNMNIST,
		events.FormatAEDAT2, events.FormatAEDAT3, events.FormatAEDAT4} {
		inspectors[sniff.Format(f)] = inspectEvents
	}
}

// EventsInfo is what inspect reports for an event stream. The events are
// counted by running the format's decoder over the whole file in 64 Ki-event
// batches (streaming: memory does not grow with the file), strictly: a fault
// is an error naming the file and byte offset.
type EventsInfo struct {
	Width  int   `json:"width"`  // sensor width from the header (or the format), 0 when unknown
	Height int   `json:"height"` // sensor height
	Count  int64 `json:"events"` // events decoded
	// TFirst and TLast are the first and last event's t (µs, as the
	// decoder delivers it: AEDAT 4.0 absolute Unix µs, the others from the
	// recording start); TMin and TMax the extremes. Absent without events.
	TFirst *int64 `json:"t_first_us,omitempty"`
	TLast  *int64 `json:"t_last_us,omitempty"`
	TMin   *int64 `json:"t_min_us,omitempty"`
	TMax   *int64 `json:"t_max_us,omitempty"`
	// TimeOrigin is the absolute time of t = 0 (µs since the Unix epoch)
	// when the file gives it.
	TimeOrigin int64 `json:"time_origin_us,omitempty"`
	// Skipped counts non-event records (vendor words, APS/IMU samples,
	// triggers); Triggers the external triggers among them; Dropped the
	// events the stream gives no time for.
	Skipped  int64 `json:"skipped_records"`
	Triggers int64 `json:"triggers"`
	Dropped  int64 `json:"dropped"`
	// HeaderLines are the text header lines (EVT, DAT, AEDAT 2.0/3.1),
	// without the leading '%' or kept '#'; HeaderBytes is where the data
	// starts.
	HeaderLines []string `json:"header_lines,omitempty"`
	HeaderBytes int64    `json:"header_bytes,omitempty"`
	// Version is the AEDAT version; Camera the AEDAT 2.0 chip
	// (# AEChip); Compression the AEDAT 4.0 packet compression.
	Version     string `json:"version,omitempty"`
	Camera      string `json:"camera,omitempty"`
	Compression string `json:"compression,omitempty"`
	// Streams are the AEDAT 4.0 streams with their packets and elements;
	// PacketTypes the AEDAT 3.1 packets by event type.
	Streams     []StreamInfo `json:"streams,omitempty"`
	PacketTypes []PacketType `json:"packet_types,omitempty"`
	// Packets is the number of packets (AEDAT 3.1 and 4.0).
	Packets int64 `json:"packets,omitempty"`
	// Overflows counts N-MNIST timestamp-overflow markers.
	Overflows int64 `json:"overflows,omitempty"`
}

// StreamInfo is one AEDAT 4.0 stream (from the info node) with what the
// scan read of it.
type StreamInfo struct {
	ID       int32  `json:"id"`
	Type     string `json:"type"` // EVTS, IMUS, FRME, TRIG, …
	Name     string `json:"name,omitempty"`
	Source   string `json:"source,omitempty"` // the camera, e.g. DVXplorer_DXB00010
	Width    int    `json:"width,omitempty"`
	Height   int    `json:"height,omitempty"`
	TSOffset int64  `json:"ts_offset_us,omitempty"`
	Packets  int64  `json:"packets"`
	Elements int64  `json:"elements"` // events, IMU samples, triggers, frames
}

// PacketType counts the AEDAT 3.1 packets of one event type.
type PacketType struct {
	Type    int16  `json:"type"`
	Name    string `json:"name"`
	Packets int64  `json:"packets"`
	Events  int64  `json:"events"`
}

func inspectEvents(path string) (*InspectReport, error) {
	format, err := sniff.File(path)
	if err != nil {
		return nil, err
	}
	src, err := eventdata.Lookup(string(format))
	if err != nil || src.Open == nil {
		return nil, fmt.Errorf("%s: %s event files are recognized but not decoded", path, format)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec, err := src.Open(bufio.NewReaderSize(f, 1<<20), path, eventdata.Options{})
	if err != nil {
		return nil, err
	}
	info := &EventsInfo{}
	b := &events.Batch{}
	tmin, tmax := int64(math.MaxInt64), int64(math.MinInt64)
	for {
		b.Reset()
		n, err := dec.Next(b, 1<<16)
		for _, t := range b.T[:n] {
			tmin, tmax = min(tmin, t), max(tmax, t)
		}
		if n > 0 {
			if info.TFirst == nil {
				info.TFirst = ptr(b.T[0])
			}
			info.TLast = ptr(b.T[n-1])
		}
		info.Count += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if info.Count > 0 {
		info.TMin, info.TMax = &tmin, &tmax
	}
	g, st := dec.Geometry(), dec.Stats()
	info.Width, info.Height, info.TimeOrigin = g.Width, g.Height, g.TimeOrigin
	info.Skipped, info.Triggers, info.Dropped = st.Skipped, st.Triggers, st.Dropped
	switch d := dec.(type) {
	case *evt.Decoder2:
		info.header(d.Header())
	case *evt.Decoder3:
		info.header(d.Header())
	case *dat.Decoder:
		info.header(d.Header())
	case *nmnist.Decoder:
		info.Overflows = d.Overflows()
	case *aedat.Decoder2:
		h := d.Header()
		info.Version, info.Camera, info.HeaderLines, info.HeaderBytes = "2.0", h.AEChip, h.Lines, h.DataStart
	case *aedat.Decoder31:
		h := d.Header()
		info.Version, info.HeaderLines, info.HeaderBytes = "3.1", h.Lines, h.DataStart
		for _, p := range d.Packets() {
			info.PacketTypes = append(info.PacketTypes, PacketType{p.Type, p.Name, p.Packets, p.Events})
			info.Packets += p.Packets
		}
	case *aedat.Decoder4:
		h := d.Header()
		info.Version, info.Compression, info.HeaderBytes = "4.0", h.Compression.String(), h.DataStart
		for _, s := range d.Streams() {
			info.Streams = append(info.Streams, StreamInfo{s.ID, s.Type, s.Name, s.Source, s.Width, s.Height, s.TSOffset, s.Packets, s.Elements})
			info.Packets += s.Packets
		}
	}
	return &InspectReport{File: path, Format: g.Format, Events: info}, nil
}

func ptr[T any](v T) *T { return &v }

// header copies a Prophesee '%' header.
func (e *EventsInfo) header(h *events.Header) {
	if h != nil {
		e.HeaderLines, e.HeaderBytes = h.Lines, h.Size
	}
}

func (e *EventsInfo) print(w io.Writer) {
	if e == nil {
		return
	}
	if e.Version != "" {
		fmt.Fprintf(w, "version: %s\n", e.Version)
	}
	if e.Camera != "" {
		fmt.Fprintf(w, "camera:  %s\n", e.Camera)
	}
	if e.Width > 0 && e.Height > 0 {
		fmt.Fprintf(w, "sensor:  %d × %d\n", e.Width, e.Height)
	} else {
		fmt.Fprintln(w, "sensor:  unknown (the header gives no size)")
	}
	fmt.Fprintf(w, "events:  %d\n", e.Count)
	if e.TFirst != nil {
		fmt.Fprintf(w, "t:       %d … %d µs (first … last; min %d, max %d)\n", *e.TFirst, *e.TLast, *e.TMin, *e.TMax)
	}
	if e.TimeOrigin != 0 {
		fmt.Fprintf(w, "time origin: %d µs since the Unix epoch\n", e.TimeOrigin)
	}
	fmt.Fprintf(w, "skipped: %d non-event records (%d triggers), %d events without a time\n", e.Skipped, e.Triggers, e.Dropped)
	if e.Overflows > 0 {
		fmt.Fprintf(w, "overflow markers: %d\n", e.Overflows)
	}
	if e.Compression != "" {
		fmt.Fprintf(w, "compression: %s\n", e.Compression)
	}
	if e.Packets > 0 {
		fmt.Fprintf(w, "packets: %d\n", e.Packets)
	}
	for _, s := range e.Streams {
		size := ""
		if s.Width > 0 {
			size = fmt.Sprintf(" %d×%d", s.Width, s.Height)
		}
		fmt.Fprintf(w, "  stream %d %-4s %-10s %d packets, %d elements%s\n", s.ID, s.Type, s.Name, s.Packets, s.Elements, size)
	}
	for _, p := range e.PacketTypes {
		fmt.Fprintf(w, "  type %d %-10s %d packets, %d events\n", p.Type, p.Name, p.Packets, p.Events)
	}
	if len(e.HeaderLines) > 0 {
		fmt.Fprintf(w, "header (%d lines, %d bytes):\n", len(e.HeaderLines), e.HeaderBytes)
		for i, l := range e.HeaderLines {
			if i == 40 {
				fmt.Fprintf(w, "  … %d more lines\n", len(e.HeaderLines)-i)
				break
			}
			fmt.Fprintf(w, "  %s\n", clip(strings.TrimSpace(l), 200))
		}
	}
}
