package connectivity

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

type fcRow struct {
	dataset        string
	recording      string
	window         int32
	pre, post, msr string
	value          float64
}

// fcRows reads an fc record back into Go values.
func fcRows(t *testing.T, rec arrow.RecordBatch) []fcRow {
	t.Helper()
	str := func(col, i int) string {
		d := rec.Column(col).(*array.Dictionary)
		return d.Dictionary().(*array.String).Value(d.GetValueIndex(i))
	}
	win := rec.Column(2).(*array.Int32)
	val := rec.Column(8).(*array.Float64)
	rows := make([]fcRow, rec.NumRows())
	for i := range rows {
		rows[i] = fcRow{str(0, i), str(1, i), win.Value(i), str(5, i), str(6, i), str(7, i), val.Value(i)}
	}
	return rows
}

// pivot rebuilds the N × N matrix of one measure from fc rows, NaN where a
// pair has no row and on the diagonal.
func pivot(t *testing.T, rows []fcRow, labels []string, measure string) *mat.Dense {
	t.Helper()
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	n := len(labels)
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m.Set(i, j, math.NaN())
		}
	}
	for _, r := range rows {
		if r.msr != measure {
			continue
		}
		i, j := index[r.pre], index[r.post]
		if !math.IsNaN(m.At(i, j)) {
			t.Fatalf("pair %s→%s of %s twice", r.pre, r.post, measure)
		}
		m.Set(i, j, r.value)
	}
	return m
}

// offDiagonalEqual compares want's off-diagonal elements to got exactly,
// NaN matching NaN.
func offDiagonalEqual(t *testing.T, what string, got, want mat.Matrix) {
	t.Helper()
	n, _ := want.Dims()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			if g, w := got.At(i, j), want.At(i, j); !same(g, w, 0) {
				t.Fatalf("%s[%d][%d] = %v, want %v", what, i, j, g, w)
			}
		}
	}
}

func TestFCRoundTrip(t *testing.T) {
	x := randomTraces(31, 120, 6)
	withConst := mat.DenseCopyOf(x)
	for s := 0; s < 120; s++ {
		withConst.Set(s, 3, 1.5)
	}
	for _, c := range []struct {
		name     string
		x        *mat.Dense
		est      Estimator
		measures []string
		rows     int // N(N−1) per measure, less the NaN pairs
	}{
		{"pearson", x, Estimator{}, []string{"pearson"}, 30},
		{"lagged", x, Estimator{Measure: MeasureLagged, MaxLag: 3}, []string{"lagged_pearson", "lagged_pearson_peak_lag_samples"}, 60},
		{"partial", x, Estimator{Measure: MeasurePartial, Ridge: 0.05}, []string{"partial_correlation"}, 30},
		// Neuron 3 constant: its 2×5 pairs are NaN and have no rows.
		{"constant trace", withConst, Estimator{}, []string{"pearson"}, 20},
		{"constant trace lagged", withConst, Estimator{Measure: MeasureLagged, MaxLag: 2}, []string{"lagged_pearson", "lagged_pearson_peak_lag_samples"}, 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)

			res, err := c.est.Fit(recording(c.x))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := res.FCRecord(mem)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			if err := table.Validate(table.FC, rec); err != nil {
				t.Fatal(err)
			}
			if k, ok := table.KindOf(rec.Schema()); !ok || k != table.FC {
				t.Fatalf("kind %q", k)
			}
			if int(rec.NumRows()) != c.rows {
				t.Fatalf("%d rows, want %d", rec.NumRows(), c.rows)
			}
			check := func(rows []fcRow) {
				t.Helper()
				seen := map[string]bool{}
				for _, r := range rows {
					if r.recording != "worm1" || r.window != 0 || r.pre == r.post {
						t.Fatalf("row %+v", r)
					}
					seen[r.msr] = true
				}
				if len(seen) != len(c.measures) {
					t.Fatalf("measures %v, want %v", seen, c.measures)
				}
				offDiagonalEqual(t, c.measures[0], pivot(t, rows, res.Neurons, c.measures[0]), res.Matrix)
				if res.Lag != nil {
					offDiagonalEqual(t, c.measures[1], pivot(t, rows, res.Neurons, c.measures[1]), res.Lag)
				}
			}
			check(fcRows(t, rec))

			// Through a Parquet file and back, with the estimator's
			// parameters as provenance.
			path := filepath.Join(t.TempDir(), "fc.parquet")
			prov := table.Provenance{Parameters: res.Estimator.Parameters()}
			if err := table.WriteParquet(path, table.FC, prov, nil, &table.WriteOptions{Allocator: mem}, rec); err != nil {
				t.Fatal(err)
			}
			pf, err := table.OpenParquet(path, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer pf.Close()
			back, err := pf.ReadAll(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if err := table.Validate(table.FC, back); err != nil {
				t.Fatal(err)
			}
			check(fcRows(t, back))
			got, kind, err := table.ParseProvenance(pf.Metadata())
			if err != nil || kind != table.FC {
				t.Fatalf("provenance: %v, %q", err, kind)
			}
			// JSON numbers come back as float64.
			want := map[string]any{}
			for k, v := range prov.Parameters {
				if i, ok := v.(int); ok {
					v = float64(i)
				}
				want[k] = v
			}
			if !reflect.DeepEqual(got.Parameters, want) {
				t.Fatalf("parameters %v, want %v", got.Parameters, want)
			}
		})
	}
}

