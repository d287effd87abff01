package table

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/neurotab/neurotab"
)

// WriteOptions tune how tables are written. The zero value is the default:
// zstd, dictionary encoding for string columns only, 64 MiB row groups,
// validation on.
type WriteOptions struct {
	// Compression is "zstd" (default), "snappy", "gzip", "lz4" or "none".
	Compression string
	// CompressionLevel is the codec's level; 0 is the codec default.
	CompressionLevel int
	// ByteStreamSplit stores every float32/float64 column with the
	// BYTE_STREAM_SPLIT encoding. The signal columns (traces value and
	// calcium_data) use it by default anyway; on time columns it compresses
	// a little better at a large cost in write speed.
	ByteStreamSplit bool
	// PlainFloats turns off the default BYTE_STREAM_SPLIT encoding of the
	// signal columns, for readers older than parquet-mr 1.12 (Spark < 3.2)
	// that cannot decode it.
	PlainFloats bool
	// RowGroupBytes is the uncompressed size at which a row group is closed
	// and flushed; it bounds the writer's memory. Default 64 MiB.
	RowGroupBytes int64
	// SerialColumns writes the columns of a row group one after another.
	// By default a table of required numbers (the events table) has its
	// columns encoded and compressed concurrently, one goroutine each.
	SerialColumns bool
	// SkipValidation turns off Validate on every written record.
	SkipValidation bool
	// Allocator for Arrow buffers; memory.DefaultAllocator when nil.
	Allocator memory.Allocator
}

// Mem returns the options' allocator, or the default one (also for nil
// options).
func (o *WriteOptions) Mem() memory.Allocator {
	if o == nil || o.Allocator == nil {
		return memory.DefaultAllocator
	}
	return o.Allocator
}

func (o *WriteOptions) orDefault() WriteOptions {
	var w WriteOptions
	if o != nil {
		w = *o
	}
	if w.Compression == "" {
		w.Compression = "zstd"
	}
	if w.RowGroupBytes <= 0 {
		w.RowGroupBytes = 64 << 20
	}
	if w.Allocator == nil {
		w.Allocator = memory.DefaultAllocator
	}
	return w
}

func codec(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "lz4":
		return compress.Codecs.Lz4Raw, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return compress.Codecs.Uncompressed, fmt.Errorf("unknown compression %q (zstd, snappy, gzip, lz4, none)", name)
}

type encodingHint uint8

const (
	hintNone  encodingHint = iota
	hintDelta              // DELTA_BINARY_PACKED: sorted or slowly varying integers (event times)
	hintDict               // dictionary + RLE/bit-packing: integers with few distinct values
	hintBSS                // BYTE_STREAM_SPLIT: float signals
)

// columnHints pick encodings that suit a column's data before zstd sees it.
// Events: t rises by a few µs per event, so delta encoding stores a few bits
// per event; x and y take at most a few thousand values (bit-packed
// dictionary indices, 10–11 bits); p and sample are nearly constant runs.
// This makes event files several times smaller and faster to write than
// plain encoding under zstd alone. Float32 signals: BYTE_STREAM_SPLIT puts
// the slowly changing sign/exponent bytes together, so zstd finds runs in
// them (on the 10-million-sample traces benchmark the file is 11 % smaller
// and the write no slower than plain).
var columnHints = map[Kind]map[string]encodingHint{
	Traces:     {"calcium_data": hintBSS, "original_calcium_data": hintBSS},
	TracesLong: {"value": hintBSS},
	Events:     {"sample": hintDelta, "t": hintDelta, "x": hintDelta, "y": hintDelta, "p": hintDelta},
	Spikes:     {"unit": hintDict},
	States:     {"state": hintDict},
	FC:         {"window": hintDict},
}

