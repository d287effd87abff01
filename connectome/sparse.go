package connectome

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/neurotab/neurotab"
	"gonum.org/v1/gonum/mat"
)

// SparseEdges is the sparse form of Adjacency as an edges table: for each
// type selected by types (chemical, electrical, functional, neuromuscular
// in that order), one edge per directed pair of labels whose summed weight
// of that type is not zero, in row then column order of labels, with
// dataset name and a NaN q value. The types stay apart, so the table keeps
// what the dense matrix sums:
//
//	Adjacency(edges, labels, types)[i][j] = Σ weight of SparseEdges(…) from labels[i] to labels[j]
func SparseEdges(edges []Edge, labels []string, types EdgeType, dataset string) ([]Edge, error) {
	var out []Edge
	for _, t := range []EdgeType{Chemical, Electrical, Functional, NeuroMuscular} {
		if types&t == 0 {
			continue
		}
		tr, err := Triplets(edges, labels, t)
		if err != nil {
			return nil, err
		}
		for _, x := range tr {
			out = append(out, Edge{Dataset: dataset, Pre: labels[x.Row], Post: labels[x.Col], Type: t, Weight: x.Value, QValue: math.NaN()})
		}
	}
	return out, nil
}

// WriteMatrixCSV writes an N×N adjacency over labels as CSV: a header row
// "pre/post" and the postsynaptic labels, then one row per presynaptic
// label with its weights in the shortest decimal form that reads back
// exactly.
func WriteMatrixCSV(w io.Writer, m *mat.Dense, labels []string) error {
	if r, c := m.Dims(); r != len(labels) || c != len(labels) {
		return fmt.Errorf("connectome: %d×%d matrix for %d labels: %w", r, c, len(labels), neurotab.ErrShape)
	}
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"pre/post"}, labels...))
	row := make([]string, len(labels)+1)
	for i, l := range labels {
		row[0] = l
		for j := range labels {
			row[j+1] = strconv.FormatFloat(m.At(i, j), 'g', -1, 64)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// Reorder returns the matrix m over labels with rows and columns in the
// order of ordered (a permutation or a subset of labels, e.g. from
// OrderByTypeClass).
func Reorder(m *mat.Dense, labels, ordered []string) (*mat.Dense, error) {
	if r, c := m.Dims(); r != len(labels) || c != len(labels) {
		return nil, fmt.Errorf("connectome: %d×%d matrix for %d labels: %w", r, c, len(labels), neurotab.ErrShape)
	}
	if len(ordered) == 0 {
		return nil, fmt.Errorf("connectome: reorder to no labels: %w", neurotab.ErrShape)
	}
	idx, err := labelIndex(labels)
	if err != nil {
		return nil, err
	}
	pos := make([]int, len(ordered))
	for i, l := range ordered {
		p, ok := idx[l]
		if !ok {
			return nil, fmt.Errorf("connectome: label %q is not among the matrix labels: %w", l, neurotab.ErrNotFound)
		}
		pos[i] = p
	}
	out := mat.NewDense(len(pos), len(pos), nil)
	for i, a := range pos {
		for j, b := range pos {
			out.Set(i, j, m.At(a, b))
		}
	}
	return out, nil
}
