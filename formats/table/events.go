package table

import (
	"unsafe"

	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab/formats/events"
)

// Schema metadata keys of the events table.
const (
	MetaEventsWidth      = "events.width"       // sensor width, pixels (channels for 1-D sensors)
	MetaEventsHeight     = "events.height"      // sensor height, pixels (1 for 1-D sensors)
	MetaEventsFormat     = "events.format"      // source format, e.g. "evt3"
	MetaEventsTimeOrigin = "events.time_origin" // µs since the Unix epoch of t = 0, when known
	MetaEventsTimeBase   = "events.time_base"   // what t counts from: unix, device, sample or as-given
	MetaEventsSamples    = "events.samples"     // JSON array: per input file, its first sample id, format and geometry
	MetaEventsLabels     = "events.labels"      // JSON object: sample id → class label (SHD-style datasets)
)

// EventsSample describes one sample of an events table (one input file).
type EventsSample struct {
	Sample int32  `json:"sample"`
	Path   string `json:"path"`
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Events int64  `json:"events"`
	// TimeBase is what the sample's t counts from (events.Geometry.TimeBase).
	TimeBase string `json:"time_base,omitempty"`
}

// EventsMetadata renders a decoder's geometry as events-table metadata.
func EventsMetadata(g events.Geometry) map[string]string {
	m := map[string]string{
		MetaEventsWidth:  strconv.Itoa(g.Width),
		MetaEventsHeight: strconv.Itoa(g.Height),
		MetaEventsFormat: g.Format,
	}
	if g.TimeOrigin != 0 {
		m[MetaEventsTimeOrigin] = strconv.FormatInt(g.TimeOrigin, 10)
	}
	if g.TimeBase != "" {
		m[MetaEventsTimeBase] = g.TimeBase
	}
	return m
}

// EventsBuilder turns event batches into events-table records, copying each
// column in bulk (no per-event work beyond the copy).
type EventsBuilder struct {
	b *array.RecordBuilder
}

// NewEventsBuilder returns a builder; Release it when done.
func NewEventsBuilder(mem memory.Allocator) *EventsBuilder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &EventsBuilder{b: array.NewRecordBuilder(mem, Schema(Events))}
}

// Release frees the builder.
func (eb *EventsBuilder) Release() { eb.b.Release() }

// Append adds the events of b, all tagged with sample id.
func (eb *EventsBuilder) Append(sample int32, b *events.Batch) {
	n := b.Len()
	f := eb.b.Fields()
	sb := f[0].(*array.Int32Builder)
	sb.Reserve(n)
	for i := 0; i < n; i++ {
		sb.UnsafeAppend(sample)
	}
	f[1].(*array.Int64Builder).AppendValues(b.T, nil)
	f[2].(*array.Uint16Builder).AppendValues(b.X, nil)
	f[3].(*array.Uint16Builder).AppendValues(b.Y, nil)
	f[4].(*array.Int8Builder).AppendValues(b.P, nil)
}

// Len is the number of events appended since the last NewRecord.
func (eb *EventsBuilder) Len() int { return eb.b.Field(1).Len() }

// NewRecord returns the events so far and resets the builder.
func (eb *EventsBuilder) NewRecord() arrow.RecordBatch { return eb.b.NewRecordBatch() }

// EventsRecord wraps a batch as an events-table record without copying:
// the record's buffers are b's slices. sample must hold at least b.Len()
// copies of the sample id (SampleColumn makes one). The record is valid
// only while b and sample are unchanged; release it before reusing them.
func EventsRecord(b *events.Batch, sample []int32) arrow.RecordBatch {
	n := b.Len()
	col := func(t arrow.DataType, buf []byte) arrow.Array {
		d := array.NewData(t, n, []*memory.Buffer{nil, memory.NewBufferBytes(buf)}, nil, 0, 0)
		defer d.Release()
		return array.MakeFromData(d)
	}
	cols := []arrow.Array{
		col(arrow.PrimitiveTypes.Int32, bytesOf(sample[:n])),
		col(arrow.PrimitiveTypes.Int64, bytesOf(b.T[:n])),
		col(arrow.PrimitiveTypes.Uint16, bytesOf(b.X[:n])),
		col(arrow.PrimitiveTypes.Uint16, bytesOf(b.Y[:n])),
		col(arrow.PrimitiveTypes.Int8, bytesOf(b.P[:n])),
	}
	rec := array.NewRecordBatch(Schema(Events), cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// SampleColumn returns n copies of id, reusing dst when it is large enough
// and already filled with id.
func SampleColumn(dst []int32, id int32, n int) []int32 {
	if cap(dst) >= n && len(dst) > 0 && dst[0] == id && len(dst) >= n {
		return dst
	}
	if cap(dst) < n {
		dst = make([]int32, n)
	}
	dst = dst[:cap(dst)]
	for i := range dst {
		dst[i] = id
	}
	return dst
}

func bytesOf[T int8 | uint16 | int32 | int64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(z)))
}
