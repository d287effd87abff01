// Command neurotab homogenizes, models and analyses neural data as Arrow
// tables. See `neurotab --help` and README.md.
package main

import (
	"os"

	"github.com/neurotab/neurotab/internal/cli"
)

func main() { os.Exit(cli.Run()) }
