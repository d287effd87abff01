package table

import (
	"fmt"
	"os"
	"path/filepath"
)

// AtomicFile is a file written under a temporary name in its target folder
// and renamed over the final name only by Commit, after an fsync. Until then
// the final name is untouched: a crash, a kill or an Abort leaves either the
// old file or no file there, never a truncated one.
type AtomicFile struct {
	*os.File
	final string
	done  bool
}

// CreateAtomic opens a temporary file beside path (".base.tmp-*").
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// CreateTemp makes the file private (0600); outputs are ordinary files.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
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
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(tmp)
		return fmt.Errorf("%s: sync: %w", a.final, err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: close: %w", a.final, err)
	}
	if err := os.Rename(tmp, a.final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", a.final, err)
	}
	if d, err := os.Open(filepath.Dir(a.final)); err == nil {
		d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}

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
}
