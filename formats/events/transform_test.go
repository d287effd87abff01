package events

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

func mk(ev ...[4]int64) *Batch {
	b := &Batch{}
	for _, e := range ev {
		b.Append(e[0], uint16(e[1]), uint16(e[2]), int8(e[3]))
	}
	return b
}

func same(t *testing.T, got, want *Batch) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("got %d events %+v, want %d %+v", got.Len(), *got, want.Len(), *want)
	}
	for i := range want.T {
		if got.T[i] != want.T[i] || got.X[i] != want.X[i] || got.Y[i] != want.Y[i] || got.P[i] != want.P[i] {
			t.Fatalf("event %d: got %+v, want %+v", i, *got, *want)
		}
	}
}

// randomStream returns n events in time order on a w x h sensor.
func randomStream(seed uint64, n, w, h int) *Batch {
	r := rand.New(rand.NewPCG(seed, 1))
	b := &Batch{}
	var t int64
	for range n {
		t += int64(r.IntN(50))
		b.Append(t, uint16(r.IntN(w)), uint16(r.IntN(h)), int8(r.IntN(2)))
	}
	return b
}

func part(b *Batch, lo, hi int) *Batch {
	return &Batch{T: b.T[lo:hi], X: b.X[lo:hi], Y: b.Y[lo:hi], P: b.P[lo:hi]}
}

// chunked applies fresh() to b split at random points and concatenates the output.
func chunked(t *testing.T, fresh func() Transform, b *Batch, seed uint64) *Batch {
	r := rand.New(rand.NewPCG(seed, 2))
	tr := fresh()
	out := &Batch{}
	var tmp Batch
	for lo := 0; lo < b.Len(); {
		hi := min(b.Len(), lo+1+r.IntN(300))
		if err := tr.Apply(&tmp, part(b, lo, hi)); err != nil {
			t.Fatal(err)
		}
		for i := range tmp.T {
			out.Append(tmp.T[i], tmp.X[i], tmp.Y[i], tmp.P[i])
		}
		lo = hi
	}
	return out
}

func TestFiltersHandWorked(t *testing.T) {
	cases := []struct {
		name string
		tr   Transform
		in   *Batch
		want *Batch
	}{
		// ⌊5/2⌋ = 2, ⌊3/2⌋ = 1, ⌊7/3⌋ … : x' = ⌊x/f⌋, y' = ⌊y/f⌋.
		{"downsample 2", Downsample{Factor: 2}, mk([4]int64{1, 5, 3, 1}, [4]int64{2, 0, 1, 0}), mk([4]int64{1, 2, 1, 1}, [4]int64{2, 0, 0, 0})},
		{"merge polarity", MergePolarity{}, mk([4]int64{1, 5, 3, 1}, [4]int64{2, 0, 1, 0}), mk([4]int64{1, 5, 3, 0}, [4]int64{2, 0, 1, 0})},
		// Period 10 at pixel (0,0): t=0 kept, 5 dropped (5<10), 10 kept (10−0 ≥ 10),
		// 19 dropped (19−10 < 10), 20 kept; (1,0) at 5 is another pixel: kept.
		{"refractory", &Refractory{Period: 10, Width: 2, Height: 1},
			mk([4]int64{0, 0, 0, 1}, [4]int64{5, 0, 0, 0}, [4]int64{5, 1, 0, 1}, [4]int64{10, 0, 0, 1}, [4]int64{19, 0, 0, 1}, [4]int64{20, 0, 0, 0}),
			mk([4]int64{0, 0, 0, 1}, [4]int64{5, 1, 0, 1}, [4]int64{10, 0, 0, 1}, [4]int64{20, 0, 0, 0})},
		// Window 10 on 4x4: (1,1)@0 no neighbour yet → dropped; (2,2)@5 diagonal to (1,1)@0, 5<10 → kept;
		// (0,3)@20 neighbours empty → dropped; (1,2)@25: diagonal (0,3)@20 is 5 ago → kept;
		// (1,3)@29: (0,3)@20 9 ago → kept.
		{"denoise 8", &Denoise{Window: 10, Width: 4, Height: 4},
			mk([4]int64{0, 1, 1, 1}, [4]int64{5, 2, 2, 0}, [4]int64{20, 0, 3, 1}, [4]int64{25, 1, 2, 1}, [4]int64{29, 1, 3, 0}),
			mk([4]int64{5, 2, 2, 0}, [4]int64{25, 1, 2, 1}, [4]int64{29, 1, 3, 0})},
		// Same input with the 4-neighbourhood: the diagonal (2,2)@5 now has no neighbour;
		// (1,2)@25 has only (2,2)@5 (20 ago) beside it → dropped; (1,3)@29 has (0,3)@20 on its left → kept.
		{"denoise 4", &Denoise{Window: 10, Width: 4, Height: 4, FourNeighbors: true},
			mk([4]int64{0, 1, 1, 1}, [4]int64{5, 2, 2, 0}, [4]int64{20, 0, 3, 1}, [4]int64{25, 1, 2, 1}, [4]int64{29, 1, 3, 0}),
			mk([4]int64{29, 1, 3, 0})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out Batch
			if err := c.tr.Apply(&out, c.in); err != nil {
				t.Fatal(err)
			}
			same(t, &out, c.want)
		})
	}
}

