package biff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"unicode/utf16"

	"github.com/neurotab/neurotab"
	"github.com/richardlehane/mscfb"
)

// Kind is the type of a cell value.
type Kind uint8

// Cell kinds.
const (
	Empty Kind = iota
	Number
	String
	Bool
	Error
)

// Cell is one cell value. Num holds numbers and booleans (0 or 1) and the
// error code of Error cells; Str holds strings.
type Cell struct {
	Kind Kind
	Num  float64
	Str  string
}

// Sheet is one worksheet: Rows[r][c] is the cell at 0-based row r and column
// c; rows are as long as their last stored cell.
type Sheet struct {
	Name string
	Rows [][]Cell
}

// Cell returns the cell at row r and column c, or an Empty cell outside the
// stored range.
func (s *Sheet) Cell(r, c int) Cell {
	if r < 0 || r >= len(s.Rows) || c < 0 || c >= len(s.Rows[r]) {
		return Cell{}
	}
	return s.Rows[r][c]
}

// Workbook is the decoded content of an .xls file.
type Workbook struct {
	Sheets []*Sheet
}

// Sheet returns the worksheet called name, or nil.
func (w *Workbook) Sheet(name string) *Sheet {
	for _, s := range w.Sheets {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Open reads the workbook stored in the .xls file at path.
func Open(path string) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	wb, err := Read(f, st.Size())
	if err != nil {
		return nil, err
	}
	return wb, nil
}

// Read decodes a workbook from a compound file of the given size.
func Read(r io.ReaderAt, size int64) (*Workbook, error) {
	doc, err := mscfb.New(r)
	if err != nil {
		return nil, fmt.Errorf("biff: compound file: %v: %w", err, neurotab.ErrMalformed)
	}
	for e, err := doc.Next(); ; e, err = doc.Next() {
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("biff: compound file: %v: %w", err, neurotab.ErrMalformed)
		}
		if e.Name != "Workbook" && e.Name != "Book" {
			continue
		}
		if e.Name == "Book" {
			return nil, fmt.Errorf("biff: BIFF5 (Excel 5/95) workbooks are not supported: %w", neurotab.ErrUnsupported)
		}
		if e.Size > size {
			return nil, fmt.Errorf("biff: Workbook stream of %d bytes in a %d-byte file: %w", e.Size, size, neurotab.ErrMalformed)
		}
		buf := make([]byte, e.Size)
		n, err := io.ReadFull(e, buf)
		if err != nil && !(errors.Is(err, io.ErrUnexpectedEOF) && n > 0) {
			return nil, fmt.Errorf("biff: reading Workbook stream: %v: %w", err, neurotab.ErrMalformed)
		}
		return Decode(buf[:n])
	}
	return nil, fmt.Errorf("biff: no Workbook stream: %w", neurotab.ErrMalformed)
}

// Record types used ([MS-XLS] 2.3).
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recBOF        = 0x0809
)

type record struct {
	typ  uint16
	off  int // offset of the record header in the stream
	data []byte
	// cont holds the data of the CONTINUE records that follow.
	cont [][]byte
}

// next reads the record at off, with its CONTINUE records.
func next(stream []byte, off int) (record, int, error) {
	read := func(off int) (uint16, []byte, error) {
		if off+4 > len(stream) {
			return 0, nil, fmt.Errorf("biff: record header at offset %d beyond the stream (%d bytes): %w", off, len(stream), neurotab.ErrMalformed)
		}
		typ := binary.LittleEndian.Uint16(stream[off:])
		n := int(binary.LittleEndian.Uint16(stream[off+2:]))
		if off+4+n > len(stream) {
			return 0, nil, fmt.Errorf("biff: record 0x%04X at offset %d: %d data bytes beyond the stream: %w", typ, off, n, neurotab.ErrMalformed)
		}
		return typ, stream[off+4 : off+4+n], nil
	}
	typ, data, err := read(off)
	if err != nil {
		return record{}, 0, err
	}
	rec := record{typ: typ, off: off, data: data}
	off += 4 + len(data)
	for off+4 <= len(stream) && binary.LittleEndian.Uint16(stream[off:]) == recContinue {
		_, d, err := read(off)
		if err != nil {
			return record{}, 0, err
		}
		rec.cont = append(rec.cont, d)
		off += 4 + len(d)
	}
	return rec, off, nil
}

type boundSheet struct {
	pos  int
	name string
	kind byte
}

