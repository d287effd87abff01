package ingest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// Shard is the k-th of n deterministic shards of an input list (k counts
// from 0, as Kubernetes' JOB_COMPLETION_INDEX and a SLURM array --array=0-(n-1)).
type Shard struct{ K, N int }

// ParseShard reads "k/n"; the empty string is the whole list (0/1).
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{0, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return Shard{}, fmt.Errorf("--shard %q: want k/n with 0 ≤ k < n: %w", s, neurotab.ErrParam)
	}
	return Shard{k, n}, nil
}

// Select returns the inputs of this shard: the list is sorted, then every
// n-th path from position k is taken, so the n shards partition the list
// whatever order the paths were given in and however a scheduler runs them.
func (s Shard) Select(paths []string) []string {
	sorted := append([]string(nil), paths...)
	sort.Strings(sorted)
	var out []string
	for i := s.K; i < len(sorted); i += s.N {
		out = append(out, sorted[i])
	}
	return out
}
