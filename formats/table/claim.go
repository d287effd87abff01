package table

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// Claim is a writer's hold on an output: an exclusive advisory lock
// (flock) on a hidden lock file, ".NAME.lock" beside a file output or
// ".lock" inside a folder output, so that a second process writing the same
// output is refused instead of racing it to the last rename. The shards of
// one run (Shard "k-of-n") each lock their own name and may write one folder
// at once. The kernel drops the lock when the process exits, however it
// exits; the small lock file stays.
type Claim struct {
	f    *os.File
	path string
}

// ClaimOutput takes the lock of out for this process. folder says whether
// out is a folder output (created when absent). shard is "" or "k-of-n". A
// lock another process holds is an error wrapping neurotab.ErrInUse that
// names that process.
func ClaimOutput(out string, folder bool, shard string) (*Claim, error) {
	var lock string
	if folder {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return nil, fmt.Errorf("%s: %w", out, err)
		}
		lock = filepath.Join(out, ".lock")
	} else {
		dir, base := filepath.Split(out)
		lock = filepath.Join(dir, "."+base+".lock")
	}
	if shard != "" {
		lock += "-" + shard
	}
	f, err := os.OpenFile(lock, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: lock: %w", out, err)
	}
	if err := lockFile(f); err != nil {
		holder, _ := os.ReadFile(lock)
		f.Close()
		who := "another process"
		if pid, err := strconv.Atoi(strings.TrimSpace(string(holder))); err == nil && pid > 0 {
			who = "process " + strconv.Itoa(pid)
		}
		return nil, fmt.Errorf("%s is being written by %s (lock %s): wait for it to finish, or choose another -o: %w", out, who, lock, neurotab.ErrInUse)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &Claim{f: f, path: lock}, nil
}

// Release drops the lock.
func (c *Claim) Release() {
	if c != nil && c.f != nil {
		unlockFile(c.f)
		c.f.Close()
		c.f = nil
	}
}

// Existing says what a folder run does with what an earlier, different run
// left in its folder.
type Existing int

const (
	// Refuse: a folder holding another run's output is an error.
	Refuse Existing = iota
	// Append: keep it; this run's partitions are added (a partition of the
	// same name is replaced).
	Append
	// Overwrite: remove the earlier run's partitions and markers first.
	Overwrite
)

// Folder-run markers: the run key of the run writing a folder, the
// success flag (the Hadoop/Spark convention) and the manifest of partitions.
const (
	RunMarker    = ".neurotab-run"
	SuccessFile  = "_SUCCESS"
	ManifestFile = "_manifest.json"
)

// Manifest lists what a folder run (or one shard of it) wrote.
type Manifest struct {
	Run        string              `json:"run"`             // the run key: the same for every shard of one run
	Shard      string              `json:"shard,omitempty"` // "k-of-n" for a shard's manifest, "" for the whole run
	Command    []string            `json:"command"`
	Inputs     int                 `json:"inputs"` // inputs of this run or shard
	Partitions []ManifestPartition `json:"partitions"`
}

// ManifestPartition is one file of a folder output with its row count.
type ManifestPartition struct {
	Path string `json:"path"` // relative to the folder, with '/'
	Rows int64  `json:"rows"`
}

