package connectome

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Sheets measures a workbook made with excelize: a gap row and a ragged
// row count, an empty sheet has no rows.
func TestSheets(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "data")
	for cell, v := range map[string]any{"A1": "pre", "B1": "post", "C1": "n", "A2": "AVAL", "B2": "AVAR", "C2": 3, "A4": "x"} {
		if err := f.SetCellValue("data", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("empty"); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "w.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	got, err := Sheets(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []SheetSize{{Name: "data", Rows: 4, Cols: 3}, {Name: "empty"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
