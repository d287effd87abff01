package table

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// A second claim on an output is refused with the holder's pid; shards of
// one run claim their own names; a released claim can be taken again.
func TestClaimOutput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		out    string
		folder bool
	}{{"file", filepath.Join(dir, "t.parquet"), false}, {"folder", filepath.Join(dir, "ds"), true}} {
		t.Run(c.name, func(t *testing.T) {
			a, err := ClaimOutput(c.out, c.folder, "")
			if err != nil {
				t.Fatal(err)
			}
			_, err = ClaimOutput(c.out, c.folder, "")
			if !errors.Is(err, neurotab.ErrInUse) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) ||
				!strings.HasPrefix(err.Error(), c.out+" is being written by") {
				t.Fatalf("second claim: %v", err)
			}
			s0, err := ClaimOutput(c.out, c.folder, "0-of-2")
			if err != nil {
				t.Fatalf("a shard's claim beside the run's: %v", err)
			}
			s0.Release()
			a.Release()
			b, err := ClaimOutput(c.out, c.folder, "")
			if err != nil {
				t.Fatalf("claim after release: %v", err)
			}
			b.Release()
		})
	}
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	return cmd.Process.Pid
}

// RemoveStale removes a dead writer's temporaries and keeps a live one's and
// anything else.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "t.parquet")
	dead := filepath.Join(dir, ".t.parquet.tmp-"+strconv.Itoa(deadPID(t))+"-123")
	mine := filepath.Join(dir, ".t.parquet.tmp-"+strconv.Itoa(os.Getpid())+"-456")
	other := filepath.Join(dir, ".u.parquet.tmp-"+strconv.Itoa(deadPID(t))+"-789")
	old := filepath.Join(dir, ".t.parquet.tmp-123456") // an older name without a pid: cannot be proven stale
	for _, p := range []string{dead, mine, other, old} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	removed, err := RemoveStale(out)
	if err != nil || len(removed) != 1 || removed[0] != dead {
		t.Fatalf("removed %v (%v), want only %s", removed, err, dead)
	}
	for _, p := range []string{mine, other, old} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed", p)
		}
	}
	// In a folder output, at any depth.
	ds := filepath.Join(dir, "ds", "recording=a")
	os.MkdirAll(ds, 0o755)
	deep := filepath.Join(ds, ".part-0.parquet.tmp-"+strconv.Itoa(deadPID(t))+"-1")
	os.WriteFile(deep, nil, 0o644)
	removed, err = RemoveStale(filepath.Join(dir, "ds"))
	if err != nil || len(removed) != 1 || removed[0] != deep {
		t.Fatalf("folder: removed %v (%v)", removed, err)
	}
}

// writeTinyParquet writes a one-column Parquet table of n rows.
func writeTinyParquet(t *testing.T, path string, n int) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	rows := make([]FCRow, n)
	for i := range rows {
		rows[i] = FCRow{SourceDataset: "d", Worm: "w", Pre: "A", Post: "B", Measure: "m", Value: float64(i)}
	}
	if err := WriteRows(path, Provenance{Command: []string{"test"}}, nil, rows); err != nil {
		t.Fatal(err)
	}
}

