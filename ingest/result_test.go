package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

func TestInputs(t *testing.T) {
	got := Inputs("evt3", "a.raw", "b.raw")
	want := []Input{{Path: "a.raw", Source: "evt3", Sample: 0}, {Path: "b.raw", Source: "evt3", Sample: 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("Inputs = %+v, want %+v", got, want)
	}
}

// Summarize counts by hand: two files read (one with a written, a skipped
// and a failed recording; one event file with 10 events), one failed file
// whose events are not counted.
func TestSummarize(t *testing.T) {
	res := []FileResult{
		{Recordings: []Recording{{Worm: "w1"}, {Worm: "w2", Skipped: "x.mat: w2: skipped (too_short): 10 < 600"}, {Worm: "w3", Err: errors.New("bad")}}},
		{Events: 10},
		{Events: 99, Err: errors.New("unreadable")},
	}
	want := Summary{Files: 3, FailedFiles: 1, Recordings: 3, Written: 1, Skipped: 1, Failed: 1, Events: 10}
	if s := Summarize(res); s != want {
		t.Fatalf("Summarize = %+v, want %+v", s, want)
	}
	if sk := SortedSkips(res); len(sk) != 1 || sk[0] != "x.mat: w2: skipped (too_short): 10 < 600" {
		t.Fatalf("SortedSkips = %q", sk)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"c.raw", "a.raw", "b.txt"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "d.raw"), 0o755) // a folder is not a file the source reads
	isRaw := func(p string) bool { return strings.HasSuffix(p, ".raw") }
	missing := filepath.Join(dir, "missing.raw")
	for _, c := range []struct {
		name  string
		paths []string
		keep  func(string) bool
		want  []string
	}{
		{"folder sorted", []string{dir}, nil, []string{filepath.Join(dir, "a.raw"), filepath.Join(dir, "c.raw")}},
		{"files pass", []string{"x.raw", missing}, nil, []string{"x.raw", missing}},
		{"kept folder", []string{dir}, func(string) bool { return true }, []string{dir}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Expand(c.paths, isRaw, c.keep, "raw files")
			if err != nil || !slices.Equal(got, c.want) {
				t.Fatalf("Expand = %v, %v; want %v", got, err, c.want)
			}
		})
	}
	_, err := Expand([]string{dir}, func(string) bool { return false }, nil, "NWB files (.nwb)")
	if err == nil || err.Error() != dir+": folder holds no input: looked for NWB files (.nwb): not found" || !errors.Is(err, neurotab.ErrNotFound) {
		t.Fatalf("empty: %v", err)
	}
}

func TestFirstErr(t *testing.T) {
	bad, rec := errors.New("bad file"), errors.New("bad recording")
	for _, c := range []struct {
		name string
		res  []FileResult
		want error
	}{
		{"file", []FileResult{{}, {Err: bad}, {Recordings: []Recording{{Err: rec}}}}, bad},
		{"recording", []FileResult{{Recordings: []Recording{{Skipped: "x"}, {Err: rec}}}, {Err: bad}}, rec},
		{"all skipped", []FileResult{{Recordings: []Recording{{Skipped: "x"}}}}, neurotab.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FirstErr(c.res); got != c.want {
				t.Fatalf("FirstErr = %v, want %v", got, c.want)
			}
		})
	}
}
