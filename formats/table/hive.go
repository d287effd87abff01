package table

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab"
)

// Partition is one key=value level of a hive-partitioned dataset.
type Partition struct{ Key, Value string }

// PartitionDir returns root/k1=v1/k2=v2/… with values escaped the way Spark,
// DuckDB and pyarrow expect (percent-escaping of '/', '\\', '=', '%', ':', '#', '?' and
// control characters), so any recording id is safe as a folder name.
func PartitionDir(root string, parts ...Partition) string {
	elems := []string{root}
	for _, p := range parts {
		elems = append(elems, p.Key+"="+escapePartition(p.Value))
	}
	return filepath.Join(elems...)
}

func escapePartition(v string) string {
	if v == "" {
		return "__HIVE_DEFAULT_PARTITION__"
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '/' || c == '\\' || c == '=' || c == '%' || c == ':' || c == '#' || c == '?' || c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// PartitionFile returns the path of one part file of a partition,
// creating its folder: root/k=v/…/part-<n>.parquet.
func PartitionFile(root string, n int, parts ...Partition) (string, error) {
	dir := PartitionDir(root, parts...)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return filepath.Join(dir, fmt.Sprintf("part-%d.parquet", n)), nil
}

// ParsePartitionDir reads the key=value levels of a relative hive path (the
// inverse of PartitionDir): values are unescaped, and
// __HIVE_DEFAULT_PARTITION__ is the empty value. Levels without '=' are
// skipped; a bad percent escape wraps neurotab.ErrMalformed.
func ParsePartitionDir(rel string) ([]Partition, error) {
	var parts []Partition
	for _, el := range strings.Split(filepath.ToSlash(rel), "/") {
		k, v, ok := strings.Cut(el, "=")
		if !ok {
			continue
		}
		u, err := unescapePartition(v)
		if err != nil {
			return nil, fmt.Errorf("partition %q: %w", el, err)
		}
		parts = append(parts, Partition{k, u})
	}
	return parts, nil
}

func unescapePartition(v string) (string, error) {
	if v == "__HIVE_DEFAULT_PARTITION__" {
		return "", nil
	}
	if !strings.Contains(v, "%") {
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '%' {
			b.WriteByte(v[i])
			continue
		}
		if i+2 >= len(v) || unhex(v[i+1]) < 0 || unhex(v[i+2]) < 0 {
			return "", fmt.Errorf("bad percent escape at byte %d: %w", i, neurotab.ErrMalformed)
		}
		b.WriteByte(byte(unhex(v[i+1])<<4 | unhex(v[i+2])))
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
