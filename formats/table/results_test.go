package table

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
)

var nan = math.NaN()

// Rows of every typed table, with nulls (NaN, "", -1), repeated strings and
// negative values.
var (
	traceLongRows = []TracesLongRow{{"Kato2015", "w1", "AVAL", 0, 1.5}, {"Kato2015", "w1", "AVAL", 0.333, -0.25}, {"Dag2023", "w1", "AVAR", 0, 3}}
	neuronRows    = []NeuronRow{{"ADAL", "ADA", "interneuron", "Glu", 1.5, -2, 0.25, 0}, {"CANL", "", "", "", nan, nan, nan, -1}}
	edgeRows      = []EdgeRow{{"white_1986_whole", "AVAL", "AVBL", "chemical", 3, nan}, {"randi_2023", "AVAL", "RIML", "functional", -0.12, 0.01}}
	spikeRows     = []SpikeRow{{"A8604", 0, 0.0012, nan}, {"A8604", 2, 31.5, 12.5}, {"B1", 1 << 40, 2, -1}}
	predRows      = []PredictionRow{{"esn", "Kato2015", "w1", "AVAL", "test", 0.333, 0.1, 0.2}, {"esn", "Dag2023", "w1", "AVAL", "test", 0.666, nan, 0.25}}
	metricRows    = []MetricRow{{"esn", "Kato2015", "w1", "AVAL", "test", "r2", 0.81}, {"ridge", "Kato2015", "w1", "", "train", "nrmse", 0.3}}
	fcRows        = []FCRow{{"Kato2015", "w1", 0, 0, 266.4, "AVAL", "AVAR", "pearson", 0.9, nan, nan}, {"Dag2023", "w1", 1, 10, 40, "AVAL", "AVAR", "partial", -0.1, 0.002, 0.04}}
	stateRows     = []StateRow{{"hmmglm", "Kato2015", "w1", 0, 0, 0.99}, {"hmmglm", "Kato2015", "w1", 0.333, 1, 0.51}, {"hmmglm", "Dag2023", "w1", 0, 2, 1}}
	glmRows       = []GLMWeightRow{{"hmmglm", 0, "AVAL", "AVBL", 1, 0.3}, {"hmmglm", 1, "AVAL", "AVBL", 2, -0.7}}
	communityRows = []CommunityRow{{"Kato2015", "w1", 0, "AVAL", 2}, {"Kato2015", "w1", 0, "AVAR", 2}, {"Dag2023", "w1", 3, "AVAL", 0}}
	ntfRows       = []NTFFactorRow{{3, 0, 12.5, "window", 4, "", "", 40, 99.7, "", "", 0.25}, {3, 1, 2, "recording", 0, "Dag2023", "w1", nan, nan, "", "", 1},
		{3, 1, 2, "pair", 7, "", "", nan, nan, "AVAL", "AVAR", 0.01}}
	ntfDiagRows = []NTFDiagnosticRow{{1, 10, 0.4, 1, 100}, {4, 10, 0.2, 0.71, nan}}
	sfRows      = []StructureFunctionRow{{"Dag2023", "w1", 0, "correlation", "white1986_whole", "any", 3, 3, 1, 1000, 0.5, 0.01, 0.3, 0.2, 1, 0.5, 0.25, 0.33},
		{"neurotab_demo", "worm0", 2, "partial", "cook2019_herm", "chemical", 40, 780, 50, 10, -0.1, 0, 0.05, 0.9, 0.45, 0.5, 0.02, 0.95}}
	sfNullRows   = []StructureNullRow{{"Dag2023", "w1", 0, "correlation", "white1986_whole", "any", 0, 0.5, 0.1}, {"Dag2023", "w1", 0, "correlation", "white1986_whole", "any", 999, 1, -0.5}}
	behaviorRows = []BehaviorRow{{"Dag2023", "w1", GridOriginal, 0, "velocity", -0.02}, {"Dag2023", "w1", GridHomogenized, 0.333, "reversal", 1}}
)

// same compares rows through %#v, where NaN prints as NaN (NaN != NaN).
func same[T any](t *testing.T, got, want []T) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d:\n got  %#v", len(got), len(want), got)
	}
	for i := range want {
		if g, w := fmt.Sprintf("%#v", got[i]), fmt.Sprintf("%#v", want[i]); g != w {
			t.Fatalf("row %d:\n got  %s\n want %s", i, g, w)
		}
	}
}

