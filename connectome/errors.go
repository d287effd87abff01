package connectome

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFormat is matched (errors.Is) by every *FormatError.
var ErrFormat = errors.New("connectome: malformed input")

// FormatError reports bad content in an input file. Spreadsheet errors name
// the sheet and cell (Excel A1 notation); text errors name the 1-based line
// and, when known, column.
type FormatError struct {
	File   string
	Sheet  string
	Cell   string
	Line   int
	Column int
	Msg    string
}

// Error returns a one-line message: "file: sheet "S" cell B7: msg" or
// "file:line:column: msg".
func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Sheet != "" || e.Cell != "":
		if e.Sheet != "" {
			fmt.Fprintf(&b, ": sheet %q", e.Sheet)
		}
		if e.Cell != "" {
			fmt.Fprintf(&b, " cell %s", e.Cell)
		}
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(strings.ReplaceAll(e.Msg, "\n", " "))
	return b.String()
}

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }
