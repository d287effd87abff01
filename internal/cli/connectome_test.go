package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// connectome import → matrix → plot on White 1986 whole: the table
// (computed independently by connectome/testdata/reference_counts.py) gives
// 299 neurons, 2,266 chemical edges summing to 6,509 and 1,132 electrical
// edges summing to 1,916; the dense matrix sums to 6,509 + 1,916.
func TestConnectomeCommands(t *testing.T) {
	in := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	dir := t.TempDir()
	edges := filepath.Join(dir, "e.parquet")
	code, out, stderr := run("connectome", "import", "--source", "white1986_whole", in, "-o", edges)
	if code != ExitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	if !strings.Contains(out, "299 neurons with an edge; chemical 2266 edges / Σ 6509; electrical 1132 / Σ 1916") {
		t.Fatalf("import summary %q", out)
	}
	csvPath := filepath.Join(dir, "m.csv")
	if code, _, stderr = run("connectome", "matrix", "--edges", edges, "-o", csvPath); code != ExitOK {
		t.Fatalf("matrix: %s", stderr)
	}
	f, _ := os.Open(csvPath)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 301 || len(rows[0]) != 301 || rows[1][0] != "ADAL" {
		t.Fatalf("matrix csv: %d rows, err %v", len(rows), err)
	}
	var sum float64
	for _, r := range rows[1:] {
		for _, v := range r[1:] {
			x, _ := strconv.ParseFloat(v, 64)
			sum += x
		}
	}
	if sum != 6509+1916 {
		t.Fatalf("matrix sums to %v, want %v", sum, 6509+1916)
	}
	png := filepath.Join(dir, "h.png")
	if code, _, stderr = run("connectome", "plot", "--edges", edges, "-o", png); code != ExitOK {
		t.Fatalf("plot: %s", stderr)
	}
	b, _ := os.ReadFile(png)
	if len(b) < 1000 || string(b[1:4]) != "PNG" {
		t.Fatalf("plot wrote %d bytes", len(b))
	}
	if code, _, _ = run("connectome", "import", "--source", "nope", in, "-o", edges); code != ExitUsage {
		t.Fatalf("unknown source: exit %d", code)
	}
	// A wrong-shaped spreadsheet for the source gives a one-line error.
	bad := fixtures.Path(t, "c302", "herm_full_edgelist.csv")
	code, _, stderr = run("connectome", "import", "--source", "varshney2011", bad, "-o", edges)
	if code != ExitError || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
		t.Fatalf("wrong file: exit %d %q", code, stderr)
	}
}
