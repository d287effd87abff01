package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/npy"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// ModelVersion is the version of the model folder format that Save
// writes and LoadModel reads.
const ModelVersion = 1

// ModelFile is the name of a model folder's description.
const ModelFile = "model.json"

// Model is a trained task: its configuration, the neurons it reads and
// predicts, the reservoir's weights and the readouts of the reservoir and
// the autoregressive baseline. Save writes it as a folder, LoadModel
// reads it back and Apply runs it on traces.
//
// The folder holds model.json (ModelInfo: the format name and version,
// the task and its split, the hyperparameters, the seed, the input and
// target neurons in column order) and little-endian NumPy .npy arrays:
//
//	esn_w_indptr.npy (int64, N+1), esn_w_indices.npy (int32, nnz),
//	esn_w_data.npy (float64, nnz)   W[post][pre] in CSR form
//	esn_in.npy (N×D)                W_in, D = len(inputs)
//	esn_leak.npy (N)                leak rates α_i
//	esn_bias.npy (N)                b, only when the reservoir has a bias
//	reservoir_weights.npy (G×F×K), reservoir_intercept.npy (G×K)
//	autoregressive_weights.npy, autoregressive_intercept.npy (likewise)
//
// G is the number of readouts (1, or one per target neuron with
// per_neuron), F their features, K their targets; readout g predicts
// ŷ = Wgᵀf + bg with the features f of the package doc.
type Model struct {
	// Forecast is the configuration the model was trained with.
	Forecast Forecast
	// Inputs and Targets are the neurons in column order.
	Inputs, Targets []string
	// ESN is the reservoir.
	ESN *reservoir.ESN
	// Attached counts the inputs attached to their own connectome unit
	// (0 without a connectome).
	Attached int
	// TrainWorms, for a model of FitWorms, names the train recordings
	// ("dataset/worm"); nil for the time split.
	TrainWorms []string

	resMaps, arMaps []affine
	params          map[string]any // of model.json, for a loaded model
}

// Parameters returns the parameters the model was trained with (those of
// model.json for a loaded model), for provenance.
func (m *Model) Parameters() map[string]any {
	if m.params != nil {
		return m.params
	}
	return m.Forecast.Parameters()
}

// ModelInfo is the content of model.json.
type ModelInfo struct {
	Format        string         `json:"format"`
	Version       int            `json:"version"`
	Task          string         `json:"task"`
	Horizon       int            `json:"horizon"`
	TrainFraction float64        `json:"train_fraction"`
	Washout       int            `json:"washout"`
	Lags          int            `json:"lags"`
	Residual      bool           `json:"residual"`
	PerNeuron     bool           `json:"per_neuron"`
	Intercept     bool           `json:"intercept"`
	Tolerance     float64        `json:"tolerance"`
	Seed          string         `json:"seed"`
	Activation    string         `json:"activation"`
	ExternalLeak  bool           `json:"external_leak"`
	Units         int            `json:"units"`
	Attached      int            `json:"attached"`
	Split         string         `json:"split"`
	TrainWorms    []string       `json:"train_worms,omitempty"`
	Inputs        []string       `json:"inputs"`
	Targets       []string       `json:"targets"`
	Parameters    map[string]any `json:"parameters"`
}

const modelFormat = "neurotab.fit.model"

// build draws the reservoir for the inputs in.
func (m *Model) build(rec *table.Recording, in []int) error {
	f := m.Forecast
	rc := f.Reservoir
	rc.Inputs = len(in)
	var err error
	if f.Connectome != nil {
		m.ESN, m.Attached, err = f.Connectome.esn(rc, m.Inputs)
		return err
	}
	m.ESN, err = rc.New()
	return err
}

// Info returns the model's description.
func (m *Model) Info() ModelInfo {
	f := m.Forecast
	return ModelInfo{Format: modelFormat, Version: ModelVersion, Task: f.task(), Horizon: f.horizon(), TrainFraction: f.fraction(),
		Washout: f.washout(), Lags: f.lags(), Residual: f.Residual, PerNeuron: f.PerNeuron, Intercept: !f.NoIntercept,
		Tolerance: f.tolerance(), Seed: f.Reservoir.Seed.String(), Activation: m.ESN.Activation.String(), ExternalLeak: m.ESN.ExternalLeak,
		Units: m.ESN.W.N, Attached: m.Attached, Split: m.split(), TrainWorms: m.TrainWorms, Inputs: m.Inputs, Targets: m.Targets, Parameters: m.Parameters()}
}

