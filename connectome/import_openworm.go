package connectome

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome/internal/biff"
)

// ImportOpenWorm reads OpenWorm's CElegansNeuronTables.xls (legacy BIFF8),
// a derivative of the Varshney et al. 2011 data
// (doi:10.1371/journal.pcbi.1001066) with neurotransmitters. Sheet
// Connectome (Origin, Target, Type Send|GapJunction, Number of Connections)
// gives chemical and electrical edges; gap rows list both directions and are
// symmetrized with opt.Gap. Sheet NeuronsToMuscle (Neuron, Muscle, Number of
// Connections) gives NeuroMuscular edges unless opt.DropNeuromuscular.
func ImportOpenWorm(path string, opt Options) ([]Edge, error) {
	wb, err := biff.Open(path)
	if err != nil {
		if errors.Is(err, neurotab.ErrMalformed) || errors.Is(err, neurotab.ErrUnsupported) {
			return nil, &FormatError{File: path, Err: err}
		}
		return nil, err
	}
	var raws []rawEdge
	read := func(sheet string, names []string, typeOf func(r int, s string) (EdgeType, error)) error {
		s := wb.Sheet(sheet)
		if s == nil {
			return &FormatError{File: path, Sheet: sheet, Msg: "no such sheet", Err: neurotab.ErrMalformed}
		}
		if len(s.Rows) == 0 {
			return &FormatError{File: path, Sheet: sheet, Cell: "A1", Msg: "sheet is empty", Err: neurotab.ErrMalformed}
		}
		col := map[string]int{}
		for i, c := range s.Rows[0] {
			col[strings.TrimSpace(c.Str)] = i
		}
		idx := make([]int, len(names))
		for i, n := range names {
			c, ok := col[n]
			if !ok {
				return &FormatError{File: path, Sheet: sheet, Cell: "A1", Msg: fmt.Sprintf("header row has no %q column", n), Err: neurotab.ErrMalformed}
			}
			idx[i] = c
		}
		for r := 1; r < len(s.Rows); r++ {
			a, b := s.Cell(r, idx[0]), s.Cell(r, idx[1])
			if a.Kind == biff.Empty && b.Kind == biff.Empty {
				continue
			}
			if a.Kind != biff.String || b.Kind != biff.String {
				bad := idx[0]
				if a.Kind == biff.String {
					bad = idx[1]
				}
				return &FormatError{File: path, Sheet: sheet, Cell: cellName(r, bad), Msg: "cell name is not text", Err: neurotab.ErrMalformed}
			}
			typ := NeuroMuscular
			if typeOf != nil {
				var err error
				if typ, err = typeOf(r, strings.TrimSpace(s.Cell(r, idx[2]).Str)); err != nil {
					return &FormatError{File: path, Sheet: sheet, Cell: cellName(r, idx[2]), Msg: err.Error(), Err: neurotab.ErrMalformed}
				}
			}
			wc := s.Cell(r, idx[len(idx)-1])
			if wc.Kind != biff.Number || math.IsNaN(wc.Num) || math.IsInf(wc.Num, 0) {
				return &FormatError{File: path, Sheet: sheet, Cell: cellName(r, idx[len(idx)-1]), Msg: fmt.Sprintf("number of connections %q is not a number", wc.Str), Err: neurotab.ErrMalformed}
			}
			raws = append(raws, rawEdge{pre: a.Str, post: b.Str, typ: typ, w: wc.Num, q: math.NaN()})
		}
		return nil
	}
	err = read("Connectome", []string{"Origin", "Target", "Type", "Number of Connections"}, func(r int, s string) (EdgeType, error) {
		switch s {
		case "Send":
			return Chemical, nil
		case "GapJunction":
			return Electrical, nil
		}
		return 0, fmt.Errorf("type %q is neither Send nor GapJunction", s)
	})
	if err != nil {
		return nil, err
	}
	if !opt.DropNeuromuscular {
		if err := read("NeuronsToMuscle", []string{"Neuron", "Muscle", "Number of Connections"}, nil); err != nil {
			return nil, err
		}
	}
	return finish(datasetName(opt, "openworm"), raws, opt), nil
}
