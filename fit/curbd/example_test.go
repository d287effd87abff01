package curbd_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/fit/curbd"
)

// Fit a data-constrained network to 300 samples of 20 traces recorded from
// a chaotic rate network, and score it trained and running freely.
func Example() {
	R, _ := teacher(5, 20, 300, 1.5) // T×N traces in (−1, 1)
	c := curbd.CURBD{Epochs: 30, Seed: 1}
	if err := c.Fit(R); err != nil {
		fmt.Println(err)
		return
	}
	pvar, _ := c.PVar()
	free := new(mat.Dense)
	if err := c.SimulateTo(free); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("pVar %.2f, free run %.2f\n", pvar, curbd.PVar(R, free))
	// Output:
	// pVar 0.99, free run 0.99
}