// Folder runs: another run's folder is refused, then replaced or appended
// to; shards of one run complete the folder only when all are done, with a
// manifest whose row counts are the files'.
func TestFolderRuns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	os.MkdirAll(dir, 0o755)
	if _, err := BeginFolderRun(dir, "run1", "", Refuse); err != nil {
		t.Fatalf("empty folder: %v", err)
	}
	a := filepath.Join(dir, "k=a", "part-0.parquet")
	writeTinyParquet(t, a, 3)
	complete, err := FinishFolderRun(dir, Manifest{Run: "run1", Command: []string{"x"}, Inputs: 1}, []string{a})
	if err != nil || !complete {
		t.Fatalf("finish: %v %v", complete, err)
	}
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err := json.Unmarshal(b, &m); err != nil || len(m.Partitions) != 1 || m.Partitions[0] != (ManifestPartition{"k=a/part-0.parquet", 3}) {
		t.Fatalf("manifest %s (%v)", b, err)
	}
	// The same run again: allowed, and _SUCCESS goes away while it runs.
	if _, err := BeginFolderRun(dir, "run1", "", Refuse); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, SuccessFile)); !os.IsNotExist(err) {
		t.Fatal("_SUCCESS kept while a run writes the folder")
	}
	// Another run: refused, then appended, then overwritten.
	if _, err := BeginFolderRun(dir, "run2", "", Refuse); !errors.Is(err, neurotab.ErrInUse) || !strings.Contains(err.Error(), "--overwrite replaces them, --append adds to them") {
		t.Fatalf("another run: %v", err)
	}
	if _, err := BeginFolderRun(dir, "run2", "", Append); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a); err != nil {
		t.Fatal("append removed a partition")
	}
	// A user's own file in the folder: --overwrite refuses rather than delete it.
	own := filepath.Join(dir, "notes.txt")
	os.WriteFile(own, []byte("mine"), 0o644)
	if _, err := BeginFolderRun(dir, "run3", "", Overwrite); !errors.Is(err, neurotab.ErrInUse) || !strings.Contains(err.Error(), "notes.txt, which no table run writes") {
		t.Fatalf("overwrite over a user's file: %v", err)
	}
	if _, err := os.Stat(own); err != nil {
		t.Fatal("the user's file was removed")
	}
	os.Remove(own)
	if _, err := BeginFolderRun(dir, "run3", "", Overwrite); err != nil {
		t.Fatal(err)
	}
	if ents, _ := folderContent(dir); len(ents) != 0 {
		t.Fatalf("overwrite left %v", ents)
	}
	// Shards.
	var parts []string
	for k := 0; k < 3; k++ {
		p := filepath.Join(dir, "k="+strconv.Itoa(k), "part-0.parquet")
		writeTinyParquet(t, p, k+1)
		parts = append(parts, p)
	}
	for i, k := range []int{2, 0, 1} {
		shard := strconv.Itoa(k) + "-of-3"
		complete, err := FinishFolderRun(dir, Manifest{Run: "run3", Shard: shard, Inputs: 1}, parts[k:k+1])
		if err != nil || complete != (i == 2) {
			t.Fatalf("shard %s: complete %v, %v", shard, complete, err)
		}
		_, err = os.Stat(filepath.Join(dir, SuccessFile))
		if (err == nil) != (i == 2) {
			t.Fatalf("after shard %s: _SUCCESS present %v", shard, err == nil)
		}
	}
	b, _ = os.ReadFile(filepath.Join(dir, ManifestFile))
	m = Manifest{}
	json.Unmarshal(b, &m)
	if m.Inputs != 3 || len(m.Partitions) != 3 || m.Partitions[2] != (ManifestPartition{"k=2/part-0.parquet", 3}) {
		t.Fatalf("whole manifest %s", b)
	}
}

// After Interrupt the unfinished temporaries are gone and nothing new is
// written; committed files are reported.
func TestInterrupt(t *testing.T) {
	dir := t.TempDir()
	done := filepath.Join(dir, "done.bin")
	if err := writeAtomic(done, []byte("x")); err != nil {
		t.Fatal(err)
	}
	af, err := CreateAtomic(filepath.Join(dir, "half.bin"))
	if err != nil {
		t.Fatal(err)
	}
	af.Write([]byte("partial"))
	removed := Interrupt()
	defer func() { liveMu.Lock(); interrupted = false; liveMu.Unlock() }()
	if len(removed) != 1 || removed[0] != af.Name() {
		t.Fatalf("removed %v, want %s", removed, af.Name())
	}
	if err := af.Commit(); err == nil {
		t.Fatal("a commit after Interrupt succeeded")
	}
	if _, err := CreateAtomic(filepath.Join(dir, "new.bin")); err == nil {
		t.Fatal("CreateAtomic after Interrupt succeeded")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != "done.bin" {
		t.Fatalf("folder holds %v", ents)
	}
	c := Committed()
	if len(c) == 0 || c[len(c)-1] != done {
		t.Fatalf("committed %v", c)
	}
}

// A TempDir appears under its final name only at Commit, replacing an older
// folder whole; Abort leaves nothing.
func TestTempDir(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "demo-out")
	os.MkdirAll(filepath.Join(final, "raw"), 0o755)
	os.WriteFile(filepath.Join(final, "old.txt"), []byte("old"), 0o644)
	td, err := CreateTempDir(final)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(td.Path), ".demo-out.tmp-"+strconv.Itoa(os.Getpid())+"-") {
		t.Fatalf("temporary folder %s", td.Path)
	}
	os.WriteFile(filepath.Join(td.Path, "new.txt"), []byte("new"), 0o644)
	if _, err := os.Stat(filepath.Join(final, "old.txt")); err != nil {
		t.Fatal("the old folder changed before Commit")
	}
	if err := td.Commit(); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != "demo-out" {
		t.Fatalf("after Commit the parent holds %v", ents)
	}
	if b, _ := os.ReadFile(filepath.Join(final, "new.txt")); string(b) != "new" {
		t.Fatal("new content missing")
	}
	if _, err := os.Stat(filepath.Join(final, "old.txt")); !os.IsNotExist(err) {
		t.Fatal("old content kept")
	}
	td, _ = CreateTempDir(final)
	td.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("after Abort the parent holds %v", ents)
	}
}