// TestFiltersProperties: in-place equals out-of-place, chunked equals whole
// (state carries across batches), and each filter's defining invariant holds
// on a random stream, checked by a direct O(n²)/brute-force restatement.
func TestFiltersProperties(t *testing.T) {
	const w, h = 16, 12
	in := randomStream(7, 5000, w, h)
	fresh := map[string]func() Transform{
		"downsample": func() Transform { return Downsample{Factor: 3} },
		"merge":      func() Transform { return MergePolarity{} },
		"refractory": func() Transform { return &Refractory{Period: 300, Width: w, Height: h} },
		"denoise":    func() Transform { return &Denoise{Window: 200, Width: w, Height: h} },
	}
	for name, f := range fresh {
		t.Run(name, func(t *testing.T) {
			whole := &Batch{}
			if err := f().Apply(whole, in); err != nil {
				t.Fatal(err)
			}
			same(t, chunked(t, f, in, 3), whole)
			inPlace := part(in, 0, in.Len())
			cp := &Batch{T: append([]int64{}, in.T...), X: append([]uint16{}, in.X...), Y: append([]uint16{}, in.Y...), P: append([]int8{}, in.P...)}
			inPlace = cp
			if err := f().Apply(inPlace, inPlace); err != nil {
				t.Fatal(err)
			}
			same(t, inPlace, whole)
		})
	}
	t.Run("refractory invariant", func(t *testing.T) {
		out := &Batch{}
		(&Refractory{Period: 300, Width: w, Height: h}).Apply(out, in)
		last := map[[2]uint16]int64{}
		k := 0
		for i := range in.T {
			px := [2]uint16{in.X[i], in.Y[i]}
			l, seen := last[px]
			if !seen || in.T[i]-l >= 300 {
				last[px] = in.T[i]
				if k >= out.Len() || out.T[k] != in.T[i] || out.X[k] != in.X[i] {
					t.Fatalf("event %d should be kept as output %d", i, k)
				}
				k++
			}
		}
		if k != out.Len() || k == 0 || k == in.Len() {
			t.Fatalf("kept %d of %d, reference %d", out.Len(), in.Len(), k)
		}
	})
	t.Run("denoise invariant", func(t *testing.T) {
		out := &Batch{}
		(&Denoise{Window: 200, Width: w, Height: h}).Apply(out, in)
		k := 0
		for i := range in.T {
			keep := false
			for j := i - 1; j >= 0 && in.T[i]-in.T[j] < 200; j-- {
				dx, dy := int(in.X[j])-int(in.X[i]), int(in.Y[j])-int(in.Y[i])
				if dx >= -1 && dx <= 1 && dy >= -1 && dy <= 1 && (dx != 0 || dy != 0) {
					// j must be the last event at its pixel before i for tonic's memory semantics;
					// any later event at that pixel is even more recent, so "some event within the window" is equivalent.
					keep = true
					break
				}
			}
			if keep {
				if k >= out.Len() || out.T[k] != in.T[i] || out.X[k] != in.X[i] || out.Y[k] != in.Y[i] {
					t.Fatalf("event %d should be kept as output %d", i, k)
				}
				k++
			}
		}
		if k != out.Len() || k == 0 || k == in.Len() {
			t.Fatalf("kept %d, reference %d of %d", out.Len(), k, in.Len())
		}
	})
}

