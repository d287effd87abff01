//go:build !unix

package spiking

// cpuSeconds is 0 where getrusage is missing: the per-CPU-second metric is
// then not reported.
func cpuSeconds() float64 { return 0 }
