package tasks_test

import (
	"fmt"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/fit/tasks"
)

// Measure the memory capacity of a 10-unit delay line: it remembers the
// last 9 inputs exactly and nothing older.
func ExampleMemory() {
	m := tasks.Memory{Seed: 1}
	U := m.Input(10)
	var X mat.Dense
	if err := reservoir.NewRunner(delayLine(10)).Run(&X, U); err != nil {
		fmt.Println(err)
		return
	}
	mc, terms, err := m.Capacity(&X, U)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("MC = %.2f; r² at delays 1, 9, 10: %.2f %.2f %.2f\n", mc, terms[0], terms[8], terms[9])
	// Output:
	// MC = 9.00; r² at delays 1, 9, 10: 1.00 1.00 0.00
}

// Generate NARMA10 and look at its first non-trivial value,
// y[10] = 1.5 u[0] u[9] + 0.1.
func ExampleNARMA10() {
	U, Y, err := tasks.NARMA10(7, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(Y.At(9, 0) == 1.5*U.At(0, 0)*U.At(9, 0)+0.1)
	// Output:
	// true
}

// Sample the Mackey–Glass τ = 17 series, one value per time unit.
func ExampleMackeyGlass() {
	x, err := tasks.MackeyGlass{Seed: 1}.Series(2000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d samples in [%.1f, %.1f]\n", x.RawMatrix().Rows, mat.Min(x), mat.Max(x))
	// Output:
	// 2000 samples in [0.4, 1.3]
}

// Sample the Lorenz-63 attractor every 0.01 time units.
func ExampleLorenz() {
	X, err := tasks.Lorenz{}.Series(5000)
	if err != nil {
		fmt.Println(err)
		return
	}
	z := mat.Col(nil, 2, X)
	fmt.Printf("%d samples of (x, y, z); z in [%.0f, %.0f]\n", len(z), floats.Min(z), floats.Max(z))
	// Output:
	// 5000 samples of (x, y, z); z in [5, 45]
}
