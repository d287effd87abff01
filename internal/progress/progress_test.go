package progress

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

func TestNoDrawingOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "x", "files", 10, true)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); b.Add(1) }()
	}
	wg.Wait()
	b.Done()
	if buf.Len() != 0 {
		t.Fatalf("drew %q to a non-terminal", buf.String())
	}
	if b.Count() != 10 {
		t.Fatalf("count %d", b.Count())
	}
	if IsTerminal(&buf) {
		t.Fatal("a buffer is not a terminal")
	}
}

func TestNilBarIsSafe(t *testing.T) {
	var b *Bar
	b.Add(1)
	b.Done()
	if n := b.Count(); n != 0 {
		t.Fatalf("nil bar counts %d", n)
	}
}

// The line a bar draws on a terminal, with a clock fixed 2 s after start:
// 5 of 10 files is 50 %, 15 of 30 cells filled, 5/2 = 2.5 files/s; done
// beyond the total is clamped to a full bar.
func TestDraw(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name        string
		done, total int64
		want        string
	}{
		{"half", 5, 10, "\rload [===============               ]  50% 5 files of 10 files (2.5 files/s)\x1b[K"},
		{"over", 12, 10, "\rload [==============================] 100% 12 files of 10 files (6 files/s)\x1b[K"},
		{"no total", 3, 0, "\rload [                              ]   0% 3 files of 0 files (1.5 files/s)\x1b[K"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			b := &Bar{w: &buf, label: "load", unit: "files", total: c.total, done: c.done, enabled: true, start: start}
			b.draw(start.Add(2 * time.Second))
			if buf.String() != c.want {
				t.Errorf("drew\n%q, want\n%q", buf.String(), c.want)
			}
		})
	}
}

// Amounts in human units: bytes with B and an SI prefix, other units spelled
// out, rates with one decimal.
func TestAmount(t *testing.T) {
	for _, c := range []struct {
		unit string
		n    float64
		want string
	}{
		{"bytes", 253_097_040, "253.1 MB"}, {"bytes", 512, "512 B"}, {"bytes", 2.5e9, "2.5 GB"},
		{"events", 30_400_000, "30.4 M events"}, {"events", 999, "999 events"}, {"files", 2.5, "2.5 files"},
	} {
		if got := (&Bar{unit: c.unit}).amount(c.n); got != c.want {
			t.Errorf("amount(%v %s) = %q, want %q", c.n, c.unit, got, c.want)
		}
	}
}
