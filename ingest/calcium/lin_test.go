package calcium

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestLin2023 reads both Lin-like files (plain and miCOMPRESSED) and checks
// them against the manifest entry's labels, use_flag, samples and times.
func TestLin2023(t *testing.T) {
	for _, name := range []string{"lin2023_like.mat", "lin2023_like_compressed.mat"} {
		t.Run(name, func(t *testing.T) {
			path := ref("mat_v5", name)(t)
			e := manifestEntry(t, "mat_v5/"+name)
			vars := dig(t, e, "variables")
			r := readOne(t, ReadLin2023, path, Options{})
			if r.Worm != name[:len(name)-4] || r.Dataset != "Lin2023" {
				t.Errorf("worm %q dataset %q", r.Worm, r.Dataset)
			}
			// manifest: proofread_neurons = AVAL AVAR AWCL AWCR ASHL RIML AIYR '',
			// use_flag = 1 1 0 1 1 1 0 1 → AWCL and AIYR left out.
			wantLabels(t, r.Labels, []string{"AVAL", "AVAR", "AWCR", "ASHL", "RIML", ""})
			flags := nums(t, dig(t, vars, "use_flag", "data", "values"))
			kept := []int{}
			for i, f := range flags {
				if f > 0 {
					kept = append(kept, i)
				}
			}
			// manifest: corrected_F dims [8, 120], times dims [1, 120].
			const N, T = 8, 120
			wantShape(t, r, T, len(kept))
			// manifest times samples [flat index, value], e.g. [17, 3.4000000000000004].
			for _, s := range dig(t, vars, "times", "data", "samples").([]any) {
				i, v := int(num(t, dig(t, s, 0))), num(t, dig(t, s, 1))
				if r.Time[i] != v {
					t.Errorf("time[%d] = %v, want %v", i, r.Time[i], v)
				}
			}
			// corrected_F samples are column-major over N×T: index = row + N*t.
			checked := 0
			for _, s := range dig(t, vars, "corrected_F", "data", "samples").([]any) {
				i, v := int(num(t, dig(t, s, 0))), num(t, dig(t, s, 1))
				row, tt := i%N, i/N
				c := -1
				for ci, k := range kept {
					if k == row {
						c = ci
					}
				}
				if c < 0 {
					continue // a use_flag = 0 row (manifest sample 958 is AIYR)
				}
				if got := r.Traces.At(tt, c); !same(got, v) {
					t.Errorf("corrected_F(%d,%d) = %v, want %v", row+1, tt+1, got, v)
				}
				checked++
			}
			if checked != 7 { // 8 samples, one in a dropped row
				t.Errorf("checked %d samples, want 7", checked)
			}
			// manifest: nan_count 8 = the first column; the leading NaN is kept.
			s := summarize(r)
			if s.nans != len(kept) {
				t.Errorf("%d NaN, want %d (first sample of each kept trace)", s.nans, len(kept))
			}
			for c := range kept {
				if !math.IsNaN(r.Traces.At(0, c)) {
					t.Errorf("trace %d sample 0 = %v, want NaN", c, r.Traces.At(0, c))
				}
			}
			if !hasNote(r, `use_flag <= 0, left out (row:label): [3:"AWCL" 7:"AIYR"]`) {
				t.Errorf("notes %q", r.Notes)
			}
		})
	}
}

func TestLin2023BadInput(t *testing.T) {
	cases := []struct {
		name string
		path func(t *testing.T) string
		want []string
	}{
		{"missing variable", ref("mat_v5", "yemini2021_like.mat"),
			[]string{"yemini2021_like.mat", `variable "corrected_F": missing`}},
		{"times shorter than traces", local("lin_bad_times.mat"), // gen.py: 4 times, corrected_F 2×5
			[]string{"lin_bad_times.mat", `variable "times": 4 times for 5 samples`}},
		{"not a MAT file", ref("text", "wormwideweb_like.json"), []string{"wormwideweb_like.json"}},
		// lin_bad_times.mat with corrected_F's dims element (tag at byte
		// 416, before the name "corrected_F" at 440) declaring 64 bytes,
		// which runs into the name: damaged (at 424), not missing.
		{"damaged variable header", damagedCopy("lin_bad_times.mat", 420, 0x40),
			[]string{"lin_bad_times.mat", `variable "corrected_F"`, "offset 424", "variable header at offset 392 is damaged"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadLin2023(c.path(t), Options{})
			wantErr(t, err, c.want...)
		})
	}
}

// damagedCopy copies testdata/name into a temporary directory with byte
// off set to b.
func damagedCopy(name string, off int, b byte) func(t *testing.T) string {
	return func(t *testing.T) string {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		data[off] = b
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}
