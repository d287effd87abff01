package community

import (
	"fmt"
	"math"
	"math/big"

	"github.com/neurotab/neurotab"
)

// contingency returns the table n_ij of the labels of a (rows) and b
// (columns), as a map, with the row sums a_i and column sums b_j.
func contingency(a, b []int) (map[[2]int]int, []int, []int) {
	ra, ka := Relabel(nil, a)
	rb, kb := Relabel(nil, b)
	nij := make(map[[2]int]int)
	ai, bj := make([]int, ka), make([]int, kb)
	for t := range ra {
		nij[[2]int{ra[t], rb[t]}]++
		ai[ra[t]]++
		bj[rb[t]]++
	}
	return nij, ai, bj
}

func checkLabels(name string, a, b []int) error {
	if len(a) != len(b) {
		return fmt.Errorf("community: %s of label vectors of lengths %d and %d: %w", name, len(a), len(b), neurotab.ErrShape)
	}
	return nil
}

// NMI returns the normalized mutual information of two partitions of the
// same nodes (labels as in Modularity), normalized by the arithmetic mean
// of the entropies, as scikit-learn's normalized_mutual_info_score with
// its default average_method="arithmetic" (Danon et al. 2005,
// doi:10.1088/1742-5468/2005/09/P09008; Vinh, Epps & Bailey 2010):
//
//	NMI = I(A; B) / ((H(A) + H(B)) / 2)
//	I(A; B) = Σ_ij (n_ij/n) log(n·n_ij / (a_i b_j))
//
// Like scikit-learn, two partitions with one community each (or no nodes)
// give 1, and I = 0 gives 0. The error wraps neurotab.ErrShape when the
// lengths differ.
func NMI(a, b []int) (float64, error) {
	if err := checkLabels("NMI", a, b); err != nil {
		return 0, err
	}
	nij, ai, bj := contingency(a, b)
	if len(ai) == len(bj) && len(ai) <= 1 {
		return 1, nil
	}
	n := float64(len(a))
	mi := 0.0
	for ij, c := range nij {
		v := float64(c)
		mi += v / n * math.Log(n*v/(float64(ai[ij[0]])*float64(bj[ij[1]])))
	}
	if mi <= 0 {
		return 0, nil
	}
	return mi / ((entropy(ai, n) + entropy(bj, n)) / 2), nil
}

// entropy returns −Σ (c/n) log(c/n).
func entropy(counts []int, n float64) float64 {
	h := 0.0
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log(p)
	}
	return h
}

// ARI returns the adjusted Rand index of two partitions of the same nodes
// (Hubert & Arabie 1985, doi:10.1007/BF01908075), as scikit-learn's
// adjusted_rand_score computes it from the pair confusion counts (tp: pairs
// together in both, fp and fn: together in one only, tn: apart in both):
//
//	ARI = 2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))
//
// It is 1 for identical partitions (fn = fp = 0, also the one-community
// and no-node cases), about 0 for independent ones, and can be negative.
// Counts are exact integers. The error wraps neurotab.ErrShape when the
// lengths differ.
func ARI(a, b []int) (float64, error) {
	if err := checkLabels("ARI", a, b); err != nil {
		return 0, err
	}
	nij, ai, bj := contingency(a, b)
	sq := func(v int) *big.Int { x := big.NewInt(int64(v)); return x.Mul(x, x) }
	sumSq, sumA, sumB := new(big.Int), new(big.Int), new(big.Int)
	for _, c := range nij {
		sumSq.Add(sumSq, sq(c))
	}
	for _, c := range ai {
		sumA.Add(sumA, sq(c))
	}
	for _, c := range bj {
		sumB.Add(sumB, sq(c))
	}
	n := big.NewInt(int64(len(a)))
	// Ordered pairs as in scikit-learn's pair_confusion_matrix.
	tp := new(big.Int).Sub(sumSq, n)
	fp := new(big.Int).Sub(sumB, sumSq)
	fn := new(big.Int).Sub(sumA, sumSq)
	tn := new(big.Int).Mul(n, n)
	tn.Sub(tn, fp).Sub(tn, fn).Sub(tn, sumSq)
	if fn.Sign() == 0 && fp.Sign() == 0 {
		return 1, nil
	}
	num := new(big.Int).Mul(tp, tn)
	num.Sub(num, new(big.Int).Mul(fn, fp))
	num.Lsh(num, 1)
	d1 := new(big.Int).Mul(new(big.Int).Add(tp, fn), new(big.Int).Add(fn, tn))
	d2 := new(big.Int).Mul(new(big.Int).Add(tp, fp), new(big.Int).Add(fp, tn))
	den := d1.Add(d1, d2)
	x, _ := new(big.Float).SetInt(num).Float64()
	y, _ := new(big.Float).SetInt(den).Float64()
	return x / y, nil
}
