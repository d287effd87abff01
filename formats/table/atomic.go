package table

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/neurotab/neurotab"
)

// live and committed are this process's temporaries not yet committed or
// aborted, and the final paths committed so far: what an interrupted run
// removes, and what it reports as finished.
var (
	liveMu      sync.Mutex
	live        = map[string]bool{}
	committed   []string
	interrupted bool
)

func track(tmp string, on bool) {
	liveMu.Lock()
	defer liveMu.Unlock()
	if on {
		live[tmp] = true
	} else {
		delete(live, tmp)
	}
}

// Interrupt stops this process's writing: it removes every temporary file
// neither committed nor aborted and returns their names, and from then on
// CreateAtomic and Commit fail, so nothing half-written stays behind and
// nothing new appears. A command calls it when it is interrupted (SIGINT,
// SIGTERM) before it exits.
func Interrupt() []string {
	liveMu.Lock()
	defer liveMu.Unlock()
	interrupted = true
	var removed []string
	for tmp := range live {
		if err := os.RemoveAll(tmp); err == nil {
			removed = append(removed, tmp)
		}
		delete(live, tmp)
	}
	slices.Sort(removed)
	return removed
}

// Committed returns the final paths of the files this process has committed,
// in order: the outputs an interrupted run reports as finished.
func Committed() []string {
	liveMu.Lock()
	defer liveMu.Unlock()
	return slices.Clone(committed)
}

// tempPattern is the os.CreateTemp pattern of a temporary for base: hidden,
// with the writer's process id, so a later run can tell a dead writer's
// leftovers (RemoveStale) from a live one's.
func tempPattern(base string) string {
	return "." + base + ".tmp-" + strconv.Itoa(os.Getpid()) + "-*"
}

// tempOwner returns the process id in a temporary's name made by
// tempPattern, and whether name is such a temporary.
func tempOwner(name string) (int, bool) {
	if !strings.HasPrefix(name, ".") {
		return 0, false
	}
	i := strings.LastIndex(name, ".tmp-")
	if i < 0 {
		return 0, false
	}
	pid, _, ok := strings.Cut(name[i+len(".tmp-"):], "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(pid)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// RemoveStale removes the temporaries that killed runs (SIGKILL, power loss)
// left at an output: for a file, its hidden ".name.tmp-PID-*" siblings; for a
// folder, every such file inside it. Only temporaries whose writing process
// is gone are removed (a live writer's are left alone); it returns what it
// removed so the command can say so.
func RemoveStale(out string) ([]string, error) {
	var cands []string
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				if _, ok := tempOwner(d.Name()); ok {
					cands = append(cands, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", out, err)
		}
	} else {
		dir, base := filepath.Split(out)
		if dir == "" {
			dir = "."
		}
		ms, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".tmp-*"))
		cands = ms
	}
	var removed []string
	for _, p := range cands {
		pid, ok := tempOwner(filepath.Base(p))
		if !ok || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		if err := os.RemoveAll(p); err == nil {
			removed = append(removed, p)
		}
	}
	return removed, nil
}

// TempDir is a folder written under a hidden temporary name beside its final
// name and moved into place by Commit: a run that builds a whole folder (the
// demo) leaves either the old folder or the complete new one, never a
// partial one. Interrupt removes it like a temporary file; RemoveStale
// removes a killed run's.
type TempDir struct {
	Path  string // the temporary folder to write into
	final string
	done  bool
}

// CreateTempDir makes the temporary folder for final (".base.tmp-PID-*").
func CreateTempDir(final string) (*TempDir, error) {
	dir, base := filepath.Split(filepath.Clean(final))
	if dir == "" {
		dir = "."
	}
	liveMu.Lock()
	if interrupted {
		liveMu.Unlock()
		return nil, fmt.Errorf("%s: %w", final, errInterrupted)
	}
	p, err := os.MkdirTemp(dir, tempPattern(base))
	if err == nil {
		live[p] = true
	}
	liveMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", final, err)
	}
	if err := os.Chmod(p, 0o755); err != nil {
		os.RemoveAll(p)
		return nil, fmt.Errorf("%s: %w", final, err)
	}
	return &TempDir{Path: p, final: final}, nil
}