// Decode decodes a BIFF8 Workbook stream.
func Decode(stream []byte) (*Workbook, error) {
	var (
		sst    []string
		sheets []boundSheet
	)
	off := 0
	first := true
	for {
		rec, nxt, err := next(stream, off)
		if err != nil {
			return nil, err
		}
		if first {
			if rec.typ != recBOF || len(rec.data) < 4 {
				return nil, fmt.Errorf("biff: stream does not start with a BOF record: %w", neurotab.ErrMalformed)
			}
			if v := binary.LittleEndian.Uint16(rec.data); v != 0x0600 {
				return nil, fmt.Errorf("biff: BIFF version 0x%04X, want 0x0600 (BIFF8): %w", v, neurotab.ErrMalformed)
			}
			first = false
		}
		switch rec.typ {
		case recFilePass:
			return nil, fmt.Errorf("biff: workbook is encrypted: %w", neurotab.ErrUnsupported)
		case recBoundSheet:
			d := rec.data
			if len(d) < 8 {
				return nil, recErr(rec, "BOUNDSHEET shorter than 8 bytes")
			}
			name, _, err := shortString(d[6:])
			if err != nil {
				return nil, recErr(rec, err.Error())
			}
			sheets = append(sheets, boundSheet{pos: int(binary.LittleEndian.Uint32(d)), name: name, kind: d[5]})
		case recSST:
			sst, err = decodeSST(rec)
			if err != nil {
				return nil, err
			}
		}
		off = nxt
		if rec.typ == recEOF {
			break
		}
	}
	wb := &Workbook{}
	for _, bs := range sheets {
		if bs.kind != 0 { // chart, macro or VB module sheet
			continue
		}
		s, err := decodeSheet(stream, bs, sst)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", bs.name, err)
		}
		wb.Sheets = append(wb.Sheets, s)
	}
	return wb, nil
}

func recErr(rec record, msg string) error {
	return fmt.Errorf("biff: record 0x%04X at offset %d: %s: %w", rec.typ, rec.off, msg, neurotab.ErrMalformed)
}

// maxCells bounds the cells of one sheet (BIFF8 allows 65,536 rows × 256
// columns).
const (
	maxRows = 1 << 16
	maxCols = 1 << 8
)

