package connectome

import (
	"fmt"

	"github.com/neurotab/neurotab/formats/csvtab"
)

// FormatError reports bad content in an input file. Spreadsheet errors name
// the sheet and cell (Excel A1 notation); text errors name the 1-based line
// and, when a field is at fault, its 1-based column (field number). Err is
// the cause: it wraps neurotab.ErrMalformed for content that breaks the
// format, neurotab.ErrNotFound for a missing sheet or column, or is the
// reader's error (a corrupt workbook).
type FormatError struct {
	File   string
	Sheet  string
	Cell   string
	Line   int
	Column int
	Msg    string
	Err    error
}

// Error returns a one-line message: "file: sheet "S" cell B7: msg: cause"
// or "file:line:column: msg: cause".
func (e *FormatError) Error() string {
	ce := csvtab.Error{File: e.File, Line: e.Line, Column: e.Column, Msg: e.Msg, Err: e.Err}
	if e.Sheet != "" || e.Cell != "" {
		ce.Line, ce.Column = 0, 0
		if e.Sheet != "" {
			ce.File += fmt.Sprintf(": sheet %q", e.Sheet)
		}
		if e.Cell != "" {
			ce.File += " cell " + e.Cell
		}
	}
	return ce.Error()
}

// Unwrap returns the cause.
func (e *FormatError) Unwrap() error { return e.Err }
