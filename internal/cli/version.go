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

func newVersionCmd(g *Globals) *cobra.Command {
	var deps bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version (and with --deps the library versions)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(g.Stdout, "neurotab %s\n", versionString())
			if deps {
				if bi, ok := debug.ReadBuildInfo(); ok {
					for _, d := range bi.Deps {
						fmt.Fprintf(g.Stdout, "  %s %s\n", d.Path, d.Version)
					}
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&deps, "deps", false, "also list the versions of the libraries built in")
	return cmd
}
