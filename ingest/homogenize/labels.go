package homogenize

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/neurotab/neurotab/connectome"
)

// column is one output trace: where it comes from and what it is called.
type column struct {
	raw     int    // raw column index
	name    string // canonical label or ROI id
	slot    int    // atlas slot, 300+ for unlabeled with slots, or -1
	labeled bool
}

// labelPlan normalizes the raw labels with the atlas and decides, for each
// raw column, whether it is a labeled neuron, an unlabeled trace, or
// dropped (a later duplicate of a label). It returns the kept columns in raw
// order, the normalization of every raw label, and notes on drops.
func labelPlan(a *connectome.Atlas, labels []string, dropUnlabeled bool) (cols []column, norms []connectome.Normalized, notes []string) {
	norms = make([]connectome.Normalized, len(labels))
	first := map[string]int{} // canonical label -> raw column
	for j, l := range labels {
		n := a.Normalize(l)
		norms[j] = n
		if !n.IsNeuron() {
			if dropUnlabeled {
				notes = append(notes, fmt.Sprintf("trace %d (%q) dropped: unlabeled (%s)", j, l, n.Status))
				continue
			}
			cols = append(cols, column{raw: j, slot: -1})
			continue
		}
		if i, dup := first[n.Label]; dup {
			notes = append(notes, fmt.Sprintf("trace %d (%q) dropped: duplicate of %s, kept trace %d", j, l, n.Label, i))
			continue
		}
		first[n.Label] = j
		slot, _ := a.Slot(n.Label)
		cols = append(cols, column{raw: j, name: n.Label, slot: slot, labeled: true})
	}
	return cols, norms, notes
}

// finishPlan orders the columns (labeled by slot, then unlabeled in raw
// order), names the unlabeled ones with unique ROI ids and gives them slots
// when asked.
func finishPlan(cols []column, labels []string, atlasLen int, unlabeledSlots bool) []column {
	sort.SliceStable(cols, func(i, j int) bool {
		ci, cj := cols[i], cols[j]
		if ci.labeled != cj.labeled {
			return ci.labeled
		}
		if ci.labeled {
			return ci.slot < cj.slot
		}
		return ci.raw < cj.raw
	})
	used := map[string]bool{}
	for _, c := range cols {
		if c.labeled {
			used[c.name] = true
		}
	}
	next := atlasLen
	for i := range cols {
		c := &cols[i]
		if c.labeled {
			continue
		}
		// ROI id: the raw string; the raw column index when empty; the
		// string with "#index" when already taken.
		name := labels[c.raw]
		idx := strconv.Itoa(c.raw)
		switch {
		case name == "":
			name = idx
		case used[name]:
			name += "#" + idx
		}
		for used[name] { // a raw label could itself be "12" or "X#3"
			name += "#" + idx
		}
		used[name] = true
		c.name = name
		if unlabeledSlots {
			c.slot = next
			next++
		}
	}
	return cols
}
