package table

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

// Recording is one recording in dense form: T time samples × N neurons,
// rows are time. It is what ingest produces and fit/ and analysis/ consume;
// TracesBuilder turns it into rows of the traces table and ReadRecording
// turns them back.
type Recording struct {
	Dataset string // source dataset, e.g. "Kato2015"
	Worm    string // recording id, unique within the dataset

	Neurons []string // N labels: canonical neuron label, or ROI id when unlabeled
	Slots   []int    // N slot indices in the canonical order; -1 for none
	Labeled []bool   // N: true when Neurons[j] is a canonical label

	Time []float64  // T homogenized sample times, s
	Data *mat.Dense // T × N homogenized traces

	OriginalTime []float64  // T0 original sample times, s (nil when not kept)
	Original     *mat.Dense // T0 × N original traces (nil when not kept)

	SmoothMethod        string // e.g. "moving_average(15)" or "none"
	InterpolateMethod   string // e.g. "linear" or "none"
	NormalizationMethod string // e.g. "zscore" or "none"
	RawDataFile         string // the file the recording came from
}

// Validate checks the recording's shapes; errors wrap neurotab.ErrShape.
func (r *Recording) Validate() error {
	if r.Data == nil {
		return fmt.Errorf("recording %s/%s: no data: %w", r.Dataset, r.Worm, neurotab.ErrShape)
	}
	t, n := r.Data.Dims()
	switch {
	case len(r.Neurons) != n:
		return fmt.Errorf("recording %s/%s: %d neuron names for %d columns: %w", r.Dataset, r.Worm, len(r.Neurons), n, neurotab.ErrShape)
	case r.Slots != nil && len(r.Slots) != n:
		return fmt.Errorf("recording %s/%s: %d slots for %d columns: %w", r.Dataset, r.Worm, len(r.Slots), n, neurotab.ErrShape)
	case r.Labeled != nil && len(r.Labeled) != n:
		return fmt.Errorf("recording %s/%s: %d labeled flags for %d columns: %w", r.Dataset, r.Worm, len(r.Labeled), n, neurotab.ErrShape)
	case len(r.Time) != t:
		return fmt.Errorf("recording %s/%s: %d times for %d samples: %w", r.Dataset, r.Worm, len(r.Time), t, neurotab.ErrShape)
	}
	if r.Original != nil {
		t0, n0 := r.Original.Dims()
		if n0 != n || len(r.OriginalTime) != t0 {
			return fmt.Errorf("recording %s/%s: original traces %d×%d with %d times, want N=%d: %w", r.Dataset, r.Worm, t0, n0, len(r.OriginalTime), n, neurotab.ErrShape)
		}
	}
	return nil
}

// MedianDt returns the median spacing of times (0 with fewer than 2).
func MedianDt(times []float64) float64 {
	if len(times) < 2 {
		return 0
	}
	d := make([]float64, len(times)-1)
	for i := range d {
		d[i] = times[i+1] - times[i]
	}
	return median(d)
}

