// Package cli is the neurotab command line: one cobra command per file,
// split as the GitHub CLI splits its commands:
//
//   - an options struct holding the Globals, the parsed flags and the
//     positional arguments;
//   - a constructor newXCmd(g, runF) that binds the flags and the --help
//     text (with an Example section); when runF is not nil the command hands
//     it the parsed options instead of running, so tests check the wiring;
//   - a run function runX(opts) that validates the options (usage errors,
//     exit 2) and calls into the library packages; tests call it directly,
//     with buffers for Stdout and Stderr, without cobra or a terminal.
//
// No algorithm lives here: a command reads its inputs, calls one library
// function and writes the result with provenance built by
// table.NewProvenance, which hashes every input file or table.
//
// Exit codes: 0 success, 1 runtime error, 2 usage error. Data go to stdout or
// files; messages, errors and progress bars to stderr (bars only on a
// terminal and never with --quiet).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// Globals are the options every command shares.
type Globals struct {
	Quiet   bool
	Verbose int
	Stdout  io.Writer
	Stderr  io.Writer
	Args    []string // the whole command line, recorded in provenance

	cpuProfile, memProfile string
	stopProfile            func() error
}

// Logf prints a message to stderr unless --quiet.
func (g *Globals) Logf(format string, a ...any) {
	if !g.Quiet {
		fmt.Fprintf(g.Stderr, format+"\n", a...)
	}
}

// Reportf prints a status line of a command's run (what was read, fitted,
// written) to stdout unless --quiet: -q leaves only data and errors.
func (g *Globals) Reportf(format string, a ...any) {
	if !g.Quiet {
		fmt.Fprintf(g.Stdout, format, a...)
	}
}

// Reportln is Reportf for one preformatted line.
func (g *Globals) Reportln(line string) {
	if !g.Quiet {
		fmt.Fprintln(g.Stdout, line)
	}
}

// Debugf prints a message to stderr with -v.
func (g *Globals) Debugf(format string, a ...any) {
	if g.Verbose > 0 && !g.Quiet {
		fmt.Fprintf(g.Stderr, format+"\n", a...)
	}
}

// Progress reports whether progress bars may be drawn.
func (g *Globals) Progress() bool { return !g.Quiet }

// UsageError marks a command-line mistake (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usagef(format string, a ...any) error { return &UsageError{fmt.Errorf(format, a...)} }

// args wraps a cobra argument validator so its errors are usage errors.
func args(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := v(cmd, a); err != nil {
			return &UsageError{err}
		}
		return nil
	}
}

// NewRoot builds the command tree.
func NewRoot(g *Globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "neurotab",
		Short: "Homogenize, model and analyse neural data as Arrow tables",
		Long: `neurotab turns lab recordings (calcium traces, connectomes, event and spike data)
into canonical Arrow tables, fits models to them, analyses them, and writes
Parquet and Arrow IPC that DuckDB, pandas, Polars and Spark read as they are.

Start with 'neurotab demo --out demo-out', then 'neurotab inspect demo-out/traces.parquet'.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.PersistentFlags().BoolVarP(&g.Quiet, "quiet", "q", false, "print nothing but data and errors; no progress bars")
	root.PersistentFlags().CountVarP(&g.Verbose, "verbose", "v", "print more detail (repeat for more)")
	root.PersistentFlags().StringVar(&g.cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	root.PersistentFlags().StringVar(&g.memProfile, "memprofile", "", "write an allocation profile (go tool pprof) to this file at exit")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return g.startProfiles() }
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{err} })
	root.SetOut(g.Stdout)
	root.SetErr(g.Stderr)
	root.AddCommand(newVersionCmd(g, nil), newInspectCmd(g, nil), newDemoCmd(g, nil), newIngestCmd(g, nil), newEventsCmd(g), newConnectomeCmd(g), newAnalyzeCmd(g), newFitCmd(g), newExportCmd(g, nil))
	return root
}

// groupCmd is a parent command (analyze, connectome, events, fit): it runs
// nothing itself and prints its help, listing its subcommands.
func groupCmd(use, short string, children ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  args(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(children...)
	return cmd
}

// Main runs the command line and returns the exit code.
func Main(argv []string, stdout, stderr io.Writer) int {
	g := &Globals{Stdout: stdout, Stderr: stderr, Args: argv}
	root := NewRoot(g)
	root.SetArgs(argv[1:])
	err := root.Execute()
	if g.stopProfile != nil {
		if perr := g.stopProfile(); perr != nil && err == nil {
			err = perr
		}
	}
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	usage := errors.As(err, &ue) || isCobraUsage(err)
	if !usage {
		fmt.Fprintf(stderr, "neurotab: %s\n", neurotab.OneLine(err))
		return ExitError
	}
	// A usage error names the help of the command it concerns; a mistyped
	// subcommand gets the closest names, each on its own line.
	cmd, rest, ferr := root.Find(argv[1:])
	if ferr != nil || cmd == nil {
		cmd = root
	}
	msg := neurotab.OneLine(err)
	if strings.HasPrefix(msg, "unknown command") {
		msg, _, _ = strings.Cut(msg, ";") // cobra's own suggestion, folded
		fmt.Fprintf(stderr, "neurotab: %s\n", msg)
		if len(rest) > 0 {
			if sug := cmd.SuggestionsFor(rest[0]); len(sug) > 0 {
				fmt.Fprintln(stderr, "\nDid you mean this?")
				for _, s := range sug {
					fmt.Fprintf(stderr, "\t%s\n", s)
				}
				fmt.Fprintln(stderr)
			}
		}
	} else {
		fmt.Fprintf(stderr, "neurotab: %s\n", msg)
	}
	fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	return ExitUsage
}

// isCobraUsage recognizes the usage errors cobra raises itself.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires at most", "required flag"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// startProfiles starts the CPU profile and arranges the allocation
// profile that --cpuprofile and --memprofile ask for (for finding where a
// conversion spends its time and memory).
func (g *Globals) startProfiles() error {
	var cpu *os.File
	if g.cpuProfile != "" {
		f, err := os.Create(g.cpuProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		cpu = f
	}
	if cpu == nil && g.memProfile == "" {
		return nil
	}
	g.stopProfile = func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
		}
		if g.memProfile != "" {
			f, err := os.Create(g.memProfile)
			if err != nil {
				return fmt.Errorf("--memprofile: %w", err)
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				return fmt.Errorf("--memprofile: %w", err)
			}
		}
		return nil
	}
	return nil
}

// parseOut applies table.ParseOutput to the -o value of a command: an
// unknown form is a usage error naming the flag and the choices. A command
// whose output is one table (folder false) also refuses a folder.
func parseOut(out string, folder bool) (table.OutputKind, error) {
	if out == "" {
		return 0, usagef("-o/--out is required")
	}
	k, err := table.ParseOutput(out)
	if err != nil {
		return 0, usagef("-o: %v", err)
	}
	if k == table.OutputDir && !folder {
		return 0, usagef("-o %s: this command writes one table, not a hive folder; use FILE.parquet (Parquet) or FILE.arrow / FILE.feather (Arrow IPC)", out)
	}
	return k, nil
}