// BeginFolderRun prepares dir for the run with key run: a folder whose
// earlier content came from another run (a different key, or files with no
// run marker) is refused unless existing says Append or Overwrite; the
// success markers this run will write are removed first, so a folder never
// says "complete" while a run is writing it. It returns what it removed.
func BeginFolderRun(dir, run, shard string, existing Existing) ([]string, error) {
	prev, _ := os.ReadFile(filepath.Join(dir, RunMarker))
	content, err := folderContent(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	if len(content) > 0 && strings.TrimSpace(string(prev)) != run {
		switch existing {
		case Refuse:
			what := "files no neurotab run marker accounts for"
			if len(prev) > 0 {
				what = "the output of another run"
			}
			return nil, fmt.Errorf("%s holds %s (%d entries, e.g. %s): --overwrite replaces them, --append adds to them: %w",
				dir, what, len(content), content[0], neurotab.ErrInUse)
		case Overwrite:
			// Only what a table run writes is removed; anything else in the
			// folder (a user's own files) makes --overwrite refuse instead.
			for _, c := range content {
				if !runOutput(c) {
					return removed, fmt.Errorf("%s holds %s, which no table run writes: --overwrite removes only partitions (key=value folders, part-*.parquet) and run markers; move it or choose another -o: %w", dir, c, neurotab.ErrInUse)
				}
			}
			for _, c := range content {
				if err := os.RemoveAll(filepath.Join(dir, c)); err != nil {
					return removed, fmt.Errorf("%s: %w", dir, err)
				}
				removed = append(removed, filepath.Join(dir, c))
			}
		}
	}
	markers := []string{SuccessFile}
	if shard != "" {
		markers = append(markers, SuccessFile+"."+shard)
	}
	for _, m := range markers {
		p := filepath.Join(dir, m)
		if err := os.Remove(p); err == nil {
			removed = append(removed, p)
		}
	}
	if err := writeAtomic(filepath.Join(dir, RunMarker), []byte(run+"\n")); err != nil {
		return removed, err
	}
	return removed, nil
}

// runOutput reports whether a folder entry is what a table run writes: a
// hive partition folder (key=value), a part file, or a run marker.
func runOutput(name string) bool {
	return strings.Contains(name, "=") || strings.HasPrefix(name, "part-") ||
		strings.HasPrefix(name, SuccessFile) || strings.HasPrefix(name, "_manifest")
}

// folderContent lists the visible entries of dir (partitions, markers,
// manifests), sorted; hidden files (locks, temporaries) are not content.
func folderContent(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	var out []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// FinishFolderRun records a run (or shard k of n, shard "k-of-n") that
// accounted for every input: its manifest, with the row count of each of
// files read from their footers, and its success marker. When every shard's
// marker is present, the whole run's _manifest.json and _SUCCESS are written
// too. It reports whether the folder is now complete.
func FinishFolderRun(dir string, m Manifest, files []string) (complete bool, err error) {
	for _, f := range files {
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			return false, err
		}
		pf, err := OpenParquet(f, nil)
		if err != nil {
			return false, err
		}
		m.Partitions = append(m.Partitions, ManifestPartition{Path: filepath.ToSlash(rel), Rows: pf.NumRows()})
		pf.Close()
	}
	slices.SortFunc(m.Partitions, func(a, b ManifestPartition) int { return strings.Compare(a.Path, b.Path) })
	if m.Shard == "" || m.Shard == "0-of-1" {
		m.Shard = ""
		return true, writeComplete(dir, m)
	}
	js, _ := json.MarshalIndent(m, "", " ")
	if err := writeAtomic(filepath.Join(dir, "_manifest."+m.Shard+".json"), append(js, '\n')); err != nil {
		return false, err
	}
	if err := writeAtomic(filepath.Join(dir, SuccessFile+"."+m.Shard), nil); err != nil {
		return false, err
	}
	_, n, ok := parseShard(m.Shard)
	if !ok {
		return false, fmt.Errorf("%s: shard %q: want k-of-n: %w", dir, m.Shard, neurotab.ErrParam)
	}
	whole := Manifest{Run: m.Run, Command: m.Command}
	for k := 0; k < n; k++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("_manifest.%d-of-%d.json", k, n)))
		if err != nil {
			return false, nil // another shard is still running (or failed)
		}
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("%s.%d-of-%d", SuccessFile, k, n))); err != nil {
			return false, nil
		}
		var sm Manifest
		if err := json.Unmarshal(b, &sm); err != nil || sm.Run != m.Run {
			return false, nil // a shard of another run: not this run's completion
		}
		whole.Inputs += sm.Inputs
		whole.Partitions = append(whole.Partitions, sm.Partitions...)
	}
	slices.SortFunc(whole.Partitions, func(a, b ManifestPartition) int { return strings.Compare(a.Path, b.Path) })
	return true, writeComplete(dir, whole)
}

// writeComplete writes a whole run's manifest and then its _SUCCESS.
func writeComplete(dir string, m Manifest) error {
	js, _ := json.MarshalIndent(m, "", " ")
	if err := writeAtomic(filepath.Join(dir, ManifestFile), append(js, '\n')); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, SuccessFile), nil)
}

// parseShard reads "k-of-n".
func parseShard(s string) (k, n int, ok bool) {
	a, b, found := strings.Cut(s, "-of-")
	if !found {
		return 0, 0, false
	}
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	return k, n, err1 == nil && err2 == nil && n > 0 && k >= 0 && k < n
}

// writeAtomic writes a small file through an AtomicFile.
func writeAtomic(path string, b []byte) error {
	af, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	defer af.Abort()
	if _, err := af.Write(b); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return af.Commit()
}
