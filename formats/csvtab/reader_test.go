package csvtab

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// readAll returns the header, the rows and their line numbers.
func readAll(t *testing.T, text string, o Options) ([]string, [][]string, []int, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), "t.csv", o)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows [][]string
	var lines []int
	for {
		row, err := r.Next()
		if err == io.EOF {
			return r.Header, rows, lines, nil
		}
		if err != nil {
			return r.Header, rows, lines, err
		}
		rows = append(rows, append([]string(nil), row...))
		lines = append(lines, r.Line())
	}
}

// Every expected row below is the input text split by hand.
func TestReader(t *testing.T) {
	for _, c := range []struct {
		name   string
		text   string
		opt    Options
		header []string
		rows   [][]string
		lines  []int
	}{
		{"comma", "a,b\n1,2\n3,4\n", Options{},
			[]string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}, []int{2, 3}},
		{"BOM and padded header", "\ufeff a , B\n1,2\n", Options{},
			[]string{"a", "B"}, [][]string{{"1", "2"}}, []int{2}},
		{"CRLF and no final newline", "a,b\r\n1,2\r\n3,4", Options{},
			[]string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}, []int{2, 3}},
		{"quoted fields with comma, quote and newline", "name,note\n\"AVAL, AVAR\",\"say \"\"hi\"\"\"\nx,\"two\nlines\"\ny,z\n", Options{},
			[]string{"name", "note"}, [][]string{{"AVAL, AVAR", `say "hi"`}, {"x", "two\nlines"}, {"y", "z"}}, []int{2, 3, 5}},
		{"tab guessed", "a\tb,c\n1\t2,3\n", Options{},
			[]string{"a", "b,c"}, [][]string{{"1", "2,3"}}, []int{2}},
		{"semicolon guessed", "a;b\n1,5;2\n", Options{},
			[]string{"a", "b"}, [][]string{{"1,5", "2"}}, []int{2}},
		{"comments and blank lines", "# made by hand\n\na,b\n# note\n1,2\n\n   \n3,4\n", Options{Comment: '#'},
			[]string{"a", "b"}, [][]string{{"1", "2"}, {"3", "4"}}, []int{5, 8}},
		{"comment line guessed past", "# a\tb\nx;y\n1;2\n", Options{Comment: '#'},
			[]string{"x", "y"}, [][]string{{"1", "2"}}, []int{3}},
		{"blanks", "pre post\ttype  n\r\nAVAL\t AVAR chemical 3\n\n# c\nA B C 1\n", Options{Blanks: true, Comment: '#'},
			[]string{"pre", "post", "type", "n"}, [][]string{{"AVAL", "AVAR", "chemical", "3"}, {"A", "B", "C", "1"}}, []int{2, 5}},
		{"ragged rows allowed", "a,b,c\n1\n1,2,3,4\n", Options{},
			[]string{"a", "b", "c"}, [][]string{{"1"}, {"1", "2", "3", "4"}}, []int{2, 3}},
		{"lazy quotes", "a\tb\n5\" screen\tx\n", Options{LazyQuotes: true},
			[]string{"a", "b"}, [][]string{{`5" screen`, "x"}}, []int{2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h, rows, lines, err := readAll(t, c.text, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(h, c.header) || !reflect.DeepEqual(rows, c.rows) || !reflect.DeepEqual(lines, c.lines) {
				t.Errorf("got header %q rows %q lines %v\nwant header %q rows %q lines %v", h, rows, lines, c.header, c.rows, c.lines)
			}
		})
	}
}

