package calcium

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
)

// TestFlavell2023 checks the WormWideWeb-like JSON against its manifest
// entry: uid, timestamps, trace samples and the labeled map.
func TestFlavell2023(t *testing.T) {
	path := ref("text", "wormwideweb_like.json")(t)
	e := manifestEntry(t, "text/wormwideweb_like.json")
	r := readOne(t, ReadFlavell2023, path, Options{})
	if r.Worm != dig(t, e, "uid").(string) || r.Dataset != "Flavell2023" { // uid "2023-01-09-15"
		t.Errorf("worm %q dataset %q", r.Worm, r.Dataset)
	}
	// manifest labeled: "1" AVAL, "3" RIML, "4" IL2?L, "7" AVAR (1-based keys);
	// num_neurons 8.
	wantLabels(t, r.Labels, []string{"AVAL", "", "RIML", "IL2?L", "", "", "AVAR", ""})
	shape := nums(t, dig(t, e, "trace_array", "shape")) // [8, 50]: neurons × samples
	N, T := int(shape[0]), int(shape[1])
	wantShape(t, r, T, N)
	times := nums(t, dig(t, e, "timestamp_confocal", "values"))
	for i := range times {
		if r.Time[i] != times[i] {
			t.Fatalf("time[%d] = %v, want %v", i, r.Time[i], times[i])
		}
	}
	for _, s := range dig(t, e, "trace_array", "data", "samples").([]any) {
		i, v := int(num(t, dig(t, s, 0))), num(t, dig(t, s, 1))
		if got := r.Traces.At(i%T, i/T); got != v { // flat index over N×T
			t.Errorf("trace_array[%d] = %v, want %v", i, got, v)
		}
	}
	s := summarize(r)
	d := dig(t, e, "trace_array", "data")
	if want := num(t, dig(t, d, "sum")); !near(s.sum, want, 1e-6) { // 0.0: z-scored traces
		t.Errorf("sum %v, want %v", s.sum, want)
	}
	if s.min != num(t, dig(t, d, "min")) || s.max != num(t, dig(t, d, "max")) || s.nans != 0 {
		t.Errorf("min %v max %v nan %d", s.min, s.max, s.nans)
	}
}

func TestFlavell2023BadInput(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"time shorter than traces", `{"timestamp_confocal":[0,1],"trace_array":[[1,2,3]]}`,
			[]string{`key "timestamp_confocal"`, "2 times for 3 samples"}},
		{"label beyond the traces", `{"timestamp_confocal":[0,1],"trace_array":[[1,2],[3,4]],"labeled":{"3":{"label":"AVAL"}}}`,
			[]string{`key "labeled": "3"`, "labels name neuron 3 of 2 traces"}},
		{"label key not a number", `{"timestamp_confocal":[0],"trace_array":[[1]],"labeled":{"x":{"label":"AVAL"}}}`,
			[]string{`"x"`, "not a 1-based trace index"}},
		{"missing traces", `{"timestamp_confocal":[0]}`, []string{`key "trace_array": missing`}},
		{"ragged traces", `{"timestamp_confocal":[0,1],"trace_array":[[1,2],[3]]}`, []string{"trace 2 has 1 samples"}},
		{"num_neurons disagrees", `{"num_neurons":3,"timestamp_confocal":[0],"trace_array":[[1]]}`, []string{`key "num_neurons"`}},
		{"truncated", `{"trace_array":[[1,`, []string{"unexpected end"}},
		{"string where numbers go", `{"timestamp_confocal":"x","trace_array":[[1]]}`, []string{"timestamp_confocal"}},
		{"string that is not a number", `{"timestamp_confocal":["0.5s"],"trace_array":[[1]]}`, []string{`"0.5s" is not a number`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.json")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadFlavell2023(path, Options{})
			wantErr(t, err, append([]string{"w.json"}, c.want...)...)
			is := neurotab.ErrMalformed
			if strings.HasPrefix(c.name, "missing") {
				is = neurotab.ErrNotFound
			}
			if !errors.Is(err, is) {
				t.Errorf("%v does not wrap %v", err, is)
			}
		})
	}
}

func TestFlavell2023NullIsNaN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.json")
	body := `{"timestamp_confocal":[0,0.5],"trace_array":[[1,null],["NaN",2]]}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	r := readOne(t, ReadFlavell2023, path, Options{})
	if r.Worm != "n" || !same(r.Traces.At(1, 0), nan) || !same(r.Traces.At(0, 1), nan) || r.Traces.At(1, 1) != 2 {
		t.Errorf("worm %q traces %v", r.Worm, r.Traces)
	}
}
