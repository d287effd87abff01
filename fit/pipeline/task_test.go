package pipeline

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/fit/readout"
	"github.com/neurotab/neurotab/fit/reservoir"
	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// mixed is the rotation with a third neuron m = 2c − s, an exact linear
// function of the other two at the same sample.
func mixed(T, P int) *table.Recording {
	r := rotation(T, P)
	X := mat.NewDense(T, 3, nil)
	for t := range T {
		c, s := r.Data.At(t, 0), r.Data.At(t, 1)
		X.SetRow(t, []float64{c, s, 2*c - s})
	}
	r.Data, r.Neurons = X, []string{"c", "s", "m"}
	return r
}

// Heldout: m = 2c − s at the same sample, so the regression on the
// other neurons (lags 1, OLS) predicts it exactly, R² = 1 (1e-9); the
// default heldout set is every fifth neuron (here neuron 0 of 3).
func TestHeldout(t *testing.T) {
	f := Forecast{Task: TaskHeldout, Heldout: []string{"m"}, Washout: -1, Reservoir: reservoir.Config{Units: 20, Seed: 3}, Ridge: 1e-6}
	res, err := f.Fit(mixed(160, 20))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Neurons, ",") != "m" || strings.Join(res.Inputs, ",") != "c,s" || res.Horizon != 0 {
		t.Fatalf("targets %v inputs %v horizon %d", res.Neurons, res.Inputs, res.Horizon)
	}
	if g := res.Method(Autoregressive).Score(Test, MetricR2); math.Abs(g-1) > 1e-9 {
		t.Errorf("autoregressive heldout R² %v, want 1", g)
	}
	// Persistence holds the last training sample x_m[c−1] over the test.
	c := res.Cut
	for i := range res.TestT {
		if got := res.Method(Persistence).Predicted[1].At(i, 0); got != 2*math.Cos(2*math.Pi*float64(c-1)/20)-math.Sin(2*math.Pi*float64(c-1)/20) {
			t.Fatalf("persistence row %d = %v", i, got)
		}
	}
	f.Heldout = nil
	res, err = f.Fit(mixed(160, 20))
	if err != nil || strings.Join(res.Neurons, ",") != "c" {
		t.Fatalf("default heldout %v, %v", res.Neurons, err)
	}
}

// Generate: the rotation is an exact VAR(1), so the autoregression run
// free from the cut stays on the circle for the whole test span (R² = 1 to
// 1e-6, every step valid), while persistence, holding x[c−1], stops being
// valid within a quarter period: its error at step h is
// √(2 − 2 cos ωh)/σ with σ = 1/√2 (whole periods), above 1 once
// cos ωh < 3/4, i.e. h ≥ 3 for P = 20 (cos(2π·3/20) = 0.588; cos(2π·2/20)
// = 0.809).
func TestGenerate(t *testing.T) {
	const P = 20
	// Train targets t+1 ∈ [1, 100): 99 samples; whole periods are needed
	// for σ = 1/√2, so washout 0 and cut 101 give targets 1..100 (5 periods).
	f := Forecast{Task: TaskGenerate, TrainFraction: 101.0 / 161, Washout: -1, Reservoir: reservoir.Config{Units: 20, Seed: 3}, Ridge: 1e-6}
	res, err := f.Fit(rotation(161, P))
	if err != nil {
		t.Fatal(err)
	}
	if res.Cut != 101 || res.TestT[0] != 100 || len(res.TestT) != 60 || len(res.TrainT) != 100 {
		t.Fatalf("cut %d test %d… (%d) train %d", res.Cut, res.TestT[0], len(res.TestT), len(res.TrainT))
	}
	ar := res.Method(Autoregressive)
	if g := ar.Score(Test, MetricR2); math.Abs(g-1) > 1e-6 {
		t.Errorf("free-running autoregression R² %v, want 1", g)
	}
	if g := ar.Score(Test, MetricValidSteps); g != 60 {
		t.Errorf("autoregression valid for %v steps, want 60", g)
	}
	if g := res.Method(Persistence).Score(Test, MetricValidSteps); g != 3 {
		t.Errorf("persistence valid for %v steps, want 3", g)
	}
}

