package connectome

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Kind tells what sort of cell a label names.
type Kind uint8

// Cell kinds. Male-specific neurons are Neuron with Status Rejected, because
// they are not on the canonical hermaphrodite list.
const (
	Unknown Kind = iota
	NeuronKind
	Muscle
	Glia
	EndOrgan
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case NeuronKind:
		return "neuron"
	case Muscle:
		return "muscle"
	case Glia:
		return "glia"
	case EndOrgan:
		return "end organ"
	}
	return "unknown"
}

// Status tells how sure a normalization is.
type Status uint8

// Normalization outcomes.
const (
	// Exact: Label is the one canonical name of the input (after removing
	// case, whitespace and zero padding).
	Exact Status = iota
	// Candidate: the input is ambiguous or marked uncertain with "?";
	// Candidates lists the possible canonical names, and Label is set only
	// when there is exactly one.
	Candidate
	// Rejected: the input names nothing on the canonical lists.
	Rejected
)

// String returns the status name.
func (s Status) String() string {
	switch s {
	case Exact:
		return "exact"
	case Candidate:
		return "candidate"
	}
	return "rejected"
}

// Normalized is the result of Normalize.
type Normalized struct {
	Input      string
	Label      string
	Candidates []string
	Kind       Kind
	Status     Status
	Reason     string
}

// IsNeuron reports whether n is exactly one of the 300 canonical neurons.
func (n Normalized) IsNeuron() bool { return n.Kind == NeuronKind && n.Status == Exact }

var (
	reZeroPad = regexp.MustCompile(`^([A-Z]+)0+([1-9][0-9]*)$`)
	// Body-wall muscles in the NemaNode (BWM-DL01), Cook 2019 (dBWML1) and
	// OpenWorm (MDL01) spellings.
	reBWMNemaNode = regexp.MustCompile(`^BWM-([DV])([LR])0*([0-9]+)$`)
	reBWMCook     = regexp.MustCompile(`^([DV])BWM([LR])0*([0-9]+)$`)
	reBWMOpenWorm = regexp.MustCompile(`^M([DV])([LR])0*([0-9]+)$`)
	// Other muscles: pharyngeal (pm), uterine (um), vulval (vm), anal,
	// intestinal and sphincter muscles, and the male sex muscles of Cook 2019.
	reMuscle = regexp.MustCompile(`^(pm[1-8][a-zA-Z]*|[uv]m[12][a-zA-Z]*|mu_[a-zA-Z]+|MVULVA|MANAL|anal|sph|LegacyBodyWallMuscles|NMJ|BWM|` +
		`dgl[LR][0-9]*|aob[LR]|pob[LR]|gec[LR]|grt[LR]|cdl[LR]|[dv]sp[LR]|[dv]sr[LR]|ail[LR]|pil[LR]|pol[LR])$`)
	// Glia: sheath and socket cells, GLR cells, the excretory gland, and the
	// ray structural cells of the male tail.
	reGlia = regexp.MustCompile(`^([A-Z]{2,3}(sh|so)[A-Z0-9]*|GLR[DV]?[LR]|exc_?gl|R[0-9]+sh[LR]|R[0-9]+st[LR]?)$`)
	// End organs of Cook et al. 2019: CAN, hypodermis, head mesodermal cell,
	// excretory cell, intestine, gonad, proctodeum, pharyngeal marginal
	// (mc), epithelial (e2, e3) and gland (g1, g2) cells, basement membrane.
	reEndOrgan = regexp.MustCompile(`^(CAN[LR]|hyp|hmc|exc_cell|int[LR]?|intestine|gonad|proctodeum|bm|` +
		`mc[1-3][a-zA-Z]*|e[23][a-zA-Z]*|g[12][a-zA-Z]*)$`)
	// Male-specific neurons (Cook 2019 male sheets).
	reMaleNeuron = regexp.MustCompile(`^(CA[0-9]+|CP[0-9]+|DX[1-3]|EF[1-3]|HO[AB]|PCA[LR]|PCB[LR]|PCC[LR]|PDC|PGA|PHD[LR]|PVV|PVX|PVY|PVZ|` +
		`R[0-9]+[AB][LR]|SPC[LR]|SPD[LR]|SPV[LR]|DVE|DVF|MCM[LR]|CEM(DL|DR|VL|VR))$`)
)

// Normalize maps a raw cell name from any connectome or recording to the
// canonical lists, using the default atlas for neurons:
//
//   - whitespace is removed, case is ignored for neurons, zero padding is
//     stripped (DA01 → DA1, VC05 → VC5; VD10 is unchanged);
//   - "?" marks uncertainty: a trailing "?" gives a Candidate with the one
//     label (AVAL?) or the class members (SAB?); otherwise "?" (IL2?L)
//     stands for zero or one character and every matching label is a
//     Candidate;
//   - a class name of several neurons (AVA) gives its members as Candidates;
//   - body-wall muscles in the spellings BWM-DL01, dBWML1 and MDL01 all give
//     the label MDL01; other muscles, glia and end organs (Cook et al. 2019
//     doi:10.1038/s41586-019-1352-7) keep their spelling with Status Exact
//     and the matching Kind;
//   - male-specific neurons are Kind NeuronKind, Status Rejected.
func Normalize(raw string) Normalized {
	return DefaultAtlas().Normalize(raw)
}

