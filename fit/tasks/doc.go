// Package tasks generates the standard benchmark tasks of reservoir
// computing and scores reservoirs on them: memory capacity (Memory),
// NARMA10 (NARMA10), the Mackey–Glass series (MackeyGlass) and the Lorenz-63
// system (Lorenz), each from a neurotab.Seed or fixed initial state, so the
// same settings give the same series bit for bit.
//
// # Notation and orientation
//
// As in package neurotab (see "Matrix orientation" in
// [github.com/neurotab/neurotab]): rows are time. An input U is T×D, a
// target Y is T×K, reservoir states X are T×N (row t is the activity after
// input row t, as reservoir.Runner.Run writes them). Readouts are
// fit/readout's Ridge.
//
// # Errors
//
// Errors start with "tasks:" and wrap neurotab.ErrParam (a bad setting),
// neurotab.ErrShape (states of the wrong size) or neurotab.ErrNotFinite (a
// series that diverged, NaN in the states).
package tasks
