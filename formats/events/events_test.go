package events

import (
	"io"
	"testing"
)

// sliceDecoder yields a fixed list of events in chunks.
type sliceDecoder struct {
	t   []int64
	pos int
}

func (s *sliceDecoder) Next(b *Batch, max int) (int, error) {
	if s.pos == len(s.t) {
		return 0, io.EOF
	}
	n := 0
	for s.pos < len(s.t) && n < max {
		b.Append(s.t[s.pos], uint16(s.pos), 0, int8(s.pos%2))
		s.pos++
		n++
	}
	return n, nil
}

func (s *sliceDecoder) Geometry() Geometry { return Geometry{Format: "test"} }

func (s *sliceDecoder) Stats() Stats { return Stats{Events: int64(s.pos)} }

func TestReadAllKeepsOrderAndCount(t *testing.T) {
	ts := make([]int64, 200000)
	for i := range ts {
		ts[i] = int64(3 * i)
	}
	b, err := ReadAll(&sliceDecoder{t: ts})
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != len(ts) {
		t.Fatalf("Len=%d want %d", b.Len(), len(ts))
	}
	for i := range ts {
		if b.T[i] != ts[i] || b.X[i] != uint16(i) || b.P[i] != int8(i%2) {
			t.Fatalf("event %d = (%d,%d,%d)", i, b.T[i], b.X[i], b.P[i])
		}
	}
}

func TestGrowKeepsContent(t *testing.T) {
	var b Batch
	b.Append(1, 2, 3, 1)
	b.Grow(100)
	if cap(b.T) < 101 || b.Len() != 1 || b.T[0] != 1 || b.X[0] != 2 || b.Y[0] != 3 || b.P[0] != 1 {
		t.Fatalf("after Grow: %+v cap %d", b, cap(b.T))
	}
	b.Reset()
	if b.Len() != 0 || cap(b.T) < 101 {
		t.Fatalf("after Reset len %d cap %d", b.Len(), cap(b.T))
	}
}

// TestGrowAfterAppend: Append lets the column capacities drift apart; Grow
// must still leave room in every column (regression for a FuzzEVT3 crasher).
func TestGrowAfterAppend(t *testing.T) {
	var b Batch
	for i := range 1000 {
		b.Append(int64(i), 1, 2, 1)
	}
	b.Grow(5000)
	l := b.Len()
	for _, c := range []int{cap(b.T), cap(b.X), cap(b.Y), cap(b.P)} {
		if c-l < 5000 {
			t.Fatalf("capacities %d %d %d %d for len %d", cap(b.T), cap(b.X), cap(b.Y), cap(b.P), l)
		}
	}
}

// TestSlotsCommit: slots are filled in place past the end; only the
// committed ones join the batch, after the events already there.
func TestSlotsCommit(t *testing.T) {
	b := &Batch{}
	b.Append(1, 2, 3, 1)
	T, X, Y, P := b.Slots(3)
	if len(T) != 3 || len(X) != 3 || len(Y) != 3 || len(P) != 3 || b.Len() != 1 {
		t.Fatalf("Slots(3): %d %d %d %d slots, Len %d", len(T), len(X), len(Y), len(P), b.Len())
	}
	T[0], X[0], Y[0], P[0] = 10, 20, 30, 0
	T[1], X[1], Y[1], P[1] = 11, 21, 31, 1
	T[2] = 99 // filled but not committed
	b.Commit(2)
	want := []int64{1, 10, 11}
	if b.Len() != 3 || b.T[0] != want[0] || b.T[1] != want[1] || b.T[2] != want[2] || b.X[2] != 21 || b.Y[1] != 30 || b.P[2] != 1 {
		t.Fatalf("batch %+v, want T %v", b, want)
	}
}