func decodeSheet(stream []byte, bs boundSheet, sst []string) (*Sheet, error) {
	s := &Sheet{Name: bs.name}
	if bs.pos < 0 || bs.pos >= len(stream) {
		return nil, fmt.Errorf("biff: sheet offset %d outside the stream: %w", bs.pos, neurotab.ErrMalformed)
	}
	set := func(rec record, r, c int, cell Cell) error {
		if r >= maxRows || c >= maxCols {
			return recErr(rec, fmt.Sprintf("cell (%d, %d) outside the BIFF8 grid", r, c))
		}
		for len(s.Rows) <= r {
			s.Rows = append(s.Rows, nil)
		}
		row := s.Rows[r]
		for len(row) <= c {
			row = append(row, Cell{})
		}
		row[c] = cell
		s.Rows[r] = row
		return nil
	}
	off := bs.pos
	rec, off, err := next(stream, off)
	if err != nil {
		return nil, err
	}
	if rec.typ != recBOF {
		return nil, recErr(rec, "sheet does not start with a BOF record")
	}
	pendingRow, pendingCol := -1, -1 // FORMULA whose string result follows in a STRING record
	for {
		rec, off, err = next(stream, off)
		if err != nil {
			return nil, err
		}
		d := rec.data
		need := func(n int) error {
			if len(d) < n {
				return recErr(rec, fmt.Sprintf("%d bytes, want at least %d", len(d), n))
			}
			return nil
		}
		row := func() int { return int(binary.LittleEndian.Uint16(d)) }
		col := func() int { return int(binary.LittleEndian.Uint16(d[2:])) }
		switch rec.typ {
		case recEOF:
			return s, nil
		case recBOF: // embedded chart substream: skip to its EOF
			for rec.typ != recEOF {
				if rec, off, err = next(stream, off); err != nil {
					return nil, err
				}
			}
		case recLabelSST:
			if err := need(10); err != nil {
				return nil, err
			}
			i := int(binary.LittleEndian.Uint32(d[6:]))
			if i >= len(sst) {
				return nil, recErr(rec, fmt.Sprintf("shared string %d of %d", i, len(sst)))
			}
			if err := set(rec, row(), col(), Cell{Kind: String, Str: sst[i]}); err != nil {
				return nil, err
			}
		case recLabel:
			if err := need(8); err != nil {
				return nil, err
			}
			str, err := longString(d[6:])
			if err != nil {
				return nil, recErr(rec, err.Error())
			}
			if err := set(rec, row(), col(), Cell{Kind: String, Str: str}); err != nil {
				return nil, err
			}
		case recNumber:
			if err := need(14); err != nil {
				return nil, err
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(d[6:]))
			if err := set(rec, row(), col(), Cell{Kind: Number, Num: v}); err != nil {
				return nil, err
			}
		case recRK:
			if err := need(10); err != nil {
				return nil, err
			}
			v := rk(binary.LittleEndian.Uint32(d[6:]))
			if err := set(rec, row(), col(), Cell{Kind: Number, Num: v}); err != nil {
				return nil, err
			}
		case recMulRK:
			if err := need(6); err != nil {
				return nil, err
			}
			if (len(d)-6)%6 != 0 {
				return nil, recErr(rec, fmt.Sprintf("MULRK of %d bytes is not 6 + 6·n", len(d)))
			}
			r, c0 := row(), col()
			for i := 0; 4+6*i+6 <= len(d)-2; i++ {
				v := rk(binary.LittleEndian.Uint32(d[4+6*i+2:]))
				if err := set(rec, r, c0+i, Cell{Kind: Number, Num: v}); err != nil {
					return nil, err
				}
			}
		case recBoolErr:
			if err := need(8); err != nil {
				return nil, err
			}
			k := Bool
			if d[7] != 0 {
				k = Error
			}
			if err := set(rec, row(), col(), Cell{Kind: k, Num: float64(d[6])}); err != nil {
				return nil, err
			}
		case recFormula:
			if err := need(20); err != nil {
				return nil, err
			}
			res := d[6:14]
			if res[6] == 0xFF && res[7] == 0xFF {
				var cell Cell
				switch res[0] {
				case 0:
					pendingRow, pendingCol = row(), col()
					continue
				case 1:
					cell = Cell{Kind: Bool, Num: float64(res[2])}
				case 2:
					cell = Cell{Kind: Error, Num: float64(res[2])}
				default:
					cell = Cell{}
				}
				if err := set(rec, row(), col(), cell); err != nil {
					return nil, err
				}
			} else {
				v := math.Float64frombits(binary.LittleEndian.Uint64(res))
				if err := set(rec, row(), col(), Cell{Kind: Number, Num: v}); err != nil {
					return nil, err
				}
			}
		case recString:
			if pendingRow < 0 {
				break
			}
			str, err := longString(joined(rec))
			if err != nil {
				return nil, recErr(rec, err.Error())
			}
			if err := set(rec, pendingRow, pendingCol, Cell{Kind: String, Str: str}); err != nil {
				return nil, err
			}
		}
		if rec.typ != recFormula {
			pendingRow, pendingCol = -1, -1
		}
	}
}

// joined returns a record's data followed by its CONTINUE data, for records
// whose continuation carries no extra option byte handling needs.
func joined(rec record) []byte {
	if len(rec.cont) == 0 {
		return rec.data
	}
	return bytes.Join(append([][]byte{rec.data}, rec.cont...), nil)
}

// rk decodes an RkNumber ([MS-XLS] 2.5.217).
func rk(v uint32) float64 {
	var x float64
	if v&2 != 0 {
		x = float64(int32(v) >> 2)
	} else {
		x = math.Float64frombits(uint64(v&^3) << 32)
	}
	if v&1 != 0 {
		x /= 100
	}
	return x
}

// shortString decodes a ShortXLUnicodeString (1-byte length).
func shortString(b []byte) (string, int, error) {
	if len(b) < 2 {
		return "", 0, errors.New("string header truncated")
	}
	n, high := int(b[0]), b[1]&1 != 0
	return chars(b[2:], n, high)
}

// longString decodes an XLUnicodeString (2-byte length).
func longString(b []byte) (string, error) {
	if len(b) < 3 {
		return "", errors.New("string header truncated")
	}
	n, high := int(binary.LittleEndian.Uint16(b)), b[2]&1 != 0
	s, _, err := chars(b[3:], n, high)
	return s, err
}

func chars(b []byte, n int, high bool) (string, int, error) {
	if !high {
		if len(b) < n {
			return "", 0, fmt.Errorf("string of %d characters truncated at %d bytes", n, len(b))
		}
		r := make([]rune, n)
		for i := 0; i < n; i++ {
			r[i] = rune(b[i]) // Latin-1 compressed UTF-16
		}
		return string(r), n, nil
	}
	if len(b) < 2*n {
		return "", 0, fmt.Errorf("string of %d characters truncated at %d bytes", n, len(b))
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), 2 * n, nil
}
