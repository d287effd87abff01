package pipeline

import (
	"fmt"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/fit/reservoir"
	"gonum.org/v1/gonum/mat"
)

// Connectome describes a connectome-constrained reservoir: one unit per
// neuron of Labels, recurrent weights W = Aᵀ on the support of the
// adjacency A[pre][post] with its values (synapse counts, signed),
// rescaled to the spectral radius ρ* of Forecast.Reservoir. A recorded
// neuron whose label is a unit drives only that unit (W_in[unit][input] =
// the input scaling); a recorded neuron that is not in the connectome
// (an unlabeled ROI) drives random units as in a random reservoir
// (Reservoir.InputDensity). The readout reads every unit, as for a random
// reservoir; the targets are the recorded neurons.
type Connectome struct {
	// Name names the connectome in provenance (e.g. its file).
	Name string
	// Labels are the units' neuron labels, N of them.
	Labels []string
	// Adjacency is A[pre][post], N×N.
	Adjacency *mat.Dense
}

// NewConnectome builds a Connectome from an edges table: the units are
// the atlas's canonical neurons with at least one chemical or electrical
// edge among them; A sums the chemical edges signed by the presynaptic
// neuron's transmitter (connectome.Signs with the default rule: GABA
// inhibitory; a neuron of unknown or modulatory transmitter, sign 0, is
// kept excitatory so that its synapses stay in the support) and the
// electrical edges (symmetric, positive). The error wraps
// neurotab.ErrShape when no edge joins two canonical neurons.
func NewConnectome(name string, edges []connectome.Edge, atlas *connectome.Atlas) (*Connectome, error) {
	canon := atlas.Labels()
	full, err := connectome.Adjacency(edges, canon, connectome.Chemical|connectome.Electrical)
	if err != nil {
		return nil, err
	}
	var keep []int
	for i := range canon {
		for j := range canon {
			if full.At(i, j) != 0 || full.At(j, i) != 0 {
				keep = append(keep, i)
				break
			}
		}
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("pipeline: connectome %s: no chemical or electrical edge between canonical neurons: %w", name, neurotab.ErrShape)
	}
	labels := pick(canon, keep)
	chem, err := connectome.Adjacency(edges, labels, connectome.Chemical)
	if err != nil {
		return nil, err
	}
	gap, err := connectome.Adjacency(edges, labels, connectome.Electrical)
	if err != nil {
		return nil, err
	}
	signs := connectome.Signs(atlas, labels, connectome.SignRule{})
	for i, s := range signs {
		if s == 0 {
			signs[i] = 1
		}
	}
	a, err := connectome.SignedAdjacency(chem, signs)
	if err != nil {
		return nil, err
	}
	a.Add(a, gap)
	return &Connectome{Name: name, Labels: labels, Adjacency: a}, nil
}

// Density returns the share of non-zero entries of A, the density a
// random reservoir of the same size needs for a like-for-like comparison.
func (c *Connectome) Density() float64 {
	n, _ := c.Adjacency.Dims()
	nnz := 0
	for _, v := range c.Adjacency.RawMatrix().Data {
		if v != 0 {
			nnz++
		}
	}
	return float64(nnz) / float64(n*n)
}

// Parameters returns the name, unit count and density.
func (c *Connectome) Parameters() map[string]any {
	return map[string]any{"name": c.Name, "units": len(c.Labels), "density": c.Density()}
}

// esn builds the constrained reservoir for the input neurons inputs.
func (c *Connectome) esn(rc reservoir.Config, inputs []string) (*reservoir.ESN, int, error) {
	rc.Adjacency, rc.AdjacencyWeights, rc.Units = c.Adjacency, true, 0
	rc.Inputs = len(inputs)
	e, err := rc.New()
	if err != nil {
		return nil, 0, err
	}
	scale := rc.InputScaling
	if scale == 0 {
		scale = 1
	}
	attached := 0
	for q, n := range inputs {
		u := slices.Index(c.Labels, n)
		if u < 0 {
			continue
		}
		for i := range len(c.Labels) {
			e.In.Set(i, q, 0)
		}
		e.In.Set(u, q, scale)
		attached++
	}
	if attached == 0 {
		show := inputs[:min(len(inputs), 5)]
		return nil, 0, fmt.Errorf("none of the %d recorded neurons (%v…) is a unit of connectome %s (%d neurons): label the traces (ingest --labels-file): %w",
			len(inputs), show, c.Name, len(c.Labels), neurotab.ErrNotFound)
	}
	return e, attached, nil
}