// Faults give one line: file, line, column (field number), what, cause.
func TestReaderErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		text  string
		opt   Options
		do    func(r *Reader, row []string) error // applied to the first row
		want  string
		cause error
	}{
		{"empty", "", Options{}, nil, "t.csv:1: empty file: no header row: malformed input", neurotab.ErrMalformed},
		{"only comments", "# x\n\n", Options{Comment: '#'}, nil, "t.csv:1: empty file", neurotab.ErrMalformed},
		{"strict short row", "a,b,c\n1,2,3\n1,2\n", Options{Strict: true}, nil,
			"t.csv:3:3: row has 2 fields, header 3: malformed input", neurotab.ErrMalformed},
		{"strict long row", "a,b\n1,2,3\n", Options{Strict: true}, nil, "t.csv:2:3: row has 3 fields, header 2", neurotab.ErrMalformed},
		{"bare quote", "a,b\n1,x\"y\n", Options{}, nil, "t.csv:2: bare \" in non-quoted-field", neurotab.ErrMalformed},
		{"unterminated quote", "a,b\n1,\"y\n", Options{}, nil, "t.csv:2: extraneous or missing \" in quoted-field", neurotab.ErrMalformed},
		{"blanks line too long", "a b\n" + strings.Repeat("x", MaxLine+1) + "\n", Options{Blanks: true}, nil,
			"t.csv:2: line longer than 1048576 bytes: too large", neurotab.ErrTooLarge},
		{"missing column", "a,b\n1,2\n", Options{}, func(r *Reader, _ []string) error { _, err := r.Require("a", "weight"); return err },
			`t.csv:1: header "a,b" has no "weight" column: not found`, neurotab.ErrNotFound},
		{"field of a short row", "a b c\n1 2\n", Options{Blanks: true}, func(r *Reader, row []string) error { _, err := r.Field(row, 2); return err },
			`t.csv:2:3: row has 2 fields, no column "c": malformed input`, neurotab.ErrMalformed},
		{"not a number", "a,b\n1,1;5\n", Options{Comma: ','}, func(r *Reader, row []string) error { _, err := r.Float(row, 1); return err },
			`t.csv:2:2: column "b": "1;5" is not a number: malformed input`, neurotab.ErrMalformed},
		{"not finite", "a,b\n1,nan\n", Options{}, func(r *Reader, row []string) error { _, err := r.Finite(row, 1); return err },
			`t.csv:2:2: column "b": "nan" is not a finite number: not finite`, neurotab.ErrNotFinite},
		{"inf not finite", "a,b\n-Inf,1\n", Options{}, func(r *Reader, row []string) error { _, err := r.Finite(row, 0); return err },
			`t.csv:2:1: column "a": "-Inf" is not a finite number`, neurotab.ErrNotFinite},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.do == nil {
				_, _, _, err = readAll(t, c.text, c.opt)
			} else {
				r, rerr := NewReader(strings.NewReader(c.text), "t.csv", c.opt)
				if rerr != nil {
					t.Fatal(rerr)
				}
				row, rerr := r.Next()
				if rerr != nil {
					t.Fatal(rerr)
				}
				err = c.do(r, row)
			}
			if err == nil {
				t.Fatal("no error")
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, c.cause) {
				t.Errorf("error %v (%T) is not an *Error wrapping %v", err, err, c.cause)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line starting with %q", msg, c.want)
			}
		})
	}
}

func TestParseFloat(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64 // NaN for missing values
		ok   bool
	}{
		{"1.5", 1.5, true}, {" -2e3 ", -2000, true}, {"", math.NaN(), true}, {"NaN", math.NaN(), true},
		{"NA", math.NaN(), true}, {"null", math.NaN(), true}, {"None", math.NaN(), true},
		{"inf", math.Inf(1), true}, {"1,5", 0, false}, {"x", 0, false}, {"0x", 0, false},
	} {
		t.Run(c.in, func(t *testing.T) {
			v, err := ParseFloat(c.in)
			if (err == nil) != c.ok {
				t.Fatalf("error %v", err)
			}
			if c.ok && !(v == c.want || math.IsNaN(v) && math.IsNaN(c.want)) {
				t.Errorf("got %v, want %v", v, c.want)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.tsv")
	if err := os.WriteFile(p, []byte("t\tAVAL\n0\t1.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	row, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := r.Float(row, r.Index("aval")); err != nil || v != 1.5 || r.Comma != '\t' {
		t.Errorf("AVAL = %v, %v; comma %q", v, err, r.Comma)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// Each visits every row; Fields picks columns; an error of fn stops Each.
func TestEachFields(t *testing.T) {
	r, err := NewReader(strings.NewReader("a,b,c\n1,2,3\n4,5,6\n7,8\n"), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	var buf []string
	err = r.Each(func(row []string) error {
		var err error
		if buf, err = r.Fields(buf, row, []int{2, 0}); err != nil {
			return err
		}
		got = append(got, append([]string(nil), buf...))
		return nil
	})
	// Rows 1 and 2 give (c, a); row 3 has no column c.
	if want := [][]string{{"3", "1"}, {"6", "4"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if err == nil || !strings.HasPrefix(err.Error(), `t.csv:4:3: row has 2 fields, no column "c"`) {
		t.Errorf("error %v", err)
	}
	r, _ = NewReader(strings.NewReader("a\n1\n2\n"), "t.csv", Options{})
	n := 0
	if err := r.Each(func([]string) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("%d rows, error %v", n, err)
	}
}

func TestUTF8(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"AVAL", "AVAL", true},
		{"é", "é", true},
		{"AV\xe9L", "AVéL", false},
		{"\xff\xfe", "ÿþ", false},
	} {
		if got, ok := UTF8(c.in); got != c.want || ok != c.ok {
			t.Errorf("UTF8(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
