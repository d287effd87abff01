package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// FitWorms runs the task with a split by worm: the readouts are fitted on
// every sample (after the washout) of the train recordings, stacked, and
// scored on every sample of the test recordings. Neurons are matched by
// label: only the labels present in every recording take part, in the
// order of the first train recording (the heldout default, every fifth
// neuron, counts among them). One reservoir, drawn once, runs over each
// recording from the zero state. The results come in the order train,
// then test, each with one split filled; they share one Model, which
// records the train worms so that Model.Apply reproduces the split.
//
// The errors are those of Fit, and neurotab.ErrParam (no train or no test
// recording, or the generate task, whose free run needs a time cut) or
// neurotab.ErrNotFound (no label common to every recording).
func (f Forecast) FitWorms(train, test []*table.Recording) ([]*Result, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	switch {
	case len(train) == 0 || len(test) == 0:
		return nil, fmt.Errorf("pipeline: worm split with %d train and %d test recordings: want at least one of each: %w", len(train), len(test), neurotab.ErrParam)
	case f.task() == TaskGenerate:
		return nil, fmt.Errorf("pipeline: the generate task runs free after a time cut: it has no worm split: %w", neurotab.ErrParam)
	}
	all := append(slices.Clone(train), test...)
	var common []string
	for _, n := range train[0].Neurons {
		in := true
		for _, r := range all[1:] {
			if !slices.Contains(r.Neurons, n) {
				in = false
				break
			}
		}
		if in {
			common = append(common, n)
		}
	}
	if len(common) == 0 {
		return nil, fmt.Errorf("pipeline: worm split: no neuron label is shared by all %d recordings (label the traces: ingest --labels-file): %w", len(all), neurotab.ErrNotFound)
	}
	in, out, err := f.roles(&table.Recording{Dataset: train[0].Dataset, Worm: train[0].Worm, Neurons: common})
	if err != nil {
		return nil, err
	}
	inNames, outNames := pick(common, in), pick(common, out)
	cols := func(r *table.Recording, names []string) []int {
		idx := make([]int, len(names))
		for i, n := range names {
			idx[i] = slices.Index(r.Neurons, n)
		}
		return idx
	}
	var m *Model
	var parts []part
	var results []*Result
	var names []string
	for _, r := range train {
		s, res, err := f.prepare(r, cols(r, inNames), cols(r, outNames), m, Train)
		if err != nil {
			return nil, err
		}
		if m == nil {
			m = res.Model
		}
		res.Model = m
		parts = append(parts, part{s, res.TrainT})
		results = append(results, res)
		names = append(names, r.Dataset+"/"+r.Worm)
	}
	m.TrainWorms = names
	if err := trainParts(m, "worm split (train "+strings.Join(names, ", ")+")", parts); err != nil {
		return nil, err
	}
	for i, p := range parts {
		if _, err := p.s.finish(results[i], m); err != nil {
			return nil, err
		}
	}
	for _, r := range test {
		s, res, err := f.prepare(r, cols(r, inNames), cols(r, outNames), m, Test)
		if err != nil {
			return nil, err
		}
		res.Model = m
		if _, err := s.finish(res, m); err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	return results, nil
}