// pVar of the whole matrix equals the mean R² when every column has the
// same variance and mean (here two columns of a circle over whole
// periods), and NRMSE by range is RMSE/2 for a unit cosine.
func TestScoresPVarRange(t *testing.T) {
	const P, m, cut = 20, 3, 100
	T := cut + 1 + m*P
	f := Forecast{Horizon: 1, TrainFraction: float64(cut) / float64(T), Washout: -1, Reservoir: reservoir.Config{Units: 20, Seed: 3}}
	res, err := f.Fit(rotation(T, P))
	if err != nil {
		t.Fatal(err)
	}
	p := res.Method(Persistence)
	ck := math.Cos(2 * math.Pi / P)
	if g := p.Score(Test, MetricPVar); math.Abs(g-(2*ck-1)) > 1e-9 {
		t.Errorf("pvar %v, want %v", g, 2*ck-1)
	}
	// Per neuron the mean squared error is (2 − 2 cos ω)/2 (the cosine's
	// half of the circle's chord, see TestForecastRotationClosedForm), so
	// RMSE = √(1 − cos ω); the range of a cosine sampled every 18° over
	// whole periods is 2.
	if g := p.Scores[1][MetricNRMSERange][0]; math.Abs(g-math.Sqrt(1-ck)/2) > 1e-9 {
		t.Errorf("nrmse_range %v, want %v", g, math.Sqrt(1-ck)/2)
	}
}

// A saved model loaded back predicts the same numbers bit for bit, for
// every readout and mode; the folder holds model.json and the arrays.
func TestModelRoundTrip(t *testing.T) {
	rec := mixed(200, 17)
	base := Forecast{Horizon: 3, Washout: 10, Lags: 2, Ridge: 1e-3, Reservoir: reservoir.Config{Units: 30, Seed: 7, BiasScaling: 0.1}}
	cases := []struct {
		name string
		mod  func(*Forecast)
	}{
		{"ridge", func(*Forecast) {}},
		{"rls", func(f *Forecast) { f.Readout = Readout{Kind: ReadoutRLS, RLS: readout.RLS{Delta: 10}} }},
		{"lms", func(f *Forecast) { f.Readout = Readout{Kind: ReadoutLMS, LMS: readout.LMS{Rate: 0.01, Epochs: 3}} }},
		{"oja", func(f *Forecast) {
			f.Readout = Readout{Kind: ReadoutOja, Oja: readout.Hebbian{Outputs: 4, Rate: 0.001, Epochs: 5}}
		}},
		{"eh", func(f *Forecast) { f.Readout = Readout{Kind: ReadoutEH, EH: readout.EH{Epochs: 2, Seed: 1}} }},
		{"per-neuron residual", func(f *Forecast) { f.PerNeuron, f.Residual, f.NoIntercept = true, true, true }},
		{"heldout", func(f *Forecast) { f.Task = TaskHeldout; f.Heldout = []string{"s"} }},
		{"generate", func(f *Forecast) { f.Task = TaskGenerate }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base
			c.mod(&f)
			res, err := f.Fit(rec)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := res.Model.Save(dir); err != nil {
				t.Fatal(err)
			}
			m, err := LoadModel(dir)
			if err != nil {
				t.Fatal(err)
			}
			// Reverse the columns: the model matches neurons by label.
			rev := *rec
			rev.Neurons = []string{"m", "s", "c"}
			rev.Data = mat.NewDense(200, 3, nil)
			for t := range 200 {
				rev.Data.SetRow(t, []float64{rec.Data.At(t, 2), rec.Data.At(t, 1), rec.Data.At(t, 0)})
			}
			again, err := m.Apply(&rev)
			if err != nil {
				t.Fatal(err)
			}
			for i := range res.Methods {
				for s := range 2 {
					if !mat.Equal(res.Methods[i].Predicted[s], again.Methods[i].Predicted[s]) {
						t.Errorf("%s split %d: the loaded model predicts differently", res.Methods[i].Model, s)
					}
				}
			}
		})
	}
}

