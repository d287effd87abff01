package batch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/homogenize"
	"github.com/neurotab/neurotab/internal/fixtures"
	"gonum.org/v1/gonum/mat"
)

// Three inputs — a Lin2023-like MAT file, a WormWideWeb JSON and a damaged
// file — with two jobs: the damaged one is reported, the others are written
// in input order; the published 600-sample minimum skips (and reports) the
// short reference recordings unless lowered.
func TestBatchToFileAndDir(t *testing.T) {
	lin := fixtures.Path(t, "reference-made", "mat_v5", "lin2023_like.mat")
	www := fixtures.Path(t, "reference-made", "text", "wormwideweb_like.json")
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.mat")
	os.WriteFile(bad, []byte("MATLAB 5.0 MAT-file, truncated"), 0o644)
	paths := []string{lin, bad, www}

	// Defaults: every reference recording is shorter than 600 samples.
	res, err := ToFile(ingest.Inputs("", paths...), filepath.Join(dir, "none.parquet"), Config{Source: "auto", Jobs: 2})
	if err == nil {
		t.Fatal("a run with nothing to write returned no error")
	}
	// One recording per file (reference-made/gen.py: Lin T = 120, WormWideWeb T = 50).
	s := ingest.Summarize(res)
	if want := (ingest.Summary{Files: 3, FailedFiles: 1, Recordings: 2, Skipped: 2}); s != want {
		t.Fatalf("summary %+v, want %+v", s, want)
	}
	wantSkips := []string{
		lin + ": lin2023_like: skipped (too_short): 120 samples, fewer than 600",
		www + ": 2023-01-09-15: skipped (too_short): 50 samples, fewer than 600",
	}
	if sk := ingest.SortedSkips(res); !slices.Equal(sk, wantSkips) {
		t.Fatalf("skips %q, want %q", sk, wantSkips)
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), bad) {
		t.Fatalf("bad file: %v", res[1].Err)
	}

	cfg := Config{Source: "auto", Jobs: 2, Homogenize: homogenize.Options{MinSamples: -1}}
	var progress ingest.Progress
	cfg.Progress = func(p ingest.Progress) { progress.Files += p.Files; progress.Bytes += p.Bytes }
	out := filepath.Join(dir, "traces.parquet")
	res, err = ToFile(ingest.Inputs("", paths...), out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Every input is reported; bytes are those of the two readable files.
	stLin, _ := os.Stat(lin)
	stWWW, _ := os.Stat(www)
	if want := (ingest.Progress{Files: 3, Bytes: stLin.Size() + stWWW.Size()}); progress != want {
		t.Fatalf("progress %+v, want %+v", progress, want)
	}
	cfg.Progress = nil
	s = ingest.Summarize(res)
	if want := (ingest.Summary{Files: 3, FailedFiles: 1, Recordings: 2, Written: 2}); s != want {
		t.Fatalf("summary %+v, want %+v", s, want)
	}
	// gen.py: Lin keeps the 6 rows with use_flag 1, of which 5 carry a
	// canonical label (the sixth is ""); WormWideWeb has 8 traces, 4
	// labeled in the file, of which "IL2?L" (ambiguous) is not canonical.
	for i, want := range []struct {
		dataset, worm    string
		neurons, labeled int
	}{
		{"Lin2023", "lin2023_like", 6, 5}, {}, {"Flavell2023", "2023-01-09-15", 8, 3},
	} {
		if i == 1 {
			continue // the damaged file
		}
		r := res[i].Recordings[0]
		if r.Dataset != want.dataset || r.Worm != want.worm || r.Neurons != want.neurons || r.Labeled != want.labeled || r.Output != out || res[i].Output != out {
			t.Fatalf("input %d: %+v, want %+v", i, r, want)
		}
	}
	pf, err := table.OpenParquet(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := pf.ReadAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if err := table.Validate(table.Traces, rec); err != nil {
		t.Fatal(err)
	}
	keys, _ := table.RecordingKeys(rec)
	if len(keys) != s.Written || keys[0].Dataset != "Lin2023" || keys[len(keys)-1].Dataset != "Flavell2023" {
		t.Fatalf("recordings %v (want Lin2023 first, Flavell2023 last: input order)", keys)
	}
	prov, _, _ := table.ParseProvenance(pf.Metadata())
	pf.Close()
	// The written inputs, hashed apart, are the sources; the damaged one is not.
	for i, p := range []string{lin, www} {
		sf, err := table.HashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(prov.Sources) != 2 || prov.Sources[i] != sf {
			t.Fatalf("provenance sources %+v, want %+v at %d", prov.Sources, sf, i)
		}
	}
	if prov.Parameters["min_samples"] != float64(-1) {
		t.Fatalf("provenance min_samples %v, want -1", prov.Parameters["min_samples"])
	}

	// Directory mode: one partition per recording.
	ds := filepath.Join(dir, "ds")
	res = ToDir(ingest.Inputs("", paths...), ds, cfg)
	n := 0
	for _, f := range res {
		for _, r := range f.Recordings {
			if r.Output != "" {
				n++
				if !strings.Contains(r.Output, "source_dataset="+r.Dataset) {
					t.Fatalf("partition %s", r.Output)
				}
				if _, err := os.Stat(r.Output); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if n != s.Written {
		t.Fatalf("%d partitions, want %d", n, s.Written)
	}
}

// katoTwice returns the Kato 2015 reference file, a copy of it named
// copy.mat and the temporary folder holding the copy. Kato2015 names worms
// after the MATLAB struct, not the file, so the two clash.
func katoTwice(t *testing.T) (kato, cp, dir string) {
	kato = fixtures.Path(t, "reference-made", "mat_v73", "kato2015_like_v73.mat")
	dir = t.TempDir()
	cp = filepath.Join(dir, "copy.mat")
	b, err := os.ReadFile(kato)
	if err == nil {
		err = os.WriteFile(cp, b, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return kato, cp, dir
}

// Two copies of one file: the second's recordings get the file name in
// their ids, so partitions and table keys stay unique.
func TestDuplicateWormIDs(t *testing.T) {
	kato, cp, dir := katoTwice(t)
	cfg := Config{Source: "Kato2015", Homogenize: homogenize.Options{MinSamples: -1, AllowUnlabeled: true, DropAllNaN: true}}
	res := ToDir(ingest.Inputs("", kato, cp), filepath.Join(dir, "ds"), cfg)
	if res[0].Err != nil || res[1].Err != nil || len(res[0].Recordings) == 0 || res[0].Recordings[0].Err != nil {
		t.Fatalf("results %v %v %+v", res[0].Err, res[1].Err, res[0].Recordings)
	}
	w0, w1 := res[0].Recordings[0], res[1].Recordings[0]
	if w0.Worm == w1.Worm || w1.Worm != w0.Worm+"@copy" || w0.Output == w1.Output || len(w1.Notes) == 0 {
		t.Fatalf("worms %q %q outputs %q %q", w0.Worm, w1.Worm, w0.Output, w1.Output)
	}
}

// The same in one file: the second copy's rows carry the renamed worm
// (the blocks were built under the struct's name before the writer chose),
// with the same traces as the first copy's.
func TestDuplicateWormIDsToFile(t *testing.T) {
	kato, cp, dir := katoTwice(t)
	cfg := Config{Source: "Kato2015", Jobs: 2, Homogenize: homogenize.Options{MinSamples: -1, AllowUnlabeled: true, DropAllNaN: true}}
	out := filepath.Join(dir, "all.parquet")
	res, err := ToFile(ingest.Inputs("", kato, cp), out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	w0, w1 := res[0].Recordings[0], res[1].Recordings[0]
	if w1.Worm != w0.Worm+"@copy" || !slices.ContainsFunc(w1.Notes, func(n string) bool { return strings.Contains(n, "already used") }) {
		t.Fatalf("worms %q %q, notes %q", w0.Worm, w1.Worm, w1.Notes)
	}
	rr, err := table.OpenRecordings(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	got := map[string]*table.Recording{}
	for {
		r, err := rr.Next()
		if err != nil {
			break
		}
		got[r.Worm] = r
	}
	a, c := got[w0.Worm], got[w1.Worm]
	if a == nil || c == nil || len(got) != len(res[0].Recordings)*2 {
		t.Fatalf("recordings in the file: %d, want %q and %q among %d", len(got), w0.Worm, w1.Worm, len(res[0].Recordings)*2)
	}
	if !mat.Equal(a.Data, c.Data) || !slices.Equal(a.Neurons, c.Neurons) {
		t.Error("the renamed copy's traces differ from the first")
	}
}
