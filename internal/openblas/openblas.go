// Package openblas, imported for its side effect, makes gonum's BLAS
// (gonum.org/v1/gonum/blas/blas64, used by mat and by every numeric package
// of neurotab) call OpenBLAS when the program is built with the openblas
// build tag:
//
//	go build -tags openblas ./cmd/neurotab
//
// The tagged build needs cgo, a C compiler and libopenblas (Debian:
// apt-get install libopenblas-dev); it links
// gonum.org/v1/netlib/blas/netlib, a cgo binding to the C BLAS interface.
// Without the tag this package is empty and the build stays pure Go (gonum's
// own BLAS, CGO_ENABLED=0 works), so importing it costs nothing.
//
// Enabled reports which BLAS is in use.
package openblas

// Enabled is true when the binary was built with the openblas tag and
// blas64 calls OpenBLAS.
const Enabled = enabled
