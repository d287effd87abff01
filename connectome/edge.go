package connectome

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
)

// EdgeType is the kind of a connection. Types are bit flags so that views
// can select several at once (Chemical|Electrical).
type EdgeType uint8

// Edge types.
const (
	Chemical      EdgeType = 1 << iota // directed chemical synapse
	Electrical                         // gap junction, emitted in both directions
	Functional                         // measured response (e.g. signal propagation)
	NeuroMuscular                      // neuron to muscle junction
)

// AllTypes selects every edge type.
const AllTypes = Chemical | Electrical | Functional | NeuroMuscular

// String returns the name used in the edges table ("chemical", …), or the
// names joined with "|" for a set of types.
func (t EdgeType) String() string {
	var parts []string
	for _, c := range []struct {
		t EdgeType
		n string
	}{{Chemical, "chemical"}, {Electrical, "electrical"}, {Functional, "functional"}, {NeuroMuscular, "neuromuscular"}} {
		if t&c.t != 0 {
			parts = append(parts, c.n)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// ParseEdgeType reads a type name as written in connectome files:
// chemical (chem, c, s, send, sp), electrical (gap, gapjunction, gap_junction,
// ej, e), functional (func, f), neuromuscular (nmj). Case is ignored. Any
// other name is an error wrapping neurotab.ErrParam.
func ParseEdgeType(s string) (EdgeType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "chemical", "chem", "c", "s", "sp", "send", "synapse":
		return Chemical, nil
	case "electrical", "gap", "gapjunction", "gap_junction", "gap junction", "ej", "e", "gj":
		return Electrical, nil
	case "functional", "func", "f":
		return Functional, nil
	case "neuromuscular", "nmj":
		return NeuroMuscular, nil
	}
	return 0, fmt.Errorf("connectome: unknown edge type %q: %w", s, neurotab.ErrParam)
}

// Edge is one row of the connectome edges table. QValue is NaN when the
// source gives none.
type Edge struct {
	Dataset string
	Pre     string
	Post    string
	Type    EdgeType
	Weight  float64
	QValue  float64
}

// GapRule says how gap-junction rows become symmetric electrical edges.
type GapRule uint8

// Gap-junction rules.
const (
	// GapMean: per unordered pair, the mean of the raw weights of every row
	// listing the pair (either direction), emitted in both directions; a
	// self pair is emitted once. This is the worm-graph / homogenized-data
	// rule, and turns a file that lists each pair once (White, Witvliet) and
	// a file that lists both directions (Varshney) into the same table.
	GapMean GapRule = iota
	// GapSum: per unordered pair, the sum of the raw weights, emitted in both
	// directions. For files listing both directions this doubles the weight.
	GapSum
	// GapAsListed: rows are kept as listed, one edge per row.
	GapAsListed
)

// String returns the rule name used in metadata.
func (g GapRule) String() string {
	switch g {
	case GapMean:
		return "mean"
	case GapSum:
		return "sum"
	case GapAsListed:
		return "as-listed"
	}
	return "gap(" + strconv.Itoa(int(g)) + ")"
}

// DefaultQMax is the q-value threshold of functional atlases: edges with
// q < 0.05 are kept (Randi et al. 2023 doi:10.1038/s41586-023-06683-4).
const DefaultQMax = 0.05

// Options tune the importers. The zero value gives the published rules.
type Options struct {
	// Dataset overrides the dataset name written into every edge.
	Dataset string
	// KeepNonNeurons keeps edges with an end outside the 300 canonical
	// neurons (muscles, glia, end organs, male, ambiguous or unknown cells),
	// with the normalized label when it is exact (MDL01 for BWM-DL01) and the
	// trimmed raw name otherwise.
	KeepNonNeurons bool
	// DropNeuromuscular drops NeuroMuscular edges (Varshney NMJ rows,
	// OpenWorm's NeuronsToMuscle sheet), which are kept by default.
	DropNeuromuscular bool
	// Gap is the gap-junction rule (GapMean by default).
	Gap GapRule

	// Columns of the generic edge list (ImportEdgeList): defaults "pre",
	// "post", "type", "weight" and "q". An absent type column makes every
	// row DefaultType; an absent q column leaves QValue NaN.
	Pre, Post, Type, Weight, Q string
	// Comma is the field separator of generic text files; 0 guesses tab
	// when the header line holds a tab, else comma.
	Comma rune
	// DefaultType is the type of rows without a type column and of generic
	// adjacency matrices (Chemical when 0).
	DefaultType EdgeType
	// QMax keeps edges with q < QMax when a q column is present; 0 means
	// DefaultQMax and a negative value keeps every edge.
	QMax float64

	// Dropped, when set, is called once for every row the importer leaves
	// out, with the reason (one of the Drop… constants), so a command can
	// count what it did not write instead of dropping rows silently.
	Dropped func(reason string)
}

// Reasons a row is left out, given to Options.Dropped.
const (
	DropNonNeuron     = "a cell that is not one of the 300 canonical neurons (--keep-non-neurons keeps them)"
	DropNeuromuscular = "a neuromuscular junction (--drop-nmj was given)"
	DropDuplicate     = "a repeated pair of the same type (the first row is kept)"
	DropZeroWeight    = "a zero or missing weight"
	DropQValue        = "a q-value at or above the threshold (--qmax)"
)

// drop reports one row left out.
func (o Options) drop(reason string) {
	if o.Dropped != nil {
		o.Dropped(reason)
	}
}

// Metadata returns the effective importer settings as strings, for the
// key-value metadata of the edges table.
func (o Options) Metadata() map[string]string {
	m := map[string]string{
		"keep_non_neurons":    strconv.FormatBool(o.KeepNonNeurons),
		"drop_neuromuscular":  strconv.FormatBool(o.DropNeuromuscular),
		"gap_rule":            o.Gap.String(),
		"chemical_duplicates": "first",
	}
	if o.qmax() > 0 {
		m["q_max"] = strconv.FormatFloat(o.qmax(), 'g', -1, 64)
	} else {
		m["q_max"] = "none"
	}
	if o.Dataset != "" {
		m["dataset"] = o.Dataset
	}
	return m
}

func (o Options) qmax() float64 {
	if o.QMax == 0 {
		return DefaultQMax
	}
	return o.QMax
}

func (o Options) defaultType() EdgeType {
	if o.DefaultType == 0 {
		return Chemical
	}
	return o.DefaultType
}

// rawEdge is a row as read, before normalization.
type rawEdge struct {
	pre, post string
	typ       EdgeType
	w, q      float64
}

// finish normalizes labels, filters, deduplicates chemical rows (first row
// of a directed pair kept) and symmetrizes gap junctions.
func finish(dataset string, raws []rawEdge, opt Options) []Edge {
	a := DefaultAtlas()
	label := func(s string) (string, bool) {
		s, _ = csvtab.UTF8(s) // names are written as UTF-8 whatever the file's encoding
		n := a.Normalize(s)
		if n.IsNeuron() {
			return n.Label, true
		}
		if n.Label != "" && n.Status == Exact {
			return n.Label, false
		}
		return strings.TrimSpace(s), false
	}
	var edges []Edge
	type key struct{ a, b string }
	seen := map[key]bool{}
	var gaps []Edge
	for _, r := range raws {
		pre, okPre := label(r.pre)
		post, okPost := label(r.post)
		if r.typ == NeuroMuscular {
			if opt.DropNeuromuscular {
				opt.drop(DropNeuromuscular)
				continue
			}
			if !okPre && !opt.KeepNonNeurons {
				opt.drop(DropNonNeuron)
				continue
			}
		} else if (!okPre || !okPost) && !opt.KeepNonNeurons {
			opt.drop(DropNonNeuron)
			continue
		}
		e := Edge{Dataset: dataset, Pre: pre, Post: post, Type: r.typ, Weight: r.w, QValue: r.q}
		if r.typ == Electrical {
			gaps = append(gaps, e)
			continue
		}
		k := key{pre + "\x00" + post, r.typ.String()}
		if seen[k] {
			opt.drop(DropDuplicate)
			continue
		}
		seen[k] = true
		if e.Weight == 0 || math.IsNaN(e.Weight) {
			opt.drop(DropZeroWeight)
			continue
		}
		edges = append(edges, e)
	}
	return append(edges, SymmetrizeGap(gaps, opt.Gap)...)
}

// SymmetrizeGap applies a gap-junction rule to the Electrical edges of
// edges and returns them (other types are dropped). Pairs come out in the
// order of their first row, each as (a, b) then (b, a); pairs whose result
// is zero are dropped. The dataset of a pair is that of its first row.
func SymmetrizeGap(edges []Edge, rule GapRule) []Edge {
	var out []Edge
	if rule == GapAsListed {
		for _, e := range edges {
			if e.Type == Electrical && e.Weight != 0 {
				out = append(out, e)
			}
		}
		return out
	}
	type pair struct{ a, b string }
	type acc struct {
		first Edge
		sum   float64
		n     int
	}
	idx := map[pair]int{}
	var accs []*acc
	for _, e := range edges {
		if e.Type != Electrical {
			continue
		}
		p := pair{e.Pre, e.Post}
		if p.b < p.a {
			p.a, p.b = p.b, p.a
		}
		i, ok := idx[p]
		if !ok {
			i = len(accs)
			idx[p] = i
			accs = append(accs, &acc{first: e})
		}
		accs[i].sum += e.Weight
		accs[i].n++
	}
	for _, c := range accs {
		w := c.sum
		if rule == GapMean {
			w /= float64(c.n)
		}
		if w == 0 {
			continue
		}
		e := c.first
		e.Weight = w
		out = append(out, e)
		if e.Pre != e.Post {
			e.Pre, e.Post = e.Post, e.Pre
			out = append(out, e)
		}
	}
	return out
}

// TypeSummary counts the directed edges of one type and sums their weights.
type TypeSummary struct {
	Edges  int
	Weight float64
}

// Summary describes an edges table: the canonical neurons touched by a
// chemical or electrical edge, and per-type counts.
type Summary struct {
	Neurons                                         int
	Chemical, Electrical, Functional, NeuroMuscular TypeSummary
	// GapJunctions is the electrical weight counted once per unordered
	// pair: (Electrical.Weight + self-pair weight) / 2, the number of gap
	// junctions for symmetrized synapse counts.
	GapJunctions float64
}

// Summarize counts edges by type. Neurons counts the distinct canonical
// neurons (of the default atlas) at either end of a chemical or electrical
// edge.
func Summarize(edges []Edge) Summary {
	var s Summary
	a := DefaultAtlas()
	seen := map[string]bool{}
	for _, e := range edges {
		var t *TypeSummary
		switch e.Type {
		case Chemical:
			t = &s.Chemical
		case Electrical:
			t = &s.Electrical
		case Functional:
			t = &s.Functional
		case NeuroMuscular:
			t = &s.NeuroMuscular
		default:
			continue
		}
		t.Edges++
		t.Weight += e.Weight
		if e.Type == Electrical {
			if e.Pre == e.Post {
				s.GapJunctions += e.Weight
			} else {
				s.GapJunctions += e.Weight / 2
			}
		}
		if e.Type == Chemical || e.Type == Electrical {
			for _, l := range []string{e.Pre, e.Post} {
				if _, ok := a.Slot(l); ok {
					seen[l] = true
				}
			}
		}
	}
	s.Neurons = len(seen)
	return s
}
