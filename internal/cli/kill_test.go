package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neurotab/neurotab/internal/fixtures"
)

// TestMain lets the kill tests run this test binary as the neurotab command
// (NEUROTAB_TEST_AS_CLI=1), so that signals reach a real process.
func TestMain(m *testing.M) {
	if os.Getenv("NEUROTAB_TEST_AS_CLI") == "1" {
		os.Exit(Run())
	}
	os.Exit(m.Run())
}

// cliProcess starts the command in its own process.
func cliProcess(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "NEUROTAB_TEST_AS_CLI=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// exitCode waits for cmd and returns its exit status (-1 when killed by a signal).
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode()
}

// snapshot maps every visible file under root (relative path) to its bytes;
// hidden lists the hidden temporaries (".*.tmp-*") found.
func snapshot(t *testing.T, root string) (files map[string][]byte, hidden []string) {
	t.Helper()
	files = map[string][]byte{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if strings.Contains(d.Name(), ".tmp-") {
				hidden = append(hidden, p)
			}
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[rel] = b
		return nil
	})
	return files, hidden
}

// waitFor polls until cond holds or the command exits (false then).
func waitFor(cmd *exec.Cmd, done <-chan struct{}, cond func() bool) bool {
	for {
		if cond() {
			return true
		}
		select {
		case <-done:
			return cond()
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// Interrupted and killed runs, folder and single-file: SIGINT and SIGTERM
// remove the run's temporaries, print one line and exit 130/143; SIGKILL
// leaves temporaries that the next run removes; _SUCCESS appears only after
// a complete run; and the rerun's output equals an uninterrupted run's byte
// for byte.
func TestKillAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command as child processes")
	}
	src := fixtures.Path(t, "expelliarmus", "evt2_sample.raw")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var inputs []string
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		p := filepath.Join(dir, n+".raw")
		os.WriteFile(p, b, 0o644)
		inputs = append(inputs, p)
	}
	type point struct {
		name string
		when func(out string) bool
	}
	partitions := func(n int) func(string) bool {
		return func(out string) bool {
			ms, _ := filepath.Glob(filepath.Join(out, "recording=*", "part-0.parquet"))
			return len(ms) >= n
		}
	}
	temporary := func(out string) bool {
		ms, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*"))
		ms2, _ := filepath.Glob(filepath.Join(out, "recording=*", ".part-0.parquet.tmp-*"))
		return len(ms)+len(ms2) > 0
	}
	for _, mode := range []struct {
		name   string
		out    string
		points []point
	}{
		{"folder", filepath.Join(dir, "ds"), []point{{"writing the first partition", temporary}, {"after 1 partition", partitions(1)}, {"after 3 partitions", partitions(3)}}},
		{"file", filepath.Join(dir, "ev.parquet"), []point{{"while writing", temporary}}},
	} {
		args := append(append([]string{"ingest", "--source", "evt2", "--jobs", "1"}, inputs...), "-o", mode.out)
		cmd, stderr := cliProcess(t, args...)
		if code := exitCode(t, cmd); code != 0 {
			t.Fatalf("%s: reference run exit %d: %s", mode.name, code, stderr)
		}
		ref, _ := snapshot(t, dir)
		if mode.name == "folder" && ref[filepath.Join("ds", "_SUCCESS")] == nil {
			t.Fatalf("reference folder run wrote no _SUCCESS: %v", ref)
		}
		for _, p := range mode.points {
			for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
				name := mode.name + "/" + p.name + "/" + sig.String()
				os.RemoveAll(mode.out)
				cmd, stderr := cliProcess(t, args...)
				done := make(chan struct{})
				go func() { cmd.Wait(); close(done) }()
				if !waitFor(cmd, done, func() bool { return p.when(mode.out) }) {
					t.Logf("%s: the run finished before the point was reached", name)
				}
				cmd.Process.Signal(sig)
				<-done
				code := cmd.ProcessState.ExitCode()
				after, hidden := snapshot(t, dir)
				if _, ok := after[filepath.Join("ds", "_SUCCESS")]; ok && mode.name == "folder" && code != 0 {
					t.Errorf("%s: _SUCCESS after an interrupted run", name)
				}
				switch sig {
				case syscall.SIGINT, syscall.SIGTERM:
					want := map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143}[sig]
					if code != want && code != 0 {
						t.Errorf("%s: exit %d, want %d", name, code, want)
					}
					if code == want && (!strings.Contains(stderr.String(), "interrupted by "+map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]) ||
						strings.Count(strings.TrimSpace(stderr.String()), "\n") > 0) {
						t.Errorf("%s: stderr %q, want one line saying what was interrupted", name, stderr)
					}
					if len(hidden) > 0 {
						t.Errorf("%s: temporaries left: %v", name, hidden)
					}
				}
				if mode.name == "file" && code != 0 {
					if _, ok := after["ev.parquet"]; ok {
						t.Errorf("%s: an interrupted single-file run left ev.parquet", name)
					}
				}
				// The rerun removes what a killed run left and equals the reference.
				cmd, stderr = cliProcess(t, args...)
				if code := exitCode(t, cmd); code != 0 {
					t.Fatalf("%s: rerun exit %d: %s", name, code, stderr)
				}
				if len(hidden) > 0 && !strings.Contains(stderr.String(), "a temporary a killed run left") {
					t.Errorf("%s: the rerun did not say it removed %v: %q", name, hidden, stderr)
				}
				got, left := snapshot(t, dir)
				if len(left) > 0 {
					t.Errorf("%s: temporaries after the rerun: %v", name, left)
				}
				if len(got) != len(ref) {
					t.Errorf("%s: rerun wrote %d files, reference %d", name, len(got), len(ref))
				}
				for k, v := range ref {
					if !bytes.Equal(got[k], v) {
						t.Errorf("%s: %s differs from the uninterrupted run", name, k)
					}
				}
			}
		}
		os.RemoveAll(mode.out)
	}
}
