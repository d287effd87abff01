package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestIngestRefusesSilentDamage: inputs that used to convert into empty or
// wrong tables with exit 0 are one-line errors naming the file and the flag
// that changes the outcome, the summary says what exists on disk, and nothing
// is written.
func TestIngestRefusesSilentDamage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	evt3 := fixtures.Path(t, "expelliarmus", "evt3_sample.raw")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"empty evt2", []string{"--source", "evt2", write("empty.raw", "")},
			[]string{"empty.raw: the file holds no events (--allow-empty writes an empty table)"}},
		{"csv header only", []string{"--source", "csv-events", write("hdr.csv", "t,x,y,p\n")},
			[]string{"hdr.csv: the file holds no events"}},
		{"mapped column absent", []string{"--source", "csv-events", "--columns", "t=t,x=x,y=y", write("noy.csv", "t,x,p\n1,2,1\n")},
			[]string{`noy.csv:1: --columns y=y: no column "y"`}},
		{"explicit version contradicts header", []string{"--source", "evt2", evt3},
			[]string{"header says evt3, not evt2", "--source auto"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "out.parquet")
			code, _, stderr := run(append([]string{"ingest"}, append(c.args, "-o", out)...)...)
			if code != ExitError {
				t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if !strings.Contains(stderr, "1 of 1 input failed (see above); nothing was written ("+out+" does not exist)") {
				t.Errorf("summary in %q does not say that nothing was written", stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after a failed run", out)
			}
		})
	}

	// --allow-empty: an empty table and a note, exit 0.
	out := filepath.Join(dir, "empty.parquet")
	code, _, stderr := run("ingest", "--source", "evt2", "--allow-empty", filepath.Join(dir, "empty.raw"), "-o", out)
	if code != ExitOK || !strings.Contains(stderr, "NOTE "+filepath.Join(dir, "empty.raw")+": the file holds no events") {
		t.Fatalf("--allow-empty: exit %d, stderr %q", code, stderr)
	}
	_, _, rec := readTable(t, out)
	defer rec.Release()
	if rec.NumRows() != 0 {
		t.Fatalf("--allow-empty wrote %d rows", rec.NumRows())
	}

	// A folder output where one of two inputs failed says how many partitions exist.
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	code, _, stderr = run("ingest", "--source", "nmnist", nm, filepath.Join(dir, "empty.raw"), "-o", filepath.Join(dir, "ds"))
	if code != ExitError || !strings.Contains(stderr, "1 of 2 inputs failed (see above); "+filepath.Join(dir, "ds")+" holds 1 partition") {
		t.Fatalf("folder run: exit %d, stderr %q", code, stderr)
	}
}

// TestConnectomeImportEmpty: an edge list with a header only is an error
// naming the flags, not an empty table.
func TestConnectomeImportEmpty(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "edges.csv")
	os.WriteFile(in, []byte("pre,post,type,weight\n"), 0o644)
	out := filepath.Join(dir, "e.parquet")
	code, _, stderr := run("connectome", "import", "--source", "edgelist", in, "-o", out)
	if code != ExitError || !strings.Contains(stderr, in+": no edges between canonical neurons") || !strings.Contains(stderr, "--allow-empty") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("an empty edge list was written")
	}
	if code, _, stderr := run("connectome", "import", "--source", "edgelist", "--allow-empty", in, "-o", out); code != ExitOK {
		t.Fatalf("--allow-empty: exit %d, stderr %q", code, stderr)
	}
}

// TestIngestCalciumTextAndDrops: a label that is not UTF-8 is read as
// Latin-1 (the table holds valid UTF-8, as other Parquet readers require),
// and traces left out are counted on the recording's line.
func TestIngestCalciumTextAndDrops(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "w.csv")
	os.WriteFile(in, []byte("time,AVAL,AV\xffAR,AVAL\n0,1,2,3\n1,2,3,4\n2,3,3,3\n3,1,1,1\n"), 0o644)
	out := filepath.Join(dir, "t.parquet")
	code, stdout, stderr := run("ingest", "-v", "--source", "generic", "--time-column", "time", "--min-samples", "-1", in, "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "1 trace of the file left out") || !strings.Contains(stderr, `dropped: duplicate of AVAL`) ||
		!strings.Contains(stderr, `read as Latin-1, "AVÿAR"`) || !strings.Contains(stderr, "wrote "+out) {
		t.Fatalf("stdout %q stderr %q", stdout, stderr)
	}
	rr, err := table.OpenRecordings(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	rec, err := rr.Next()
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Neurons) != 2 || rec.Neurons[0] != "AVAL" || rec.Neurons[1] != "AVÿAR" {
		t.Fatalf("neurons %q", rec.Neurons)
	}
}