// ParquetProperties returns the Parquet writer properties neurotab uses for
// schema s: the codec on every column, dictionary encoding on the columns
// whose Arrow type is a dictionary and off elsewhere (on floats it costs time
// and grows the file), BYTE_STREAM_SPLIT on the signal columns (and on every
// float leaf when asked), delta or dictionary encoding where columnHints say,
// and column statistics on every column but the elements of lists.
func ParquetProperties(s *arrow.Schema, o *WriteOptions) (*parquet.WriterProperties, pqarrow.ArrowWriterProperties, error) {
	opt := o.orDefault()
	c, err := codec(opt.Compression)
	if err != nil {
		return nil, pqarrow.ArrowWriterProperties{}, err
	}
	props := []parquet.WriterProperty{
		parquet.WithAllocator(opt.Allocator),
		parquet.WithCompression(c),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(1 << 30),
		parquet.WithCreatedBy("neurotab " + Version),
	}
	if opt.CompressionLevel != 0 {
		props = append(props, parquet.WithCompressionLevel(opt.CompressionLevel))
	}
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(opt.Allocator))
	pqs, err := pqarrow.ToParquet(s, parquet.NewWriterProperties(props...), arrProps)
	if err != nil {
		return nil, arrProps, err
	}
	kind, _ := KindOf(s)
	hints := columnHints[kind]
	for i := 0; i < pqs.NumColumns(); i++ {
		col := pqs.Column(i)
		path := col.Path()
		top := strings.SplitN(path, ".", 2)[0]
		idx := s.FieldIndices(top)
		if len(idx) == 0 {
			continue
		}
		if s.Field(idx[0]).Type.ID() == arrow.DICTIONARY {
			props = append(props, parquet.WithDictionaryFor(path, true))
		}
		if s.Field(idx[0]).Type.ID() == arrow.LIST {
			// Min/max of a list's elements (a trace's samples) prune no
			// query readers run (DuckDB, Arrow and Spark push predicates
			// down to scalar columns only) and cost 5 % of a traces write.
			props = append(props, parquet.WithStatsFor(path, false))
		}
		switch hints[top] {
		case hintDelta:
			props = append(props, parquet.WithEncodingFor(path, parquet.Encodings.DeltaBinaryPacked))
		case hintDict:
			props = append(props, parquet.WithDictionaryFor(path, true))
		case hintBSS:
			if !opt.PlainFloats {
				props = append(props, parquet.WithEncodingFor(path, parquet.Encodings.ByteStreamSplit))
			}
		}
		if opt.ByteStreamSplit && (col.PhysicalType() == parquet.Types.Float || col.PhysicalType() == parquet.Types.Double) {
			props = append(props, parquet.WithEncodingFor(path, parquet.Encodings.ByteStreamSplit))
		}
	}
	return parquet.NewWriterProperties(props...), arrProps, nil
}

// ParquetWriter streams records of one canonical table into a Parquet file,
// atomically (see AtomicFile). Each row group is flushed when it reaches
// WriteOptions.RowGroupBytes, so memory stays bounded whatever the file size.
type ParquetWriter struct {
	kind     Kind
	path     string
	af       *AtomicFile
	bw       *bufio.Writer
	fw       *pqarrow.FileWriter // nil when flat is set
	flat     *flatWriter         // tables of required numbers: columns encoded concurrently
	opt      WriteOptions
	rgBytes  int64
	rgFull   bool // the buffered row group reached RowGroupBytes
	rows     int64
	closed   bool
	validate bool
	sources  []SourceFile // prov.Sources, then every AddSource, written at Close
	footer   [][2]string
}

// AddMetadata adds a key-value pair to the file's metadata, written at
// Close: for facts known only after the data (per-input summaries). Keys
// must not repeat those given at creation.
func (w *ParquetWriter) AddMetadata(key, value string) {
	w.footer = append(w.footer, [2]string{key, value})
}

