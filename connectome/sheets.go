package connectome

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome/internal/biff"
	"github.com/xuri/excelize/v2"
)

// SheetSize is one worksheet of a workbook: its name and the extent of its
// stored cells (rows up to the last row holding a value, columns up to the
// longest row's last value).
type SheetSize struct {
	Name string `json:"name"`
	Rows int    `json:"rows"`
	Cols int    `json:"cols"`
}

// Sheets lists the worksheets of the .xlsx or .xls workbook at path, in
// workbook order, with their sizes. An .xlsx passes the same checks as every
// import (each zip member's declared size against the file size, and its
// CRC-32) before it is parsed; an .xls is read with the BIFF8 reader of the
// OpenWorm import. The format is chosen by extension: .xls is BIFF, anything
// else Office Open XML.
func Sheets(path string) ([]SheetSize, error) {
	if strings.EqualFold(filepath.Ext(path), ".xls") {
		wb, err := biff.Open(path)
		if err != nil {
			if errors.Is(err, neurotab.ErrMalformed) || errors.Is(err, neurotab.ErrUnsupported) {
				return nil, &FormatError{File: path, Err: err}
			}
			return nil, err
		}
		out := make([]SheetSize, 0, len(wb.Sheets))
		for _, s := range wb.Sheets {
			sz := SheetSize{Name: s.Name, Rows: len(s.Rows)}
			for _, r := range s.Rows {
				sz.Cols = max(sz.Cols, len(r))
			}
			out = append(out, sz)
		}
		return out, nil
	}
	f, err := openWorkbook(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []SheetSize
	for _, name := range f.GetSheetList() {
		sz, err := sheetSize(f, name)
		if err != nil {
			return nil, &FormatError{File: path, Sheet: name, Msg: fmt.Sprintf("cannot read sheet: %v", err), Err: neurotab.ErrMalformed}
		}
		out = append(out, sz)
	}
	return out, nil
}

// sheetSize streams one sheet's rows (raw values, no number formatting) and
// measures it as GetRows would: rows up to the last one holding a value,
// each as long as its last value.
func sheetSize(f *excelize.File, name string) (SheetSize, error) {
	sz := SheetSize{Name: name}
	rows, err := f.Rows(name)
	if err != nil {
		return sz, err
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return sz, err
		}
		if len(cols) > 0 {
			sz.Rows = n
			sz.Cols = max(sz.Cols, len(cols))
		}
	}
	return sz, rows.Error()
}
