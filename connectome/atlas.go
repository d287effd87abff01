package connectome

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
)

// NumNeurons is the size of the canonical neuron list: the 302
// hermaphrodite neurons of White et al. 1986 (doi:10.1098/rstb.1986.0056)
// without CANL and CANR, which Cook et al. 2019
// (doi:10.1038/s41586-019-1352-7) count as end organs.
const NumNeurons = 300

// Neuron types of the atlas (the `type` column of the neurons table).
const (
	Sensory    = "sensory"
	Inter      = "inter"
	Motor      = "motor"
	Pharyngeal = "pharyngeal"
)

// Neuron is one row of the canonical neurons table. X, Y, Z are the soma
// position in the atlas units of the worm-graph master sheet (y runs from
// head to tail, 0…800); they are NaN when the atlas carries no positions.
type Neuron struct {
	Label            string
	Class            string
	Type             string
	Neurotransmitter string
	X, Y, Z          float64
	Slot             int
}

// Atlas is a list of neurons in slot order with lookup by label and class.
// The zero value is empty; use DefaultAtlas or LoadAtlas.
type Atlas struct {
	neurons []Neuron
	slot    map[string]int
	classes map[string][]string
}

var (
	defaultOnce  sync.Once
	defaultAtlas *Atlas
)

// DefaultAtlas returns the 300 canonical neurons built from the class table
// in this package (membership from White et al. 1986, types and transmitters
// as in the worm-graph master sheet of Simeon et al.). Positions are NaN:
// load the master sheet with LoadAtlas for them. The returned atlas is shared
// and must not be modified.
func DefaultAtlas() *Atlas {
	defaultOnce.Do(func() {
		var ns []Neuron
		for _, c := range classTable {
			sfx := strings.Fields(c.suffixes)
			if len(sfx) == 0 {
				sfx = []string{""}
			}
			for _, s := range sfx {
				ns = append(ns, Neuron{Label: c.class + s, Class: c.class, Type: c.typ,
					Neurotransmitter: c.transmitter, X: math.NaN(), Y: math.NaN(), Z: math.NaN()})
			}
		}
		a, err := newAtlas(ns)
		if err != nil {
			panic("connectome: bad built-in class table: " + err.Error())
		}
		defaultAtlas = a
	})
	return defaultAtlas
}

// newAtlas sorts neurons by label in byte order, assigns slots and indexes
// them. Labels must be unique and non-empty.
func newAtlas(ns []Neuron) (*Atlas, error) {
	sort.SliceStable(ns, func(i, j int) bool { return ns[i].Label < ns[j].Label })
	a := &Atlas{neurons: ns, slot: make(map[string]int, len(ns)), classes: map[string][]string{}}
	for i := range ns {
		if ns[i].Label == "" {
			return nil, errors.New("empty neuron label")
		}
		if _, dup := a.slot[ns[i].Label]; dup {
			return nil, fmt.Errorf("neuron %s listed twice", ns[i].Label)
		}
		ns[i].Slot = i
		a.slot[ns[i].Label] = i
		a.classes[ns[i].Class] = append(a.classes[ns[i].Class], ns[i].Label)
	}
	return a, nil
}

// LoadAtlas reads a neuron master sheet: a CSV file with the columns label,
// class, neurotransmitter, type, x, y, z in any order (other columns are
// ignored), as worm-graph's data/raw/neuron_master_sheet.csv. Slots are
// assigned in byte order of the labels. Neurotransmitter names are
// normalized with NormalizeTransmitter ("Ach" → "ACh", "Unknown (orphan)" →
// "Unknown").
func LoadAtlas(path string) (*Atlas, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAtlas(f, path)
}

// ReadAtlas is LoadAtlas on a reader; name is used in error messages.
func ReadAtlas(in io.Reader, name string) (*Atlas, error) {
	a, err := readAtlas(in, name)
	return a, textError(err)
}

