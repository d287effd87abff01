package mat

import "fmt"

// sparseFromCSC builds a Sparse from the compressed-sparse-column arrays
// that both MAT v5 (ir, jc, pr, pi elements) and MAT v7.3 (ir, jc, data in a
// MATLAB_sparse group) store: for column j, the stored values
// jc[j] ≤ k < jc[j+1] have rows ir[k]. re (and im when non-nil) must hold
// at least jc[n] values; extra capacity (nzmax > nnz) is dropped. The
// error says what is inconsistent, without file context.
func sparseFromCSC(class Class, m, n int, ir, jc []int64, re, im []float64) (*Sparse, error) {
	if len(jc) != n+1 {
		return nil, fmt.Errorf("%d column starts for %d columns", len(jc), n)
	}
	nnz := jc[n]
	if jc[0] != 0 || nnz < 0 || nnz > int64(len(ir)) {
		return nil, fmt.Errorf("column starts run from %d to %d with %d row indices", jc[0], nnz, len(ir))
	}
	if int64(len(re)) < nnz || im != nil && int64(len(im)) < nnz {
		return nil, fmt.Errorf("%d values for %d nonzeros", min(len(re), len(im)), nnz)
	}
	out := &Sparse{Type: class, Shape: []int{m, n}, Rows: make([]int, nnz), Cols: make([]int, nnz), Real: re[:nnz]}
	if im != nil {
		out.Imag = im[:nnz]
	}
	for j := range n {
		if jc[j+1] < jc[j] || jc[j+1] > nnz {
			return nil, fmt.Errorf("column starts decrease at column %d (%d after %d, %d nonzeros)", j, jc[j+1], jc[j], nnz)
		}
		for k := jc[j]; k < jc[j+1]; k++ {
			if ir[k] < 0 || ir[k] >= int64(m) {
				return nil, fmt.Errorf("row index %d outside [0,%d)", ir[k], m)
			}
			out.Rows[k], out.Cols[k] = int(ir[k]), j
		}
	}
	if class == ClassLogical {
		for k, v := range out.Real {
			if v != 0 {
				out.Real[k] = 1
			}
		}
	}
	return out, nil
}
