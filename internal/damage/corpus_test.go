package damage_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/neurotab/neurotab/internal/cli"
	"github.com/neurotab/neurotab/internal/damage"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// Limits every case must keep.
const (
	maxAlloc   = 512 << 20        // bytes allocated by one command on one damaged file
	maxRuntime = 60 * time.Second // a hang is a failure
	maxLine    = 1100             // characters of one message line
)

// outcome is what one command did with one damaged file.
type outcome struct {
	code                   int
	stdout, stderr, panicV string
	alloc                  uint64
	timedOut               bool
}

// runCLI runs the command in-process, recovering a panic, measuring what it
// allocates, and giving up after maxRuntime.
func runCLI(args ...string) outcome {
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		var stdout, stderr bytes.Buffer
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		defer func() {
			if p := recover(); p != nil {
				o.panicV = fmt.Sprint(p)
			}
			runtime.ReadMemStats(&after)
			o.alloc = after.TotalAlloc - before.TotalAlloc
			o.stdout, o.stderr = stdout.String(), stderr.String()
			done <- o
		}()
		o.code = cli.Main(append([]string{"neurotab"}, args...), &stdout, &stderr)
	}()
	select {
	case o := <-done:
		return o
	case <-time.After(maxRuntime):
		return outcome{timedOut: true}
	}
}

// TestDamagedCorpus runs every damaged file of the corpus through inspect and
// through the conversion a user would run (ingest, or connectome import).
// Each ends as a clean error — exit 1, at most two message lines that name the
// file — or is accepted (exit 0): formats without checksums cannot tell a
// flipped data byte from a real value, and the README documents that. No case
// panics, hangs, or allocates more than 512 MB; a checksummed format accepts a
// flipped byte only where the checksummed content is unchanged (a flip in a
// zip header field, or one that deflate decodes to the same bytes): the
// conversion then says exactly what the undamaged file's does.
func TestDamagedCorpus(t *testing.T) {
	data, err := fixtures.DataDir()
	if err != nil {
		fixtures.Path(t, "tonic") // skips, or fails when fixtures are required
		return
	}
	dir := t.TempDir()
	cases, err := damage.Make(data, dir)
	if err != nil {
		t.Fatal(err)
	}
	if fixtures.Required() && len(cases) < 300 {
		t.Fatalf("corpus has %d cases, want at least 300 (are all seeds in %s?)", len(cases), data)
	}
	stats := map[string][2]int{} // per command: errors, acceptances
	clean := map[string]string{} // checksummed seed → its conversion's report, file name blanked
	for _, c := range cases {
		var runs [][]string
		runs = append(runs, []string{"inspect", c.File})
		out := filepath.Join(filepath.Dir(c.File), "out.parquet")
		switch {
		case c.Seed.Ingest != "" && c.Seed.Calcium && c.Seed.Ingest != "auto":
			// (with auto a damaged header can make the file look like another
			// kind, to which calcium flags would be a usage error)
			runs = append(runs, []string{"ingest", "--source", c.Seed.Ingest, "--allow-unlabeled", "--min-samples", "-1", c.File, "-o", out})
		case c.Seed.Ingest != "":
			runs = append(runs, []string{"ingest", "--source", c.Seed.Ingest, c.File, "-o", out})
		case c.Seed.Connectome != "":
			runs = append(runs, []string{"connectome", "import", "--source", c.Seed.Connectome, c.File, "-o", out})
		}
		for _, args := range runs {
			name := fmt.Sprintf("%s %s: %s", c.Seed.Path, c.Mutation, args[0])
			o := runCLI(args...)
			switch {
			case o.timedOut:
				t.Fatalf("%s: no answer after %v (a hang)", name, maxRuntime)
			case o.panicV != "":
				t.Errorf("%s: panic: %s", name, o.panicV)
				continue
			}
			if o.alloc > maxAlloc {
				t.Errorf("%s: allocated %d MB", name, o.alloc>>20)
			}
			s := stats[args[0]]
			switch o.code {
			case 0:
				s[1]++
				if c.Seed.Checksummed && strings.HasPrefix(c.Mutation, "flip") && args[0] != "inspect" {
					want, ok := clean[c.Seed.Path]
					if !ok {
						orig := filepath.Join(data, c.Seed.Path)
						co := runCLI(append(args[:len(args)-3:len(args)-3], orig, "-o", out)...)
						want = strings.ReplaceAll(co.stdout, orig, "FILE")
						clean[c.Seed.Path] = want
					}
					if got := strings.ReplaceAll(o.stdout, c.File, "FILE"); got != want {
						t.Errorf("%s: a flipped byte in a checksummed format was accepted with another result:\n%s\nundamaged:\n%s", name, got, want)
					}
				}
			case 1:
				s[0]++
				lines := strings.Split(strings.TrimSpace(o.stderr), "\n")
				var msgs int
				for _, l := range lines {
					if len(l) > maxLine {
						t.Errorf("%s: message line of %d characters", name, len(l))
					}
					if strings.HasPrefix(l, "neurotab: ") || strings.HasPrefix(l, "FAILED ") {
						msgs++
					}
				}
				if msgs == 0 || msgs > 2 {
					t.Errorf("%s: %d message lines, want 1 or 2: %q", name, msgs, o.stderr)
				}
				if !strings.Contains(o.stderr, filepath.Base(c.File)) {
					t.Errorf("%s: the message does not name the file: %q", name, o.stderr)
				}
			default:
				t.Errorf("%s: exit %d: %q", name, o.code, o.stderr)
			}
			stats[args[0]] = s
			os.Remove(out)
		}
	}
	var keys []string
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%s: %d damaged files refused with an error, %d accepted", k, stats[k][0], stats[k][1])
	}
}
