// Command neurotab homogenizes, models and analyses neural data as Arrow
// tables. See `neurotab --help` and README.md.
package main

import (
	"os"

	"github.com/neurotab/neurotab/internal/cli"
	// Built with -tags openblas, gonum's BLAS calls OpenBLAS (cgo); without
	// the tag this import is empty and the binary is pure Go.
	_ "github.com/neurotab/neurotab/internal/openblas"
)

func main() { os.Exit(cli.Run()) }
