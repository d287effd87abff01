package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// ingest → events bin → numbers from tonic/SOURCE.md (4325 N-MNIST events,
// 2145 ON), and a failing input in a batch gives exit 1 with a summary while
// the good file is still written.
func TestIngestAndBin(t *testing.T) {
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	dir := t.TempDir()
	bad := filepath.Join(dir, "notes.txt")
	os.WriteFile(bad, []byte("not events"), 0o644)
	out := filepath.Join(dir, "ev.parquet")

	code, stdout, stderr := run("ingest", "--source", "auto", nm, bad, "-o", out)
	if code != ExitError {
		t.Fatalf("exit %d, want 1 (one input failed); stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "4325 events") || !strings.Contains(stderr, "FAILED "+bad) || !strings.Contains(stderr, "1 of 2 inputs failed") {
		t.Fatalf("stdout %q stderr %q", stdout, stderr)
	}
	frames := filepath.Join(dir, "f.npy")
	code, _, stderr = run("events", "bin", out, "--frames", "--bin", "1s", "-o", frames)
	if code != ExitOK {
		t.Fatalf("bin: %d %s", code, stderr)
	}
	a, err := npy.Open(frames)
	if err != nil {
		t.Fatal(err)
	}
	v := a.Float64s()
	var on, all float64
	for i, x := range v {
		all += x
		if (i/(34*34))%2 == 1 {
			on += x
		}
	}
	if len(a.Shape) != 4 || a.Shape[0] != 1 || all != 4325 || on != 2145 {
		t.Fatalf("frames shape %v, %v events, %v ON", a.Shape, all, on)
	}
}

func TestIngestUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"no source":      {"ingest", "x", "-o", "y.parquet"},
		"no output":      {"ingest", "--source", "evt2", "x"},
		"unknown source": {"ingest", "--source", "nope", "x", "-o", "y.parquet"},
		"bad shard":      {"ingest", "--source", "evt2", "--shard", "3/2", "x", "-o", "y.parquet"},
		"bad camera":     {"ingest", "--source", "aedat2", "--camera", "dvs129", "x", "-o", "y.parquet"},
		"bad time unit":  {"ingest", "--source", "csv-events", "--time-unit", "min", "x", "-o", "y.parquet"},
		"bin both":       {"events", "bin", "x", "--frames", "--rates", "-o", "y"},
	} {
		if code, _, stderr := run(args...); code != ExitUsage {
			t.Errorf("%s: exit %d (%s)", name, code, stderr)
		}
	}
	// A bad --camera is found before any file is opened, whatever the source.
	_, _, stderr := run("ingest", "--source", "evt3", "--camera", "dvs129", "x", "-o", "y.parquet")
	if want := `neurotab: eventdata: unknown AEDAT 2.0 camera "dvs129" (auto, dvs128, davis240, davis346, davis640): invalid parameter`; !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

