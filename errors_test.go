package neurotab_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// The kinds of malformed input match ErrMalformed and themselves, through
// any depth of wrapping, and no other sentinel.
func TestSentinelKinds(t *testing.T) {
	all := []error{neurotab.ErrMalformed, neurotab.ErrTruncated, neurotab.ErrChecksum, neurotab.ErrOutOfRange,
		neurotab.ErrTimeOrder, neurotab.ErrSchema, neurotab.ErrTooLarge, neurotab.ErrUnsupported, neurotab.ErrNotFound,
		neurotab.ErrType, neurotab.ErrNotFinite, neurotab.ErrShape, neurotab.ErrSingular, neurotab.ErrParam, neurotab.ErrNotFitted, neurotab.ErrInUse}
	malformed := map[error]bool{neurotab.ErrMalformed: true, neurotab.ErrTruncated: true, neurotab.ErrChecksum: true,
		neurotab.ErrOutOfRange: true, neurotab.ErrTimeOrder: true, neurotab.ErrSchema: true}
	for _, s := range all {
		err := fmt.Errorf("f.raw: offset 12: %w", fmt.Errorf("%w: detail", s))
		for _, target := range all {
			want := target == s || (target == neurotab.ErrMalformed && malformed[s])
			if got := errors.Is(err, target); got != want {
				t.Errorf("errors.Is(%q, %q) = %v, want %v", err, target, got, want)
			}
		}
	}
	if got := fmt.Sprint(fmt.Errorf("x.mat: %w", neurotab.ErrTruncated)); got != "x.mat: truncated" {
		t.Errorf("message %q", got)
	}
}

// Seed streams are independent and reproducible: the first draws of PCG
// with (seed, stream) as math/rand/v2 defines it.
func TestSeed(t *testing.T) {
	a, b := neurotab.Seed(7).Rand(1).Uint64(), neurotab.Seed(7).Rand(1).Uint64()
	if a != b {
		t.Fatal("same seed and stream gave different numbers")
	}
	if neurotab.Seed(7).Rand(2).Uint64() == a {
		t.Fatal("streams 1 and 2 agree")
	}
	s, err := neurotab.ParseSeed("18446744073709551615")
	if err != nil || s.String() != "18446744073709551615" {
		t.Fatalf("ParseSeed round trip: %v %v", s, err)
	}
	if _, err := neurotab.ParseSeed("-1"); err == nil {
		t.Fatal("negative seed accepted")
	}
}

// OneLine folds joined errors and stray line breaks into one line.
func TestOneLine(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{errors.Join(errors.New("column t: disk full"), errors.New("close: disk full")), "column t: disk full; close: disk full"},
		{fmt.Errorf("a\nb.csv: %w\n", neurotab.ErrTruncated), "a; b.csv: truncated"},
		{neurotab.ErrShape, "shape mismatch"},
		// A 16 MB field is cut to 80 characters; NUL bytes stay escaped.
		{fmt.Errorf("x.csv:2:1: column %q: %q is not a number", "time", strings.Repeat("1", 16<<20)),
			`x.csv:2:1: column "time": "` + strings.Repeat("1", 80) + `"… is not a number`},
		{fmt.Errorf("x.csv:2:2: %q", strings.Repeat("\x00", 16000)), `x.csv:2:2: "` + strings.Repeat(`\x00`, 80) + `"…`},
		// Raw control bytes outside quotes are escaped; a stray quote is kept.
		{errors.New("bad \x1b[31m name \"x"), `bad \x1b[31m name "x`},
		// The whole message is cut at 1,000 characters.
		{errors.New(strings.Repeat("a", 5000)), strings.Repeat("a", 1000) + "…"},
	}
	for _, c := range cases {
		if got := neurotab.OneLine(c.err); got != c.want {
			t.Errorf("OneLine(%q) = %q, want %q", c.err, got, c.want)
		}
	}
}

// Quote cuts a value at MaxQuoted characters, counting characters, not bytes.
func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"AVAL", `"AVAL"`},
		{strings.Repeat("é", 80), `"` + strings.Repeat("é", 80) + `"`},
		{strings.Repeat("é", 81), `"` + strings.Repeat("é", 80) + `"…`},
		{"a\xffb", `"a\xffb"`},
	} {
		if got := neurotab.Quote(c.in); got != c.want {
			t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
