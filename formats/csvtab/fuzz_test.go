package csvtab

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzReader: any input gives rows or a one-line *Error naming the file;
// never a panic. Every returned row's line is after the header's.
func FuzzReader(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\ufeffa\tb\r\n1\t\"2\n3\"\n", "# c\nx y\n1 2 3\n", "a;b\n\"\n", ""} {
		f.Add([]byte(s), false, false)
	}
	f.Fuzz(func(t *testing.T, in []byte, blanks, strict bool) {
		r, err := NewReader(bytes.NewReader(in), "f.csv", Options{Blanks: blanks, Strict: strict, Comment: '#'})
		check := func(err error) {
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "f.csv") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q (%T)", err, err)
			}
		}
		if err != nil {
			check(err)
			return
		}
		head := r.Line()
		err = r.Each(func(row []string) error {
			if r.Line() <= head {
				t.Fatalf("row at line %d, header at %d", r.Line(), head)
			}
			for c := range row {
				if _, err := r.Float(row, c); err != nil {
					check(err)
				}
			}
			return nil
		})
		if err != nil {
			check(err)
		}
	})
}