// roundTrip writes rows with RowBuilder.AppendRow to Parquet (WriteRows)
// and to Arrow IPC, and reads each back with ReadRows.
func roundTrip[T any, P rowType[T]](t *testing.T, rows []T) {
	t.Run(string(P(new(T)).Kind()), func(t *testing.T) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		dir := t.TempDir()
		pq := filepath.Join(dir, "x.parquet")
		if err := WriteRows[T, P](pq, Provenance{}, &WriteOptions{Allocator: mem}, rows); err != nil {
			t.Fatal(err)
		}
		ipcPath := filepath.Join(dir, "x.arrow")
		rb := NewRowBuilder(mem, P(new(T)).Kind())
		for i := range rows {
			if err := rb.AppendRow(P(&rows[i])); err != nil {
				t.Fatal(err)
			}
		}
		rec := rb.NewRecord()
		rb.Release()
		err := WriteIPC(ipcPath, P(new(T)).Kind(), Provenance{}, nil, &WriteOptions{Allocator: mem}, rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{pq, ipcPath} {
			got, err := ReadRows[T, P](path, mem)
			if err != nil {
				t.Fatal(err)
			}
			same(t, got, rows)
		}
	})
}

func TestRowsRoundTrip(t *testing.T) {
	roundTrip(t, traceLongRows)
	roundTrip(t, neuronRows)
	roundTrip(t, edgeRows)
	roundTrip(t, spikeRows)
	roundTrip(t, predRows)
	roundTrip(t, metricRows)
	roundTrip(t, fcRows)
	roundTrip(t, stateRows)
	roundTrip(t, glmRows)
	roundTrip(t, communityRows)
	roundTrip(t, behaviorRows)
	roundTrip(t, ntfRows)
	roundTrip(t, ntfDiagRows)
	roundTrip(t, sfRows)
	roundTrip(t, sfNullRows)
}

// The rows of a hive dataset come in DataFiles order; a file of another
// kind, or one missing a column, is a SchemaError naming it.
func TestRowReaderHiveAndErrors(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "fc")
	for _, r := range []FCRow{fcRows[0], fcRows[1]} {
		path, err := PartitionFile(root, 0, Partition{"source_dataset", r.SourceDataset}, Partition{"worm", r.Worm})
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteRows(path, Provenance{}, nil, []FCRow{r}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadRows[FCRow](root, nil)
	if err != nil {
		t.Fatal(err)
	}
	same(t, got, []FCRow{fcRows[1], fcRows[0]}) // Dag2023 before Kato2015

	metrics := filepath.Join(dir, "metrics.parquet")
	if err := WriteRows(metrics, Provenance{}, nil, metricRows); err != nil {
		t.Fatal(err)
	}
	_, err = ReadRows[FCRow](metrics, nil)
	var se *SchemaError
	if !errors.As(err, &se) || se.File != metrics || se.Column != MetaTable || !strings.Contains(err.Error(), "a metrics table, not fc") {
		t.Fatalf("reading metrics as fc: %v", err)
	}
	// Without table metadata (another tool's file) the columns decide.
	md := filepath.Join(dir, "plain-edges.parquet")
	rb := NewRowBuilder(nil, Edges)
	defer rb.Release()
	for _, r := range edgeRows {
		rb.AppendRow(r)
	}
	rec := rb.NewRecord()
	defer rec.Release()
	if err := rawPqarrow(md, rec); err != nil { // no neurotab metadata
		t.Fatal(err)
	}
	plain, err := ReadRows[EdgeRow](md, nil)
	if err != nil {
		t.Fatal(err)
	}
	same(t, plain, edgeRows)
	_, err = ReadRows[SpikeRow](md, nil)
	if !errors.As(err, &se) || !errors.Is(err, neurotab.ErrSchema) || se.Column != "recording" || se.Msg != "missing" {
		t.Fatalf("reading edges as spikes: %v", err)
	}
	if err := (&RowBuilder{kind: FC}).AppendRow(metricRows[0]); !errors.Is(err, neurotab.ErrType) {
		t.Fatalf("AppendRow of a metrics row to an fc builder: %v", err)
	}
}
