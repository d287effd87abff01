package table

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// WriteCSV writes every row of f as CSV (RFC 4180, comma-separated, a
// header row of column names), streaming batch by batch. Cells: numbers in
// their shortest round-trip form (NaN, Inf and -Inf spelled so), booleans
// true/false, strings and dictionary values as text, null as an empty cell,
// and list cells (the traces' calcium_data and time columns) as a bracketed
// list "[0.1,0.2,NaN]" that Python's json.loads reads as it is. It is the
// export for readers without an Arrow library.
func WriteCSV(w io.Writer, f File) error {
	rr, err := f.Records(context.Background(), 0)
	if err != nil {
		return err
	}
	defer rr.Release()
	cw := csv.NewWriter(w)
	sc := rr.Schema()
	head := make([]string, sc.NumFields())
	for i, fd := range sc.Fields() {
		head[i] = fd.Name
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	row := make([]string, len(head))
	var sb strings.Builder
	for rr.Next() {
		rec := rr.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			for c := range row {
				sb.Reset()
				if err := appendCell(&sb, rec.Column(c), r); err != nil {
					return fmt.Errorf("column %s: %w", head[c], err)
				}
				row[c] = sb.String()
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	if err := rr.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// appendCell writes the CSV text of a[i].
func appendCell(sb *strings.Builder, a arrow.Array, i int) error {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Float32:
		sb.WriteString(formatFloat(float64(a.Value(i)), 32))
	case *array.Float64:
		sb.WriteString(formatFloat(a.Value(i), 64))
	case *array.Dictionary:
		return appendCell(sb, a.Dictionary(), a.GetValueIndex(i))
	case array.ListLike:
		start, end := a.ValueOffsets(i)
		vals := a.ListValues()
		sb.WriteByte('[')
		for j := start; j < end; j++ {
			if j > start {
				sb.WriteByte(',')
			}
			if vals.IsNull(int(j)) {
				sb.WriteString("null")
				continue
			}
			if err := appendCell(sb, vals, int(j)); err != nil {
				return err
			}
		}
		sb.WriteByte(']')
	case *array.String, *array.Boolean, *array.Int8, *array.Int16, *array.Int32, *array.Int64,
		*array.Uint8, *array.Uint16, *array.Uint32, *array.Uint64, *array.LargeString:
		sb.WriteString(a.ValueStr(i))
	default:
		return fmt.Errorf("type %s has no CSV form", a.DataType())
	}
	return nil
}

// formatFloat is the shortest round-trip text of v; NaN and infinities as
// Python writes them.
func formatFloat(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(v, 'g', -1, bits)
}
