package csvtab_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/neurotab/neurotab/formats/csvtab"
)

// A tab-separated trace table with a comment line and a missing value.
func ExampleReader() {
	in := "# exported by hand\ntime\tAVAL\tAVAR\n0.0\t1.5\tNA\n0.5\t2\t-1\n"
	r, err := csvtab.NewReader(strings.NewReader(in), "traces.tsv", csvtab.Options{Comment: '#'})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := r.Index("Time")
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		tm, _ := r.Float(row, t)
		a, _ := r.Float(row, 1)
		b, _ := r.Float(row, 2)
		fmt.Printf("line %d: t=%g AVAL=%g AVAR=%g\n", r.Line(), tm, a, b)
	}
	_, err = r.Require("AVAL", "RIML")
	fmt.Println(err)
	// Output:
	// line 3: t=0 AVAL=1.5 AVAR=NaN
	// line 4: t=0.5 AVAL=2 AVAR=-1
	// traces.tsv:2: header "time\tAVAL\tAVAR" has no "RIML" column: not found
}