// TestConnectomeImportCountsDrops: every row left out is counted with its
// reason, and a name that is not UTF-8 is read as Latin-1, not dropped.
func TestConnectomeImportCountsDrops(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "edges.csv")
	os.WriteFile(in, []byte("pre,post,type,weight\nAVAL,AVAR,chemical,2\nAVAL,AVAR,chemical,5\nAVAL,MUSCLE1,chemical,1\nAVAL,ASER,chemical,0\nAVBL,AV\xe9L,chemical,1\n"), 0o644)
	out := filepath.Join(dir, "e.parquet")
	code, _, stderr := run("connectome", "import", "--source", "edgelist", in, "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := in + ": 4 rows left out: 2 with a cell that is not one of the 300 canonical neurons (--keep-non-neurons keeps them); " +
		"1 with a repeated pair of the same type (the first row is kept); 1 with a zero or missing weight"
	if !strings.Contains(stderr, want) {
		t.Fatalf("stderr %q, want %q", stderr, want)
	}
	code, _, stderr = run("connectome", "import", "--source", "edgelist", "--keep-non-neurons", in, "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, _, rec := readTable(t, out)
	defer rec.Release()
	found := false
	for i := 0; i < int(rec.NumCols()); i++ {
		if rec.ColumnName(i) == "post" {
			for j := 0; j < int(rec.NumRows()); j++ {
				if rec.Column(i).ValueStr(j) == "AVéL" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Fatal(`the Latin-1 name "AVéL" is not in the table`)
	}
}

// TestIngestMessagesNameTheFlag: each skip or failure of a calcium recording
// names the flag that changes it.
func TestIngestMessagesNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	short := write("short.csv", "time,AVAL\n0,1\n1,2\n2,3\n")
	unl := write("unl.csv", "time,FOO\n0,1\n1,2\n2,3\n")
	nan := write("nan.csv", "time,AVAL\n0,\n1,\n2,\n")
	notime := write("notime.csv", "a,AVAL\n0,1\n1,2\n")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"too short", []string{"--time-column", "time", short}, "skipped (too_short): 3 samples, fewer than 600 (--min-samples sets the minimum; negative: none)"},
		{"no labeled neuron", []string{"--time-column", "time", "--min-samples", "-1", unl}, "(--allow-unlabeled keeps it; --labels-file gives labels)"},
		{"all NaN", []string{"--time-column", "time", "--min-samples", "-1", nan}, "all-NaN trace (3 samples): not finite (--drop-all-nan drops such traces)"},
		{"no time", []string{notime}, "(--time-column) or the frame rate (--sample-rate)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "o.parquet")
			code, _, stderr := run(append(append([]string{"ingest", "--source", "generic"}, c.args...), "-o", out)...)
			if code != ExitError || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "nothing was written ("+out+" does not exist)") {
				t.Fatalf("exit %d, stderr %q; want %q", code, stderr, c.want)
			}
		})
	}
}

