package neurotab_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/neurotab/neurotab"
)

// The kinds of malformed input match ErrMalformed and themselves, through
// any depth of wrapping, and no other sentinel.
func TestSentinelKinds(t *testing.T) {
	all := []error{neurotab.ErrMalformed, neurotab.ErrTruncated, neurotab.ErrChecksum, neurotab.ErrOutOfRange,
		neurotab.ErrTimeOrder, neurotab.ErrSchema, neurotab.ErrTooLarge, neurotab.ErrUnsupported, neurotab.ErrNotFound,
		neurotab.ErrType, neurotab.ErrNotFinite, neurotab.ErrShape, neurotab.ErrSingular, neurotab.ErrParam, neurotab.ErrNotFitted}
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
	}
	for _, c := range cases {
		if got := neurotab.OneLine(c.err); got != c.want {
			t.Errorf("OneLine(%q) = %q, want %q", c.err, got, c.want)
		}
	}
}