// Calcium ingest end to end on reference files (reference-made manifest):
// Lin2023-like and WormWideWeb-like recordings are written; the
// Venkatachalam-like zip holds an all-NaN trace, which is a reported
// failure by default and a dropped trace with --drop-all-nan.
func TestIngestCalcium(t *testing.T) {
	lin := fixtures.Path(t, "reference-made", "mat_v5", "lin2023_like.mat")
	www := fixtures.Path(t, "reference-made", "text", "wormwideweb_like.json")
	zip := fixtures.Path(t, "reference-made", "text", "venkatachalam2024_like.zip")
	out := filepath.Join(t.TempDir(), "traces.parquet")
	code, stdout, stderr := run("ingest", "--source", "auto", "--min-samples", "-1", lin, www, zip, "-o", out)
	if code != ExitError || !strings.Contains(stderr, "all-NaN trace") || !strings.Contains(stdout, "ok  Lin2023/") || !strings.Contains(stdout, "ok  Flavell2023/") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = run("ingest", "--source", "auto", "--min-samples", "-1", "--drop-all-nan", lin, www, zip, "-o", out)
	if code != ExitOK || !strings.Contains(stdout, "ok  Venkatachalam2024/") {
		t.Fatalf("with --drop-all-nan: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	code, stdout, _ = run("inspect", "--json", out)
	if code != ExitOK || !strings.Contains(stdout, `"table": "traces"`) {
		t.Fatalf("inspect: %s", stdout)
	}
	// The published 600-sample minimum skips every short reference recording, and says so.
	code, _, stderr = run("ingest", "--source", "Lin2023", lin, "-o", out)
	if code != ExitError || !strings.Contains(stderr, "SKIPPED") {
		t.Fatalf("default minimum: exit %d, stderr %s", code, stderr)
	}
}

// NWB units → spikes table → rates; counts from pynapple/SOURCE.md.
func TestIngestNWBUnits(t *testing.T) {
	in := fixtures.Path(t, "pynapple", "A8604-211122.nwb")
	dir := t.TempDir()
	sp := filepath.Join(dir, "spikes.parquet")
	code, out, stderr := run("ingest", "--source", "nwb-units", in, "-o", sp)
	if code != ExitOK || !strings.Contains(out, "3 units, 21354 spikes") {
		t.Fatalf("exit %d %q %s", code, out, stderr)
	}
	rates := filepath.Join(dir, "rates.parquet")
	if code, _, stderr = run("events", "bin", sp, "--rates", "--bin", "1s", "-o", rates); code != ExitOK {
		t.Fatalf("bin: %s", stderr)
	}
	// A folder in, a dataset out: one partition per recording.
	src := filepath.Join(dir, "nwb")
	os.Mkdir(src, 0o755)
	cp := fixtures.CopyTo(t, src, "w1.nwb", "pynapple", "A8604-211122.nwb")
	ds := filepath.Join(dir, "ds")
	code, out, stderr = run("ingest", "--source", "NWB-Units", src, "-o", ds)
	want := "ok  " + cp + "  w1  3 units, 21354 spikes  → " + filepath.Join(ds, "recording=w1", "part-0.parquet")
	if code != ExitOK || !strings.Contains(out, want) {
		t.Fatalf("folder: exit %d %q %s; want %q", code, out, stderr, want)
	}
}

// A folder is an input for every source: it expands to the files the
// source reads. The Dag2023 recording has 146 traces of 800 samples
// (dag2023/SOURCE.md), none labeled; the N-MNIST sample has 4325 events
// (tonic/SOURCE.md). Source names are case-insensitive.
func TestIngestFolders(t *testing.T) {
	dir := t.TempDir()
	calc := filepath.Join(dir, "calcium")
	ev := filepath.Join(dir, "events")
	empty := filepath.Join(dir, "empty")
	for _, d := range []string{calc, ev, empty} {
		os.Mkdir(d, 0o755)
	}
	dag := fixtures.CopyTo(t, calc, "2022-07-26-31-data.h5", "dag2023", "2022-07-26-31-data.h5")
	os.WriteFile(filepath.Join(calc, "notes.txt"), []byte("lab notes"), 0o644)
	nm := fixtures.CopyTo(t, ev, "a.bin", "tonic", "sample_nmnist.bin")
	nm2 := fixtures.CopyTo(t, ev, "b.bin", "tonic", "sample_nmnist.bin")
	os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("lab notes"), 0o644)
	out := filepath.Join(dir, "out.parquet")

	cases := []struct {
		name   string
		args   []string
		code   int
		stdout []string // lines that must appear, in this order
	}{
		{"calcium folder, lower-case name", []string{"--source", "dag2023", "--allow-unlabeled", "--no-resample", calc},
			ExitOK, []string{"ok  Dag2023/2022-07-26-31  146 neurons (0 labeled) × 800 samples  ← " + dag}},
		{"calcium folder, auto", []string{"--source", "auto", "--allow-unlabeled", "--no-resample", calc},
			ExitOK, []string{"ok  Dag2023/2022-07-26-31  146 neurons (0 labeled) × 800 samples  ← " + dag}},
		{"event folder, sorted", []string{"--source", "NMNIST", ev},
			ExitOK, []string{"ok  " + nm + "  nmnist  4325 events", "ok  " + nm2 + "  nmnist  4325 events"}},
		{"event folder, auto", []string{"--source", "auto", ev},
			ExitOK, []string{"ok  " + nm + "  nmnist  4325 events", "ok  " + nm2 + "  nmnist  4325 events"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(append(append([]string{"ingest"}, c.args...), "-o", out)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, c.code, stdout, stderr)
			}
			at := 0
			for _, l := range c.stdout {
				i := strings.Index(stdout[at:], l)
				if i < 0 {
					t.Fatalf("stdout %q lacks %q (in order)", stdout, l)
				}
				at += i + len(l)
			}
		})
	}

	// A folder with nothing the source reads: one line naming the folder
	// and what was looked for.
	for _, c := range []struct{ source, want string }{
		{"Dag2023", empty + ": folder holds no input: looked for Dag2023 input"},
		{"evt3", empty + ": folder holds no input: looked for evt3 files (.raw)"},
		{"nwb-units", empty + ": folder holds no input: looked for NWB files (.nwb)"},
		{"auto", empty + ": folder holds no input: looked for files of a calcium or event source"},
	} {
		t.Run("empty "+c.source, func(t *testing.T) {
			code, _, stderr := run("ingest", "--source", c.source, empty, "-o", out)
			if code != ExitError || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("exit %d stderr %q; want one line with %q", code, stderr, c.want)
			}
		})
	}
}