func (m *Model) split() string {
	if m.TrainWorms != nil {
		return "worms"
	}
	return "time"
}

// Save writes the model folder dir (created if needed); each file is
// written to a temporary name and renamed, model.json last, so a folder
// without model.json holds no model.
func (m *Model) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	e := m.ESN
	indptr := make([]int64, len(e.W.Indptr))
	for i, v := range e.W.Indptr {
		indptr[i] = int64(v)
	}
	n, d := e.In.Dims()
	arrays := []struct {
		name  string
		shape []int
		data  any
	}{
		{"esn_w_indptr.npy", []int{len(indptr)}, indptr},
		{"esn_w_indices.npy", []int{len(e.W.Indices)}, e.W.Indices},
		{"esn_w_data.npy", []int{len(e.W.Data)}, e.W.Data},
		{"esn_in.npy", []int{n, d}, denseData(e.In)},
		{"esn_leak.npy", []int{n}, e.Leak},
	}
	if e.Bias != nil {
		arrays = append(arrays, struct {
			name  string
			shape []int
			data  any
		}{"esn_bias.npy", []int{n}, e.Bias})
	}
	for _, r := range []struct {
		name string
		maps []affine
	}{{Reservoir, m.resMaps}, {Autoregressive, m.arMaps}} {
		F, K := r.maps[0].W.Dims()
		var w, b []float64
		for _, a := range r.maps {
			w = append(w, denseData(a.W)...)
			b = append(b, a.B...)
		}
		arrays = append(arrays, struct {
			name  string
			shape []int
			data  any
		}{r.name + "_weights.npy", []int{len(r.maps), F, K}, w}, struct {
			name  string
			shape []int
			data  any
		}{r.name + "_intercept.npy", []int{len(r.maps), K}, b})
	}
	for _, a := range arrays {
		var buf bytes.Buffer
		if err := npy.Write(&buf, a.shape, a.data); err != nil {
			return err
		}
		if err := writeAtomic(filepath.Join(dir, a.name), buf.Bytes()); err != nil {
			return err
		}
	}
	js, err := json.MarshalIndent(m.Info(), "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ModelFile), append(js, '\n'))
}

func denseData(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := range r {
		out = append(out, m.RawRowView(i)...)
	}
	return out
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadModel reads a model folder written by Save. The errors name the
// file: a missing model.json wraps neurotab.ErrNotFound, another format
// or version neurotab.ErrUnsupported, arrays of the wrong shape
// neurotab.ErrShape.
func LoadModel(dir string) (*Model, error) {
	path := filepath.Join(dir, ModelFile)
	js, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("pipeline: %s: no model here (want the -o folder of 'neurotab fit reservoir'): %w", path, neurotab.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var info ModelInfo
	if err := json.Unmarshal(js, &info); err != nil {
		return nil, fmt.Errorf("pipeline: %s: %v: %w", path, err, neurotab.ErrMalformed)
	}
	if info.Format != modelFormat || info.Version != ModelVersion {
		return nil, fmt.Errorf("pipeline: %s: model format %q version %d, this neurotab reads %q version %d: %w",
			path, info.Format, info.Version, modelFormat, ModelVersion, neurotab.ErrUnsupported)
	}
	m := &Model{Inputs: info.Inputs, Targets: info.Targets, Attached: info.Attached, TrainWorms: info.TrainWorms, params: info.Parameters}
	if info.Split == "worms" && m.TrainWorms == nil {
		m.TrainWorms = []string{}
	}
	w := info.Washout
	if w == 0 {
		w = -1
	}
	seed, err := neurotab.ParseSeed(info.Seed)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: seed %q: %w", path, info.Seed, neurotab.ErrMalformed)
	}
	m.Forecast = Forecast{Task: info.Task, Horizon: info.Horizon, TrainFraction: info.TrainFraction, Washout: w, Lags: info.Lags,
		Residual: info.Residual, PerNeuron: info.PerNeuron, NoIntercept: !info.Intercept, Tolerance: info.Tolerance,
		Reservoir: reservoir.Config{Seed: seed}}
	if info.Task == TaskHeldout {
		m.Forecast.Heldout = info.Targets
	}
	if err := m.Forecast.Check(); err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", path, err)
	}
	if err := m.loadArrays(dir, info); err != nil {
		return nil, err
	}
	return m, nil
}

