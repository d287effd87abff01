package demo

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/duckdbcheck"
	"github.com/neurotab/neurotab/synth"
)

func runDemo(t *testing.T, dir string, seed neurotab.Seed) []Output {
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

// readAll reads a whole demo table (they are small) and returns its record.
func readAll(t *testing.T, path string) arrow.RecordBatch {
	t.Helper()
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// The demo's outputs tell the truth of the simulation, checked against a
// fresh synth run with the same seed on the neurons that neurons.parquet
// lists: the edges, signed by the atlas's default rule from the
// transmitters in neurons.parquet, are exactly the true coupling Wᵀ; the
// traces are labeled "neurotab_demo"; the states sit on the traces' own
// time grid and hold the true state in effect at each of its times.
func TestOutputsMatchSimulation(t *testing.T) {
	dir := t.TempDir()
	runDemo(t, dir, 3)

	nrec := readAll(t, filepath.Join(dir, "neurons.parquet"))
	defer nrec.Release()
	var labels []string
	for i := 0; i < int(nrec.NumRows()); i++ {
		d := nrec.Column(0).(*array.Dictionary)
		labels = append(labels, d.Dictionary().(*array.String).Value(d.GetValueIndex(i)))
	}
	atlas := connectome.DefaultAtlas()
	signs := connectome.Signs(atlas, labels, connectome.SignRule{})
	truth, err := synth.Simulate(synth.Config{Neurons: labels, Worms: 3, Samples: 600, Dt: RawDt, Signs: signs, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}

	edges, err := connectome.ReadEdges(filepath.Join(dir, "edges.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	A, err := connectome.Adjacency(edges, labels, connectome.Chemical)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := connectome.SignedAdjacency(A, signs)
	if err != nil {
		t.Fatal(err)
	}
	n := len(labels)
	nonzero := 0
	for pre := 0; pre < n; pre++ {
		for post := 0; post < n; post++ {
			got := signed.At(pre, post)
			if want := truth.Network.W.At(post, pre); got != want {
				t.Fatalf("signed edge %s→%s = %g, true coupling %g", labels[pre], labels[post], got, want)
			}
			if got != 0 {
				nonzero++
			}
		}
	}
	if nonzero == 0 {
		t.Fatal("no coupling at all")
	}

	// States on the traces' grid.
	traces := readAll(t, filepath.Join(dir, "traces.parquet"))
	defer traces.Release()
	keys, err := table.RecordingKeys(traces)
	if err != nil {
		t.Fatal(err)
	}
	grid := map[string][]float64{}
	for _, k := range keys {
		if k.Dataset != Dataset {
			t.Fatalf("traces source_dataset %q, want %q", k.Dataset, Dataset)
		}
		r, err := table.ReadRecording(traces, k)
		if err != nil {
			t.Fatal(err)
		}
		grid[k.Worm] = r.Time
	}
	states := readAll(t, filepath.Join(dir, "states.parquet"))
	defer states.Release()
	str := func(col, i int) string {
		d := states.Column(col).(*array.Dictionary)
		return d.Dictionary().(*array.String).Value(d.GetValueIndex(i))
	}
	tcol, scol := states.Column(3).(*array.Float64), states.Column(4).(*array.Int32)
	next := map[string]int{}
	for i := 0; i < int(states.NumRows()); i++ {
		w := str(2, i)
		if str(0, i) != "ground_truth" || str(1, i) != Dataset {
			t.Fatalf("row %d: model %q dataset %q", i, str(0, i), str(1, i))
		}
		j := next[w]
		next[w]++
		if j >= len(grid[w]) || tcol.Value(i) != float64(float32(grid[w][j])) {
			t.Fatalf("%s state row %d at t=%v, traces time %v", w, j, tcol.Value(i), grid[w])
		}
		var sw *synth.Worm
		for k := range truth.Worms {
			if truth.Worms[k].ID == w {
				sw = &truth.Worms[k]
			}
		}
		// The true state at t: that of the last raw sample at or before t
		// (raw samples every RawDt = 0.5 s).
		raw := int(math.Floor(tcol.Value(i)/RawDt + 1e-9))
		if want := sw.States[raw]; int(scol.Value(i)) != want {
			t.Fatalf("%s t=%v: state %d, true %d", w, tcol.Value(i), scol.Value(i), want)
		}
	}
	for w, g := range grid {
		if next[w] != len(g) {
			t.Fatalf("%s: %d state rows for %d trace samples", w, next[w], len(g))
		}
	}
}