// --source names: case-insensitive, a typo gets the closest name; a mixed
// auto list of calcium and event files is a usage error naming the first
// file of the other kind.
func TestIngestSourceNames(t *testing.T) {
	dag := fixtures.Path(t, "dag2023", "2022-07-26-31-data.h5")
	nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
	tmp := t.TempDir()
	out := filepath.Join(tmp, "out.parquet")
	// Inputs run in sorted order: here the event file comes first.
	nmFirst := fixtures.CopyTo(t, tmp, "a.bin", "tonic", "sample_nmnist.bin")
	dagLast := fixtures.CopyTo(t, tmp, "z.h5", "dag2023", "2022-07-26-31-data.h5")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"typo", []string{"--source", "Dag2032", dag}, `unknown source "Dag2032" (did you mean "Dag2023"?); see neurotab ingest list`},
		{"typo events", []string{"--source", "evt4", nm}, `unknown source "evt4" (did you mean "evt2"?); see neurotab ingest list`},
		{"nothing close", []string{"--source", "tiff", nm}, `unknown source "tiff"; see neurotab ingest list`},
		{"mixed", []string{"--source", "auto", dag, nm},
			dag + " is a calcium recording (Dag2023) but " + nm + " is an event file (nmnist): calcium and event files make different tables; ingest them in separate runs, each with its --source"},
		{"mixed other order", []string{"--source", "auto", dagLast, nmFirst},
			nmFirst + " is an event file (nmnist) but " + dagLast + " is a calcium recording (Dag2023)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := run(append(append([]string{"ingest"}, c.args...), "-o", out)...)
			if code != ExitUsage || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d stderr %q; want usage error with %q", code, stderr, c.want)
			}
		})
	}
	// aedat3 is an alias of aedat31, in any case.
	code, _, stderr := run("ingest", "--source", "AEDAT3", filepath.Join(t.TempDir(), "absent.aedat"), "-o", out)
	if code != ExitError || strings.Contains(stderr, "unknown source") {
		t.Fatalf("alias: exit %d %s", code, stderr)
	}
}

