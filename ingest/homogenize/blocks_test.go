package homogenize

import (
	"fmt"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
	"gonum.org/v1/gonum/mat"
)

// TestPlanBlocks checks that the blocks of a Plan, put side by side, are
// the numpy reference chain of make_reference.py (as Homogenize's Data and
// Original are), whatever the block size, and that the filling note comes
// once the last block is done.
func TestPlanBlocks(t *testing.T) {
	ref := loadReference(t)
	c := ref.Pipeline.Cases[0] // defaults
	for _, n := range []int{1, 2, 3, 0} {
		t.Run(fmt.Sprintf("block%d", n), func(t *testing.T) {
			p, skip, err := Prepare(pipelineRaw(t), Options{})
			if err != nil || skip != nil {
				t.Fatalf("err %v, skip %v", err, skip)
			}
			h := p.Result().Recording
			if h.Data != nil || h.Original != nil {
				t.Fatal("the plan holds matrices before its blocks run")
			}
			T, T0, N := len(h.Time), len(h.OriginalTime), len(h.Neurons)
			data, orig := mat.NewDense(T, N, nil), mat.NewDense(T0, N, nil)
			var starts []int
			err = p.Blocks(n, func(c0 int, blk *table.Recording) error {
				if err := blk.Validate(); err != nil {
					return err
				}
				_, w := blk.Data.Dims()
				if blk.Neurons[0] != h.Neurons[c0] || blk.Slots[0] != h.Slots[c0] {
					t.Errorf("block at %d names %q, want %q", c0, blk.Neurons[0], h.Neurons[c0])
				}
				data.Slice(0, T, c0, c0+w).(*mat.Dense).Copy(blk.Data)
				orig.Slice(0, T0, c0, c0+w).(*mat.Dense).Copy(blk.Original)
				starts = append(starts, c0)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []int{0}
			switch n {
			case 1:
				want = []int{0, 1, 2}
			case 2:
				want = []int{0, 2}
			}
			if fmt.Sprint(starts) != fmt.Sprint(want) {
				t.Errorf("blocks start at %v, want %v", starts, want)
			}
			var got []float64
			for i := 0; i < T; i += c.Every {
				got = append(got, mat.Row(nil, i, data)...)
			}
			checkClose(t, "data vs numpy chain", got, c.DataEvery)
			got = got[:0]
			for i := 0; i < T0; i += ref.Pipeline.OriginalStep {
				got = append(got, mat.Row(nil, i, orig)...)
			}
			checkClose(t, "original vs numpy chain", got, c.OriginalEvery)
			if !containsPrefix(p.Result().Notes, "filled ") {
				t.Errorf("no filling note after the blocks: %q", p.Result().Notes)
			}
		})
	}
}
