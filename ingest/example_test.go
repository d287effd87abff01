package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab/ingest"
)

// A folder given as input becomes the files the source reads, sorted.
func ExampleExpand() {
	dir, _ := os.MkdirTemp("", "expand")
	defer os.RemoveAll(dir)
	for _, n := range []string{"b.raw", "a.raw", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	isRaw := func(p string) bool { return strings.HasSuffix(p, ".raw") }
	paths, _ := ingest.Expand([]string{dir}, isRaw, nil, "RAW files (.raw)")
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	_, err := ingest.Expand([]string{dir}, func(string) bool { return false }, nil, "NWB files (.nwb)")
	fmt.Println(strings.TrimPrefix(err.Error(), dir))
	// Output:
	// a.raw
	// b.raw
	// : folder holds no input: looked for NWB files (.nwb): not found
}

// Every converter reports per input; Summarize counts.
func ExampleSummarize() {
	res := []ingest.FileResult{
		{Input: ingest.Input{Path: "a.mat"}, Recordings: []ingest.Recording{{Worm: "w1"}, {Worm: "w2", Skipped: "a.mat: w2: skipped (too_short): 50 samples, fewer than 600"}}},
		{Input: ingest.Input{Path: "b.mat"}, Err: fmt.Errorf("b.mat: truncated")},
	}
	fmt.Printf("%+v\n", ingest.Summarize(res))
	// Output:
	// {Files:2 FailedFiles:1 Recordings:2 Written:1 Skipped:1 Failed:0 Events:0}
}
