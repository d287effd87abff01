package ingest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// The n shards partition the list: every path in exactly one shard, sizes
// differing by at most one, independent of input order.
func TestShardsPartition(t *testing.T) {
	var paths []string
	for i := 0; i < 23; i++ {
		paths = append(paths, fmt.Sprintf("f%02d.raw", (i*7)%23))
	}
	for _, n := range []int{1, 2, 5, 23, 30} {
		seen := map[string]int{}
		for k := 0; k < n; k++ {
			got := Shard{k, n}.Select(paths)
			if len(got) < 23/n || len(got) > 23/n+1 {
				t.Fatalf("n=%d k=%d: %d paths", n, k, len(got))
			}
			for _, p := range got {
				seen[p]++
			}
		}
		if len(seen) != 23 {
			t.Fatalf("n=%d covers %d paths", n, len(seen))
		}
		for p, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: %s in %d shards", n, p, c)
			}
		}
	}
	rev := append([]string(nil), paths...)
	sort.Sort(sort.Reverse(sort.StringSlice(rev)))
	if strings.Join(Shard{1, 4}.Select(paths), ",") != strings.Join(Shard{1, 4}.Select(rev), ",") {
		t.Fatal("shard depends on input order")
	}
}

func TestParseShard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Shard
		ok   bool
	}{{"", Shard{0, 1}, true}, {"0/4", Shard{0, 4}, true}, {"3/4", Shard{3, 4}, true}, {"4/4", Shard{}, false}, {"-1/2", Shard{}, false}, {"a/b", Shard{}, false}, {"2", Shard{}, false}} {
		got, err := ParseShard(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) || (!c.ok && !errors.Is(err, neurotab.ErrParam)) {
			t.Errorf("ParseShard(%q) = %v, %v", c.in, got, err)
		}
	}
}
