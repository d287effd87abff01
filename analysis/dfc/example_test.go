package dfc

import (
	"fmt"
	"time"

	"github.com/neurotab/neurotab/analysis/fc"
)

// ExampleRun finds the dynamic connectome of two simulated recordings in
// which neurons A, B, C share a drive for the first 300 s and D, E, F for
// the last 300 s: 60 s windows every 30 s make a 19 × 2 × 15 tensor; rank
// 2 fits it better than rank 1, and the static FC of each recording splits
// into the two groups.
func ExampleRun() {
	src := recordings{planted("w1", 600, 2, 1), planted("w2", 600, 1, 2)}
	res, err := Run(&src, Config{FC: fc.Config{Window: 60 * time.Second, Step: 30 * time.Second}, Rank: 2, Restarts: 5, Seed: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Tensor.Dims, res.Diagnostics[1].RelativeError < res.Diagnostics[0].RelativeError)
	for _, p := range res.Partitions {
		fmt.Println(p.Neurons, p.Community)
	}
	// Output:
	// [19 2 15] true
	// [A B C D E F] [0 0 0 1 1 1]
	// [A B C D E F] [0 0 0 1 1 1]
}
