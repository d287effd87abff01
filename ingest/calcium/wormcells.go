package calcium

import (
	"fmt"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/ingest"
	"gonum.org/v1/gonum/mat"

	matfile "github.com/neurotab/neurotab/formats/mat"
)

// wormCells describes the layout the Zimmer lab publishes (Kato 2015,
// Nichols 2017, Skora 2018, Kaplan 2020, Uzel 2022): one MAT v7.3 file per
// condition holding one struct variable, whose fields are 1×W cells with one
// element per worm — a T×N trace matrix, a cell of N labels and a T-sample
// time vector.
type wormCells struct {
	dataset string
	// vars are the struct variable names of the published files; a
	// variable named like the file stem is tried first.
	vars []string
	// varSuffix also accepts variables ending in it (Kaplan 2020's
	// "<condition>_Neuron2019").
	varSuffix string
	// Candidate field names, in order of preference (Kato 2015 files use
	// either traces or deltaFOverF_bc, IDs or NeuronNames,
	// timeVectorSeconds or tv).
	traces, ids, time []string
}

// names reports whether a variable name belongs to this source.
func (s wormCells) knows(name string) bool {
	for _, v := range s.vars {
		if name == v {
			return true
		}
	}
	return s.varSuffix != "" && strings.HasSuffix(name, s.varSuffix) && len(name) > len(s.varSuffix)
}

// match accepts MAT v7.3 files holding one of the source's struct variables.
func (s wormCells) match(path string, head []byte) bool {
	if len(head) < matfile.HeaderSize || !matfile.IsV73(head) || !hasExt(path, ".mat") {
		return false
	}
	m, err := openMAT(path)
	if err != nil {
		return false
	}
	defer m.Close()
	for _, n := range m.f.Names() {
		if s.knows(n) {
			return true
		}
	}
	return false
}

// pickVar returns the struct variable to read: the one named like the file
// (as the published readers index it), else the first known name.
func (s wormCells) pickVar(m *matFile) (string, error) {
	names := m.f.Names()
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	if st := stem(m.path); have[st] && (s.knows(st) || len(names) == 1) {
		return st, nil
	}
	for _, n := range names {
		if s.knows(n) {
			return n, nil
		}
	}
	want := s.vars[0]
	if s.varSuffix != "" {
		want = "*" + s.varSuffix
	}
	return "", missingf(m.path, varField(want), "missing (variables: %s)", strings.Join(names, ", "))
}

// read reads every worm of the file, in cell order.
func (s wormCells) read(path string, _ Options) ([]ingest.Raw, error) {
	m, err := openMAT(path)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	name, err := s.pickVar(m)
	if err != nil {
		return nil, err
	}
	v, err := m.get(name)
	if err != nil {
		return nil, err
	}
	st, ok := v.(*matfile.Struct)
	if !ok || st.Len() != 1 {
		return nil, errf(path, varField(name), "is %s %v, want a 1×1 struct", v.Class(), v.Dims())
	}
	field := func(cands []string) (string, *matfile.Cell, error) {
		for _, c := range cands {
			if st.FieldIndex(c) < 0 {
				continue
			}
			f := varField(name + "." + c)
			fv, err := st.Field(c)
			if err != nil {
				return "", nil, wrap(path, f, err)
			}
			cl, err := cellOf(fv)
			if err != nil {
				return "", nil, wrap(path, f, err)
			}
			return c, cl, nil
		}
		return "", nil, missingf(path, varField(name+"."+strings.Join(cands, "|")), "missing")
	}
	trName, traces, err := field(s.traces)
	if err != nil {
		return nil, err
	}
	idName, ids, err := field(s.ids)
	if err != nil {
		return nil, err
	}
	tvName, times, err := field(s.time)
	if err != nil {
		return nil, err
	}
	W := traces.Len()
	if W == 0 {
		return nil, errf(path, varField(name+"."+trName), "no worms (empty cell)")
	}
	if ids.Len() != W {
		return nil, errf(path, varField(name+"."+idName), "%d elements for %d worms in %s", ids.Len(), W, trName)
	}
	if times.Len() != W {
		return nil, errf(path, varField(name+"."+tvName), "%d elements for %d worms in %s", times.Len(), W, trName)
	}
	raws := make([]ingest.Raw, 0, W)
	for w := range W {
		r, err := s.worm(path, name, w, traces.Elems[w], ids.Elems[w], times.Elems[w], trName, idName, tvName)
		if err != nil {
			return nil, err
		}
		raws = append(raws, r)
	}
	return finish(raws)
}