// Bad models and inputs: one-line errors wrapping the right sentinel.
func TestModelErrors(t *testing.T) {
	rec := mixed(200, 17)
	res, err := Forecast{Washout: 10, Reservoir: reservoir.Config{Units: 30, Seed: 1}}.Fit(rec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := res.Model.Save(dir); err != nil {
		t.Fatal(err)
	}
	js, _ := os.ReadFile(filepath.Join(dir, ModelFile))
	other := t.TempDir()
	for _, name := range []string{"esn_w_indptr.npy"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		os.WriteFile(filepath.Join(other, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(other, ModelFile), []byte(strings.Replace(string(js), `"version": 1`, `"version": 2`, 1)), 0o644)
	if _, err := LoadModel(other); !errors.Is(err, neurotab.ErrUnsupported) || strings.Contains(err.Error(), "\n") {
		t.Errorf("version 2: %v", err)
	}
	if _, err := LoadModel(t.TempDir()); !errors.Is(err, neurotab.ErrNotFound) {
		t.Errorf("empty folder: %v", err)
	}
	m, err := LoadModel(dir)
	if err != nil {
		t.Fatal(err)
	}
	short := *rec
	short.Neurons = []string{"c", "s", "x"}
	_, err = m.Apply(&short)
	if want := `pipeline: test/rot: the traces lack 1 of the model's neurons ([m]): not found`; err == nil || err.Error() != want {
		t.Errorf("missing neuron: %v, want %s", err, want)
	}
}

func TestFitErrors(t *testing.T) {
	constant := mixed(200, 17)
	for i := range 200 {
		constant.Data.Set(i, 1, 3)
	}
	short := mixed(200, 17)
	short.Time = short.Time[:150]
	cases := []struct {
		name string
		f    Forecast
		rec  *table.Recording
		want error
		msg  string
	}{
		{"mismatched lengths", Forecast{}, short, neurotab.ErrShape, "pipeline: test/rot: 200×3 traces with 150 times and 3 neuron names: shape mismatch"},
		{"constant target", Forecast{Washout: 10}, constant, neurotab.ErrShape, "pipeline: test/rot: target neuron s is constant (3) over the 129 training samples: nothing to fit: shape mismatch"},
		{"diverging lms", Forecast{Washout: 10, Readout: Readout{Kind: ReadoutLMS, LMS: readout.LMS{Rate: 50, Epochs: 5}}}, mixed(200, 17), neurotab.ErrNotFinite,
			"pipeline: test/rot: reservoir readout: readout: LMS error -Inf at sample 100: diverged, lower Rate: not finite"},
		{"unknown heldout", Forecast{Task: TaskHeldout, Heldout: []string{"zz"}}, mixed(200, 17), neurotab.ErrNotFound, `pipeline: test/rot: heldout neuron "zz" is not in the recording: not found`},
		{"unknown readout", Forecast{Readout: Readout{Kind: "svm"}}, mixed(200, 17), neurotab.ErrParam, ""},
		{"heldout residual", Forecast{Task: TaskHeldout, Residual: true}, mixed(200, 17), neurotab.ErrParam, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.f.Fit(c.rec)
			if !errors.Is(err, c.want) || (c.msg != "" && err.Error() != c.msg) {
				t.Errorf("err %v, want %v %q", err, c.want, c.msg)
			}
		})
	}
}

// A connectome reservoir has one unit per connected canonical neuron; a
// recorded neuron in it drives only its own unit; a recording with no
// neuron in the connectome is an error.
func TestConnectome(t *testing.T) {
	edges := []connectome.Edge{
		{Pre: "AVAL", Post: "AVAR", Type: connectome.Chemical, Weight: 3},
		{Pre: "AVAR", Post: "RMGL", Type: connectome.Chemical, Weight: 1},
		{Pre: "RMGL", Post: "AVAL", Type: connectome.Electrical, Weight: 2},
		{Pre: "AVAL", Post: "RMGL", Type: connectome.Electrical, Weight: 2},
	}
	c, err := NewConnectome("toy", edges, connectome.DefaultAtlas())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Labels) != 3 || math.Abs(c.Density()-4.0/9) > 1e-12 {
		t.Fatalf("labels %v density %v", c.Labels, c.Density())
	}
	rec := mixed(200, 17)
	rec.Neurons = []string{"AVAL", "x1", "x2"}
	res, err := Forecast{Washout: 10, Connectome: c, Reservoir: reservoir.Config{InputScaling: 0.5, SpectralRadius: 0.9}}.Fit(rec)
	if err != nil {
		t.Fatal(err)
	}
	e := res.Model.ESN
	u := 0
	for i, l := range c.Labels {
		if l == "AVAL" {
			u = i
		}
	}
	for i := range 3 {
		want := 0.0
		if i == u {
			want = 0.5
		}
		if e.In.At(i, 0) != want {
			t.Errorf("W_in[%d][AVAL] = %v, want %v", i, e.In.At(i, 0), want)
		}
	}
	if res.Model.Attached != 1 || e.W.N != 3 {
		t.Errorf("attached %d, units %d", res.Model.Attached, e.W.N)
	}
	rec.Neurons = []string{"x0", "x1", "x2"}
	_, err = Forecast{Washout: 10, Connectome: c}.Fit(rec)
	if !errors.Is(err, neurotab.ErrNotFound) || strings.Contains(err.Error(), "\n") {
		t.Errorf("no overlap: %v", err)
	}
}

// The figures are PNG images; a result without a finite R² has no neuron
// figure.
func TestFigures(t *testing.T) {
	res, err := Forecast{Horizon: 2, Washout: 10, Reservoir: reservoir.Config{Units: 20, Seed: 1}}.Fit(mixed(200, 17))
	if err != nil {
		t.Fatal(err)
	}
	for _, draw := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return res.PlotNeurons(b, "png", Reservoir) },
		func(b *bytes.Buffer) error { return res.PlotScores(b, "png", MetricR2) },
	} {
		var b bytes.Buffer
		if err := draw(&b); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil || img.Bounds().Dx() < 400 {
			t.Fatalf("not a PNG figure: %v", err)
		}
	}
	if best, worst := res.BestWorst(Reservoir); best < 0 || worst < 0 || res.Methods[0].Scores[1][MetricR2][best] < res.Methods[0].Scores[1][MetricR2][worst] {
		t.Errorf("best %d worst %d", best, worst)
	}
	empty := *res
	empty.Methods = []MethodResult{{Model: Reservoir, Scores: [2]map[string][]float64{nil, {MetricR2: {math.NaN()}}}}}
	if err := empty.PlotNeurons(&bytes.Buffer{}, "png", Reservoir); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("no finite R²: %v", err)
	}
}

