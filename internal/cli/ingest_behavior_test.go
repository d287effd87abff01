package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// The real Dag2023 file: 800 frames (SOURCE.md), 10 one-per-frame behavior
// variables of which pumping has no value (h5py: all NaN), so 9 × 800
// original rows and 9 × 1444 homogenized ones (the 0.333 s grid of
// ingest/calcium/testdata/dag2023_behavior.json); with --no-resample only
// the original ones.
func TestIngestBehaviorDag2023(t *testing.T) {
	dag := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		flags []string
		rows  int
	}{{"both grids", nil, 9*800 + 9*1444}, {"original", []string{"--no-resample"}, 9 * 800}} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".parquet")
			code, stdout, stderr := run(append([]string{"ingest", "behavior", "--source", "dag2023", dag, "-o", out}, c.flags...)...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if want := "ok  Dag2023/2022-07-26-31  10 variables, 800 frames"; !strings.Contains(stdout, want) {
				t.Errorf("stdout %q lacks %q", stdout, want)
			}
			rows, err := table.ReadRows[table.BehaviorRow](out, nil)
			if err != nil || len(rows) != c.rows {
				t.Fatalf("%d rows (%v), want %d", len(rows), err, c.rows)
			}
			prov, kind, rec := readTable(t, out)
			rec.Release()
			if kind != table.Behavior {
				t.Errorf("kind %s", kind)
			}
			wantSources(t, prov, dag)
		})
	}
	t.Run("other source", func(t *testing.T) {
		out := filepath.Join(dir, "x.parquet")
		code, _, stderr := run("ingest", "behavior", "--source", "kato2015", dag, "-o", out)
		if code != ExitUsage || !strings.Contains(stderr, `--source "kato2015": behavior is read from dag2023 only`) {
			t.Errorf("exit %d %q", code, stderr)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s written", out)
		}
	})
}
