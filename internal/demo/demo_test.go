package demo

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/duckdbcheck"
)

func runDemo(t *testing.T, dir string, seed uint64) []Output {
	t.Helper()
	outs, err := Run(Config{Out: dir, Seed: seed, Worms: 3, Neurons: 40, Samples: 600})
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

func TestSameSeedSameBytes(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	outs := runDemo(t, a, 5)
	runDemo(t, b, 5)
	runDemo(t, c, 6)
	if len(outs) != 5 {
		t.Fatalf("%d outputs", len(outs))
	}
	for _, o := range outs {
		name := filepath.Base(o.Path)
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		z, _ := os.ReadFile(filepath.Join(c, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with seed 5", name)
		}
		if name == "traces.parquet" && bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 5 and 6", name)
		}
	}
}

// The files read back through our reader with the documented schema and
// provenance, and each traces row holds max_timesteps samples.
func TestOutputsReadBack(t *testing.T) {
	dir := t.TempDir()
	for _, o := range runDemo(t, dir, 1) {
		pf, err := table.OpenParquet(o.Path, nil)
		if err != nil {
			t.Fatal(err)
		}
		k, ok := table.KindOf(pf.Schema())
		if !ok || k != o.Table || pf.NumRows() != o.Rows {
			t.Fatalf("%s: kind %q rows %d, want %q %d", o.Path, k, pf.NumRows(), o.Table, o.Rows)
		}
		p, _, err := table.ParseProvenance(pf.Metadata())
		if err != nil || p.Seed == nil || *p.Seed != 1 {
			t.Fatalf("%s: provenance %+v %v", o.Path, p, err)
		}
		if k == table.Traces {
			// Made by the ingest path from the lab-style CSV files: the
			// sources are those files, the parameters the homogenization.
			if len(p.Sources) != 3 || p.Sources[0].Path != "raw/worm0.csv" || p.Parameters["source"] != "generic" {
				t.Fatalf("traces provenance %+v", p)
			}
		} else if p.Parameters["worms"] != float64(3) {
			t.Fatalf("%s: provenance %+v", o.Path, p)
		}
		rec, err := pf.ReadAll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := table.Validate(k, rec); err != nil {
			t.Fatalf("%s: %v", o.Path, err)
		}
		rec.Release()
		pf.Close()
	}
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		var f float64
		fmt.Sscan(x, &f)
		return f
	}
	return math.NaN()
}

// DuckDB, an independent reader, sees the documented column types, the row
// counts, the provenance metadata, and the same sums as our own reader.
func TestDuckDBReadsDemo(t *testing.T) {
	duckdbcheck.Require(t)
	dir := t.TempDir()
	outs := runDemo(t, dir, 1)
	traces := filepath.Join(dir, "traces.parquet")
	long := filepath.Join(dir, "traces_long.parquet")

	// Our own numbers, from the Go reader.
	pf, err := table.OpenParquet(long, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := pf.ReadAll(context.Background())
	pf.Close()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range rec.Column(4).(*array.Float32).Float32Values() {
		sum += float64(v)
	}
	rows := rec.NumRows()
	rec.Release()

	res, err := duckdbcheck.Query(
		fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '%s')", traces),
		fmt.Sprintf("SELECT count(*)::DOUBLE n, sum(value::DOUBLE) s FROM '%s'", long),
		fmt.Sprintf("SELECT decode(key) k, decode(value) v FROM parquet_kv_metadata('%s') WHERE decode(key) LIKE 'neurotab.%%' ORDER BY k", traces),
		fmt.Sprintf("SELECT count(*)::DOUBLE bad FROM '%s' WHERE len(calcium_data) <> max_timesteps OR len(time_in_seconds) <> max_timesteps", traces),
		fmt.Sprintf("SELECT count(*)::DOUBLE n FROM '%s' WHERE is_labeled_neuron AND slot IS NULL", traces),
		// traces_long is made from traces.parquet by the Go recording
		// reader; DuckDB reads both files: per neuron, the same samples.
		fmt.Sprintf(`SELECT count(*)::DOUBLE bad, (SELECT count(*) FROM '%[1]s')::DOUBLE neurons FROM
			(SELECT source_dataset, worm, neuron, len(calcium_data) n, list_sum(calcium_data::DOUBLE[]) s, time_in_seconds[-1]::DOUBLE tmax FROM '%[1]s') a
			FULL JOIN (SELECT source_dataset, worm, neuron, count(*) n, sum(value::DOUBLE) s, max(t) tmax FROM '%[2]s' GROUP BY ALL) b
			USING (source_dataset, worm, neuron)
			WHERE a.n IS DISTINCT FROM b.n OR abs(a.s - b.s) > 1e-9 * (1 + abs(a.s)) OR a.s IS NULL OR b.s IS NULL
			OR abs(a.tmax - b.tmax) > 1e-6`, traces, long),
	)
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := map[string]string{"source_dataset": "VARCHAR", "worm": "VARCHAR", "neuron": "VARCHAR", "slot": "INTEGER",
		"is_labeled_neuron": "BOOLEAN", "calcium_data": "FLOAT[]", "time_in_seconds": "FLOAT[]", "median_dt": "DOUBLE", "max_timesteps": "INTEGER"}
	seen := 0
	for _, r := range res[0] {
		if w, ok := wantTypes[r["column_name"].(string)]; ok {
			seen++
			if r["column_type"] != w {
				t.Errorf("DuckDB type of %v = %v, want %s", r["column_name"], r["column_type"], w)
			}
		}
	}
	if seen != len(wantTypes) || len(res[0]) != 17 {
		t.Fatalf("DuckDB sees %d columns (%d checked): %v", len(res[0]), seen, res[0])
	}
	if n := num(res[1][0]["n"]); n != float64(rows) {
		t.Fatalf("DuckDB counts %v rows, we wrote %d", n, rows)
	}
	if s := num(res[1][0]["s"]); math.Abs(s-sum) > 1e-6*math.Max(1, math.Abs(sum)) {
		t.Fatalf("DuckDB sum %v, ours %v", s, sum)
	}
	md := map[string]string{}
	for _, r := range res[2] {
		md[r["k"].(string)] = r["v"].(string)
	}
	if md["neurotab.table"] != "traces" || md["neurotab.seed"] != "1" || md["neurotab.parameters"] == "" {
		t.Fatalf("DuckDB sees metadata %v", md)
	}
	if num(res[3][0]["bad"]) != 0 || num(res[4][0]["n"]) != 0 {
		t.Fatalf("DuckDB finds inconsistent rows: %v %v", res[3], res[4])
	}
	// Every neuron of the traces table (its Output.Rows, from the footer) matched.
	var tracesRows int64
	for _, o := range outs {
		if o.Table == table.Traces {
			tracesRows = o.Rows
		}
	}
	if num(res[5][0]["bad"]) != 0 || num(res[5][0]["neurons"]) != float64(tracesRows) {
		t.Fatalf("DuckDB finds traces_long and traces disagreeing: %v", res[5])
	}
}
