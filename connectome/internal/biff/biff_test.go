package biff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// rec encodes one BIFF record.
func rec(typ uint16, data ...[]byte) []byte {
	d := bytes.Join(data, nil)
	h := make([]byte, 4)
	binary.LittleEndian.PutUint16(h, typ)
	binary.LittleEndian.PutUint16(h[2:], uint16(len(d)))
	return append(h, d...)
}

func u16(v ...uint16) []byte {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return b
}

func u32(v uint32) []byte { b := make([]byte, 4); binary.LittleEndian.PutUint32(b, v); return b }

func f64(v float64) []byte {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, math.Float64bits(v))
	return b
}

// workbook builds a Workbook stream with one sheet "S" holding the given
// cell records, and the SST records sst.
func workbook(sst [][]byte, cells ...[]byte) []byte {
	bof := func(dt uint16) []byte { return rec(recBOF, u16(0x0600, dt), make([]byte, 12)) }
	name := append([]byte{1, 0}, 'S')
	globals := [][]byte{bof(0x0005)}
	globals = append(globals, sst...)
	bsLen := len(rec(recBoundSheet, u32(0), []byte{0, 0}, name))
	pos := 0
	for _, g := range globals {
		pos += len(g)
	}
	pos += bsLen + len(rec(recEOF))
	out := bytes.Join(globals, nil)
	out = append(out, rec(recBoundSheet, u32(uint32(pos)), []byte{0, 0}, name)...)
	out = append(out, rec(recEOF)...)
	out = append(out, bof(0x0010)...)
	for _, c := range cells {
		out = append(out, c...)
	}
	return append(out, rec(recEOF)...)
}

