package connectivity

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

type fcRow struct {
	dataset        string
	worm           string
	window         int32
	tStart, tEnd   float64
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
	t0, t1 := rec.Column(3).(*array.Float64), rec.Column(4).(*array.Float64)
	val := rec.Column(8).(*array.Float64)
	rows := make([]fcRow, rec.NumRows())
	for i := range rows {
		if rec.Column(9).IsValid(i) || rec.Column(10).IsValid(i) {
			t.Fatalf("row %d has a p_value or q_value", i)
		}
		rows[i] = fcRow{str(0, i), str(1, i), win.Value(i), t0.Value(i), t1.Value(i), str(5, i), str(6, i), str(7, i), val.Value(i)}
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

			est := c.est
			src := recording(c.x)
			if err := est.FitRecording(src); err != nil {
				t.Fatal(err)
			}
			var matrix mat.SymDense
			var lag mat.Dense
			if err := est.MatrixTo(&matrix); err != nil {
				t.Fatal(err)
			}
			hasLag := est.PeakLagTo(&lag) == nil
			rec, err := est.FCRecord(mem, RecordingWindow(src), src.Neurons)
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
					// The key columns: recording() samples every 0.333 s.
					if r.dataset != "Test2025" || r.worm != "worm1" || r.window != 0 ||
						r.tStart != 0 || r.tEnd != 0.333*float64(len(src.Time)-1) || r.pre == r.post {
						t.Fatalf("row %+v", r)
					}
					seen[r.msr] = true
				}
				if len(seen) != len(c.measures) {
					t.Fatalf("measures %v, want %v", seen, c.measures)
				}
				offDiagonalEqual(t, c.measures[0], pivot(t, rows, src.Neurons, c.measures[0]), &matrix)
				if hasLag != (len(c.measures) == 2) {
					t.Fatalf("PeakLagTo available %t for measures %v", hasLag, c.measures)
				}
				if hasLag {
					offDiagonalEqual(t, c.measures[1], pivot(t, rows, src.Neurons, c.measures[1]), &lag)
				}
			}
			check(fcRows(t, rec))

			// Through a Parquet file and back, with the estimator's
			// parameters as provenance.
			path := filepath.Join(t.TempDir(), "fc.parquet")
			prov := table.Provenance{Parameters: est.Parameters()}
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
	var est Estimator
	if err := est.Fit(randomTraces(2, 30, 3)); err != nil {
		t.Fatal(err)
	}
	labels := []string{"n0", "n1", "n2"}

	t.Run("two windows into one builder", func(t *testing.T) {
		rb := table.NewRowBuilder(mem, table.FC)
		defer rb.Release()
		for _, w := range []Window{{"Test2025", "worm1", 0, 0, 9.657}, {"Test2025", "worm2", 7, 1.5, 2.5}} {
			if n, err := est.AppendFC(rb, w, labels); n != 6 || err != nil {
				t.Fatalf("AppendFC = %d, %v", n, err)
			}
		}
		rec := rb.NewRecord()
		defer rec.Release()
		if err := table.Validate(table.FC, rec); err != nil {
			t.Fatal(err)
		}
		rows := fcRows(t, rec)
		if len(rows) != 12 || rows[5].worm != "worm1" || rows[5].tEnd != 9.657 ||
			rows[6].worm != "worm2" || rows[6].window != 7 || rows[6].tStart != 1.5 || rows[6].tEnd != 2.5 {
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
		if n, err := est.AppendFC(rb, Window{}, labels); err == nil || n != 0 {
			t.Fatalf("AppendFC into a metrics builder = %d, %v", n, err)
		}
	})

	t.Run("zero measure is pearson", func(t *testing.T) {
		// By hand: (1, 2, 3) and (1, 3, 2) have deviations (−1, 0, 1) and
		// (−1, 1, 0), so r = 1/sqrt(2·2) = 0.5.
		var byHand Estimator
		if err := byHand.Fit(cols([]float64{1, 2, 3}, []float64{1, 3, 2})); err != nil {
			t.Fatal(err)
		}
		rec, err := byHand.FCRecord(mem, Window{"d", "w", 0, 0, 0.666}, []string{"a", "b"})
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		rows := fcRows(t, rec)
		want := []fcRow{{"d", "w", 0, 0, 0.666, "a", "b", "pearson", 0.5}, {"d", "w", 0, 0, 0.666, "b", "a", "pearson", 0.5}}
		if len(rows) != 2 || !same(rows[0].value, 0.5, 1e-15) || !same(rows[1].value, 0.5, 1e-15) {
			t.Fatalf("rows %+v, want %+v", rows, want)
		}
		rows[0].value, rows[1].value = 0.5, 0.5
		if !reflect.DeepEqual(rows, want) {
			t.Fatalf("rows %+v, want %+v", rows, want)
		}
	})

	t.Run("labels mismatch", func(t *testing.T) {
		if _, err := est.FCRecord(mem, Window{}, labels[:2]); !errors.Is(err, neurotab.ErrShape) {
			t.Fatalf("2 labels for 3 neurons: %v, want ErrShape", err)
		}
	})

	t.Run("unfitted", func(t *testing.T) {
		var fresh Estimator
		if _, err := fresh.FCRecord(mem, Window{}, labels); !errors.Is(err, neurotab.ErrNotFitted) {
			t.Fatalf("FCRecord before Fit: %v, want ErrNotFitted", err)
		}
	})
}

// TestRecordingWindow: the key of a whole recording is its dataset, worm,
// window 0 and its first and last sample times.
func TestRecordingWindow(t *testing.T) {
	rec := recording(randomTraces(1, 10, 2))
	want := Window{Dataset: "Test2025", Worm: "worm1", Index: 0, Start: 0, End: rec.Time[9]}
	if got := RecordingWindow(rec); got != want {
		t.Errorf("RecordingWindow = %+v, want %+v", got, want)
	}
	if got := RecordingWindow(&table.Recording{Dataset: "d", Worm: "w"}); got != (Window{Dataset: "d", Worm: "w"}) {
		t.Errorf("RecordingWindow of no samples = %+v", got)
	}
}
