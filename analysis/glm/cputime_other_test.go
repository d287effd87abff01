//go:build !unix

package glm

// cpuSeconds is unavailable here; the benchmarks report 0.
func cpuSeconds() float64 { return 0 }
