package progress

import (
	"bytes"
	"sync"
	"testing"
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
}
