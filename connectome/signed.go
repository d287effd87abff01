package connectome

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/neurotab/neurotab"
)

// SignedAdjacency returns diag(s)·A, the adjacency signed by Dale's law: A
// is an N×N adjacency A[pre][post] (rows presynaptic, as Adjacency returns;
// see "Matrix orientation" in [github.com/neurotab/neurotab]) and s the N
// signs of the presynaptic neurons in the same order (Signs), so row pre is
// scaled by s[pre]:
//
//	A_signed[i][j] = s[i] · A[i][j]
//
// The sign belongs to the neuron that releases the transmitter, whatever it
// contacts. A is not changed. The error wraps neurotab.ErrShape when A is
// not N×N with N = len(s) ≥ 1.
func SignedAdjacency(a mat.Matrix, s []float64) (*mat.Dense, error) {
	out, err := signedCopy("SignedAdjacency", "adjacency", a, s)
	if err != nil {
		return nil, err
	}
	raw := out.RawMatrix()
	for i, si := range s {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		for j := range row {
			row[j] = scale(row[j], si)
		}
	}
	return out, nil
}

// SignedWeights returns W·diag(s), recurrent weights signed by Dale's law:
// W is N×N with W[post][pre], used as x ← W x (synth.Network.W, reservoirs;
// W = Aᵀ), and s the N presynaptic signs (Signs), so column pre is scaled by
// s[pre]:
//
//	W_signed[i][j] = W[i][j] · s[j]
//
// It is the transpose of SignedAdjacency(Wᵀ, s). W is not changed. The
// error wraps neurotab.ErrShape when W is not N×N with N = len(s) ≥ 1.
func SignedWeights(w mat.Matrix, s []float64) (*mat.Dense, error) {
	out, err := signedCopy("SignedWeights", "weight matrix", w, s)
	if err != nil {
		return nil, err
	}
	raw := out.RawMatrix()
	for i := range s {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		for j, sj := range s {
			row[j] = scale(row[j], sj)
		}
	}
	return out, nil
}

// signedCopy checks that m is len(s)×len(s), len(s) ≥ 1, and returns a
// copy of it.
func signedCopy(fn, what string, m mat.Matrix, s []float64) (*mat.Dense, error) {
	if r, c := m.Dims(); r != len(s) || c != len(s) || len(s) == 0 {
		return nil, fmt.Errorf("connectome: %s: %d signs for a %d×%d %s: %w", fn, len(s), r, c, what, neurotab.ErrShape)
	}
	return mat.DenseCopyOf(m), nil
}

// scale returns v·s, with +0 rather than −0 for a zero product (an absent
// edge of an inhibitory neuron stays 0, not −0, in printouts and files).
func scale(v, s float64) float64 {
	if p := v * s; p != 0 {
		return p
	}
	return 0
}