func TestFilterErrors(t *testing.T) {
	in := mk([4]int64{0, 5, 0, 1})
	cases := []struct {
		name string
		tr   Transform
		want error
	}{
		{"downsample 0", Downsample{}, neurotab.ErrParam},
		{"refractory outside", &Refractory{Period: 1, Width: 5, Height: 5}, neurotab.ErrOutOfRange},
		{"refractory no sensor", &Refractory{Period: 1}, neurotab.ErrParam},
		{"denoise outside", &Denoise{Window: 1, Width: 5, Height: 1}, neurotab.ErrOutOfRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.tr.Apply(&Batch{}, in); !errors.Is(err, c.want) || !strings.HasPrefix(err.Error(), "events: ") {
				t.Fatalf("error %v, want one starting \"events: \" wrapping %v", err, c.want)
			}
		})
	}
}

func TestTimeSlicer(t *testing.T) {
	// Duration 10 from the first event (t=3): windows [3,13) [13,23) [23,33) [33,43);
	// 14, 15 fall in window 1, window 2 is empty, 40 in window 3.
	in := mk([4]int64{3, 0, 0, 0}, [4]int64{12, 0, 0, 0}, [4]int64{14, 0, 0, 0}, [4]int64{15, 0, 0, 0}, [4]int64{40, 0, 0, 0})
	type win struct{ idx, start, end, n int64 }
	want := []win{{0, 3, 13, 2}, {1, 13, 23, 2}, {2, 23, 33, 0}, {3, 33, 43, 1}}
	for _, split := range []int{1, 2, 5} {
		var got []win
		s := &TimeSlicer{Duration: 10}
		emit := func(w Window) error {
			got = append(got, win{w.Index, w.Start, w.End, int64(w.Events.Len())})
			return nil
		}
		for lo := 0; lo < in.Len(); lo += split {
			if err := s.Push(part(in, lo, min(lo+split, in.Len())), emit); err != nil {
				t.Fatal(err)
			}
		}
		s.Flush(emit)
		if len(got) != len(want) {
			t.Fatalf("split %d: %v, want %v", split, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("split %d: %v, want %v", split, got, want)
			}
		}
	}
	// Fixed origin 0: first window index is ⌊3/10⌋ = 0, [0,10).
	s := &TimeSlicer{Duration: 10, FixedOrigin: true}
	var first Window
	s.Push(in, func(w Window) error {
		if w.Index == 0 {
			first = Window{Index: w.Index, Start: w.Start, End: w.End}
		}
		return nil
	})
	if first.Start != 0 || first.End != 10 {
		t.Errorf("fixed origin first window %+v", first)
	}
	if err := (&TimeSlicer{Duration: 10}).Push(mk([4]int64{5, 0, 0, 0}, [4]int64{4, 0, 0, 0}), func(Window) error { return nil }); !errors.Is(err, neurotab.ErrTimeOrder) {
		t.Errorf("backwards: %v", err)
	}
}

// TestSlicersProperty: concatenating all windows gives back the stream, and
// every event lies in its window.
func TestSlicersProperty(t *testing.T) {
	in := randomStream(11, 3000, 8, 8)
	var cat Batch
	check := func(w Window) error {
		for i := range w.Events.T {
			if w.Events.T[i] < w.Start || w.Events.T[i] >= w.End {
				t.Fatalf("event at %d outside window [%d,%d)", w.Events.T[i], w.Start, w.End)
			}
			cat.Append(w.Events.T[i], w.Events.X[i], w.Events.Y[i], w.Events.P[i])
		}
		return nil
	}
	ts := &TimeSlicer{Duration: 777}
	ts.Push(in, check)
	ts.Flush(check)
	same(t, &cat, in)
	cat.Reset()
	var sizes []int
	cs := &CountSlicer{Count: 1000 - 1}
	cnt := func(w Window) error { sizes = append(sizes, w.Events.Len()); return check(w) }
	cs.Push(part(in, 0, 1234), cnt)
	cs.Push(part(in, 1234, in.Len()), cnt)
	cs.Flush(cnt)
	same(t, &cat, in)
	// 3000 = 3·999 + 3.
	if len(sizes) != 4 || sizes[0] != 999 || sizes[3] != 3 {
		t.Errorf("count windows %v, want [999 999 999 3]", sizes)
	}
}