// CreateParquet starts a Parquet file of table kind k at path, with prov in
// its key-value metadata. extra metadata (e.g. an events table's sensor
// geometry) is added to the Arrow schema; it may be nil.
func CreateParquet(path string, k Kind, prov Provenance, extra map[string]string, o *WriteOptions) (*ParquetWriter, error) {
	opt := o.orDefault()
	md, err := prov.Metadata(k)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Sources are stored at Close, after those AddSource'd while writing.
	md = dropKey(md, MetaSources)
	s := withMetadata(Schema(k), md, extra)
	props, arrProps, err := ParquetProperties(s, &opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	af, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	// A bufio.Writer hides the file's Close from pqarrow (which closes any
	// io.Closer sink) so that Close can flush, fsync and rename it.
	bw := bufio.NewWriterSize(af, 1<<20)
	w := &ParquetWriter{kind: k, path: path, af: af, bw: bw, opt: opt, validate: !opt.SkipValidation,
		sources: append([]SourceFile{}, prov.Sources...)}
	if flatEligible(s) && !opt.SerialColumns {
		w.flat, err = newFlatWriter(s, bw, props, arrProps)
	} else {
		w.fw, err = pqarrow.NewFileWriter(s, bw, props, arrProps)
	}
	if err != nil {
		af.Abort()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

func dropKey(md arrow.Metadata, key string) arrow.Metadata {
	var ks, vs []string
	for i, k := range md.Keys() {
		if k != key {
			ks = append(ks, k)
			vs = append(vs, md.Values()[i])
		}
	}
	return arrow.NewMetadata(ks, vs)
}

// AddSource records an input file in the provenance written at Close, after
// the Provenance's own Sources: for streaming conversions that hash their
// inputs while reading them.
func (w *ParquetWriter) AddSource(s SourceFile) { w.sources = append(w.sources, s) }

func withMetadata(s *arrow.Schema, md arrow.Metadata, extra map[string]string) *arrow.Schema {
	keys, vals := append([]string{}, md.Keys()...), append([]string{}, md.Values()...)
	for _, k := range sortedKeys(extra) {
		keys = append(keys, k)
		vals = append(vals, extra[k])
	}
	return arrow.NewSchema(s.Fields(), func() *arrow.Metadata { m := arrow.NewMetadata(keys, vals); return &m }())
}

// Write appends rec (whose schema must be the table's, metadata aside). The
// record is validated first unless WriteOptions.SkipValidation is set; a
// record that breaks the schema is rejected with a *SchemaError and nothing
// of it is written.
func (w *ParquetWriter) Write(rec arrow.RecordBatch) error {
	if w.closed {
		return fmt.Errorf("%s: write after close", w.path)
	}
	if w.validate {
		if err := Validate(w.kind, rec); err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
	}
	if rec.NumRows() == 0 {
		return nil
	}
	n := recordBytes(rec)
	w.rows += rec.NumRows()
	if w.flat != nil {
		if err := w.writeFlat(rec, n); err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		return nil
	}
	if w.rgBytes == 0 && n >= w.opt.RowGroupBytes {
		// A record as large as a row group is written as its own row
		// groups, column by column, without buffering a copy.
		if err := w.writeRowGroups(rec, n); err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		return nil
	}
	if w.rgFull {
		// The full row group is closed only now, when more rows come: done
		// at once, a following writeRowGroups would leave an empty one.
		if err := w.fw.NewBufferedRowGroupChecked(); err != nil {
			return fmt.Errorf("%s: %w", w.path, err)
		}
		w.rgFull = false
	}
	if err := w.fw.WriteBuffered(rec); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
	w.rgBytes += n
	if w.rgBytes >= w.opt.RowGroupBytes {
		w.rgFull = true
		w.rgBytes = 0
	}
	return nil
}

// writeRowGroups writes rec as row groups of about RowGroupBytes each.
func (w *ParquetWriter) writeRowGroups(rec arrow.RecordBatch, n int64) error {
	rows := rec.NumRows()
	per := max(rows*w.opt.RowGroupBytes/max(n, 1), 1)
	for off := int64(0); off < rows; off += per {
		end := min(off+per, rows)
		sl := rec.NewSlice(off, end)
		err := w.fw.Write(sl)
		sl.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// writeFlat appends rec to the flat writer's row groups, closing each when
// it reaches RowGroupBytes (rows of a fixed-width table all have one size).
func (w *ParquetWriter) writeFlat(rec arrow.RecordBatch, n int64) error {
	rows := rec.NumRows()
	per := max(n/rows, 1)
	for off := int64(0); off < rows; {
		take := min(rows-off, max((w.opt.RowGroupBytes-w.rgBytes)/per, 1))
		var err error
		if off == 0 && take == rows {
			err = w.flat.write(rec)
		} else {
			sl := rec.NewSlice(off, off+take)
			err = w.flat.write(sl)
			sl.Release()
		}
		if err != nil {
			return err
		}
		off += take
		if w.rgBytes += take * per; w.rgBytes >= w.opt.RowGroupBytes {
			if err := w.flat.endRowGroup(); err != nil {
				return err
			}
			w.rgBytes = 0
		}
	}
	return nil
}

// appendKeyValue adds a footer key-value pair.
func (w *ParquetWriter) appendKeyValue(k, v string) error {
	if w.flat != nil {
		return w.flat.appendKeyValue(k, v)
	}
	return w.fw.AppendKeyValueMetadata(k, v)
}

// closeFile writes the footer.
func (w *ParquetWriter) closeFile() error {
	if w.flat != nil {
		return w.flat.close()
	}
	return w.fw.Close()
}

// recordBytes is the size of the record's buffers as sliced (a slice of a big
// record counts only its rows), used to size row groups.
func recordBytes(rec arrow.RecordBatch) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += arrayBytes(c.Data())
	}
	return n
}

func arrayBytes(d arrow.ArrayData) int64 {
	var n int64
	switch dt := d.DataType().(type) {
	case *arrow.ListType:
		n += int64(d.Len()) * 4
		for _, c := range d.Children() {
			n += arrayBytes(c)
		}
	case *arrow.DictionaryType:
		n += int64(d.Len()) * int64(dt.IndexType.(arrow.FixedWidthDataType).BitWidth()/8)
	case arrow.FixedWidthDataType:
		n += int64(d.Len()) * int64((dt.BitWidth()+7)/8)
	default:
		for _, b := range d.Buffers() {
			if b != nil {
				n += int64(b.Len())
			}
		}
	}
	return n
}

// Rows returns the number of rows written so far.
func (w *ParquetWriter) Rows() int64 { return w.rows }

// Close finishes the file and renames it to its final name.
func (w *ParquetWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	b, err := json.Marshal(w.sources)
	if err != nil {
		w.closeFile()
		w.af.Abort()
		return fmt.Errorf("%s: %w", w.path, err)
	}
	for _, kv := range append([][2]string{{MetaSources, string(b)}}, w.footer...) {
		if err := w.appendKeyValue(kv[0], kv[1]); err != nil {
			w.closeFile()
			w.af.Abort()
			return fmt.Errorf("%s: %w", w.path, err)
		}
	}
	if err := w.closeFile(); err != nil {
		w.af.Abort()
		return fmt.Errorf("%s: %w", w.path, err)
	}
	if err := w.bw.Flush(); err != nil {
		w.af.Abort()
		return fmt.Errorf("%s: %w", w.path, err)
	}
	return w.af.Commit()
}

// Abort drops the file: nothing appears under the final name.
func (w *ParquetWriter) Abort() {
	if w.closed {
		w.af.Abort()
		return
	}
	w.closed = true
	w.af.Abort()
}

// WriteParquet writes recs as one Parquet file of kind k, atomically.
func WriteParquet(path string, k Kind, prov Provenance, extra map[string]string, o *WriteOptions, recs ...arrow.RecordBatch) error {
	w, err := CreateParquet(path, k, prov, extra, o)
	if err != nil {
		return err
	}
	return writeAll(w, recs)
}

// ParquetFile reads a Parquet file written by neurotab or any other tool,
// row group by row group.
type ParquetFile struct {
	Path   string
	rdr    *file.Reader
	fr     *pqarrow.FileReader
	schema *arrow.Schema
	mem    memory.Allocator
}

// OpenParquet opens a Parquet file and reads its footer and schema.
func OpenParquet(path string, mem memory.Allocator) (pf *ParquetFile, err error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	defer recoverAs(&err, path)
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("%s: not a Parquet file: %v: %w", path, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, mem)
	if err != nil {
		rdr.Close()
		return nil, fmt.Errorf("%s: not a Parquet file: %v: %w", path, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	s, err := fr.Schema()
	if err != nil {
		rdr.Close()
		return nil, fmt.Errorf("%s: schema: %v: %w", path, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	return &ParquetFile{Path: path, rdr: rdr, fr: fr, schema: s, mem: mem}, nil
}

// checkRegular gives clear errors for folders and empty files.
func checkRegular(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%s: is a folder, not a file", path)
	}
	if st.Size() == 0 {
		return fmt.Errorf("%s: empty file: %w", path, neurotab.ErrTruncated)
	}
	return nil
}

// recoverAs turns a panic inside a third-party decoder (on a corrupt file)
// into an error naming the file.
func recoverAs(err *error, path string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: corrupt file: %s: %w", path, strings.ReplaceAll(fmt.Sprint(r), "\n", "; "), neurotab.ErrMalformed)
	}
}

// Schema is the file's Arrow schema, with its key-value metadata.
func (p *ParquetFile) Schema() *arrow.Schema {
	kv := p.rdr.MetaData().KeyValueMetadata()
	var keys, vals []string
	for i := 0; i < kv.Len(); i++ {
		k := kv.Keys()[i]
		if k == "ARROW:schema" {
			continue
		}
		keys = append(keys, k)
		vals = append(vals, kv.Values()[i])
	}
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(p.schema.Fields(), &md)
}

// Metadata returns the file's key-value metadata (without the stored Arrow
// schema blob).
func (p *ParquetFile) Metadata() arrow.Metadata { return p.Schema().Metadata() }

// NumRows returns the row count from the footer.
func (p *ParquetFile) NumRows() int64 { return p.rdr.NumRows() }

// NumRowGroups returns the row-group count.
func (p *ParquetFile) NumRowGroups() int { return p.rdr.NumRowGroups() }

// FileReader exposes the underlying Parquet reader (row-group statistics,
// column metadata).
func (p *ParquetFile) FileReader() *file.Reader { return p.rdr }

// Records streams the file as record batches of at most batchRows rows
// (64 Ki when batchRows ≤ 0), decoding one row group at a time. Release the
// reader when done.
func (p *ParquetFile) Records(ctx context.Context, batchRows int64) (rr array.RecordReader, err error) {
	defer recoverAs(&err, p.Path)
	if batchRows <= 0 {
		batchRows = 64 << 10
	}
	p.fr.Props.BatchSize = batchRows
	r, err := p.fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", p.Path, neurotab.OneLine(err), neurotab.ErrMalformed)
	}
	return r, nil
}

// ReadAll reads the whole file into one record (for small tables).
func (p *ParquetFile) ReadAll(ctx context.Context) (rec arrow.RecordBatch, err error) {
	defer recoverAs(&err, p.Path)
	tbl, err := p.fr.ReadTable(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	defer tbl.Release()
	return tableToRecord(tbl, p.Schema(), p.mem)
}

// Close releases the file.
func (p *ParquetFile) Close() error { return p.rdr.Close() }

// tableToRecord concatenates a table's chunks into one record.
func tableToRecord(tbl arrow.Table, s *arrow.Schema, mem memory.Allocator) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, tbl.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		ch := tbl.Column(i).Data().Chunks()
		if len(ch) == 1 {
			ch[0].Retain()
			cols[i] = ch[0]
			continue
		}
		if len(ch) == 0 {
			b := array.NewBuilder(mem, tbl.Schema().Field(i).Type)
			cols[i] = b.NewArray()
			b.Release()
			continue
		}
		c, err := array.Concatenate(ch, mem)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return array.NewRecordBatch(s, cols, tbl.NumRows()), nil
}
