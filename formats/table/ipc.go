package table

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// IPCWriter streams records of one canonical table into an Arrow IPC file
// (the random-access "Feather v2" format, zstd-compressed buffers),
// atomically. Provenance goes into the schema metadata.
type IPCWriter struct {
	kind Kind
	path string
	af   *AtomicFile
	bw   *bufio.Writer
	w    interface {
		Write(arrow.RecordBatch) error
		Close() error
	} // the file, or the stream spool of a table with dictionary columns
	dicts    map[int]array.DictionaryUnifier // every dictionary column's values so far
	closed   bool
	validate bool
	schema   *arrow.Schema // the schema written while streaming
	opts     []ipc.Option  // writer options but the schema, for a rewrite
	nsrc     int           // sources given at creation
	sources  []SourceFile  // prov.Sources, then every AddSource
	footer   [][2]string   // AddMetadata pairs
	rows     int64
}

// Rows returns the number of rows written so far.
func (w *IPCWriter) Rows() int64 { return w.rows }

// AddSource records one more source file in the provenance, written at
// Close (as ParquetWriter.AddSource).
func (w *IPCWriter) AddSource(s SourceFile) { w.sources = append(w.sources, s) }

// AddMetadata adds a key-value pair to the file's metadata, written at
// Close (as ParquetWriter.AddMetadata). An IPC file states its metadata
// before its batches, so a writer given sources or metadata after creation
// rewrites its batches once at Close, under the final schema.
func (w *IPCWriter) AddMetadata(key, value string) {
	w.footer = append(w.footer, [2]string{key, value})
}

