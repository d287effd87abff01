package csvtab

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// MaxLine is the longest line, in bytes, of a Blanks-mode table.
const MaxLine = 1 << 20

// Options say how a table is laid out. The zero value reads a CSV or TSV
// file with a guessed delimiter and rows of any length.
type Options struct {
	// Comma is the field delimiter; 0 guesses it from the header line
	// (tab, else semicolon when there is no comma, else comma).
	Comma rune
	// Blanks splits fields on any run of spaces and tabs, without quoting
	// (Comma is ignored).
	Blanks bool
	// Comment, when not 0, starts a line that is skipped.
	Comment rune
	// LazyQuotes lets a quote appear inside an unquoted field, as
	// spreadsheet exports of tab-separated text do.
	LazyQuotes bool
	// Strict requires every row to have as many fields as the header.
	Strict bool
}

// Error is a fault in a text table: File as given to Open or NewReader,
// the 1-based Line, the 1-based Column (field number; 0 when no field is at
// fault), what is wrong, and the cause.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
	Err    error // wraps neurotab.ErrMalformed, ErrNotFound, ErrNotFinite or ErrTooLarge, or an I/O error
}

// Error returns the one-line message "file:line:column: msg: cause".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return strings.ReplaceAll(b.String(), "\n", " ")
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Reader reads the rows of a table after its header.
type Reader struct {
	// File names the input in errors.
	File string
	// Header holds the column names, trimmed, byte order mark removed.
	Header []string
	// Comma is the delimiter in use (0 in Blanks mode).
	Comma rune

	opt        Options
	cr         *csv.Reader    // quoted fields
	sc         *bufio.Scanner // Blanks mode
	scLine     int            // lines consumed by sc
	line       int            // line of the row last returned
	headerLine int
	closer     io.Closer
}

// Open opens the file at path and reads its header. Close the Reader.
func Open(path string, o Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(f, path, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// Close closes the file of a Reader from Open; it does nothing for one from
// NewReader.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

// NewReader reads the header of the table in in; file names it in errors.
// An input with no header line is an error wrapping neurotab.ErrMalformed.
func NewReader(in io.Reader, file string, o Options) (*Reader, error) {
	br := bufio.NewReaderSize(in, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	r := &Reader{File: file, opt: o}
	if o.Blanks {
		r.sc = bufio.NewScanner(br)
		r.sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	} else {
		comma := o.Comma
		if comma == 0 {
			comma = guessComma(br, o.Comment)
		}
		r.Comma = comma
		r.cr = csv.NewReader(br)
		r.cr.Comma = comma
		r.cr.Comment = o.Comment
		r.cr.LazyQuotes = o.LazyQuotes
		r.cr.FieldsPerRecord = -1
		r.cr.ReuseRecord = true
	}
	h, err := r.next()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Msg: "empty file: no header row", Err: neurotab.ErrMalformed}
	}
	if err != nil {
		return nil, err
	}
	r.headerLine = r.line
	r.Header = make([]string, len(h))
	for i, s := range h {
		r.Header[i] = strings.TrimSpace(s)
	}
	return r, nil
}

// guessComma looks at the first line that is neither blank nor a comment.
func guessComma(br *bufio.Reader, comment rune) rune {
	buf, _ := br.Peek(br.Size())
	for len(buf) > 0 {
		line := buf
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			line, buf = buf[:i], buf[i+1:]
		} else {
			buf = nil
		}
		s := strings.TrimRight(string(line), "\r")
		if strings.TrimSpace(s) == "" || (comment != 0 && strings.HasPrefix(s, string(comment))) {
			continue
		}
		switch {
		case strings.ContainsRune(s, '\t'):
			return '\t'
		case strings.ContainsRune(s, ';') && !strings.ContainsRune(s, ','):
			return ';'
		}
		return ','
	}
	return ','
}

// Next returns the next data row, or io.EOF after the last. Blank lines are
// skipped. The slice is reused by the following call. With Options.Strict a
// row whose field count differs from the header's is an error.
func (r *Reader) Next() ([]string, error) {
	row, err := r.next()
	if err != nil {
		return nil, err
	}
	if r.opt.Strict && len(row) != len(r.Header) {
		return nil, r.Errorf(min(len(row), len(r.Header))+1, neurotab.ErrMalformed, "row has %d fields, header %d", len(row), len(r.Header))
	}
	return row, nil
}

func (r *Reader) next() ([]string, error) {
	if r.sc != nil {
		return r.nextBlanks()
	}
	for {
		row, err := r.cr.Read()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &Error{File: r.File, Line: pe.Line, Msg: fmt.Sprintf("%v (byte %d of the line)", pe.Err, pe.Column), Err: neurotab.ErrMalformed}
			}
			return nil, &Error{File: r.File, Line: r.line + 1, Err: err}
		}
		r.line, _ = r.cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		return row, nil
	}
}

