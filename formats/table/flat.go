package table

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// flatWriter writes a table whose columns are all required fixed-width
// numbers (the events table) with the columns of each row group encoded
// and compressed at the same time, one goroutine per column. For event
// streams the Parquet encoding (delta bit-packing) and zstd are nearly all
// of the cost, and pqarrow.FileWriter does them one column after another.
//
// The file is the one pqarrow.FileWriter writes: the same Parquet schema
// (pqarrow.ToParquet), the same column encoders (pqarrow.WriteArrowToColumn)
// and the Arrow schema stored under ARROW:schema as pqarrow stores it.
type flatWriter struct {
	w    *file.Writer
	rgw  file.BufferedRowGroupWriter
	ctxs []context.Context // one per column: the write context holds scratch buffers
	errs []error
}

// flatEligible reports whether s can be written by flatWriter.
func flatEligible(s *arrow.Schema) bool {
	if s.NumFields() < 2 {
		return false
	}
	for _, f := range s.Fields() {
		if f.Nullable {
			return false
		}
		switch f.Type.ID() {
		case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
			arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
			arrow.FLOAT32, arrow.FLOAT64:
		default:
			return false
		}
	}
	return true
}

func newFlatWriter(s *arrow.Schema, sink io.Writer, props *parquet.WriterProperties, arrProps pqarrow.ArrowWriterProperties) (*flatWriter, error) {
	pqs, err := pqarrow.ToParquet(s, props, arrProps)
	if err != nil {
		return nil, err
	}
	meta := make(metadata.KeyValueMetadata, 0, s.Metadata().Len()+1)
	for i, k := range s.Metadata().Keys() {
		meta.Append(k, s.Metadata().Values()[i])
	}
	meta.Append("ARROW:schema", base64.StdEncoding.EncodeToString(flight.SerializeSchema(s, props.Allocator())))
	w, err := file.NewParquetWriterWithError(sink, pqs.Root(), file.WithWriterProps(props), file.WithWriteMetadata(meta))
	if err != nil {
		return nil, err
	}
	fw := &flatWriter{w: w, ctxs: make([]context.Context, s.NumFields()), errs: make([]error, s.NumFields())}
	for i := range fw.ctxs {
		fw.ctxs[i] = pqarrow.NewArrowWriteContext(context.Background(), &arrProps)
	}
	return fw, nil
}

// write appends rec to the open row group (opening one if needed),
// encoding its columns concurrently.
func (f *flatWriter) write(rec arrow.RecordBatch) error {
	if f.rgw == nil {
		rgw, err := f.w.AppendBufferedRowGroupChecked()
		if err != nil {
			return err
		}
		f.rgw = rgw
	}
	var wg sync.WaitGroup
	for i := range f.ctxs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cw, err := f.rgw.Column(i)
			if err == nil {
				err = pqarrow.WriteArrowToColumn(f.ctxs[i], cw, rec.Column(i), nil, nil, false)
			}
			f.errs[i] = err
		}()
	}
	wg.Wait()
	return errors.Join(f.errs...)
}

// endRowGroup closes the open row group, if any, writing its pages.
func (f *flatWriter) endRowGroup() error {
	if f.rgw == nil {
		return nil
	}
	err := f.rgw.Close()
	f.rgw = nil
	return err
}

func (f *flatWriter) appendKeyValue(k, v string) error { return f.w.AppendKeyValueMetadata(k, v) }

// close ends the row group and writes the footer.
func (f *flatWriter) close() error {
	return errors.Join(f.endRowGroup(), f.w.Close())
}