var atlasColumns = []string{"label", "class", "neurotransmitter", "type", "x", "y", "z"}

func readAtlas(in io.Reader, name string) (*Atlas, error) {
	r, err := csvtab.NewReader(in, name, csvtab.Options{Comma: ','})
	if err != nil {
		return nil, err
	}
	cols, err := r.Require(atlasColumns...)
	if err != nil {
		return nil, err
	}
	var ns []Neuron
	var vals []string
	err = r.Each(func(row []string) error {
		var err error
		if vals, err = r.Fields(vals, row, cols); err != nil {
			return err
		}
		n := Neuron{Label: vals[0], Class: vals[1], Neurotransmitter: NormalizeTransmitter(vals[2]), Type: strings.ToLower(vals[3])}
		if n.Label == "" {
			return r.Errorf(cols[0]+1, neurotab.ErrMalformed, "empty label")
		}
		for i, p := range []*float64{&n.X, &n.Y, &n.Z} {
			v, err := csvtab.ParseFloat(vals[4+i])
			if err != nil {
				return r.Errorf(cols[4+i]+1, neurotab.ErrMalformed, "%s %q is not a number", atlasColumns[4+i], vals[4+i])
			}
			*p = v
		}
		ns = append(ns, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	a, err := newAtlas(ns)
	if err != nil {
		return nil, &FormatError{File: name, Msg: err.Error(), Err: neurotab.ErrMalformed}
	}
	return a, nil
}

// NormalizeTransmitter maps the spellings found in neuron tables to the
// atlas names: ACh, Glu, GABA, DA, 5HT, Octopamine, Tyramine, Unknown.
// Unrecognized names are returned trimmed.
func NormalizeTransmitter(s string) string {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "ach", "acetylcholine", "cholinergic":
		return "ACh"
	case "glu", "glutamate", "glutamatergic":
		return "Glu"
	case "gaba", "gabaergic":
		return "GABA"
	case "da", "dopamine", "dopaminergic":
		return "DA"
	case "5ht", "5-ht", "serotonin", "serotonergic":
		return "5HT"
	case "octopamine", "oa":
		return "Octopamine"
	case "tyramine", "ta":
		return "Tyramine"
	case "", "unknown", "unknown (orphan)", "orphan":
		return "Unknown"
	}
	return t
}

// Len returns the number of neurons.
func (a *Atlas) Len() int { return len(a.neurons) }

// Labels returns a new slice of the labels in slot order.
func (a *Atlas) Labels() []string {
	out := make([]string, len(a.neurons))
	for i, n := range a.neurons {
		out[i] = n.Label
	}
	return out
}

// Neurons returns a copy of the neurons in slot order.
func (a *Atlas) Neurons() []Neuron { return append([]Neuron(nil), a.neurons...) }

// Slot returns the slot (0-based index in label order) of an exact label.
func (a *Atlas) Slot(label string) (int, bool) {
	i, ok := a.slot[label]
	return i, ok
}

// Neuron returns the neuron with an exact label.
func (a *Atlas) Neuron(label string) (Neuron, bool) {
	i, ok := a.slot[label]
	if !ok {
		return Neuron{}, false
	}
	return a.neurons[i], true
}

// Class returns the labels of a class's members in slot order, or nil.
func (a *Atlas) Class(class string) []string {
	return append([]string(nil), a.classes[class]...)
}

// Classes returns the class names in byte order.
func (a *Atlas) Classes() []string {
	out := make([]string, 0, len(a.classes))
	for c := range a.classes {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// LabelsOfType returns the labels of the neurons of one type (Sensory,
// Inter, Motor or Pharyngeal) in slot order, a neuron subset for Adjacency.
func (a *Atlas) LabelsOfType(typ string) []string {
	var out []string
	for _, n := range a.neurons {
		if n.Type == typ {
			out = append(out, n.Label)
		}
	}
	return out
}