func TestConnectomeSourceNames(t *testing.T) {
	code, _, stderr := run("connectome", "import", "--source", "Cook2019_hemr", "x.csv", "-o", filepath.Join(t.TempDir(), "e.parquet"))
	if code != ExitUsage || !strings.Contains(stderr, `unknown connectome source "Cook2019_hemr" (did you mean "cook2019_herm"?); see neurotab connectome list`) {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

// 'ingest list' names every source once, under its kind, with its
// citation and aliases; each listed name and alias, in any case, is one
// that --source accepts for that very source.
func TestIngestList(t *testing.T) {
	code, stdout, stderr := run("ingest", "list")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if want := "Source names are case-insensitive (dag2023 is Dag2023); an alias names the same source."; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	// Hand-written blocks: the event source with an alias, and the one
	// spike-sorted source.
	for _, block := range []string{
		"  aedat31    iniVation AEDAT 3.1 (cAER): 28-byte packet headers\n" +
			"               iniVation AEDAT 3.1 format documentation\n" +
			"               aliases: aedat3\n" +
			"  aedat4     iniVation AEDAT 4.0 (DV): FlatBuffers packets, LZ4/Zstd\n",
		"spike-sorted sources (spikes table):\n" +
			"  nwb-units          NWB 2.x Units table: spike_times + spike_times_index, id\n" +
			"                       Rübel et al. 2022, eLife 11:e78362, doi:10.7554/eLife.78362\n\n",
	} {
		if !strings.Contains(stdout, block) {
			t.Errorf("list lacks\n%s", block)
		}
	}

	// Parse the list: section headers, name lines (two spaces of indent),
	// and below each name its citation and aliases.
	kinds := map[string]ingestKind{
		"calcium-imaging sources (traces table):": kindCalcium,
		"spike-sorted sources (spikes table):":    kindSpikes,
		"event sources (events table):":           kindEvents,
	}
	var kind ingestKind
	var name string
	seen := map[string]int{}
	aliases := 0
	for i, l := range lines[1:] {
		switch {
		case l == "":
		case kinds[l] != kindUnknown:
			kind = kinds[l]
		case strings.HasPrefix(l, "  ") && l[2] != ' ':
			name = strings.Fields(l)[0]
			seen[name]++
			if k, err := ingestSources.Lookup(strings.ToUpper(name)); err != nil || k != kind {
				t.Errorf("line %d: %s listed as %v, --source %s gives %v, %v", i+2, name, kind, strings.ToUpper(name), k, err)
			}
			if !strings.HasPrefix(lines[i+2], strings.Repeat(" ", 5)) {
				t.Errorf("line %d: %s has no citation line below it", i+2, name)
			}
		case strings.HasPrefix(strings.TrimSpace(l), "aliases: "):
			for _, a := range strings.Split(strings.TrimPrefix(strings.TrimSpace(l), "aliases: "), ", ") {
				aliases++
				if c := ingestSources.Canonical(strings.ToUpper(a)); c != name {
					t.Errorf("alias %s of %s names %q", a, name, c)
				}
			}
		}
	}
	// 15 calcium adapters, nwb-units and 10 event sources (one alias).
	if len(seen) != 26 || aliases != 1 {
		t.Errorf("%d sources and %d aliases listed, want 26 and 1: %v", len(seen), aliases, seen)
	}
	for _, n := range ingestSources.Names() {
		if seen[n] != 1 {
			t.Errorf("source %s listed %d times", n, seen[n])
		}
	}
}

// --dataset replaces the source's own name ("generic" for a generic
// matrix) as the source_dataset of every recording, in the written table,
// its provenance and its partition folder. With no homogenization step the
// traces are the CSV's values.
func TestIngestDataset(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "w7.csv")
	os.WriteFile(csv, []byte("t,AVAL,AVAR\n0,1,2\n0.5,2,4\n1,3,1\n"), 0o644)
	flags := []string{"--source", "generic", "--time-column", "t", "--min-samples", "-1",
		"--no-resample", "--normalize", "none", "--smooth", "none", "--fill", "none"}
	cases := []struct {
		name, dataset string
		param         any // provenance parameter "dataset"
	}{
		{"default", "", nil},
		{"named", "Smith2026 imaging", "Smith2026 imaging"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "traces.parquet")
			args := append(append([]string{"ingest"}, flags...), csv, "-o", out)
			want := "generic"
			if c.dataset != "" {
				args = append(args, "--dataset", c.dataset)
				want = c.dataset
			}
			code, stdout, stderr := run(args...)
			if code != ExitOK || !strings.Contains(stdout, "ok  "+want+"/w7  2 neurons (2 labeled) × 3 samples") {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
			}
			prov, kind, rec := readTable(t, out)
			defer rec.Release()
			if kind != table.Traces || prov.Parameters["dataset"] != c.param {
				t.Errorf("kind %s, dataset parameter %v; want traces, %v", kind, prov.Parameters["dataset"], c.param)
			}
			keys, err := table.RecordingKeys(rec)
			if err != nil || len(keys) != 1 || keys[0] != (table.RecordingKey{Dataset: want, Worm: "w7"}) {
				t.Fatalf("recordings %v, %v; want %s/w7", keys, err, want)
			}
			r, err := table.ReadRecording(rec, keys[0])
			if err != nil {
				t.Fatal(err)
			}
			// The CSV's columns: AVAL 1 2 3, AVAR 2 4 1, at 0, 0.5, 1 s.
			for j, n := range r.Neurons {
				col := map[string][]float64{"AVAL": {1, 2, 3}, "AVAR": {2, 4, 1}}[n]
				for i, v := range col {
					if got := r.Data.At(i, j); got != v {
						t.Errorf("%s[%d] = %v, want %v", n, i, got, v)
					}
				}
			}
			if len(r.Neurons) != 2 || r.Dataset != want || r.Time[1] != 0.5 {
				t.Errorf("neurons %v dataset %q time %v", r.Neurons, r.Dataset, r.Time)
			}
		})
	}
	t.Run("partition", func(t *testing.T) {
		ds := filepath.Join(t.TempDir(), "ds")
		code, _, stderr := run(append(append([]string{"ingest"}, flags...), "--dataset", "Smith2026", csv, "-o", ds)...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		part := filepath.Join(ds, "source_dataset=Smith2026", "worm=w7", "part-0.parquet")
		_, _, rec := readTable(t, part)
		defer rec.Release()
		if keys, err := table.RecordingKeys(rec); err != nil || keys[0].Dataset != "Smith2026" {
			t.Errorf("partition recordings %v, %v", keys, err)
		}
	})
	t.Run("events", func(t *testing.T) {
		nm := fixtures.Path(t, "tonic", "sample_nmnist.bin")
		code, _, stderr := run("ingest", "--source", "nmnist", "--dataset", "x", nm, "-o", filepath.Join(t.TempDir(), "e.parquet"))
		if code != ExitUsage || !strings.Contains(stderr, "--dataset sets the source_dataset of calcium recordings") {
			t.Errorf("exit %d stderr %q; want a usage error", code, stderr)
		}
	})
}

