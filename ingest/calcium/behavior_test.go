package calcium

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/neurotab/neurotab/formats/table"
)

// dagBehaviorRef is testdata/dag2023_behavior.json, made from the real
// Dag2023 file with h5py and numpy by testdata/dag2023_behavior.py.
type dagBehaviorRef struct {
	Frames    int  `json:"frames"`
	GridLen   int  `json:"grid_len"`
	Events    int  `json:"reversal_events"`
	RevFrames int  `json:"reversal_frames"`
	Agree     bool `json:"reversal_vec_equals_events"`
	Variables map[string]struct {
		Finite   int       `json:"finite"`
		Sum      *float64  `json:"sum"`
		Frame100 float64   `json:"frame100"`
		T100     float64   `json:"t100"`
		GridIdx  []int     `json:"grid_idx"`
		GridVal  []float64 `json:"grid_val"`
	} `json:"variables"`
}

func TestReadDag2023Behavior(t *testing.T) {
	b, err := ReadDag2023Behavior(dagReal(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/dag2023_behavior.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref dagBehaviorRef
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if b.Worm != "2022-07-26-31" || len(b.Time) != ref.Frames {
		t.Fatalf("worm %q with %d frames, want 2022-07-26-31 with %d", b.Worm, len(b.Time), ref.Frames)
	}
	rows, notes, err := b.Rows(0.333)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(b.Notes, notes)
	type key struct{ grid, v string }
	byVar := map[key][]table.BehaviorRow{}
	for _, r := range rows {
		byVar[key{r.Grid, r.Variable}] = append(byVar[key{r.Grid, r.Variable}], r)
	}
	for name, want := range ref.Variables {
		if name == "reversal_vec" {
			name = "reversal" // the behavior table's name (DESIGN.md)
		}
		t.Run(name, func(t *testing.T) {
			orig, hom := byVar[key{table.GridOriginal, name}], byVar[key{table.GridHomogenized, name}]
			if len(orig) != want.Finite {
				t.Fatalf("%d original rows, want one per finite frame: %d", len(orig), want.Finite)
			}
			if want.Sum == nil { // a NaN somewhere: not resampled
				if len(hom) != 0 {
					t.Fatalf("%d homogenized rows of a variable with missing frames", len(hom))
				}
				return
			}
			sum := 0.0
			for _, r := range orig {
				sum += r.Value
			}
			if math.Abs(sum-*want.Sum) > 1e-9*(1+math.Abs(*want.Sum)) {
				t.Errorf("sum %v, want %v", sum, *want.Sum)
			}
			if r := orig[100]; math.Abs(r.Value-want.Frame100) > 1e-12 || math.Abs(r.T-want.T100) > 1e-9 {
				t.Errorf("frame 100 (t %v, %v), want (t %v, %v)", r.T, r.Value, want.T100, want.Frame100)
			}
			if len(hom) != ref.GridLen {
				t.Fatalf("%d homogenized rows, want the grid's %d", len(hom), ref.GridLen)
			}
			for i, idx := range want.GridIdx {
				if r := hom[idx]; math.Abs(r.Value-want.GridVal[i]) > 1e-9*(1+math.Abs(want.GridVal[i])) || math.Abs(r.T-float64(idx)*0.333) > 1e-9 {
					t.Errorf("grid %d: (t %v, %v), want (t %v, np.interp %v)", idx, r.T, r.Value, float64(idx)*0.333, want.GridVal[i])
				}
			}
		})
	}
	rev := 0.0
	for _, r := range byVar[key{table.GridOriginal, "reversal"}] {
		rev += r.Value
	}
	// SOURCE.md: reversal_events is 2 × 34; the script checks that
	// reversal_vec marks exactly the frames of those events.
	if !ref.Agree || ref.Events != 34 || int(rev) != ref.RevFrames {
		t.Errorf("reversal frames %v, want %d (events %d, agree %v)", rev, ref.RevFrames, ref.Events, ref.Agree)
	}
}
