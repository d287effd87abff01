package table

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab/internal/duckdbcheck"
)

// duckType is the DuckDB type each canonical Arrow type reads as.
func duckType(t arrow.DataType) string {
	switch {
	case arrow.TypeEqual(t, DictString):
		return "VARCHAR"
	case arrow.TypeEqual(t, Float32List):
		return "FLOAT[]"
	}
	return map[arrow.Type]string{arrow.FLOAT64: "DOUBLE", arrow.FLOAT32: "FLOAT", arrow.INT32: "INTEGER",
		arrow.INT64: "BIGINT", arrow.INT8: "TINYINT", arrow.UINT16: "USMALLINT", arrow.BOOL: "BOOLEAN"}[t.ID()]
}

// duckEqual compares a value DuckDB returned (JSON: numbers, BIGINT as a
// decimal string, null) with the value written.
func duckEqual(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case string:
		return got == w
	case float64:
		if math.IsNaN(w) { // RowBuilder stores NaN as null
			return got == nil
		}
		g, ok := got.(float64)
		return ok && g == w
	case float32:
		g, ok := got.(float64)
		return ok && g == float64(w)
	case int:
		g, ok := got.(float64)
		return ok && g == float64(w)
	case int64:
		g, ok := got.(string)
		return ok && g == strconv.FormatInt(w, 10)
	}
	return false
}

// checkDuck has DuckDB read a table written by WriteRows and compares the
// column names and types with the schema and every value with the rows.
func checkDuck[T any, P rowType[T]](t *testing.T, dir string, rows []T) {
	kind := P(new(T)).Kind()
	t.Run(string(kind), func(t *testing.T) {
		path := filepath.Join(dir, string(kind)+".parquet")
		if err := WriteRows[T, P](path, Provenance{}, nil, rows); err != nil {
			t.Fatal(err)
		}
		res, err := duckdbcheck.Query(
			fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '%s')", path),
			fmt.Sprintf("SELECT * FROM '%s'", path),
		)
		if err != nil {
			t.Fatal(err)
		}
		s := Schema(kind)
		if len(res[0]) != s.NumFields() {
			t.Fatalf("DuckDB sees %d columns, want %d: %v", len(res[0]), s.NumFields(), res[0])
		}
		for i, f := range s.Fields() {
			if res[0][i]["column_name"] != f.Name || res[0][i]["column_type"] != duckType(f.Type) {
				t.Errorf("DuckDB column %d: %v %v, want %s %s", i, res[0][i]["column_name"], res[0][i]["column_type"], f.Name, duckType(f.Type))
			}
		}
		if len(res[1]) != len(rows) {
			t.Fatalf("DuckDB reads %d rows, want %d", len(res[1]), len(rows))
		}
		for r := range rows {
			for i, v := range P(&rows[r]).Values() {
				name := s.Field(i).Name
				if got := res[1][r][name]; !duckEqual(got, v) {
					t.Errorf("row %d column %s: DuckDB reads %#v, we wrote %#v", r, name, got, v)
				}
			}
		}
	})
}

// DuckDB, an independent Parquet reader, reads every typed table with the
// documented columns and the values written.
func TestDuckDBReadsTables(t *testing.T) {
	duckdbcheck.Require(t)
	dir := t.TempDir()
	checkDuck(t, dir, predRows)
	checkDuck(t, dir, metricRows)
	checkDuck(t, dir, fcRows)
	checkDuck(t, dir, stateRows)
	checkDuck(t, dir, glmRows)
	checkDuck(t, dir, communityRows)
	checkDuck(t, dir, edgeRows)
	checkDuck(t, dir, neuronRows)
	checkDuck(t, dir, spikeRows)
	checkDuck(t, dir, traceLongRows)
}

// DuckDB reads a hive traces dataset written with PartitionDir: the
// partition values it unescapes from the folder names (which take the
// place of the file's own columns) are the recordings' keys, and its
// per-recording neuron counts and sums are those of RecordingReader.
func TestDuckDBReadsHiveTraces(t *testing.T) {
	duckdbcheck.Require(t)
	root := filepath.Join(t.TempDir(), "ds")
	for _, r := range testRecordings() {
		path, err := PartitionFile(root, 0, Partition{"source_dataset", r.Dataset}, Partition{"worm", r.Worm})
		if err != nil {
			t.Fatal(err)
		}
		rec := tracesOf(t, nil, r)
		err = WriteParquet(path, Traces, Provenance{}, nil, nil, rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := readAllRecordings(t, root, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := duckdbcheck.Query(fmt.Sprintf(`SELECT source_dataset, worm, count(*)::DOUBLE n, sum(list_sum(calcium_data))::DOUBLE s
		FROM read_parquet('%s/*/*/*.parquet', hive_partitioning = true, filename = true) GROUP BY source_dataset, worm, filename ORDER BY filename`, root))
	if err != nil {
		t.Fatal(err)
	}
	if len(res[0]) != len(got) {
		t.Fatalf("DuckDB sees %d recordings, we read %d: %v", len(res[0]), len(got), res[0])
	}
	for i, r := range got { // both in folder order
		row := res[0][i]
		var sum float64
		for _, v := range r.Data.RawMatrix().Data {
			sum += v
		}
		_, n := r.Data.Dims()
		if row["source_dataset"] != r.Dataset || row["worm"] != r.Worm || row["n"] != float64(n) || row["s"] != sum {
			t.Errorf("DuckDB recording %v, we read %s/%s with %d neurons summing to %v", row, r.Dataset, r.Worm, n, sum)
		}
	}
}