// loadArrays reads the .npy arrays of a model folder.
func (m *Model) loadArrays(dir string, info ModelInfo) error {
	read := func(name string, shape ...int) (*npy.Array, error) {
		p := filepath.Join(dir, name)
		a, err := npy.Open(p)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
		if shape != nil && !slices.Equal(a.Shape, shape) {
			return nil, fmt.Errorf("pipeline: %s: shape %v, want %v: %w", p, a.Shape, shape, neurotab.ErrShape)
		}
		return a, nil
	}
	n, d := info.Units, len(info.Inputs)
	ip, err := read("esn_w_indptr.npy", n+1)
	if err != nil {
		return err
	}
	ind64, err := ip.Int64s()
	if err != nil {
		return fmt.Errorf("pipeline: %s: %w", filepath.Join(dir, "esn_w_indptr.npy"), err)
	}
	csr := &reservoir.CSR{N: n, Indptr: make([]int, n+1)}
	for i, v := range ind64 {
		csr.Indptr[i] = int(v)
	}
	idx, err := read("esn_w_indices.npy")
	if err != nil {
		return err
	}
	i64, err := idx.Int64s()
	if err != nil {
		return err
	}
	for _, v := range i64 {
		csr.Indices = append(csr.Indices, int32(v))
	}
	data, err := read("esn_w_data.npy", len(i64))
	if err != nil {
		return err
	}
	csr.Data = data.Float64s()
	in, err := read("esn_in.npy", n, d)
	if err != nil {
		return err
	}
	leak, err := read("esn_leak.npy", n)
	if err != nil {
		return err
	}
	e := &reservoir.ESN{W: csr, In: mat.NewDense(n, d, in.Float64s()), Leak: leak.Float64s(), ExternalLeak: info.ExternalLeak}
	if info.Activation == reservoir.Identity.String() {
		e.Activation = reservoir.Identity
	}
	if _, err := os.Stat(filepath.Join(dir, "esn_bias.npy")); err == nil {
		b, err := read("esn_bias.npy", n)
		if err != nil {
			return err
		}
		e.Bias = b.Float64s()
	}
	if err := e.Check(); err != nil {
		return fmt.Errorf("pipeline: %s: %w", dir, err)
	}
	m.ESN = e
	for _, r := range []struct {
		name string
		dst  *[]affine
	}{{Reservoir, &m.resMaps}, {Autoregressive, &m.arMaps}} {
		wa, err := read(r.name + "_weights.npy")
		if err != nil {
			return err
		}
		if len(wa.Shape) != 3 {
			return fmt.Errorf("pipeline: %s: shape %v, want G×F×K: %w", filepath.Join(dir, r.name+"_weights.npy"), wa.Shape, neurotab.ErrShape)
		}
		G, F, K := wa.Shape[0], wa.Shape[1], wa.Shape[2]
		ba, err := read(r.name+"_intercept.npy", G, K)
		if err != nil {
			return err
		}
		wd, bd := wa.Float64s(), ba.Float64s()
		for g := range G {
			*r.dst = append(*r.dst, affine{W: mat.NewDense(F, K, wd[g*F*K:(g+1)*F*K]), B: bd[g*K : (g+1)*K]})
		}
	}
	return nil
}

// Apply runs the model on a recording that holds its neurons (matched by
// label; other neurons are ignored and the column order does not
// matter), with the model's task and split (a model of FitWorms scores a
// train worm on its train split and any other recording on its test
// split): the predictions and metrics on the model's training data equal
// those of the run that trained it.
// Nothing is refitted. The errors are those of Fit, and
// neurotab.ErrNotFound naming the model's neurons the recording lacks.
func (m *Model) Apply(rec *table.Recording) (*Result, error) {
	var missing []string
	index := func(names []string) []int {
		idx := make([]int, len(names))
		for i, n := range names {
			idx[i] = slices.Index(rec.Neurons, n)
			if idx[i] < 0 && !slices.Contains(missing, n) {
				missing = append(missing, n)
			}
		}
		return idx
	}
	in, out := index(m.Inputs), index(m.Targets)
	if len(missing) > 0 {
		return nil, fmt.Errorf("pipeline: %s/%s: the traces lack %d of the model's neurons (%v): %w",
			rec.Dataset, rec.Worm, len(missing), missing[:min(len(missing), 5)], neurotab.ErrNotFound)
	}
	if m.TrainWorms == nil {
		return m.Forecast.run(rec, in, out, m)
	}
	whole := Test
	if slices.Contains(m.TrainWorms, rec.Dataset+"/"+rec.Worm) {
		whole = Train
	}
	s, res, err := m.Forecast.prepare(rec, in, out, m, whole)
	if err != nil {
		return nil, err
	}
	return s.finish(res, m)
}