func TestDecode(t *testing.T) {
	// SST of two strings: "Abc" (compressed) and "Hé!" whose characters are
	// split across a CONTINUE record that switches to 16-bit characters.
	sst := [][]byte{
		rec(recSST, u32(2), u32(2), u16(3), []byte{0}, []byte("Abc"), u16(3), []byte{0}, []byte("H")),
		rec(recContinue, []byte{1}, u16('é', '!')),
	}
	neg7 := int32(-7)
	rkInt := uint32(neg7<<2) | 2                      // integer −7
	rkX100 := uint32(1234<<2) | 3                     // 12.34
	rkFloat := uint32(math.Float64bits(1.5)>>32) &^ 3 // 1.5
	strResult := append([]byte{0, 0, 0, 0, 0, 0}, 0xFF, 0xFF)
	ws := workbook(sst,
		rec(recLabelSST, u16(0, 0, 15), u32(0)),
		rec(recLabelSST, u16(0, 1, 15), u32(1)),
		rec(recNumber, u16(1, 0, 15), f64(3.25)),
		rec(recRK, u16(1, 1, 15), u32(rkInt)),
		rec(recMulRK, u16(2, 1), u16(15), u32(rkX100), u16(15), u32(rkFloat), u16(2)),
		rec(recLabel, u16(3, 0, 15), u16(2), []byte{0}, []byte("hi")),
		rec(recBoolErr, u16(3, 1, 15), []byte{1, 0}),
		rec(recBoolErr, u16(3, 2, 15), []byte{0x07, 1}),
		rec(recFormula, u16(4, 0, 15), f64(42), make([]byte, 6)),
		rec(recFormula, u16(4, 1, 15), strResult, make([]byte, 6)),
		rec(recString, u16(3), []byte{0}, []byte("xyz")),
	)
	wb, err := Decode(ws)
	if err != nil {
		t.Fatal(err)
	}
	s := wb.Sheet("S")
	if s == nil || len(wb.Sheets) != 1 {
		t.Fatalf("sheets %+v", wb.Sheets)
	}
	for _, c := range []struct {
		name string
		r, c int
		want Cell
	}{
		{"sst compressed", 0, 0, Cell{Kind: String, Str: "Abc"}},
		{"sst split across CONTINUE", 0, 1, Cell{Kind: String, Str: "Hé!"}},
		{"number", 1, 0, Cell{Kind: Number, Num: 3.25}},
		{"rk integer", 1, 1, Cell{Kind: Number, Num: -7}},
		{"mulrk x100", 2, 1, Cell{Kind: Number, Num: 12.34}},
		{"mulrk float", 2, 2, Cell{Kind: Number, Num: 1.5}},
		{"label", 3, 0, Cell{Kind: String, Str: "hi"}},
		{"bool", 3, 1, Cell{Kind: Bool, Num: 1}},
		{"error", 3, 2, Cell{Kind: Error, Num: 7}},
		{"formula number", 4, 0, Cell{Kind: Number, Num: 42}},
		{"formula string", 4, 1, Cell{Kind: String, Str: "xyz"}},
		{"outside", 9, 9, Cell{}},
		{"gap", 2, 0, Cell{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := s.Cell(c.r, c.c); got != c.want {
				t.Errorf("cell (%d,%d) = %+v, want %+v", c.r, c.c, got, c.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	good := workbook(nil, rec(recNumber, u16(0, 0, 15), f64(1)))
	for _, c := range []struct {
		name   string
		stream []byte
		cause  error // neurotab.ErrMalformed unless set
	}{
		{"empty", nil, nil},
		{"not BOF", rec(recEOF), nil},
		{"BIFF5", rec(recBOF, u16(0x0500, 5), make([]byte, 12)), nil},
		{"truncated", good[:len(good)-6], nil},
		{"short number", workbook(nil, rec(recNumber, u16(0, 0))), nil},
		{"bad sst index", workbook(nil, rec(recLabelSST, u16(0, 0, 15), u32(3))), nil},
		{"huge sst count", workbook([][]byte{rec(recSST, u32(1), u32(1<<30))}), nil},
		{"encrypted", append(rec(recBOF, u16(0x0600, 5), make([]byte, 12)), rec(recFilePass, u16(1))...), neurotab.ErrUnsupported},
		{"column beyond grid", workbook(nil, rec(recNumber, u16(0, 300, 15), f64(1))), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			cause := c.cause
			if cause == nil {
				cause = neurotab.ErrMalformed
			}
			if _, err := Decode(c.stream); !errors.Is(err, cause) {
				t.Errorf("error %v, want %v", err, cause)
			}
		})
	}
	if _, err := Read(bytes.NewReader([]byte("not a compound file at all, far too short")), 41); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("Read of junk: %v", err)
	}
}

// TestOpenWormWorkbook reads the real OpenWorm workbook. Expected values
// come from c302/SOURCE.md (3,363 / 564 / 86 data rows) and xlrd 2.0 on the
// same file (cells printed by `xlrd.open_workbook(...).sheet_by_name(...)
// .row_values(r)`): Connectome row 2 = ADAL, ADAR, GapJunction, 1.0,
// Generic_GJ; NeuronsToMuscle last row = VD13, MVR24, 6.0, GABA; Sensory
// row 2 column C = 0.13.
func TestOpenWormWorkbook(t *testing.T) {
	p := fixtures.Path(t, "c302", "CElegansNeuronTables.xls")
	wb, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sheet string
		rows  int
		r, c  int
		want  Cell
	}{
		{"Connectome", 3364, 1, 0, Cell{Kind: String, Str: "ADAL"}},
		{"Connectome", 3364, 1, 2, Cell{Kind: String, Str: "GapJunction"}},
		{"Connectome", 3364, 1, 3, Cell{Kind: Number, Num: 1}},
		{"Connectome", 3364, 1, 4, Cell{Kind: String, Str: "Generic_GJ"}},
		{"NeuronsToMuscle", 565, 564, 1, Cell{Kind: String, Str: "MVR24"}},
		{"NeuronsToMuscle", 565, 564, 2, Cell{Kind: Number, Num: 6}},
		{"Sensory", 87, 1, 2, Cell{Kind: Number, Num: 0.13}},
		{"Sensory", 87, 0, 6, Cell{Kind: String, Str: "Function"}},
	} {
		t.Run(c.sheet, func(t *testing.T) {
			s := wb.Sheet(c.sheet)
			if s == nil {
				t.Fatalf("no sheet %q", c.sheet)
			}
			if len(s.Rows) != c.rows {
				t.Errorf("%d rows, want %d", len(s.Rows), c.rows)
			}
			if got := s.Cell(c.r, c.c); got != c.want {
				t.Errorf("cell (%d,%d) = %+v, want %+v", c.r, c.c, got, c.want)
			}
		})
	}
}

// FuzzDecode: Decode never panics on arbitrary streams.
func FuzzDecode(f *testing.F) {
	f.Add(workbook(nil, rec(recNumber, u16(0, 0, 15), f64(1))))
	f.Add(workbook([][]byte{rec(recSST, u32(1), u32(1), u16(2), []byte{0}, []byte("a")), rec(recContinue, []byte{1}, u16('b'))},
		rec(recLabelSST, u16(0, 0, 15), u32(0)), rec(recMulRK, u16(0, 1), u16(15), u32(2), u16(1))))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Decode(b)
	})
}