func (r *Reader) nextBlanks() ([]string, error) {
	for r.sc.Scan() {
		r.scLine++
		s := r.sc.Text()
		if r.opt.Comment != 0 && strings.HasPrefix(s, string(r.opt.Comment)) {
			continue
		}
		if f := strings.Fields(s); len(f) > 0 {
			r.line = r.scLine
			return f, nil
		}
	}
	if err := r.sc.Err(); err != nil {
		cause := err
		if errors.Is(err, bufio.ErrTooLong) {
			cause = neurotab.ErrTooLarge
		}
		return nil, &Error{File: r.File, Line: r.scLine + 1, Msg: fmt.Sprintf("line longer than %d bytes", MaxLine), Err: cause}
	}
	return nil, io.EOF
}

// Each calls fn with every data row (Next) until the end of the table, an
// error of the reader, or an error of fn, which it returns.
func (r *Reader) Each(fn func(row []string) error) error {
	for {
		row, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// Line returns the line of the row last returned by Next (the header's
// before the first call). A quoted field may continue on the lines below.
func (r *Reader) Line() int { return r.line }

// Index returns the column whose header name equals name without regard to
// case or surrounding space, or -1.
func (r *Reader) Index(name string) int {
	name = strings.TrimSpace(name)
	for i, h := range r.Header {
		if strings.EqualFold(h, name) {
			return i
		}
	}
	return -1
}

// Require returns the columns of names (Index); a name missing from the
// header is an error at the header line wrapping neurotab.ErrNotFound.
func (r *Reader) Require(names ...string) ([]int, error) {
	cols := make([]int, len(names))
	for k, n := range names {
		if cols[k] = r.Index(n); cols[k] < 0 {
			sep := string(r.Comma)
			if r.opt.Blanks {
				sep = " "
			}
			return nil, &Error{File: r.File, Line: r.headerLine, Msg: fmt.Sprintf("header %q has no %q column", strings.Join(r.Header, sep), n), Err: neurotab.ErrNotFound}
		}
	}
	return cols, nil
}

// Name returns the header name of column col (0-based), or its number.
func (r *Reader) Name(col int) string {
	if col >= 0 && col < len(r.Header) {
		return r.Header[col]
	}
	return strconv.Itoa(col + 1)
}

// Errorf returns an *Error at the current row and column col (1-based; 0
// for the whole row) with the given cause.
func (r *Reader) Errorf(col int, cause error, format string, args ...any) *Error {
	return &Error{File: r.File, Line: r.line, Column: col, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// Field returns row[col] (col 0-based) without surrounding space; a row too
// short to hold it is an error wrapping neurotab.ErrMalformed.
func (r *Reader) Field(row []string, col int) (string, error) {
	if col < 0 || col >= len(row) {
		return "", r.Errorf(col+1, neurotab.ErrMalformed, "row has %d fields, no column %q", len(row), r.Name(col))
	}
	return strings.TrimSpace(row[col]), nil
}

// Fields returns the fields of row at cols (Field of each), into dst
// (resized).
func (r *Reader) Fields(dst []string, row []string, cols []int) ([]string, error) {
	dst = dst[:0]
	for _, c := range cols {
		s, err := r.Field(row, c)
		if err != nil {
			return nil, err
		}
		dst = append(dst, s)
	}
	return dst, nil
}

// Float returns row[col] parsed by ParseFloat (missing values are NaN).
func (r *Reader) Float(row []string, col int) (float64, error) {
	s, err := r.Field(row, col)
	if err != nil {
		return 0, err
	}
	v, err := ParseFloat(s)
	if err != nil {
		return 0, r.Errorf(col+1, neurotab.ErrMalformed, "column %q: %q is not a number", r.Name(col), s)
	}
	return v, nil
}

// Finite returns row[col] as a finite number; a missing value, NaN or ±Inf
// is an error wrapping neurotab.ErrNotFinite.
func (r *Reader) Finite(row []string, col int) (float64, error) {
	v, err := r.Float(row, col)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, r.Errorf(col+1, neurotab.ErrNotFinite, "column %q: %q is not a finite number", r.Name(col), strings.TrimSpace(row[col]))
	}
	return v, nil
}

// ParseFloat reads a number, ignoring surrounding space. An empty string
// and "nan", "na", "null", "none" in any case are NaN; "inf" and "-inf"
// are ±Inf (strconv.ParseFloat).
func ParseFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "nan", "na", "null", "none":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}
