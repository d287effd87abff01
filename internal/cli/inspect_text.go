package cli

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/formats/sniff"
)

func init() {
	inspectors[sniff.Zip] = inspectZip
}

// TextInfo is what inspect reports for a CSV/TSV table besides its columns
// (each typed int, float, string or empty by all its values, nullable when
// a cell is blank or missing) and its row count.
type TextInfo struct {
	Delimiter string `json:"delimiter"` // "," "\t" or ";" as guessed from the header line
	// RaggedRows counts data rows with a field count other than the
	// header's; MaxFields is the longest row's.
	RaggedRows int64 `json:"ragged_rows"`
	MaxFields  int   `json:"max_fields"`
	// Headerless says the first line holds numbers, not names: it is
	// counted as a row and the columns are named 1, 2, ….
	Headerless bool `json:"headerless,omitempty"`
}

// ZipMember is one file of a zip archive; a text table member (.csv, .tsv,
// .txt) is read through (its CRC-32 checked) for its columns and rows.
type ZipMember struct {
	Name       string `json:"name"`
	Bytes      uint64 `json:"bytes"`
	Compressed uint64 `json:"compressed_bytes"`
	Method     string `json:"method"` // "store", "deflate" or the method number
	Delimiter  string `json:"delimiter,omitempty"`
	Columns    int    `json:"columns,omitempty"`
	Rows       *int64 `json:"rows,omitempty"`
}

// csvScan is the streaming pass over a text table.
type csvScan struct {
	cols  []Column
	kind  []byte // per column: 0 nothing yet, 'i' int, 'f' float, 's' string
	rows  int64
	info  TextInfo
	width int
}

// maxTextLine bounds one physical line of a text table inspect reads: the
// CSV parser holds a whole record in memory, and a binary or damaged file
// may have no newline at all.
const maxTextLine = 64 << 20

// lineLimit fails a read once a line runs past maxTextLine bytes.
type lineLimit struct {
	r   io.Reader
	run int // bytes since the last newline
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.run = 0
		} else if l.run++; l.run > maxTextLine {
			return 0, fmt.Errorf("a line longer than %d bytes (not a text table?): %w", maxTextLine, neurotab.ErrTooLarge)
		}
	}
	return n, err
}