// FuzzRead: Read never panics on arbitrary compound files, seeded with the
// real workbook when present.
func FuzzRead(f *testing.F) {
	if d, err := fixtures.DataDir(); err == nil {
		if b, err := os.ReadFile(d + "/c302/CElegansNeuronTables.xls"); err == nil {
			f.Add(b[:4096])
		}
	}
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Read(bytes.NewReader(b), int64(len(b)))
	})
}

// TestDecodeSSTVariants covers strings whose rich-text runs and extended
// data cross CONTINUE boundaries, a string whose header ends one record
// and whose characters start the next (with a fresh option byte), 16-bit
// characters from the start, and a skipped chart substream and chart
// sheet. Expected strings are the characters written.
func TestDecodeSSTVariants(t *testing.T) {
	// String 0: "ab", rich (2 runs = 8 bytes) and extended (3 bytes); the
	// runs are split across the CONTINUE.
	// String 1: "Zz" with 16-bit characters; header at the end of the
	// second record, characters in the third with option byte 0 (8-bit).
	s0 := append(append(u16(2), 0x0C), u16(2)...) // cch, flags rich|ext, cRun
	s0 = append(s0, u32(3)...)                    // cbExtRst
	s0 = append(s0, 'a', 'b')
	sst := [][]byte{
		rec(recSST, u32(3), u32(3), s0, []byte{1, 2, 3, 4, 5}),
		rec(recContinue, []byte{6, 7, 8}, []byte{9, 9, 9}, u16(2), []byte{1}),
		rec(recContinue, []byte{0}, []byte("Zz"), u16(1), []byte{1}, u16('Ω')),
	}
	bof := func(dt uint16) []byte { return rec(recBOF, u16(0x0600, dt), make([]byte, 12)) }
	cells := [][]byte{
		rec(recLabelSST, u16(0, 0, 15), u32(0)),
		bof(0x0020), rec(recNumber, u16(9, 9, 15), f64(99)), rec(recEOF), // chart substream: skipped
		rec(recLabelSST, u16(0, 1, 15), u32(1)),
		rec(recLabelSST, u16(0, 2, 15), u32(2)),
		rec(recLabel, u16(1, 0, 15), u16(2), []byte{1}, u16('π', 'e')),
	}
	wb, err := Decode(workbook(sst, cells...))
	if err != nil {
		t.Fatal(err)
	}
	s := wb.Sheets[0]
	for _, c := range []struct {
		r, c int
		want string
	}{{0, 0, "ab"}, {0, 1, "Zz"}, {0, 2, "Ω"}, {1, 0, "πe"}} {
		if got := s.Cell(c.r, c.c); got.Kind != String || got.Str != c.want {
			t.Errorf("cell (%d,%d) = %+v, want %q", c.r, c.c, got, c.want)
		}
	}
	if got := s.Cell(9, 9); got.Kind != Empty {
		t.Errorf("chart substream cell read: %+v", got)
	}
	if wb.Sheet("nope") != nil {
		t.Error("Sheet of an unknown name is not nil")
	}
}

