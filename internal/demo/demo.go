// Package demo runs neurotab's built-in demonstration: it simulates a small
// multi-worm calcium dataset from a known ground-truth network with hidden
// state switches (package synth), on real C. elegans neuron labels from the
// canonical atlas, and writes it through the same table and Parquet path as
// real data. It needs no input files and no network.
//
// Outputs in the chosen folder:
//
//	traces.parquet       traces table, one row per worm × recorded neuron
//	traces_long.parquet  the same samples one row each (for SQL engines)
//	neurons.parquet      the simulated neurons with atlas class/type/slot
//	edges.parquet        the ground-truth coupling W as "functional" edges
//	states.parquet       the true hidden state of every sample
package demo

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/synth"
)

// Config sets the demo's size and seed.
type Config struct {
	Out     string // output folder (created)
	Seed    uint64
	Worms   int // default 4
	Neurons int // network size, drawn from the 300 canonical neurons (default 60)
	Samples int // samples per worm at 0.333 s (default 900, 5 minutes)
	States  int // hidden states (default 2)
	Command []string
	// Progress is called after each worm is simulated (may be nil).
	Progress func(done, total int)
}

// Output is one file the demo wrote.
type Output struct {
	Path  string
	Table table.Kind
	Rows  int64
	Bytes int64
}

// Dataset is the source_dataset name of the simulated recordings.
const Dataset = "neurotab_demo"

// Run simulates and writes the demo tables; it returns what it wrote.
func Run(cfg Config) ([]Output, error) {
	if cfg.Worms == 0 {
		cfg.Worms = 4
	}
	if cfg.Neurons == 0 {
		cfg.Neurons = 60
	}
	if cfg.Samples == 0 {
		cfg.Samples = 900
	}
	if cfg.States == 0 {
		cfg.States = 2
	}
	atlas := connectome.DefaultAtlas()
	if cfg.Neurons < 2 || cfg.Neurons > atlas.Len() {
		return nil, fmt.Errorf("demo: neurons must be between 2 and %d, not %d", atlas.Len(), cfg.Neurons)
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	// A seeded draw of canonical neurons, kept in slot order.
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	all := atlas.Neurons()
	pick := rng.Perm(len(all))[:cfg.Neurons]
	sort.Ints(pick)
	labels := make([]string, len(pick))
	for i, p := range pick {
		labels[i] = all[p].Label
	}
	res, err := synth.Simulate(synth.Config{Neurons: labels, Worms: 1, Samples: cfg.Samples, States: cfg.States, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	net := res.Network
	worms := res.Worms
	// Further worms share the network; simulate them one at a time for progress.
	for w := 1; w < cfg.Worms; w++ {
		r, err := synth.SimulateWorms(res, w, 1)
		if err != nil {
			return nil, err
		}
		worms = append(worms, r...)
		if cfg.Progress != nil {
			cfg.Progress(w+1, cfg.Worms)
		}
	}
	seed := int64(cfg.Seed)
	params := map[string]any{"worms": cfg.Worms, "neurons": cfg.Neurons, "samples": cfg.Samples, "states": cfg.States,
		"dt": res.Config.Dt, "model": "synth (rate network with hidden states, GCaMP calcium)",
		"connection_prob": res.Config.ConnectionProb, "gain": res.Config.Gain, "dwell_s": res.Config.Dwell}
	prov := table.Provenance{Command: cfg.Command, Parameters: params, Seed: &seed}

	var outs []Output
	write := func(name string, k table.Kind, rec arrow.RecordBatch) error {
		defer rec.Release()
		p := filepath.Join(cfg.Out, name)
		if err := table.WriteParquet(p, k, prov, nil, nil, rec); err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		outs = append(outs, Output{Path: p, Table: k, Rows: rec.NumRows(), Bytes: st.Size()})
		return nil
	}

	tb := table.NewTracesBuilder(nil)
	defer tb.Release()
	lb := table.NewLongBuilder(nil)
	defer lb.Release()
	sb := table.NewRowBuilder(nil, table.States)
	defer sb.Release()
	for _, w := range worms {
		r := recording(w, net, atlas)
		if err := tb.Append(r); err != nil {
			return nil, err
		}
		if err := lb.Append(r); err != nil {
			return nil, err
		}
		for i, z := range w.States {
			if err := sb.Append(w.ID, w.Time[i], z, 1.0); err != nil {
				return nil, err
			}
		}
	}
	if err := write("traces.parquet", table.Traces, tb.NewRecord()); err != nil {
		return nil, err
	}
	if err := write("traces_long.parquet", table.TracesLong, lb.NewRecord()); err != nil {
		return nil, err
	}
	if err := write("states.parquet", table.States, sb.NewRecord()); err != nil {
		return nil, err
	}

	nb := table.NewRowBuilder(nil, table.Neurons)
	defer nb.Release()
	for _, l := range labels {
		n, _ := atlas.Neuron(l)
		if err := nb.Append(n.Label, n.Class, n.Type, n.Neurotransmitter, n.X, n.Y, n.Z, n.Slot); err != nil {
			return nil, err
		}
	}
	if err := write("neurons.parquet", table.Neurons, nb.NewRecord()); err != nil {
		return nil, err
	}

	eb := table.NewRowBuilder(nil, table.Edges)
	defer eb.Release()
	N := len(labels)
	for post := 0; post < N; post++ {
		for pre := 0; pre < N; pre++ {
			if w := net.W.At(post, pre); w != 0 {
				if err := eb.Append(Dataset+"_ground_truth", labels[pre], labels[post], "functional", w, nil); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := write("edges.parquet", table.Edges, eb.NewRecord()); err != nil {
		return nil, err
	}
	return outs, nil
}

// recording turns a simulated worm into the table form: recorded neurons
// keep their canonical label and slot when labeled, and get a stable ROI id
// ("roi_<k>", k the network index) with no slot otherwise.
func recording(w synth.Worm, net synth.Network, atlas *connectome.Atlas) *table.Recording {
	n := len(w.Neurons)
	r := &table.Recording{Dataset: Dataset, Worm: w.ID, Neurons: make([]string, n), Slots: make([]int, n), Labeled: make([]bool, n),
		Time: w.Time, Data: w.F, OriginalTime: w.Time, Original: w.F,
		SmoothMethod: "none", InterpolateMethod: "none", NormalizationMethod: "none", RawDataFile: "simulated:seeded"}
	for j, i := range w.Neurons {
		if w.Labeled[j] {
			r.Neurons[j] = net.Neurons[i]
			s, _ := atlas.Slot(net.Neurons[i])
			r.Slots[j] = s
			r.Labeled[j] = true
		} else {
			r.Neurons[j] = "roi_" + strconv.Itoa(i)
			r.Slots[j] = -1
		}
	}
	return r
}