// scanCSV reads a text table through; blanks splits on runs of spaces and
// tabs (whitespace-separated .txt matrices).
func scanCSV(in io.Reader, name string, blanks bool) (*csvScan, error) {
	r, err := csvtab.NewReader(&lineLimit{r: in}, name, csvtab.Options{Blanks: blanks})
	if err != nil {
		return nil, err
	}
	s := &csvScan{width: len(r.Header), kind: make([]byte, len(r.Header))}
	s.info.Delimiter = string(r.Comma)
	if blanks {
		s.info.Delimiter = "blanks"
	}
	s.info.MaxFields = len(r.Header)
	for _, h := range r.Header {
		s.cols = append(s.cols, Column{Name: h})
	}
	err = r.Each(func(row []string) error {
		s.rows++
		if len(row) != s.width {
			s.info.RaggedRows++
			s.info.MaxFields = max(s.info.MaxFields, len(row))
		}
		for i := range s.cols {
			v := ""
			if i < len(row) {
				v = strings.TrimSpace(row[i])
			}
			if v == "" {
				s.cols[i].Nullable = true
				continue
			}
			switch s.kind[i] {
			case 0, 'i':
				if _, err := strconv.ParseInt(v, 10, 64); err == nil {
					s.kind[i] = 'i'
					continue
				}
				fallthrough
			case 'f':
				if _, err := strconv.ParseFloat(v, 64); err == nil {
					s.kind[i] = 'f'
					continue
				}
				s.kind[i] = 's'
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A header of numbers is no header: the table is a headerless matrix
	// (a NumPy savetxt file), its first line the first row.
	numeric := len(r.Header) > 0
	for _, h := range r.Header {
		if _, err := strconv.ParseFloat(h, 64); err != nil {
			numeric = false
		}
	}
	if numeric {
		s.rows++
		for i := range s.cols {
			s.cols[i].Name = strconv.Itoa(i + 1)
		}
		s.info.Headerless = true
	}
	for i := range s.cols {
		s.cols[i].Type = map[byte]string{0: "empty", 'i': "int", 'f': "float", 's': "string"}[s.kind[i]]
	}
	return s, nil
}

// blankSeparated says whether a .txt file's first line has blanks but no
// comma, tab or semicolon: fields split on runs of spaces. It rewinds f.
func blankSeparated(f *os.File, path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".txt") {
		return false
	}
	defer f.Seek(0, io.SeekStart)
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.Contains(line, " ") && !strings.ContainsAny(line, ",\t;")
}

func inspectCSV(path string) (*InspectReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := scanCSV(f, path, blankSeparated(f, path))
	if err != nil {
		return nil, err
	}
	format := "csv"
	switch s.info.Delimiter {
	case "\t":
		format = "tsv"
	case "blanks":
		format = "text"
	}
	return &InspectReport{File: path, Format: format, Rows: &s.rows, Columns: s.cols, Text: &s.info}, nil
}

func (t *TextInfo) print(w io.Writer) {
	if t == nil {
		return
	}
	fmt.Fprintf(w, "delimiter: %q\n", t.Delimiter)
	if t.Headerless {
		fmt.Fprintln(w, "header:  none (the first line holds numbers; columns are numbered)")
	}
	if t.RaggedRows > 0 {
		fmt.Fprintf(w, "ragged rows: %d (up to %d fields)\n", t.RaggedRows, t.MaxFields)
	}
}

// inspectSheets lists the worksheets of a workbook with their sizes, with
// the checks of connectome import (zip member sizes and CRC-32 for .xlsx).
func inspectSheets(path string) (*InspectReport, error) {
	sheets, err := connectome.Sheets(path)
	if err != nil {
		return nil, err
	}
	format := "xlsx"
	if strings.EqualFold(filepath.Ext(path), ".xls") {
		format = "xls"
	}
	if sheets == nil {
		sheets = []connectome.SheetSize{}
	}
	return &InspectReport{File: path, Format: format, Sheets: sheets}, nil
}

func printSheets(w io.Writer, sheets []connectome.SheetSize) {
	if len(sheets) == 0 {
		return
	}
	fmt.Fprintln(w, "sheets:")
	for _, s := range sheets {
		fmt.Fprintf(w, "  %-30s %d rows × %d columns\n", s.Name, s.Rows, s.Cols)
	}
}

// inspectZip lists a zip archive's members; an .xlsx/.xlsm workbook is
// described by its sheets instead.
func inspectZip(path string) (*InspectReport, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return inspectSheets(path)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip archive: %w", path, err)
	}
	defer zr.Close()
	rep := &InspectReport{File: path, Format: "zip", Members: []ZipMember{}}
	for _, m := range zr.File {
		zm := ZipMember{Name: m.Name, Bytes: m.UncompressedSize64, Compressed: m.CompressedSize64, Method: strconv.Itoa(int(m.Method))}
		switch m.Method {
		case zip.Store:
			zm.Method = "store"
		case zip.Deflate:
			zm.Method = "deflate"
		}
		switch strings.ToLower(filepath.Ext(m.Name)) {
		case ".csv", ".tsv", ".tab", ".txt":
			if err := scanMember(path, m, &zm); err != nil {
				return nil, err
			}
		}
		rep.Members = append(rep.Members, zm)
	}
	return rep, nil
}

// scanMember reads a text member through, at most its declared size (the
// archive reader checks the CRC-32 at its end).
func scanMember(path string, m *zip.File, zm *ZipMember) error {
	rc, err := m.Open()
	if err != nil {
		return fmt.Errorf("%s: member %s: %w", path, m.Name, err)
	}
	defer rc.Close()
	lr := io.LimitReader(rc, int64(min(m.UncompressedSize64, 1<<62)))
	s, err := scanCSV(lr, path+": member "+m.Name, false)
	if err != nil {
		return err
	}
	// The declared size is reached: one more read lets the archive reader
	// check the CRC-32 (and refuse data past the declared size).
	if _, err := rc.Read(make([]byte, 1)); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: member %s: %w", path, m.Name, err)
	}
	zm.Delimiter, zm.Columns, zm.Rows = s.info.Delimiter, s.width, &s.rows
	return nil
}

func printMembers(w io.Writer, ms []ZipMember) {
	if len(ms) == 0 {
		return
	}
	fmt.Fprintln(w, "members:")
	for _, m := range ms {
		fmt.Fprintf(w, "  %-40s %d bytes (%d %s)", m.Name, m.Bytes, m.Compressed, m.Method)
		if m.Rows != nil {
			fmt.Fprintf(w, "  table: %d columns × %d rows, delimiter %q", m.Columns, *m.Rows, m.Delimiter)
		}
		fmt.Fprintln(w)
	}
}
