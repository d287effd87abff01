package homogenize_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/homogenize"
	"gonum.org/v1/gonum/mat"
)

// A 600-sample recording at 2 Hz with three traces: a zero-padded label, an
// unlabeled ROI, and a trace with a NaN gap; then the same recording too
// short (a Skip) and with an all-NaN trace (an error).
func Example() {
	const T = 600
	x := mat.NewDense(T, 3, nil)
	tm := make([]float64, T)
	for i := 0; i < T; i++ {
		tm[i] = 100 + 0.5*float64(i)
		x.Set(i, 0, math.Sin(float64(i)/10))
		x.Set(i, 1, math.Cos(float64(i)/7))
		x.Set(i, 2, float64(i%20))
	}
	x.Set(3, 2, math.NaN())
	raw := &ingest.Raw{Dataset: "Demo", Worm: "worm1", RawFile: "demo.mat",
		Labels: []string{"DA01", "roi 12", "AVAL"}, Time: tm, Traces: x}

	res, skip, err := homogenize.Homogenize(raw, homogenize.Options{})
	if err != nil || skip != nil {
		fmt.Println(err, skip)
		return
	}
	rec := res.Recording
	// AVAL and DA1 sit at slots 53 and 86 of the 300 labels in byte order
	// (worm-graph neuron_labels.txt lines 54 and 87); 900 = ⌈299.5 s / 0.333 s⌉.
	T1, N := rec.Data.Dims()
	fmt.Println(rec.Neurons, rec.Slots, rec.Labeled)
	fmt.Printf("%d × %d, t = %.3f … %.3f s\n", T1, N, rec.Time[0], rec.Time[T1-1])
	fmt.Println(rec.SmoothMethod, rec.InterpolateMethod, rec.NormalizationMethod)
	for _, n := range res.Notes {
		fmt.Println(n)
	}

	// Too short: a Skip, not an error.
	raw.Time, raw.Traces = tm[:100], x.Slice(0, 100, 0, 3).(*mat.Dense)
	_, skip, _ = homogenize.Homogenize(raw, homogenize.Options{})
	fmt.Println(skip)

	// Bad data: a *DataError naming the file, the recording and the trace,
	// wrapping a neurotab sentinel.
	raw.Time, raw.Traces = tm, x
	for i := 0; i < T; i++ {
		x.Set(i, 1, math.NaN())
	}
	_, _, err = homogenize.Homogenize(raw, homogenize.Options{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, neurotab.ErrNotFinite))
	// Output:
	// [AVAL DA1 roi 12] [53 86 -1] [true true false]
	// 900 × 3, t = 0.000 … 299.367 s
	// moving_average(15) linear zscore
	// resampled up from median dt 0.5 s to 0.333 s: 600 → 900 samples
	// filled 1 NaN samples by linear interpolation in time
	// demo.mat: worm1: skipped (too_short): 100 samples, fewer than 600
	// demo.mat: worm1: trace 1 ("roi 12"): all-NaN trace (600 samples): not finite
	// true
}

// The causal moving average of the published pipeline: window 5 averages
// the current and 2 previous samples.
func ExampleMovingAverage() {
	fmt.Println(homogenize.MovingAverage(nil, []float64{3, 6, 9, 12, 15}, 5))
	// Output: [3 4.5 6 9 12]
}

// Upsampling a line reproduces it on the new grid (the end time is
// excluded, as np.arange does).
func ExampleResample() {
	t := []float64{0, 1, 2, 3}
	x := []float64{0, 2, 4, 6}
	tn, xn, _ := homogenize.Resample(t, x, 0.75)
	fmt.Println(tn, xn)
	// Output: [0 0.75 1.5 2.25] [0 1.5 3 4.5]
}

func ExampleFillLinear() {
	y, n := homogenize.FillLinear(nil, []float64{0, 1, 2, 4}, []float64{math.NaN(), 1, math.NaN(), 4})
	fmt.Println(y, n)
	// Output: [1 1 2 4] 2
}

func ExampleZScore() {
	fmt.Println(homogenize.ZScore(nil, []float64{1, 2, 3, 4, 5}))
	// Output: [-1.414213562373095 -0.7071067811865475 0 0.7071067811865475 1.414213562373095]
}

func ExampleCausalNormalize() {
	fmt.Println(homogenize.CausalNormalize(nil, []float64{1, 3, 2}))
	// Output: [0 1 0]
}

func ExampleExponentialSmooth() {
	fmt.Println(homogenize.ExponentialSmooth(nil, []float64{2, 4, 0}, 0.5))
	// Output: [2 3 1.5]
}
