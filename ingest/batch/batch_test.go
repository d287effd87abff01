package batch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/homogenize"
	"github.com/neurotab/neurotab/internal/fixtures"
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
	s := ingest.Summarize(res)
	if s.Files != 3 || s.FailedFiles != 1 || s.Written != 0 || s.Skipped != s.Recordings || s.Skipped == 0 {
		t.Fatalf("summary %+v", s)
	}
	for _, sk := range ingest.SortedSkips(res) {
		if !strings.Contains(sk, "600") {
			t.Fatalf("skip reason %q does not give the threshold", sk)
		}
	}
	if res[1].Err == nil || !strings.Contains(res[1].Err.Error(), bad) {
		t.Fatalf("bad file: %v", res[1].Err)
	}

	cfg := Config{Source: "auto", Jobs: 2, Homogenize: homogenize.Options{MinSamples: -1}}
	out := filepath.Join(dir, "traces.parquet")
	res, err = ToFile(ingest.Inputs("", paths...), out, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s = ingest.Summarize(res)
	if s.Written == 0 || s.FailedFiles != 1 {
		t.Fatalf("summary %+v", s)
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
	if len(prov.Sources) != 2 || prov.Parameters["min_samples"] == nil {
		t.Fatalf("provenance %+v", prov)
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

// Two copies of one file: the second's recordings get the file name in
// their ids, so partitions and table keys stay unique.
func TestDuplicateWormIDs(t *testing.T) {
	// Kato2015 names worms after the MATLAB struct, not the file.
	kato := fixtures.Path(t, "reference-made", "mat_v73", "kato2015_like_v73.mat")
	dir := t.TempDir()
	cp := filepath.Join(dir, "copy.mat")
	b, _ := os.ReadFile(kato)
	os.WriteFile(cp, b, 0o644)
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
