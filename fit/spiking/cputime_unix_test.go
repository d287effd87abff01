//go:build unix

package spiking

import "syscall"

// cpuSeconds returns the user + system CPU time of the process, so that a
// benchmark can report its rate per CPU second, which other processes on
// a shared machine do not change as they change the wall time.
func cpuSeconds() float64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}
