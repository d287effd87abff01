// Package csvtab is the one reader of delimited text tables in neurotab:
// calcium trace matrices, connectome edge lists and matrices, and event or
// spike lists all read their CSV, TSV and whitespace-separated files with
// it.
//
// A table is a header row of column names followed by data rows. The
// reader
//
//   - drops a UTF-8 byte order mark at the start of the input;
//   - accepts LF and CRLF line ends;
//   - skips blank lines and, when Options.Comment is set, lines that start
//     with the comment character (before the header too);
//   - guesses the delimiter from the header line when Options.Comma is 0:
//     tab when the line holds a tab, else semicolon when it holds a
//     semicolon and no comma, else comma;
//   - reads RFC 4180 quoted fields (encoding/csv), or with Options.Blanks
//     splits lines on any run of spaces and tabs (no quoting), the layout
//     of NemaNode exports;
//   - trims the header names, and finds columns by name without regard to
//     case (Reader.Index).
//
// Numbers are parsed by ParseFloat: surrounding space is ignored and an
// empty cell or "nan", "na", "null", "none" (any case) is NaN.
//
// # Errors
//
// Every fault is an *Error naming the file, the 1-based line and, when a
// field is at fault, its 1-based column (field number), on one line:
//
//	traces.csv:7:3: column "AVAL": "1,5" is not a number: malformed input
//
// Err wraps neurotab.ErrMalformed (bad quoting, a ragged row, a cell that is
// not a number), neurotab.ErrNotFound (a column missing from the header) or
// neurotab.ErrNotFinite (Reader.Finite on NaN or ±Inf). A line longer than
// MaxLine bytes in Blanks mode is an error wrapping neurotab.ErrTooLarge.
package csvtab