// A joined error (formats/table joins the errors of a row group's columns)
// is reported on one line, and so is the failure of one calcium recording.
func TestIngestReportOneLine(t *testing.T) {
	joined := errors.Join(errors.New("o.parquet: column t: write: no space left on device"),
		errors.New("o.parquet: column x: write: no space left on device"))
	cases := []struct {
		name    string
		kind    ingestKind
		results []ingest.FileResult
		stderr  string
	}{
		{"events", kindEvents, []ingest.FileResult{{Input: ingest.Input{Path: "a.raw"}, Err: joined}},
			"FAILED a.raw: o.parquet: column t: write: no space left on device; o.parquet: column x: write: no space left on device\n"},
		{"calcium recording", kindCalcium, []ingest.FileResult{{Input: ingest.Input{Path: "w.mat"},
			Recordings: []ingest.Recording{{Dataset: "Lin2023", Worm: "w", Err: joined}}}},
			"FAILED o.parquet: column t: write: no space left on device; o.parquet: column x: write: no space left on device\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, _, errb := testGlobals()
			err := reportIngest(g, &ingestOptions{source: "x", out: "o.parquet"}, c.kind, c.results, nil)
			if err == nil {
				t.Error("a failed input gave no error")
			}
			if got := errb.String(); !strings.HasPrefix(got, c.stderr) {
				t.Errorf("stderr %q, want it to start with %q", got, c.stderr)
			}
		})
	}
}