// Commit moves the folder to its final name, replacing a folder there (the
// old one is moved aside first and removed after).
func (d *TempDir) Commit() error {
	if d.done {
		return fmt.Errorf("%s: already committed or aborted", d.final)
	}
	d.done = true
	defer track(d.Path, false)
	liveMu.Lock()
	defer liveMu.Unlock()
	if interrupted {
		os.RemoveAll(d.Path)
		return fmt.Errorf("%s: %w", d.final, errInterrupted)
	}
	var old string
	if st, err := os.Stat(d.final); err == nil {
		if !st.IsDir() {
			os.RemoveAll(d.Path)
			return fmt.Errorf("%s exists and is not a folder: %w", d.final, neurotab.ErrType)
		}
		old = d.Path + ".old"
		if err := os.Rename(d.final, old); err != nil {
			os.RemoveAll(d.Path)
			return fmt.Errorf("%s: %w", d.final, err)
		}
	}
	if err := os.Rename(d.Path, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final)
		}
		os.RemoveAll(d.Path)
		return fmt.Errorf("%s: %w", d.final, err)
	}
	committed = append(committed, d.final)
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Abort removes the temporary folder; safe after Commit.
func (d *TempDir) Abort() {
	if d.done {
		return
	}
	d.done = true
	os.RemoveAll(d.Path)
	track(d.Path, false)
}

// globEscape escapes the metacharacters of filepath.Match in s.
func globEscape(s string) string {
	r := strings.NewReplacer("*", "\\*", "?", "\\?", "[", "\\[", "\\", "\\\\")
	return r.Replace(s)
}

// AtomicFile is a file written under a temporary name in its target folder
// and renamed over the final name only by Commit, after an fsync. Until then
// the final name is untouched: a crash, a kill or an Abort leaves either the
// old file or no file there, never a truncated one.
type AtomicFile struct {
	*os.File
	final string
	done  bool
}

// CreateAtomic opens a temporary file beside path (".base.tmp-PID-*", PID
// this process's id).
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	// Created and registered under the lock that Interrupt takes, so an
	// interrupt either sees (and removes) the file or stops its creation.
	liveMu.Lock()
	if interrupted {
		liveMu.Unlock()
		return nil, fmt.Errorf("%s: %w", path, errInterrupted)
	}
	f, err := os.CreateTemp(dir, tempPattern(base))
	if err == nil {
		live[f.Name()] = true
	}
	liveMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// CreateTemp makes the file private (0600); outputs are ordinary files.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		track(f.Name(), false)
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &AtomicFile{File: f, final: path}, nil
}

// FinalPath is the name the file gets on Commit.
func (a *AtomicFile) FinalPath() string { return a.final }

// Commit flushes the file to disk, closes it, renames it to its final name
// and syncs the folder so the rename survives a crash.
func (a *AtomicFile) Commit() error {
	if a.done {
		return fmt.Errorf("%s: already committed or aborted", a.final)
	}
	a.done = true
	tmp := a.File.Name()
	defer track(tmp, false)
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(tmp)
		return fmt.Errorf("%s: sync: %w", a.final, err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: close: %w", a.final, err)
	}
	liveMu.Lock()
	if interrupted {
		liveMu.Unlock()
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", a.final, errInterrupted)
	}
	err := os.Rename(tmp, a.final)
	if err == nil {
		committed = append(committed, a.final)
	}
	liveMu.Unlock()
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", a.final, err)
	}
	if d, err := os.Open(filepath.Dir(a.final)); err == nil {
		d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}

// errInterrupted is the cause of writes refused after Interrupt.
var errInterrupted = errors.New("interrupted: not written")

// Abort closes and removes the temporary file. It is safe after Commit (then
// it does nothing), so `defer f.Abort()` cleans up every early return.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	tmp := a.File.Name()
	a.File.Close()
	os.Remove(tmp)
	track(tmp, false)
}