func TestRK(t *testing.T) {
	// [MS-XLS] 2.5.217: bit 0 divides by 100, bit 1 marks a 30-bit integer,
	// otherwise the upper 30 bits are the high bits of an IEEE double.
	m3 := int32(-3)
	for _, c := range []struct {
		name string
		rk   uint32
		want float64
	}{
		{"int 5", 5<<2 | 2, 5},
		{"int -3", uint32(m3<<2) | 2, -3},
		{"int 150/100", 150<<2 | 3, 1.5},
		{"double 2", uint32(math.Float64bits(2) >> 32), 2},
		{"double 0.5 /100", uint32(math.Float64bits(0.5)>>32) | 1, 0.005},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := rk(c.rk); math.Abs(got-c.want) > 1e-15 {
				t.Errorf("rk(%#x) = %g, want %g", c.rk, got, c.want)
			}
		})
	}
}

func TestDecodeMoreRecords(t *testing.T) {
	boolRes := []byte{1, 0, 1, 0, 0, 0, 0xFF, 0xFF}
	errRes := []byte{2, 0, 0x2A, 0, 0, 0, 0xFF, 0xFF}
	emptyRes := []byte{3, 0, 0, 0, 0, 0, 0xFF, 0xFF}
	wb, err := Decode(workbook(nil,
		rec(recFormula, u16(0, 0, 15), boolRes, make([]byte, 6)),
		rec(recFormula, u16(0, 1, 15), errRes, make([]byte, 6)),
		rec(recFormula, u16(0, 2, 15), emptyRes, make([]byte, 6)),
		rec(recString, u16(1), []byte{0}, []byte("x")), // no pending formula: ignored
	))
	if err != nil {
		t.Fatal(err)
	}
	s := wb.Sheets[0]
	for _, c := range []struct {
		c    int
		want Cell
	}{{0, Cell{Kind: Bool, Num: 1}}, {1, Cell{Kind: Error, Num: 0x2A}}, {2, Cell{}}, {3, Cell{}}} {
		if got := s.Cell(0, c.c); got != c.want {
			t.Errorf("cell (0,%d) = %+v, want %+v", c.c, got, c.want)
		}
	}
	for _, c := range []struct {
		name   string
		stream []byte
	}{
		{"mulrk length", workbook(nil, rec(recMulRK, u16(0, 0), u16(15), u32(2), u16(0), []byte{1}))},
		{"short label", workbook(nil, rec(recLabel, u16(0, 0, 15), u16(5), []byte{0}, []byte("ab")))},
		{"short formula", workbook(nil, rec(recFormula, u16(0, 0, 15)))},
		{"sst string truncated", workbook([][]byte{rec(recSST, u32(1), u32(1), u16(9), []byte{0}, []byte("abc"))})},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Decode(c.stream); !errors.Is(err, neurotab.ErrMalformed) {
				t.Errorf("error %v, want ErrMalformed", err)
			}
		})
	}
}

// TestSheetOffsetOutside: a BOUNDSHEET pointing past the stream is an
// error, and a chart sheet (type byte 2) is skipped.
func TestSheetOffsetOutside(t *testing.T) {
	bof := rec(recBOF, u16(0x0600, 5), make([]byte, 12))
	name := append([]byte{1, 0}, 'S')
	bad := bytes.Join([][]byte{bof, rec(recBoundSheet, u32(1<<20), []byte{0, 0}, name), rec(recEOF)}, nil)
	if _, err := Decode(bad); !errors.Is(err, neurotab.ErrMalformed) {
		t.Errorf("error %v, want ErrMalformed", err)
	}
	chart := bytes.Join([][]byte{bof, rec(recBoundSheet, u32(1<<20), []byte{0, 2}, name), rec(recEOF)}, nil)
	wb, err := Decode(chart)
	if err != nil || len(wb.Sheets) != 0 {
		t.Errorf("chart sheet: %v, %d sheets", err, len(wb.Sheets))
	}
}