// The adjacency signs chemical synapses by the presynaptic transmitter
// (AVAL ACh +, DD1 GABA −, ADEL DA 0 → kept +) and adds gap junctions as
// they are: A[AVAL][DD1] = 3, A[DD1][AVAL] = −2, A[ADEL][AVAL] = 4, and
// the electrical pair AVAL–ADEL adds 1 both ways.
func TestConnectomeSigns(t *testing.T) {
	edges := []connectome.Edge{
		{Pre: "AVAL", Post: "DD1", Type: connectome.Chemical, Weight: 3},
		{Pre: "DD1", Post: "AVAL", Type: connectome.Chemical, Weight: 2},
		{Pre: "ADEL", Post: "AVAL", Type: connectome.Chemical, Weight: 4},
		{Pre: "AVAL", Post: "ADEL", Type: connectome.Electrical, Weight: 1},
		{Pre: "ADEL", Post: "AVAL", Type: connectome.Electrical, Weight: 1},
	}
	c, err := NewConnectome("toy", edges, connectome.DefaultAtlas())
	if err != nil {
		t.Fatal(err)
	}
	at := func(pre, post string) float64 {
		i, j := -1, -1
		for k, l := range c.Labels {
			if l == pre {
				i = k
			}
			if l == post {
				j = k
			}
		}
		return c.Adjacency.At(i, j)
	}
	for _, w := range []struct {
		pre, post string
		want      float64
	}{{"AVAL", "DD1", 3}, {"DD1", "AVAL", -2}, {"ADEL", "AVAL", 4 + 1}, {"AVAL", "ADEL", 1}, {"DD1", "ADEL", 0}} {
		if got := at(w.pre, w.post); got != w.want {
			t.Errorf("A[%s][%s] = %v, want %v", w.pre, w.post, got, w.want)
		}
	}
	if _, err := NewConnectome("none", []connectome.Edge{{Pre: "AVAL", Post: "CANL", Type: connectome.Chemical, Weight: 1}}, connectome.DefaultAtlas()); !errors.Is(err, neurotab.ErrShape) {
		t.Errorf("no edge between canonical neurons: %v", err)
	}
}