func (s wormCells) worm(path, name string, w int, trV, idV, tvV matfile.Value, trName, idName, tvName string) (ingest.Raw, error) {
	at := func(field string) string { return varField(fmt.Sprintf("%s.%s{%d}", name, field, w+1)) }
	tr, ok := trV.(*matfile.Numeric)
	if !ok || len(tr.Shape) != 2 || tr.IsComplex() {
		return ingest.Raw{}, errf(path, at(trName), "is %s %v, want a real T×N matrix", trV.Class(), trV.Dims())
	}
	T, N := tr.Shape[0], tr.Shape[1]
	if T == 0 || N == 0 {
		return ingest.Raw{}, errf(path, at(trName), "empty %d×%d matrix", T, N)
	}
	tv, err := vector(tvV)
	if err != nil {
		return ingest.Raw{}, wrap(path, at(tvName), err)
	}
	if len(tv) != T {
		return ingest.Raw{}, errf(path, at(tvName), "%d times for %d samples in %s", len(tv), T, trName)
	}
	labels, chosen, err := cellLabels(idV)
	if err != nil {
		return ingest.Raw{}, wrap(path, at(idName), err)
	}
	if len(labels) != N {
		return ingest.Raw{}, errf(path, at(idName), "%d labels for %d traces", len(labels), N)
	}
	dense := mat.NewDense(T, N, nil)
	for n := range N {
		for t := range T {
			dense.Set(t, n, tr.Real[t+T*n]) // column-major T×N
		}
	}
	notes := []string{
		fmt.Sprintf("struct %s, worm %d of its cells: traces = %s{%d} (T×N), labels = %s{%d}, time (s) = %s{%d}",
			name, w+1, trName, w+1, idName, w+1, tvName, w+1),
	}
	if len(chosen) > 0 {
		notes = append(notes, "candidate-name lists, first non-empty kept: "+strings.Join(chosen, "; "))
	}
	if nan := allNaNColumns(T, N, dense.At); len(nan) > 0 {
		notes = append(notes, fmt.Sprintf("traces NaN throughout (0-based columns), kept: %v", nan))
	}
	return ingest.Raw{
		Dataset: s.dataset,
		Worm:    fmt.Sprintf("%s_worm%d", name, w+1),
		RawFile: path,
		Labels:  labels,
		Time:    append([]float64(nil), tv...),
		Traces:  dense,
		Notes:   notes,
	}, nil
}

// cellLabels reads one worm's label cell: each element is a char label, an
// empty array (an unidentified neuron, ""), or a cell of candidate labels of
// which the first non-empty one is kept. chosen describes each candidate
// list resolved ("3:{RIML,RIMR}→RIML", 1-based).
func cellLabels(v matfile.Value) (labels, chosen []string, err error) {
	c, ok := v.(*matfile.Cell)
	if !ok {
		if ch, ok := v.(*matfile.Char); ok { // a worm with one neuron may hold a bare char
			s, err := matfile.String(ch)
			return []string{s}, nil, err
		}
		return nil, nil, fmt.Errorf("is %s, want a cell of labels: %w", v.Class(), neurotab.ErrType)
	}
	labels = make([]string, c.Len())
	for i, e := range c.Elems {
		if matfile.IsEmpty(e) {
			continue
		}
		switch x := e.(type) {
		case *matfile.Char:
			if labels[i], err = matfile.String(x); err != nil {
				return nil, nil, fmt.Errorf("element %d: %w", i+1, err)
			}
		case *matfile.Cell:
			var cands []string
			for j, ce := range x.Elems {
				if matfile.IsEmpty(ce) {
					cands = append(cands, "[]")
					continue
				}
				s, err := matfile.String(ce)
				if err != nil {
					return nil, nil, fmt.Errorf("element %d{%d}: %w", i+1, j+1, err)
				}
				cands = append(cands, s)
				if labels[i] == "" {
					labels[i] = s
				}
			}
			chosen = append(chosen, fmt.Sprintf("%d:{%s}→%q", i+1, strings.Join(cands, ","), labels[i]))
		default:
			return nil, nil, fmt.Errorf("element %d is %s, want char, [] or a cell of names: %w", i+1, e.Class(), neurotab.ErrType)
		}
	}
	return labels, chosen, nil
}
