package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

func versionString() string {
	return fmt.Sprintf("%s (%s %s/%s)", table.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// versionOptions are the flags of 'version'.
type versionOptions struct {
	g    *Globals
	Deps bool
}

func newVersionCmd(g *Globals, runF func(*versionOptions) error) *cobra.Command {
	o := &versionOptions{g: g}
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print the version (and with --deps the library versions)",
		Example: `  neurotab version --deps`,
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runVersion(o)
		},
	}
	cmd.Flags().BoolVar(&o.Deps, "deps", false, "also list the versions of the libraries built in")
	return cmd
}

func runVersion(o *versionOptions) error {
	fmt.Fprintf(o.g.Stdout, "neurotab %s\n", versionString())
	if o.Deps {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, d := range bi.Deps {
				fmt.Fprintf(o.g.Stdout, "  %s %s\n", d.Path, d.Version)
			}
		}
	}
	return nil
}