// Normalize is the package function Normalize over this atlas's labels and
// classes.
func (a *Atlas) Normalize(raw string) Normalized {
	out := Normalized{Input: raw, Status: Rejected}
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, raw)
	if s == "" {
		out.Reason = "empty label"
		return out
	}
	uncertain := strings.Contains(s, "?")
	plain := strings.ReplaceAll(s, "?", "")

	// Muscles, glia and end organs first: their spellings are case sensitive
	// (mc1 is a marginal cell, MCL a neuron).
	if m := bodyWallMuscle(plain); m != "" {
		out.Kind, out.Label, out.Status = Muscle, m, Exact
		if strings.HasPrefix(m, "!") {
			out.Label, out.Status, out.Reason = "", Rejected, "body-wall muscle number out of range 1–24"
		}
		return uncertainMark(out, uncertain)
	}
	for _, c := range []struct {
		re   *regexp.Regexp
		kind Kind
	}{{reMuscle, Muscle}, {reGlia, Glia}, {reEndOrgan, EndOrgan}} {
		if c.re.MatchString(plain) {
			out.Kind, out.Label, out.Status = c.kind, plain, Exact
			return uncertainMark(out, uncertain)
		}
	}

	u := strings.ToUpper(s)
	if uncertain {
		up := strings.ReplaceAll(u, "?", "")
		if strings.HasSuffix(u, "?") && !strings.Contains(strings.TrimRight(u, "?"), "?") {
			if l, ok := a.exact(up); ok {
				out.Kind, out.Label, out.Status, out.Candidates = NeuronKind, l, Candidate, []string{l}
				out.Reason = "marked uncertain with ?"
				return out
			}
			if c := a.classes[up]; len(c) > 1 {
				out.Kind, out.Status, out.Candidates = NeuronKind, Candidate, append([]string(nil), c...)
				out.Reason = "class name marked uncertain with ?"
				return out
			}
		}
		var pat strings.Builder
		pat.WriteString("^")
		for _, part := range strings.Split(u, "?") {
			if pat.Len() > 1 {
				pat.WriteString("[A-Z0-9]?")
			}
			pat.WriteString(regexp.QuoteMeta(part))
		}
		pat.WriteString("$")
		re, err := regexp.Compile(pat.String())
		if err == nil {
			for _, n := range a.neurons {
				if re.MatchString(n.Label) {
					out.Candidates = append(out.Candidates, n.Label)
				}
			}
		}
		if len(out.Candidates) > 0 {
			out.Kind, out.Status, out.Reason = NeuronKind, Candidate, "marked uncertain with ?"
			if len(out.Candidates) == 1 {
				out.Label = out.Candidates[0]
			}
			return out
		}
		out.Reason = "no canonical neuron matches " + strconv.Quote(s)
		return out
	}
	if l, ok := a.exact(u); ok {
		out.Kind, out.Label, out.Status = NeuronKind, l, Exact
		return out
	}
	if c := a.classes[u]; len(c) > 0 {
		out.Kind, out.Status, out.Candidates = NeuronKind, Candidate, append([]string(nil), c...)
		out.Reason = "class name"
		return out
	}
	if reMaleNeuron.MatchString(u) || reMaleNeuron.MatchString(plain) {
		out.Kind, out.Label, out.Reason = NeuronKind, u, "male-specific neuron, not on the hermaphrodite list"
		return out
	}
	out.Reason = fmt.Sprintf("%q is not a known neuron, muscle, glia or end organ", s)
	return out
}

// exact finds u (upper case, no '?') among the labels, allowing zero padding.
func (a *Atlas) exact(u string) (string, bool) {
	if _, ok := a.slot[u]; ok {
		return u, true
	}
	if m := reZeroPad.FindStringSubmatch(u); m != nil {
		l := m[1] + m[2]
		if _, ok := a.slot[l]; ok {
			return l, true
		}
	}
	return "", false
}

// uncertainMark turns an Exact non-neuron into a Candidate when the input
// carried "?".
func uncertainMark(n Normalized, uncertain bool) Normalized {
	if uncertain && n.Status == Exact {
		n.Status, n.Candidates, n.Reason = Candidate, []string{n.Label}, "marked uncertain with ?"
	}
	return n
}

// bodyWallMuscle returns the OpenWorm label (MDL01) of a body-wall muscle
// spelling, "!" when the number is out of range, or "".
func bodyWallMuscle(s string) string {
	u := strings.ToUpper(s)
	var m []string
	for _, re := range []*regexp.Regexp{reBWMNemaNode, reBWMCook, reBWMOpenWorm} {
		if m = re.FindStringSubmatch(u); m != nil {
			break
		}
	}
	if m == nil {
		return ""
	}
	side, lr, num := m[1], m[2], m[3]
	k, err := strconv.Atoi(num)
	if err != nil || k < 1 || k > 24 {
		return "!"
	}
	return fmt.Sprintf("M%s%s%02d", side, lr, k)
}

// NormalizeAll normalizes labels and returns the exact canonical neurons in
// slot order without duplicates, with the rejected or ambiguous inputs.
func NormalizeAll(labels []string) (neurons []string, others []Normalized) {
	seen := map[string]bool{}
	a := DefaultAtlas()
	for _, l := range labels {
		n := a.Normalize(l)
		if n.IsNeuron() {
			if !seen[n.Label] {
				seen[n.Label] = true
				neurons = append(neurons, n.Label)
			}
			continue
		}
		others = append(others, n)
	}
	sort.Slice(neurons, func(i, j int) bool { return neurons[i] < neurons[j] })
	return neurons, others
}
