package hmm

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Viterbi returns the most probable state path of one sequence (Viterbi
// 1967, doi:10.1109/TIT.1967.1054010) and its joint log-probability
// log p(z*, x_{1:T}):
//
//	δ_1(k) = log π_k + ℓ_1(k),  δ_t(j) = ℓ_t(j) + max_i δ_{t−1}(i) + log A_ij
//	z*_T = argmax_k δ_T(k),  z*_t = argmax_i δ_t(i) + log A_{i z*_{t+1}}
//
// Ties go to the lowest state index. Arguments and errors are those of
// [ForwardBackward].
func Viterbi(logLik mat.Matrix, pi []float64, A mat.Matrix) ([]int, float64, error) {
	w, ll, T, err := prepare(logLik, pi, A)
	if err != nil {
		return nil, 0, err
	}
	path := make([]int, T)
	lp := w.viterbi(ll, T, path, make([]int32, T*w.K))
	return path, lp, nil
}

// viterbi fills path (length T) using back (T × K) and returns the path's
// log-probability.
func (w *workspace) viterbi(ll []float64, T int, path []int, back []int32) float64 {
	K := w.K
	d, nd := w.u, w.q
	for k := range K {
		d[k] = w.logPi[k] + ll[k]
	}
	for t := 1; t < T; t++ {
		for j := range K {
			best, arg := math.Inf(-1), 0
			for i := range K {
				if v := d[i] + w.logA[i*K+j]; v > best {
					best, arg = v, i
				}
			}
			nd[j] = ll[t*K+j] + best
			back[t*K+j] = int32(arg)
		}
		d, nd = nd, d
	}
	best, arg := math.Inf(-1), 0
	for k, v := range d {
		if v > best {
			best, arg = v, k
		}
	}
	path[T-1] = arg
	for t := T - 1; t > 0; t-- {
		path[t-1] = int(back[t*K+path[t]])
	}
	return best
}
