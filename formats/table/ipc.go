package table

import (
	"bufio"
	"fmt"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

// IPCWriter streams records of one canonical table into an Arrow IPC file
// (the random-access "Feather v2" format, zstd-compressed buffers),
// atomically. Provenance goes into the schema metadata.
type IPCWriter struct {
	kind     Kind
	path     string
	af       *AtomicFile
	bw       *bufio.Writer
	w        *ipc.FileWriter
	closed   bool
	validate bool
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
	opts := []ipc.Option{ipc.WithSchema(s), ipc.WithAllocator(opt.Allocator)}
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
	w, err := ipc.NewFileWriter(bw, opts...)
	if err != nil {
		af.Abort()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &IPCWriter{kind: k, path: path, af: af, bw: bw, w: w, validate: !opt.SkipValidation}, nil
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
	if err := w.w.Write(rec); err != nil {
		return fmt.Errorf("%s: %w", w.path, err)
	}
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
	return w.af.Commit()
}

// Abort drops the file.
func (w *IPCWriter) Abort() {
	w.closed = true
	w.af.Abort()
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
