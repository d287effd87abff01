package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
)

// outputRun is a command's hold on its output for one run: the advisory
// lock that refuses a second writer and, for a folder output, the run
// markers (table.BeginFolderRun, FinishFolderRun) that say when the folder
// is complete.
type outputRun struct {
	g      *Globals
	out    string
	folder bool
	shard  string // "k-of-n", or "" for a whole run
	run    string // the run key, equal for every shard of one run
	claim  *table.Claim
}

// beginOutput locks out, removes the temporaries a killed earlier run left
// there (saying so), and for a folder checks what an earlier run left and
// clears the success markers this run will rewrite.
func beginOutput(g *Globals, out string, folder bool, sh ingest.Shard, existing table.Existing) (*outputRun, error) {
	r := &outputRun{g: g, out: out, folder: folder, run: runKey(g.Args)}
	if sh.N > 1 {
		r.shard = fmt.Sprintf("%d-of-%d", sh.K, sh.N)
	}
	c, err := claimOutput(g, out, folder, r.shard)
	if err != nil {
		return nil, err
	}
	r.claim = c
	if folder {
		removed, err := table.BeginFolderRun(out, r.run, r.shard, existing)
		if err != nil {
			c.Release()
			return nil, err
		}
		for _, s := range removed {
			g.Debugf("removed %s (an earlier run's)", s)
		}
	}
	return r, nil
}

// claimOutput locks out for this process (a second writer of the same
// output is refused) and removes, saying so, the temporaries a killed
// earlier run left there. Every command that writes an output calls it.
func claimOutput(g *Globals, out string, folder bool, shard string) (*table.Claim, error) {
	c, err := table.ClaimOutput(out, folder, shard)
	if err != nil {
		return nil, err
	}
	stale, err := table.RemoveStale(out)
	if err != nil {
		c.Release()
		return nil, err
	}
	for _, s := range stale {
		g.Logf("removed %s, a temporary a killed run left", s)
	}
	return c, nil
}

// finish records a folder run that accounted for every input (manifest and
// _SUCCESS, or the shard's markers) and says what the folder now is.
func (r *outputRun) finish(inputs int, files []string) error {
	if !r.folder {
		return nil
	}
	m := table.Manifest{Run: r.run, Shard: r.shard, Command: r.g.Args, Inputs: inputs}
	complete, err := table.FinishFolderRun(r.out, m, files)
	if err != nil {
		return err
	}
	switch {
	case complete:
		r.g.Logf("%s is complete: %s and %s written", r.out, table.SuccessFile, table.ManifestFile)
	default:
		r.g.Logf("shard %s of %s done; %s appears when every shard is", r.shard, r.out, table.SuccessFile)
	}
	return nil
}

// release drops the lock.
func (r *outputRun) release() {
	if r != nil {
		r.claim.Release()
	}
}

// runKey identifies a run by its command line without the flags that do not
// change what it writes (--shard, -q, -v, --jobs): the shards of one run
// share it, and a rerun of the same command has it again.
func runKey(args []string) string {
	var kept []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(a, "=")
		switch name {
		case "--shard", "--jobs":
			if !hasValue {
				i++ // the value is the next argument
			}
			continue
		case "-q", "--quiet", "-v", "-vv", "-vvv", "--verbose":
			continue
		}
		kept = append(kept, a)
	}
	if len(kept) > 0 {
		kept = kept[1:] // the program's own path
	}
	h := sha256.Sum256([]byte(strings.Join(kept, "\x00")))
	return hex.EncodeToString(h[:8])
}

// Run is the entry point used by cmd/neurotab: Main, with SIGINT and SIGTERM
// ending the run cleanly (see interrupted).
func Run() int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sigs
		os.Exit(interrupted(os.Stderr, s))
	}()
	return Main(os.Args, os.Stdout, os.Stderr)
}

// interrupted stops every write (table.Interrupt removes the unfinished
// temporaries and refuses new ones), prints one line saying what was
// finished and what was not, and returns the shell's exit code for the
// signal: 130 for SIGINT, 143 for SIGTERM.
func interrupted(w io.Writer, s os.Signal) int {
	removed := table.Interrupt()
	var done []string
	for _, f := range table.Committed() {
		if !strings.HasPrefix(filepath.Base(f), ".") { // run markers are not outputs
			done = append(done, f)
		}
	}
	name, code := "SIGTERM", 143
	if s == os.Interrupt {
		name, code = "SIGINT", 130
	}
	kept := "nothing was finished"
	if len(done) > 0 {
		kept = fmt.Sprintf("%s finished and kept (%s)", plural(len(done), "file"), listSome(done, 3))
	}
	fmt.Fprintf(w, "\nneurotab: interrupted by %s: %s; %s of unfinished output removed; the rest was not written (a folder output has no %s)\n",
		name, kept, plural(len(removed), "temporary file"), table.SuccessFile)
	return code
}

// listSome joins the first n items and says how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}