// CreateIPC starts an Arrow IPC file of table kind k at path.
func CreateIPC(path string, k Kind, prov Provenance, extra map[string]string, o *WriteOptions) (*IPCWriter, error) {
	opt := o.orDefault()
	md, err := prov.Metadata(k)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := withMetadata(Schema(k), md, extra)
	af, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(af, 1<<20)
	opts := []ipc.Option{ipc.WithAllocator(opt.Allocator)}
	switch opt.Compression {
	case "zstd":
		opts = append(opts, ipc.WithZstd())
	case "lz4":
		opts = append(opts, ipc.WithLZ4())
	case "none", "uncompressed":
	default:
		af.Abort()
		return nil, fmt.Errorf("%s: Arrow IPC supports zstd, lz4 or none, not %q", path, opt.Compression)
	}
	iw := &IPCWriter{kind: k, path: path, af: af, bw: bw, validate: !opt.SkipValidation,
		schema: s, opts: opts, nsrc: len(prov.Sources), sources: append([]SourceFile{}, prov.Sources...)}
	// An IPC file holds one dictionary per column, but every batch brings
	// its own: such a table is spooled as an IPC stream and rewritten at
	// Close over the union of its dictionaries.
	for i, f := range s.Fields() {
		if dt, ok := f.Type.(*arrow.DictionaryType); ok {
			u, err := array.NewDictionaryUnifier(opt.Allocator, dt.ValueType)
			if err != nil {
				iw.release()
				af.Abort()
				return nil, fmt.Errorf("%s: column %s: %w", path, f.Name, err)
			}
			if iw.dicts == nil {
				iw.dicts = map[int]array.DictionaryUnifier{}
			}
			iw.dicts[i] = u
		}
	}
	with := append([]ipc.Option{ipc.WithSchema(s)}, opts...)
	if iw.dicts != nil {
		iw.w = ipc.NewWriter(bw, with...)
	} else if iw.w, err = ipc.NewFileWriter(bw, with...); err != nil {
		af.Abort()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return iw, nil
}

// Write appends rec after validating it (see Validate).
func (w *IPCWriter) Write(rec arrow.RecordBatch) error {
	if w.closed {
		return fmt.Errorf("%s: write after close", w.path)
	}
	if w.validate {
		if err := Validate(w.kind, rec); err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
	}
	for i, u := range w.dicts {
		if d, ok := rec.Column(i).(*array.Dictionary); ok {
			if err := u.Unify(d.Dictionary()); err != nil {
				return fmt.Errorf("%s: column %s: %w", w.path, rec.Schema().Field(i).Name, err)
			}
		}
	}
	if err := w.w.Write(rec); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	w.rows += rec.NumRows()
	return nil
}

// WriteIPC writes recs as one Arrow IPC file of kind k, atomically: the
// IPC twin of WriteParquet.
func WriteIPC(path string, k Kind, prov Provenance, extra map[string]string, o *WriteOptions, recs ...arrow.RecordBatch) error {
	w, err := CreateIPC(path, k, prov, extra, o)
	if err != nil {
		return err
	}
	return writeAll(w, recs)
}

// Close writes the footer and renames the file to its final name.
func (w *IPCWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.w.Close(); err != nil {
		w.af.Abort()
		return fmt.Errorf("%s: %w", w.path, err)
	}
	if err := w.bw.Flush(); err != nil {
		w.af.Abort()
		return fmt.Errorf("%s: %w", w.path, err)
	}
	if w.dicts == nil && len(w.sources) == w.nsrc && len(w.footer) == 0 {
		return w.af.Commit()
	}
	defer w.release()
	defer w.af.Abort()
	return w.rewrite()
}

// rewrite copies the batches streamed so far into the final file under the
// schema completed by AddSource and AddMetadata.
func (w *IPCWriter) rewrite() error {
	b, err := json.Marshal(w.sources)
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	md := dropKey(w.schema.Metadata(), MetaSources)
	extra := map[string]string{MetaSources: string(b)}
	for _, kv := range w.footer {
		extra[kv[0]] = kv[1]
	}
	s := withMetadata(w.schema, md, extra)
	next, done, err := w.spooled()
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	defer done()
	tr, err := newTransposer(w.dicts, w.opts[:1])
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	defer tr.release()
	af, err := CreateAtomic(w.path)
	if err != nil {
		return err
	}
	defer af.Abort()
	bw := bufio.NewWriterSize(af, 1<<20)
	fw, err := ipc.NewFileWriter(bw, append([]ipc.Option{ipc.WithSchema(s)}, w.opts...)...)
	if err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	for {
		rec, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		rec, err = tr.apply(rec)
		if err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		err = fw.Write(rec)
		rec.Release()
		if err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	return af.Commit()
}

// Abort drops the file.
func (w *IPCWriter) Abort() {
	w.closed = true
	w.af.Abort()
	w.release()
}

// release frees the dictionary unifiers.
func (w *IPCWriter) release() {
	for _, u := range w.dicts {
		u.Release()
	}
	w.dicts = nil
}

// spooled reads back the batches written so far: next gives each batch
// (the caller releases it) and io.EOF at the end; done frees the reader.
func (w *IPCWriter) spooled() (next func() (arrow.RecordBatch, error), done func(), err error) {
	if w.dicts == nil {
		r, err := ipc.NewFileReader(w.af.File, w.opts[:1]...)
		if err != nil {
			return nil, nil, err
		}
		i := 0
		return func() (arrow.RecordBatch, error) {
			if i >= r.NumRecords() {
				return nil, io.EOF
			}
			rec, err := r.RecordBatch(i)
			i++
			if err == nil {
				rec.Retain()
			}
			return rec, err
		}, func() { r.Close() }, nil
	}
	if _, err := w.af.File.Seek(0, io.SeekStart); err != nil {
		return nil, nil, err
	}
	r, err := ipc.NewReader(bufio.NewReaderSize(w.af.File, 1<<20), w.opts[:1]...)
	if err != nil {
		return nil, nil, err
	}
	return func() (arrow.RecordBatch, error) {
		if !r.Next() {
			if err := r.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		rec := r.RecordBatch()
		rec.Retain()
		return rec, nil
	}, r.Release, nil
}

// transposer rewrites the dictionary columns of spooled batches over one
// dictionary per column, the union of every batch's.
type transposer struct {
	final map[int]arrow.Array             // the union dictionary of column i
	seen  map[int]array.DictionaryUnifier // seeded with final: maps a batch's dictionary into it
	mem   memory.Allocator
}

func newTransposer(dicts map[int]array.DictionaryUnifier, opts []ipc.Option) (*transposer, error) {
	t := &transposer{final: map[int]arrow.Array{}, seen: map[int]array.DictionaryUnifier{}, mem: memory.DefaultAllocator}
	for i, u := range dicts {
		d, err := u.GetResultWithIndexType(arrow.PrimitiveTypes.Int32)
		if err != nil {
			t.release()
			return nil, err
		}
		t.final[i] = d
		s, err := array.NewDictionaryUnifier(t.mem, d.DataType())
		if err == nil {
			err = s.Unify(d)
		}
		if err != nil {
			t.release()
			return nil, err
		}
		t.seen[i] = s
	}
	return t, nil
}

func (t *transposer) release() {
	for _, d := range t.final {
		d.Release()
	}
	for _, s := range t.seen {
		s.Release()
	}
}

// apply returns rec with its dictionary columns over the final
// dictionaries; it releases rec and the caller releases the result.
func (t *transposer) apply(rec arrow.RecordBatch) (arrow.RecordBatch, error) {
	if len(t.final) == 0 {
		return rec, nil
	}
	defer rec.Release()
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		d, ok := rec.Column(i).(*array.Dictionary)
		if !ok || t.final[i] == nil {
			cols[i] = rec.Column(i)
			cols[i].Retain()
			continue
		}
		buf, err := t.seen[i].UnifyAndTranspose(d.Dictionary())
		if err != nil {
			return nil, err
		}
		m := arrow.Int32Traits.CastFromBytes(buf.Bytes())
		b := array.NewInt32Builder(t.mem)
		b.Reserve(d.Len())
		for j := 0; j < d.Len(); j++ {
			if d.IsNull(j) {
				b.AppendNull()
			} else {
				b.Append(m[d.GetValueIndex(j)])
			}
		}
		buf.Release()
		idx := b.NewArray()
		b.Release()
		cols[i] = array.NewDictionaryArray(d.DataType(), idx, t.final[i])
		idx.Release()
	}
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()), nil
}

// IPCFile reads an Arrow IPC file batch by batch.
type IPCFile struct {
	Path string
	f    *os.File
	r    *ipc.FileReader
	mem  memory.Allocator

	size   int64      // file size
	blocks [][3]int64 // record batch blocks (offset, metadata, body), from the footer
}

// OpenIPC opens an Arrow IPC (Feather v2) file.
func OpenIPC(path string, mem memory.Allocator) (out *IPCFile, err error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	defer recoverAs(&err, path)
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	blocks, err := checkIPCFooter(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: not an Arrow IPC file: %w", path, err)
	}
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(mem))
	if err != nil {
		return nil, fmt.Errorf("%s: not an Arrow IPC file: %v: %w", path, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	return &IPCFile{Path: path, f: f, r: r, mem: mem, size: st.Size(), blocks: blocks}, nil
}

// Schema returns the schema with its metadata.
func (p *IPCFile) Schema() *arrow.Schema { return p.r.Schema() }

// NumBatches returns the number of record batches.
func (p *IPCFile) NumBatches() int { return p.r.NumRecords() }

// Metadata returns the schema's key-value metadata (provenance).
func (p *IPCFile) Metadata() arrow.Metadata { return p.r.Schema().Metadata() }

// Batch reads batch i; the caller releases it.
func (p *IPCFile) Batch(i int) (rec arrow.RecordBatch, err error) {
	defer recoverAs(&err, p.Path)
	if i >= 0 && i < len(p.blocks) {
		if err := checkIPCBlock(p.f, p.size, p.blocks[i]); err != nil {
			return nil, fmt.Errorf("%s: batch %d: %w", p.Path, i, err)
		}
	}
	rec, err = p.r.RecordBatchAt(i)
	if err != nil {
		return nil, fmt.Errorf("%s: batch %d: %v: %w", p.Path, i, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	return rec, nil
}

// NumRows counts rows over every batch (reads each batch's header).
func (p *IPCFile) NumRows() (int64, error) {
	var n int64
	for i := 0; i < p.NumBatches(); i++ {
		r, err := p.Batch(i)
		if err != nil {
			return n, err
		}
		n += r.NumRows()
		r.Release()
	}
	return n, nil
}

// Close closes the file.
func (p *IPCFile) Close() error {
	p.r.Close()
	return p.f.Close()
}
