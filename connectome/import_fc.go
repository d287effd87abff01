package connectome

import (
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// ImportFC reads an fc table (written by neurotab analyze fc) as functional
// edges: every pair pre → post of a recording becomes an edge of type
// Functional with Weight the measure's value and QValue its q-value
// (Benjamini–Hochberg, when surrogates were run). Edges whose q is not
// below Options.QMax (DefaultQMax when 0; a negative QMax keeps all) are
// left out, as are NaN values; untested tables keep every finite value. The
// dataset of an edge is Options.Dataset, or
// "fc:MEASURE:SOURCE_DATASET/WORM" (with "@wINDEX" for a window of dynamic
// FC), so one table can hold the functional connectomes of many recordings
// beside anatomical ones. Labels go through the atlas like every importer's.
func ImportFC(path string, opt Options) ([]Edge, error) {
	rows, err := table.ReadRows[table.FCRow](path, nil)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: an fc table without rows: %w", path, neurotab.ErrMalformed)
	}
	qmax := opt.qmax()
	byDataset := map[string][]rawEdge{}
	var order []string
	for _, r := range rows {
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			opt.drop(DropZeroWeight)
			continue
		}
		if !math.IsNaN(r.QValue) && qmax > 0 && !(r.QValue < qmax) {
			opt.drop(DropQValue)
			continue
		}
		ds := opt.Dataset
		if ds == "" {
			ds = fmt.Sprintf("fc:%s:%s/%s", r.Measure, r.SourceDataset, r.Worm)
			if r.Window > 0 {
				ds += fmt.Sprintf("@w%d", r.Window)
			}
		}
		if _, ok := byDataset[ds]; !ok {
			order = append(order, ds)
		}
		byDataset[ds] = append(byDataset[ds], rawEdge{pre: r.Pre, post: r.Post, typ: Functional, w: r.Value, q: r.QValue})
	}
	var edges []Edge
	for _, ds := range order {
		edges = append(edges, finish(ds, byDataset[ds], opt)...)
	}
	return edges, nil
}
