package mat

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestErrorFormat: file first, then variable, offset (with the inflated
// offset for compressed data), then the cause; no package prefix.
func TestErrorFormat(t *testing.T) {
	c := cause(neurotab.ErrMalformed, "numeric data of %d bytes for %s double", 80, "3×4")
	cases := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "k.mat", Path: "s.traces{2}", Offset: 4096, Inner: 120, Err: c},
			`k.mat: variable "s.traces{2}": offset 4096 (+120 inflated): numeric data of 80 bytes for 3×4 double: malformed input`},
		{&Error{File: "k.mat", Offset: 128, Inner: -1, Err: c},
			`k.mat: offset 128: numeric data of 80 bytes for 3×4 double: malformed input`},
		{&Error{File: "k.mat", Path: "x", Offset: -1, Inner: -1, Err: cause(neurotab.ErrNotFound, "no such variable")},
			`k.mat: variable "x": no such variable: not found`},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.e.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
			if !errors.Is(tc.e, neurotab.ErrMalformed) && !errors.Is(tc.e, neurotab.ErrNotFound) {
				t.Errorf("%v unwraps to no sentinel", tc.e)
			}
		})
	}
}

// TestTruncatedV5Copies cuts real MAT v5 files (plain and compressed)
// short: every cut that loses data gives a one-line *Error naming the file
// first, wrapping neurotab.ErrTruncated (an element that runs past the end,
// a compressed stream that ends early).
func TestTruncatedV5Copies(t *testing.T) {
	for _, name := range []string{"v5_types.mat", "v5_types_compressed.mat", "lin2023_like_compressed.mat", "v5_matlab_style_be.mat"} {
		b := readFixture(t, "reference-made", "mat_v5", name)
		t.Run(name, func(t *testing.T) {
			if err := readSupported(b, name); err != nil {
				t.Fatalf("whole file: %v", err)
			}
			failed := 0
			for i := 1; i < 40; i++ {
				n := HeaderSize + (len(b)-HeaderSize)*i/40
				cut := fmt.Sprintf("cut%d.mat", n)
				err := readSupported(b[:n], cut)
				if err == nil {
					t.Errorf("cut at %d of %d: no error", n, len(b))
					continue
				}
				failed++
				var e *Error
				if !errors.Is(err, neurotab.ErrTruncated) || !errors.As(err, &e) || e.File != cut ||
					!strings.HasPrefix(err.Error(), cut+": ") || strings.ContainsAny(err.Error(), "\r\n") {
					t.Errorf("cut at %d: %v, want a one-line *Error naming %s first, wrapping ErrTruncated", n, err, cut)
				}
			}
			if failed == 0 {
				t.Error("no cut failed")
			}
		})
	}
}

// readSupported indexes b and decodes every variable, returning the first
// error other than an unsupported variable.
func readSupported(b []byte, name string) error {
	f, err := decodeBytes(b, name)
	if err != nil {
		return err
	}
	for _, vi := range f.Variables() {
		if _, err := f.Var(vi.Name); err != nil && !errors.Is(err, neurotab.ErrUnsupported) {
			return err
		}
	}
	return nil
}
