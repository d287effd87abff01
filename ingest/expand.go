package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/neurotab/neurotab"
)

// Expand returns paths with every folder replaced by the regular files
// directly inside it that reads accepts, in sorted order. A folder that
// keepFolder accepts (a folder-based source such as suite2p reads the folder
// itself) stays as given; keepFolder may be nil. A folder holding no file
// that reads accepts is an error naming the folder and what, the files that
// were looked for ("Dag2023 files: …"). Paths that are not folders, missing
// ones included, pass through for the converter to report.
func Expand(paths []string, reads func(path string) bool, keepFolder func(dir string) bool, what string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() || (keepFolder != nil && keepFolder(p)) {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		var found []string
		for _, e := range entries {
			f := filepath.Join(p, e.Name())
			if e.Type().IsRegular() && reads(f) {
				found = append(found, f)
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: folder holds no input: looked for %s: %w", p, what, neurotab.ErrNotFound)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}
