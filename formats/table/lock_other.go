//go:build !unix

package table

import "os"

// lockFile cannot lock on this system: concurrent writers are not detected.
func lockFile(f *os.File) error { return nil }

// unlockFile does nothing here.
func unlockFile(f *os.File) {}
