package visibility_test

import (
	"fmt"

	"github.com/neurotab/neurotab/analysis/visibility"
)

// The issue's example: 4 sees 1 over 2 in the natural graph only.
func Example() {
	x := []float64{3, 4, 2, 1}
	nv, _ := visibility.Natural(x)
	hv, _ := visibility.Horizontal(x)
	fmt.Println("natural:   ", nv, visibility.Degrees(len(x), nv))
	fmt.Println("horizontal:", hv, visibility.Degrees(len(x), hv))
	// Output:
	// natural:    [{0 1} {1 2} {1 3} {2 3}] [1 3 2 2]
	// horizontal: [{0 1} {1 2} {2 3}] [1 2 2 1]
}
