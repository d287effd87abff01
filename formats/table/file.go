package table

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// Writer streams the records of one canonical table into a file,
// atomically: Write validates and appends, Close commits the file under
// its final name, Abort drops it (safe after Close, so it can be
// deferred). *ParquetWriter and *IPCWriter implement it.
type Writer interface {
	Write(rec arrow.RecordBatch) error
	Close() error
	Abort()
}

var (
	_ Writer = (*ParquetWriter)(nil)
	_ Writer = (*IPCWriter)(nil)
)

// writeAll writes recs and closes w, or aborts it at the first error.
func writeAll(w Writer, recs []arrow.RecordBatch) error {
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// File is an open table file, Parquet or Arrow IPC, read through one shape
// (arrow-go's RecordReader idea): the schema with its metadata, then record
// batches streamed in file order. *ParquetFile and *IPCFile implement it;
// Open picks one by the file's magic bytes.
type File interface {
	// Schema is the file's Arrow schema with its key-value metadata.
	Schema() *arrow.Schema
	// Metadata is the key-value metadata (provenance, events geometry).
	Metadata() arrow.Metadata
	// Records streams the rows as batches of at most batchRows rows (a
	// default when ≤ 0); each batch lives until the next Next call.
	// Release the reader when done.
	Records(ctx context.Context, batchRows int64) (array.RecordReader, error)
	// ReadAll reads the whole file into one record (for small tables);
	// the caller releases it.
	ReadAll(ctx context.Context) (arrow.RecordBatch, error)
	// Close releases the file.
	Close() error
}

var (
	_ File = (*ParquetFile)(nil)
	_ File = (*IPCFile)(nil)
)

// Open opens a Parquet ("PAR1") or Arrow IPC ("ARROW1") file, whatever its
// name. Anything else is an error wrapping neurotab.ErrMalformed.
func Open(path string, mem memory.Allocator) (File, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var head [6]byte
	n, _ := io.ReadFull(f, head[:])
	f.Close()
	// Each branch returns a nil File on error, never a typed nil pointer.
	switch {
	case bytes.HasPrefix(head[:n], []byte("PAR1")):
		pf, err := OpenParquet(path, mem)
		if err != nil {
			return nil, err
		}
		return pf, nil
	case bytes.HasPrefix(head[:n], []byte("ARROW1")):
		f, err := OpenIPC(path, mem)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	return nil, fmt.Errorf("%s: neither a Parquet nor an Arrow IPC file (starts with %q): %w", path, head[:n], neurotab.ErrMalformed)
}

// Records streams the file's batches, each cut into slices of at most
// batchRows rows (whole batches when batchRows ≤ 0). Release the reader.
func (p *IPCFile) Records(ctx context.Context, batchRows int64) (array.RecordReader, error) {
	r := &ipcRecords{f: p, ctx: ctx, max: batchRows}
	r.refs.Store(1)
	return r, nil
}

// ReadAll reads every batch into one record; the caller releases it.
func (p *IPCFile) ReadAll(ctx context.Context) (arrow.RecordBatch, error) {
	var recs []arrow.RecordBatch
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for i := 0; i < p.NumBatches(); i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := p.Batch(i)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	tbl := array.NewTableFromRecords(p.Schema(), recs)
	defer tbl.Release()
	return tableToRecord(tbl, p.Schema(), p.mem)
}

// ipcRecords is the array.RecordReader of an IPC file.
type ipcRecords struct {
	refs  atomic.Int64
	f     *IPCFile
	ctx   context.Context
	max   int64
	next  int               // next batch index
	batch arrow.RecordBatch // batch being sliced
	off   int64             // rows of batch already returned
	cur   arrow.RecordBatch // the current slice
	err   error
}

func (r *ipcRecords) Retain() { r.refs.Add(1) }

func (r *ipcRecords) Release() {
	if r.refs.Add(-1) == 0 {
		r.drop()
	}
}

func (r *ipcRecords) drop() {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.batch != nil {
		r.batch.Release()
		r.batch = nil
	}
}

func (r *ipcRecords) Schema() *arrow.Schema { return r.f.Schema() }

func (r *ipcRecords) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	for r.batch == nil || r.off >= r.batch.NumRows() {
		if r.batch != nil {
			r.batch.Release()
			r.batch = nil
		}
		if r.err != nil || r.next >= r.f.NumBatches() {
			return false
		}
		if r.err = r.ctx.Err(); r.err != nil {
			return false
		}
		r.batch, r.err = r.f.Batch(r.next)
		if r.err != nil {
			return false
		}
		r.next++
		r.off = 0
	}
	n := r.batch.NumRows() - r.off
	if r.max > 0 {
		n = min(n, r.max)
	}
	r.cur = r.batch.NewSlice(r.off, r.off+n)
	r.off += n
	return true
}

func (r *ipcRecords) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is RecordBatch (the deprecated name array.RecordReader still has).
func (r *ipcRecords) Record() arrow.RecordBatch { return r.cur }

func (r *ipcRecords) Err() error { return r.err }
