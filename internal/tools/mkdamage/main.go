// Command mkdamage writes the damaged-input regression corpus (package
// internal/damage) into a folder, to look at or to try on another build:
//
//	go run ./internal/tools/mkdamage [-data ../shared/data] OUT
//
// TestDamagedCorpus makes the same files in a temporary folder and runs them.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/neurotab/neurotab/internal/damage"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func main() {
	data := flag.String("data", "", "the shared fixtures folder (default: ../shared/data beside the module root)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: mkdamage [-data DIR] OUT")
		os.Exit(2)
	}
	if *data == "" {
		d, err := fixtures.DataDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkdamage:", err)
			os.Exit(1)
		}
		*data = d
	}
	cases, err := damage.Make(*data, flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkdamage:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d damaged files from %d seeds into %s\n", len(cases), len(damage.Seeds), flag.Arg(0))
}