func TestAppendFC(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	res, err := Estimator{}.Fit(recording(randomTraces(2, 30, 3)))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("two results into one builder", func(t *testing.T) {
		rb := table.NewRowBuilder(mem, table.FC)
		defer rb.Release()
		other := *res
		other.Recording, other.Window = "worm2", 7
		for _, r := range []*Result{res, &other} {
			if n, err := r.AppendFC(rb); n != 6 || err != nil {
				t.Fatalf("AppendFC = %d, %v", n, err)
			}
		}
		rec := rb.NewRecord()
		defer rec.Release()
		if err := table.Validate(table.FC, rec); err != nil {
			t.Fatal(err)
		}
		rows := fcRows(t, rec)
		if len(rows) != 12 || rows[6].recording != "worm2" || rows[6].window != 7 {
			t.Fatalf("rows %+v", rows)
		}
		// Rows go pre-major: n0→n1, n0→n2, n1→n0, …
		if rows[0].pre != "n0" || rows[0].post != "n1" || rows[2].pre != "n1" || rows[2].post != "n0" {
			t.Fatalf("order %+v", rows[:3])
		}
	})

	t.Run("builder of another table", func(t *testing.T) {
		rb := table.NewRowBuilder(mem, table.Metrics)
		defer rb.Release()
		if n, err := res.AppendFC(rb); err == nil || n != 0 {
			t.Fatalf("AppendFC into a metrics builder = %d, %v", n, err)
		}
	})

	t.Run("zero measure is pearson", func(t *testing.T) {
		byHand := &Result{Dataset: "d", Recording: "r", Neurons: []string{"a", "b"}, Matrix: mat.NewSymDense(2, []float64{1, 0.5, 0.5, 1})}
		rec, err := byHand.FCRecord(mem)
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		rows := fcRows(t, rec)
		want := []fcRow{{"d", "r", 0, "a", "b", "pearson", 0.5}, {"d", "r", 0, "b", "a", "pearson", 0.5}}
		if !reflect.DeepEqual(rows, want) {
			t.Fatalf("rows %+v, want %+v", rows, want)
		}
	})

	t.Run("labels mismatch", func(t *testing.T) {
		bad := *res
		bad.Neurons = bad.Neurons[:2]
		if _, err := bad.FCRecord(mem); err == nil {
			t.Fatal("no error")
		}
	})
}
