package table

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