func median(x []float64) float64 {
	// insertion-free selection: sort a copy (x is ours already).
	sortFloat64s(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// TracesBuilder builds traces-table records from Recordings.
type TracesBuilder struct {
	b   *array.RecordBuilder
	buf []float32
}

// NewTracesBuilder returns a builder; Release it when done.
func NewTracesBuilder(mem memory.Allocator) *TracesBuilder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &TracesBuilder{b: array.NewRecordBuilder(mem, Schema(Traces))}
}

// Release frees the builder.
func (tb *TracesBuilder) Release() { tb.b.Release() }

// Append adds one row per neuron of r.
func (tb *TracesBuilder) Append(r *Recording) error {
	if err := r.Validate(); err != nil {
		return err
	}
	T, N := r.Data.Dims()
	if T > math.MaxInt32 {
		return fmt.Errorf("recording %s/%s: %d samples exceed the int32 max_timesteps column", r.Dataset, r.Worm, T)
	}
	f := tb.b.Fields()
	str := func(i int, s string) { f[i].(*array.BinaryDictionaryBuilder).AppendString(s) }
	medDt := MedianDt(append([]float64(nil), r.Time...))
	var origDt float64
	var T0 int
	if r.Original != nil {
		T0, _ = r.Original.Dims()
		origDt = MedianDt(append([]float64(nil), r.OriginalTime...))
	}
	times := toFloat32(nil, r.Time)
	var otimes []float32
	if r.Original != nil {
		otimes = toFloat32(nil, r.OriginalTime)
	}
	// Size the list value buffers once: growing them by doubling would
	// briefly hold twice the recording.
	reserveList(f[5], N*T)
	reserveList(f[6], N*T)
	if r.Original != nil {
		reserveList(f[7], N*T0)
		reserveList(f[8], N*T0)
	}
	for j := 0; j < N; j++ {
		str(0, r.Dataset)
		str(1, r.Worm)
		str(2, r.Neurons[j])
		slot := -1
		if r.Slots != nil {
			slot = r.Slots[j]
		}
		if slot >= 0 {
			f[3].(*array.Int32Builder).Append(int32(slot))
		} else {
			f[3].AppendNull()
		}
		lab := r.Labeled != nil && r.Labeled[j]
		f[4].(*array.BooleanBuilder).Append(lab)
		tb.buf = column32(tb.buf, r.Data, j)
		appendList(f[5], tb.buf)
		appendList(f[6], times)
		if r.Original != nil {
			tb.buf = column32(tb.buf, r.Original, j)
			appendList(f[7], tb.buf)
			appendList(f[8], otimes)
		} else {
			f[7].AppendNull()
			f[8].AppendNull()
		}
		f[9].(*array.Float64Builder).Append(medDt)
		if r.Original != nil {
			f[10].(*array.Float64Builder).Append(origDt)
		} else {
			f[10].AppendNull()
		}
		f[11].(*array.Int32Builder).Append(int32(T))
		if r.Original != nil {
			f[12].(*array.Int32Builder).Append(int32(T0))
		} else {
			f[12].AppendNull()
		}
		str(13, orNone(r.SmoothMethod))
		str(14, orNone(r.InterpolateMethod))
		str(15, orNone(r.NormalizationMethod))
		str(16, r.RawDataFile)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// reserveList makes room for n more float32 values in list builder b:
// exactly for the first recording (Arrow's Reserve rounds up to a power of
// two), by at least doubling after that so many appends stay linear.
func reserveList(b array.Builder, n int) {
	vb := b.(*array.ListBuilder).ValueBuilder()
	if need := vb.Len() + n; need > vb.Cap() {
		if vb.Len() > 0 {
			need = max(need, 2*vb.Cap())
		}
		vb.Resize(need)
	}
}

func appendList(b array.Builder, v []float32) {
	lb := b.(*array.ListBuilder)
	lb.Append(true)
	lb.ValueBuilder().(*array.Float32Builder).AppendValues(v, nil)
}

// column32 copies column j of m into dst as float32, reusing dst.
func column32(dst []float32, m *mat.Dense, j int) []float32 {
	raw := m.RawMatrix()
	if cap(dst) < raw.Rows {
		dst = make([]float32, raw.Rows)
	}
	dst = dst[:raw.Rows]
	for i := range dst {
		dst[i] = float32(raw.Data[i*raw.Stride+j])
	}
	return dst
}

func toFloat32(dst []float32, v []float64) []float32 {
	if cap(dst) < len(v) {
		dst = make([]float32, len(v))
	}
	dst = dst[:len(v)]
	for i, x := range v {
		dst[i] = float32(x)
	}
	return dst
}

// NewRecord returns the rows appended so far as a record and resets the
// builder. The caller releases the record.
func (tb *TracesBuilder) NewRecord() arrow.RecordBatch { return tb.b.NewRecordBatch() }

// RecordingKey names one recording in a traces table.
type RecordingKey struct{ Dataset, Worm string }

// RecordingKeys lists the recordings of a traces record in order of first
// appearance.
func RecordingKeys(rec arrow.RecordBatch) ([]RecordingKey, error) {
	if err := checkKind(rec, Traces); err != nil {
		return nil, err
	}
	ds := rec.Column(0).(*array.Dictionary)
	wm := rec.Column(1).(*array.Dictionary)
	seen := map[RecordingKey]bool{}
	var keys []RecordingKey
	for r := 0; r < int(rec.NumRows()); r++ {
		k := RecordingKey{dictValue(ds, r), dictValue(wm, r)}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys, nil
}

func checkKind(rec arrow.RecordBatch, k Kind) error {
	if !sameFields(Schema(k), rec.Schema()) {
		return &SchemaError{Table: k, Column: rec.Schema().Field(0).Name, Row: -1, Msg: "record does not have the " + string(k) + " schema"}
	}
	return nil
}

func dictValue(d *array.Dictionary, i int) string {
	return d.Dictionary().(*array.String).Value(d.GetValueIndex(i))
}

// ReadRecording gathers the rows of one recording from a traces record into
// dense form (T × N, rows in table order), as RecordingReader does for a
// file. The homogenized traces must all have the same length within the
// recording.
func ReadRecording(rec arrow.RecordBatch, key RecordingKey) (*Recording, error) {
	if err := checkKind(rec, Traces); err != nil {
		return nil, err
	}
	cols := bindTraces(rec, "")
	if cols.err != nil {
		return nil, cols.err
	}
	var g *recordingRows
	for r := 0; r < int(rec.NumRows()); r++ {
		if cols.dataset(r) != key.Dataset || cols.worm(r) != key.Worm {
			continue
		}
		if g == nil {
			g = &recordingRows{key: key}
		}
		if err := g.add(&cols, r); err != nil {
			return nil, err
		}
	}
	if g == nil {
		return nil, fmt.Errorf("traces: no recording %s/%s: %w", key.Dataset, key.Worm, neurotab.ErrNotFound)
	}
	return g.recording(), nil
}

// LongBuilder builds the one-row-per-sample traces layout (TracesLong):
// source_dataset, worm, neuron, t, value.
type LongBuilder struct {
	b *array.RecordBuilder
}

// NewLongBuilder returns a builder; Release it when done.
func NewLongBuilder(mem memory.Allocator) *LongBuilder {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &LongBuilder{b: array.NewRecordBuilder(mem, Schema(TracesLong))}
}

// Release frees the builder.
func (lb *LongBuilder) Release() { lb.b.Release() }

// Append adds T×N rows for r, neuron by neuron.
func (lb *LongBuilder) Append(r *Recording) error {
	if err := r.Validate(); err != nil {
		return err
	}
	T, N := r.Data.Dims()
	f := lb.b.Fields()
	ds := f[0].(*array.BinaryDictionaryBuilder)
	wm := f[1].(*array.BinaryDictionaryBuilder)
	nr := f[2].(*array.BinaryDictionaryBuilder)
	tb := f[3].(*array.Float64Builder)
	vb := f[4].(*array.Float32Builder)
	for _, b := range f {
		b.Reserve(T * N)
	}
	raw := r.Data.RawMatrix()
	for j := 0; j < N; j++ {
		for i := 0; i < T; i++ {
			ds.AppendString(r.Dataset)
			wm.AppendString(r.Worm)
			nr.AppendString(r.Neurons[j])
		}
		tb.AppendValues(r.Time, nil)
		for i := 0; i < T; i++ {
			vb.UnsafeAppend(float32(raw.Data[i*raw.Stride+j]))
		}
	}
	return nil
}

// NewRecord returns the rows so far and resets the builder.
func (lb *LongBuilder) NewRecord() arrow.RecordBatch { return lb.b.NewRecordBatch() }
