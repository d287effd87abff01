package directed

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestTransferEntropyRinform compares with rinform's published examples
// (fixtures.json transfer_entropy_rinform_vectors, 7 digits as published,
// so within 1e-7): transfer_entropy(ys, xs, k) is TE(ys → xs).
func TestTransferEntropyRinform(t *testing.T) {
	f := loadShared(t)
	xs, ys := f.TE.Xs, f.TE.Ys
	for _, c := range []struct {
		key            string
		source, target []int
		k              int
	}{
		{"TE(ys->xs,k=1)", ys, xs, 1},
		{"TE(ys->xs,k=2)", ys, xs, 2},
		{"TE(xs->ys,k=1)", xs, ys, 1},
		{"TE(xs->ys,k=2)", xs, ys, 2},
	} {
		t.Run(c.key, func(t *testing.T) {
			want, ok := f.TE.Published[c.key]
			if !ok {
				t.Fatalf("fixtures.json has no %s", c.key)
			}
			got, err := TransferEntropy(c.source, c.target, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, want, 1e-7) {
				t.Errorf("TransferEntropy = %.10f bits, want %.7f (rinform)", got, want)
			}
		})
	}
}

// TestTransferEntropyClosedForm checks cases derived by hand.
func TestTransferEntropyClosedForm(t *testing.T) {
	// The target copies the source one step later, and the source is an
	// i.i.d.-looking fair pattern independent of the target's past: every
	// (history, source) fixes the next state, so TE = H(next | history).
	// With source 0,1,1,0,0,1,0,1,1,0 (the target is it delayed): the 9
	// steps t = 1…9 with k = 1 have histories x_t and next x_{t+1} = y_t.
	src := []int{0, 1, 1, 0, 0, 1, 0, 1, 1, 0}
	tgt := append([]int{0}, src[:9]...)
	// Pairs (x_t, x_{t+1}) for t = 0…8 of tgt = 0,0,1,1,0,0,1,0,1,1:
	// (0,0) (0,1) (1,1) (1,0) (0,0) (0,1) (1,0) (0,1) (1,1):
	// history 0: 5 times, next 0 twice, 1 three times; history 1: 4 times,
	// next 0 twice, 1 twice. H(next | hist) = 5/9 H(2/5) + 4/9 · 1.
	h := func(p float64) float64 { return -p*math.Log2(p) - (1-p)*math.Log2(1-p) }
	want := 5.0/9*h(0.4) + 4.0/9
	for _, c := range []struct {
		name           string
		source, target []int
		k              int
		want           float64
	}{
		{"copy", src, tgt, 1, want},
		{"constant source", []int{1, 1, 1, 1, 1, 1}, []int{0, 1, 0, 0, 1, 1}, 1, 0},
		{"constant target", []int{0, 1, 0, 0, 1, 1}, []int{2, 2, 2, 2, 2, 2}, 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := TransferEntropy(c.source, c.target, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, c.want, 1e-12) {
				t.Errorf("TransferEntropy = %.15f, want %.15f", got, c.want)
			}
		})
	}
}

// TestTransferEntropyRelabel: TE does not depend on the names of the
// states (swapping 0 and 2 of a 3-state series).
func TestTransferEntropyRelabel(t *testing.T) {
	src := []int{0, 2, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1}
	tgt := []int{1, 0, 2, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0}
	swap := func(s []int) []int {
		out := make([]int, len(s))
		for i, v := range s {
			out[i] = (2 - v)
		}
		return out
	}
	for k := 1; k <= 3; k++ {
		a, err := TransferEntropy(src, tgt, k)
		if err != nil {
			t.Fatal(err)
		}
		b, err := TransferEntropy(swap(src), swap(tgt), k)
		if err != nil {
			t.Fatal(err)
		}
		if !near(a, b, 1e-12) || a <= 0 {
			t.Errorf("k %d: TE %g, relabelled %g; want equal and > 0", k, a, b)
		}
	}
}

// TestTransferEntropyErrors checks the error of each bad input.
func TestTransferEntropyErrors(t *testing.T) {
	long := make([]int, 100)
	long[3] = 1 << 40
	for _, c := range []struct {
		name           string
		source, target []int
		k              int
		want           error
		msg            string
	}{
		{"k 0", []int{0, 1}, []int{1, 0}, 0, neurotab.ErrParam, "history length k 0"},
		{"lengths", []int{0, 1, 1}, []int{1, 0}, 1, neurotab.ErrShape, "3 samples, target 2"},
		{"too short", []int{0, 1}, []int{1, 0}, 2, neurotab.ErrShape, "want at least 3"},
		{"negative state", []int{0, -1, 1}, []int{1, 0, 1}, 1, neurotab.ErrOutOfRange, "sample 1 is state -1"},
		{"too many codes", long, make([]int, 100), 2, neurotab.ErrTooLarge, "codes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := TransferEntropy(c.source, c.target, c.k)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want one wrapping %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "directed: ") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q: want it to start with \"directed: \" and contain %q", err, c.msg)
			}
		})
	}
}
