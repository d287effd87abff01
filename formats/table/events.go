package table

import (
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
)

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