func TestFrameBinner(t *testing.T) {
	// 3x2 sensor, bins of 10 µs from t=0 (fixed origin).
	// bin 0: (0,0) ON ×2, (2,1) OFF; bin 1 empty; bin 2: (1,0) ON.
	in := mk([4]int64{0, 0, 0, 1}, [4]int64{4, 0, 0, 1}, [4]int64{9, 2, 1, 0}, [4]int64{25, 1, 0, 1})
	f := &FrameBinner{Width: 3, Height: 2, BinWidth: 10, FixedOrigin: true}
	data, shape, err := f.ToFrames(in)
	if err != nil {
		t.Fatal(err)
	}
	// Layout [B][C][H][W]: index = ((b*2 + c)*2 + y)*3 + x.
	want := make([]uint32, 3*2*2*3)
	want[((0*2+1)*2+0)*3+0] = 2
	want[((0*2+0)*2+1)*3+2] = 1
	want[((2*2+1)*2+0)*3+1] = 1
	if shape != [4]int{3, 2, 2, 3} || len(data) != len(want) {
		t.Fatalf("shape %v len %d", shape, len(data))
	}
	for i := range want {
		if data[i] != want[i] {
			t.Fatalf("data %v, want %v", data, want)
		}
	}
	m := &FrameBinner{Width: 3, Height: 2, BinWidth: 10, FixedOrigin: true, MergePolarity: true}
	md, ms, _ := m.ToFrames(in)
	if ms != [4]int{3, 1, 2, 3} || md[0] != 2 || md[5] != 1 || md[2*6+1] != 1 {
		t.Errorf("merged %v %v", ms, md)
	}
	// Property: total count equals the number of events, chunked equals whole.
	r := randomStream(5, 4000, 10, 7)
	whole, _, _ := (&FrameBinner{Width: 10, Height: 7, BinWidth: 1000}).ToFrames(r)
	var sum uint32
	for _, v := range whole {
		sum += v
	}
	if sum != 4000 {
		t.Errorf("sum of counts %d, want 4000", sum)
	}
	fb := &FrameBinner{Width: 10, Height: 7, BinWidth: 1000}
	var chunk []uint32
	emit := func(_ int64, fr []uint32) error { chunk = append(chunk, fr...); return nil }
	fb.Push(part(r, 0, 1777), emit)
	fb.Push(part(r, 1777, r.Len()), emit)
	fb.Flush(emit)
	if len(chunk) != len(whole) {
		t.Fatalf("chunked %d values, whole %d", len(chunk), len(whole))
	}
	for i := range whole {
		if chunk[i] != whole[i] {
			t.Fatalf("chunked differs at %d", i)
		}
	}
}

func TestRateBinner(t *testing.T) {
	// 2 channels, 500 µs bins from t=0: bin 0 has ch0 ×3, ch1 ×1 → 6000 Hz, 2000 Hz;
	// bin 1 has ch1 ×1 → 0, 2000 Hz. (count / 0.0005 s)
	in := mk([4]int64{0, 0, 0, 0}, [4]int64{100, 0, 0, 0}, [4]int64{200, 1, 0, 0}, [4]int64{499, 0, 0, 0}, [4]int64{500, 1, 0, 0})
	r := &RateBinner{Channels: 2, BinWidth: 500, FixedOrigin: true}
	data, shape, err := r.ToRates(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{6000, 2000, 0, 2000}
	if shape != [2]int{2, 2} {
		t.Fatalf("shape %v", shape)
	}
	for i := range want {
		if d := data[i] - want[i]; d > 1e-9 || d < -1e-9 {
			t.Fatalf("rates %v, want %v", data, want)
		}
	}
	if _, _, err := (&RateBinner{Channels: 1, BinWidth: 10}).ToRates(in); !errors.Is(err, neurotab.ErrOutOfRange) {
		t.Errorf("channel 1 of 1: %v, want neurotab.ErrOutOfRange", err)
	}
}
