package table

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

// RecordingReader streams the recordings of a traces table, one Recording
// at a time, from a Parquet file, an Arrow IPC file or a hive-partitioned
// folder of them (source_dataset=…/worm=…/part-N.parquet, read in the order
// of DataFiles). It reads one batch of rows at a time and holds at most the
// recording being assembled, never the whole table; a recording whose rows
// are split across row groups, batches or part files is reassembled. The
// rows of one recording must be contiguous (every neurotab writer makes
// them so); a recording that reappears after another is an error naming it.
//
//	rr, err := table.OpenRecordings("traces.parquet", nil)
//	defer rr.Close()
//	for {
//		r, err := rr.Next()
//		if err == io.EOF {
//			break
//		}
//		… r.Data is T × N …
//	}
type RecordingReader struct {
	src  *batchSource
	rec  arrow.RecordBatch // current batch
	cols tracesCols        // accessors of rec
	row  int               // next row of rec
	cur  *recordingRows    // the recording being assembled
	done map[RecordingKey]bool
	err  error
}

// tracesBatchBytes is the decoded size aimed at for one batch of traces
// rows: a row holds a whole trace, so batches are cut by bytes, not rows.
var tracesBatchBytes int64 = 32 << 20

// OpenRecordings opens a traces table (file or hive folder) for streaming
// with Next. Close it when done. mem may be nil.
func OpenRecordings(path string, mem memory.Allocator) (*RecordingReader, error) {
	src, err := newBatchSource(path, mem, tracesBatchRows)
	if err != nil {
		return nil, err
	}
	return &RecordingReader{src: src, done: map[RecordingKey]bool{}}, nil
}

// tracesBatchRows sizes a Parquet file's batches from its first row
// group's uncompressed bytes per row; IPC files are read batch by batch.
func tracesBatchRows(f File) int64 {
	pf, ok := f.(*ParquetFile)
	if !ok || pf.NumRowGroups() == 0 {
		return 0
	}
	rg := pf.FileReader().MetaData().RowGroup(0)
	if rg.NumRows() == 0 {
		return 1024
	}
	perRow := max(rg.TotalByteSize()/rg.NumRows(), 1)
	return max(tracesBatchBytes/perRow, 1)
}

// Next returns the next recording, or io.EOF after the last one. The
// Recording is the caller's (no Arrow memory is kept).
func (r *RecordingReader) Next() (*Recording, error) {
	if r.err != nil {
		return nil, r.err
	}
	out, err := r.next()
	if err != nil {
		r.err = err
	}
	return out, err
}

// next does Next's work; a panic of Arrow on a corrupt batch (an array
// whose buffers disagree) is an error naming the file.
func (r *RecordingReader) next() (out *Recording, err error) {
	defer recoverAs(&err, r.src.file())
	for {
		if r.rec == nil || r.row >= int(r.rec.NumRows()) {
			rec, err := r.src.next()
			if err == io.EOF {
				if r.cur == nil {
					return nil, io.EOF
				}
				out := r.cur.recording()
				r.cur = nil
				return out, nil
			}
			if err != nil {
				return nil, err
			}
			if k, ok := r.src.kind(); ok && k != Traces {
				return nil, &SchemaError{File: r.src.file(), Table: Traces, Column: MetaTable, Row: -1, Msg: fmt.Sprintf("a %s table, not traces", k)}
			}
			r.rec, r.row = rec, 0
			if r.cols = bindTraces(rec, r.src.file()); r.cols.err != nil {
				return nil, r.cols.err
			}
		}
		out, err := r.scan()
		if out != nil || err != nil {
			return out, err
		}
	}
}