// TestSecondWriterRefused: while another writer holds an output, a command
// writing the same output is a one-line error and writes nothing.
func TestSecondWriterRefused(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	dir := t.TempDir()
	for _, c := range []struct {
		out    string
		folder bool
		args   []string
	}{
		{filepath.Join(dir, "ev.parquet"), false, []string{"ingest", "--source", "nmnist", nm}},
		{filepath.Join(dir, "ds"), true, []string{"ingest", "--source", "nmnist", nm}},
	} {
		held, err := table.ClaimOutput(c.out, c.folder, "")
		if err != nil {
			t.Fatal(err)
		}
		code, _, stderr := run(append(c.args, "-o", c.out)...)
		held.Release()
		if code != ExitError || !strings.Contains(stderr, c.out+" is being written by process") || strings.Count(stderr, "\n") != 1 {
			t.Fatalf("%s: exit %d, stderr %q", c.out, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(c.out, "recording=sample_nmnist.bin")); c.folder && !os.IsNotExist(err) {
			t.Fatalf("%s: a refused run wrote a partition", c.out)
		}
		if _, err := os.Stat(c.out); !c.folder && !os.IsNotExist(err) {
			t.Fatalf("%s: a refused run wrote the file", c.out)
		}
		if code, _, stderr := run(append(c.args, "-o", c.out)...); code != ExitOK {
			t.Fatalf("%s: after release: exit %d %q", c.out, code, stderr)
		}
	}
}

// TestConnectomePlotFormats: the extension chooses the encoder (checked by
// each format's magic bytes); another extension is a usage error listing
// the choices, and writes nothing.
func TestConnectomePlotFormats(t *testing.T) {
	white := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	dir := t.TempDir()
	edges := filepath.Join(dir, "w.parquet")
	if code, _, stderr := run("connectome", "import", "--source", "white1986_whole", white, "-o", edges); code != ExitOK {
		t.Fatal(stderr)
	}
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF", ".jpg": "\xff\xd8\xff", ".tiff": "II*\x00"} {
		out := filepath.Join(dir, "w"+ext)
		if code, _, stderr := run("connectome", "plot", "--edges", edges, "-o", out); code != ExitOK {
			t.Fatalf("%s: %s", ext, stderr)
		}
		b, _ := os.ReadFile(out)
		if !strings.HasPrefix(string(b), magic) {
			t.Errorf("%s starts %q, want %q", out, b[:min(8, len(b))], magic)
		}
	}
	out := filepath.Join(dir, "w.txt")
	code, _, stderr := run("connectome", "plot", "--edges", edges, "-o", out)
	if code != ExitUsage || !strings.Contains(stderr, ".png, .svg, .pdf") {
		t.Fatalf("w.txt: exit %d %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("w.txt written")
	}
}

// TestQuiet: -q prints only data and errors: no per-file "ok" or "wrote"
// lines, while data (fit bench's metric, inspect) and errors still appear.
func TestQuiet(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	dir := t.TempDir()
	code, stdout, stderr := run("-q", "ingest", "--source", "nmnist", nm, "-o", filepath.Join(dir, "ev.parquet"))
	if code != ExitOK || stdout != "" || stderr != "" {
		t.Fatalf("-q ingest: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, _ = run("ingest", "--source", "nmnist", nm, "-o", filepath.Join(dir, "ev2.parquet"))
	if code != ExitOK || !strings.Contains(stdout, "ok  "+nm+"  nmnist  4325 events") {
		t.Fatalf("ingest without -q: %q", stdout)
	}
	code, stdout, _ = run("-q", "inspect", filepath.Join(dir, "ev.parquet"))
	if code != ExitOK || !strings.Contains(stdout, "rows:    4325") {
		t.Fatalf("-q inspect: %q", stdout)
	}
	code, _, stderr = run("-q", "ingest", "--source", "nmnist", filepath.Join(dir, "none.bin"), "-o", filepath.Join(dir, "x.parquet"))
	if code != ExitError || !strings.Contains(stderr, "none.bin") {
		t.Fatalf("-q error: exit %d %q", code, stderr)
	}
}

// TestConnectomeImportAuto: --source auto knows each published file by its
// name (each keeps its own source and dataset), and refuses a generic file.
func TestConnectomeImportAuto(t *testing.T) {
	w3 := fixtures.Path(t, "c302", "witvliet_2020_3.xlsx")
	white := fixtures.Path(t, "c302", "aconnectome_white_1986_whole.csv")
	dir := t.TempDir()
	out := filepath.Join(dir, "a.parquet")
	code, _, stderr := run("connectome", "import", "--source", "auto", w3, white, "-o", out)
	if code != ExitOK || !strings.Contains(stderr, w3+": detected witvliet2020_3") || !strings.Contains(stderr, white+": detected white1986_whole") {
		t.Fatalf("exit %d %q", code, stderr)
	}
	_, _, rec := readTable(t, out)
	defer rec.Release()
	n := map[string]int{}
	for i := 0; i < int(rec.NumCols()); i++ {
		if rec.ColumnName(i) == "dataset" {
			for j := 0; j < int(rec.NumRows()); j++ {
				n[rec.Column(i).ValueStr(j)]++
			}
		}
	}
	// White 1986 whole: 2266 chemical + 1132 electrical edges (c302/SOURCE.md, as imported alone).
	if n["white1986_whole"] != 2266+1132 || n["witvliet2020_3"] == 0 || len(n) != 2 {
		t.Fatalf("datasets %v", n)
	}
	generic := filepath.Join(dir, "m.csv")
	os.WriteFile(generic, []byte(",AVAL,AVAR\nAVAL,0,2\nAVAR,1,0\n"), 0o644)
	if code, _, stderr := run("connectome", "import", "--source", "auto", generic, "-o", filepath.Join(dir, "g.parquet")); code != ExitUsage ||
		!strings.Contains(stderr, "is not the file name of a published connectome") {
		t.Fatalf("generic file: exit %d %q", code, stderr)
	}
}

// TestIngestFlagsApply: a flag of another kind of source is a usage error
// naming it, and ingest's help lists its flags in groups.
func TestIngestFlagsApply(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	out := filepath.Join(t.TempDir(), "o.parquet")
	code, _, stderr := run("ingest", "--source", "nmnist", "--min-samples", "10", "--smooth", "none", nm, "-o", out)
	if code != ExitUsage || !strings.Contains(stderr, "--min-samples (calcium), --smooth (calcium) do not apply to events inputs") {
		t.Fatalf("exit %d %q", code, stderr)
	}
	code, stdout, _ := run("ingest", "--help")
	i, j, k := strings.Index(stdout, "Flags (every source):"), strings.Index(stdout, "Calcium imaging flags:"), strings.Index(stdout, "Event-stream flags:")
	if code != ExitOK || i < 0 || j < i || k < j || !strings.Contains(stdout[j:k], "--labels-file") || !strings.Contains(stdout[k:], "--refractory") || strings.Contains(stdout[i:j], "--refractory") {
		t.Fatalf("help not grouped: %q", stdout)
	}
}