// scan adds rows of the current batch to the recording being assembled and
// returns it when a row of another recording starts.
func (r *RecordingReader) scan() (*Recording, error) {
	cols := &r.cols
	for ; r.row < int(r.rec.NumRows()); r.row++ {
		i := r.row
		key := RecordingKey{cols.dataset(i), cols.worm(i)}
		fileRow := r.src.row + int64(i)
		if err := r.checkPartitions(key, fileRow); err != nil {
			return nil, err
		}
		if r.cur != nil && r.cur.key != key {
			out := r.cur.recording()
			r.done[r.cur.key] = true
			r.cur = nil
			return out, nil
		}
		if r.cur == nil {
			if r.done[key] {
				return nil, &SchemaError{File: r.src.file(), Table: Traces, Column: "worm", Row: fileRow,
					Msg: fmt.Sprintf("recording %s/%s resumes after other recordings (its rows must be contiguous)", key.Dataset, key.Worm)}
			}
			r.cur = &recordingRows{key: key, file: r.src.file()}
		}
		if err := r.cur.add(cols, i); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// checkPartitions makes sure a row of a hive dataset holds the
// source_dataset and worm its folder names.
func (r *RecordingReader) checkPartitions(key RecordingKey, fileRow int64) error {
	for _, p := range r.src.part {
		got := ""
		switch p.Key {
		case "source_dataset":
			got = key.Dataset
		case "worm":
			got = key.Worm
		default:
			continue
		}
		if got != p.Value {
			return &SchemaError{File: r.src.file(), Table: Traces, Column: p.Key, Row: fileRow,
				Msg: fmt.Sprintf("%q in the folder %s=%s", got, p.Key, escapePartition(p.Value))}
		}
	}
	return nil
}

// Close releases the reader and its open file.
func (r *RecordingReader) Close() error {
	r.rec = nil
	r.cur = nil
	return r.src.close()
}

// tracesCols are the accessors of a traces batch.
type tracesCols struct {
	dataset, worm, neuron, smooth, interp, norm, raw func(int) string
	slot                                             func(int) int64
	labeled                                          func(int) bool
	calcium, time, ocalcium, otime                   func(int) ([]float32, bool)
	err                                              error
}

func bindTraces(rec arrow.RecordBatch, file string) tracesCols {
	c := &colset{rec: rec, kind: Traces, file: file}
	t := tracesCols{
		dataset: c.str("source_dataset"), worm: c.str("worm"), neuron: c.str("neuron"),
		slot: c.integer("slot", -1), labeled: c.boolean("is_labeled_neuron"),
		calcium: c.floats32("calcium_data"), time: c.floats32("time_in_seconds"),
		ocalcium: c.floats32("original_calcium_data"), otime: c.floats32("original_time_in_seconds"),
		smooth: c.str("smooth_method"), interp: c.str("interpolate_method"), norm: c.str("normalization_method"),
		raw: c.str("raw_data_file"),
	}
	t.err = c.err
	return t
}

// recordingRows gathers the rows of one recording, in table order; the
// recording's metadata and times come from its first row.
type recordingRows struct {
	key       RecordingKey
	file      string
	r         Recording
	data      [][]float32 // per neuron, homogenized
	orig      [][]float32 // per neuron, original (nil when null)
	hasOrig   bool
	firstNeur string
}

func (g *recordingRows) add(c *tracesCols, i int) error {
	ca, _ := c.calcium(i)
	oca, hasO := c.ocalcium(i)
	nr := c.neuron(i)
	if len(g.data) == 0 {
		g.firstNeur = nr
		g.r = Recording{Dataset: g.key.Dataset, Worm: g.key.Worm,
			SmoothMethod: c.smooth(i), InterpolateMethod: c.interp(i), NormalizationMethod: c.norm(i), RawDataFile: c.raw(i)}
		tm, _ := c.time(i)
		g.r.Time = float64s(tm)
		if hasO {
			g.hasOrig = true
			otm, _ := c.otime(i)
			g.r.OriginalTime = float64s(otm)
		}
	}
	if len(ca) != len(g.r.Time) {
		return fmt.Errorf("%straces: recording %s/%s: neuron %q has %d samples, %q has %d: %w", filePrefix(g.file), g.key.Dataset, g.key.Worm, nr, len(ca), g.firstNeur, len(g.r.Time), neurotab.ErrShape)
	}
	if g.hasOrig && hasO && len(oca) != len(g.r.OriginalTime) {
		return fmt.Errorf("%straces: recording %s/%s: neuron %q has %d original samples, %q has %d: %w", filePrefix(g.file), g.key.Dataset, g.key.Worm, nr, len(oca), g.firstNeur, len(g.r.OriginalTime), neurotab.ErrShape)
	}
	g.r.Neurons = append(g.r.Neurons, nr)
	g.r.Slots = append(g.r.Slots, int(c.slot(i)))
	g.r.Labeled = append(g.r.Labeled, c.labeled(i))
	g.data = append(g.data, append([]float32(nil), ca...))
	if g.hasOrig && hasO {
		g.orig = append(g.orig, append([]float32(nil), oca...))
	} else {
		g.orig = append(g.orig, nil)
	}
	return nil
}

// recording returns the dense form: T × N, columns in row order.
func (g *recordingRows) recording() *Recording {
	out := g.r
	out.Data = dense(g.data, len(out.Time))
	if g.hasOrig && len(out.OriginalTime) > 0 {
		out.Original = dense(g.orig, len(out.OriginalTime))
	}
	return &out
}

// dense puts columns cols[j] (length T, or nil for missing: zeros) side by
// side; an empty matrix when T or N is 0.
func dense(cols [][]float32, T int) *mat.Dense {
	N := len(cols)
	if T == 0 || N == 0 {
		return &mat.Dense{}
	}
	m := mat.NewDense(T, N, nil)
	raw := m.RawMatrix()
	for j, col := range cols {
		for i, v := range col {
			raw.Data[i*raw.Stride+j] = float64(v)
		}
	}
	return m
}

func filePrefix(file string) string {
	if file == "" {
		return ""
	}
	return file + ": "
}

func float64s(v []float32) []float64 {
	out := make([]float64, len(v))
	for k, x := range v {
		out[k] = float64(x)
	}
	return out
}
