package connectome

import (
	"reflect"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, c := range []struct {
		in         string
		label      string
		kind       Kind
		status     Status
		candidates []string
	}{
		// Zero padding (Cook 2019, herm_full_edgelist) and its absence.
		{"DA01", "DA1", NeuronKind, Exact, nil},
		{"VC05", "VC5", NeuronKind, Exact, nil},
		{"VD10", "VD10", NeuronKind, Exact, nil},
		{"AS010", "AS10", NeuronKind, Exact, nil},
		// Whitespace and case.
		{" I2L           ", "I2L", NeuronKind, Exact, nil},
		{"adal", "ADAL", NeuronKind, Exact, nil},
		{"Ava L", "AVAL", NeuronKind, Exact, nil},
		{"ALA", "ALA", NeuronKind, Exact, nil},
		// Uncertainty marks and class names.
		{"AVAL?", "AVAL", NeuronKind, Candidate, []string{"AVAL"}},
		{"IL2?L", "", NeuronKind, Candidate, []string{"IL2DL", "IL2L", "IL2VL"}},
		{"AVA", "", NeuronKind, Candidate, []string{"AVAL", "AVAR"}},
		{"RMD", "", NeuronKind, Candidate, []string{"RMDDL", "RMDDR", "RMDL", "RMDR", "RMDVL", "RMDVR"}},
		{"SAB?", "", NeuronKind, Candidate, []string{"SABD", "SABVL", "SABVR"}},
		// One body-wall muscle in three spellings.
		{"BWM-DL01", "MDL01", Muscle, Exact, nil},
		{"dBWML1", "MDL01", Muscle, Exact, nil},
		{"MDL01", "MDL01", Muscle, Exact, nil},
		{"MDL1", "MDL01", Muscle, Exact, nil},
		{"vBWMR24", "MVR24", Muscle, Exact, nil},
		{"DBWML01", "MDL01", Muscle, Exact, nil},
		{"bwm-vr8", "MVR08", Muscle, Exact, nil},
		{"MDL01?", "MDL01", Muscle, Candidate, []string{"MDL01"}},
		{"MDL25", "", Muscle, Rejected, nil},
		{"pm3VL", "pm3VL", Muscle, Exact, nil},
		{"um1AL", "um1AL", Muscle, Exact, nil},
		{"LegacyBodyWallMuscles", "LegacyBodyWallMuscles", Muscle, Exact, nil},
		// Glia and end organs (Cook 2019).
		{"CEPshDR", "CEPshDR", Glia, Exact, nil},
		{"GLRDL", "GLRDL", Glia, Exact, nil},
		{"exc_gl", "exc_gl", Glia, Exact, nil},
		{"CANL", "CANL", EndOrgan, Exact, nil},
		{"hyp", "hyp", EndOrgan, Exact, nil},
		{"mc1DL", "mc1DL", EndOrgan, Exact, nil},
		{"MCL", "MCL", NeuronKind, Exact, nil},
		// Male-specific neurons and rubbish.
		{"R1AL", "R1AL", NeuronKind, Rejected, nil},
		{"CA01", "CA01", NeuronKind, Rejected, nil},
		{"XYZ", "", Unknown, Rejected, nil},
		{"", "", Unknown, Rejected, nil},
		{"QQ?Q", "", Unknown, Rejected, nil},
	} {
		t.Run(c.in, func(t *testing.T) {
			n := Normalize(c.in)
			if n.Input != c.in || n.Label != c.label || n.Kind != c.kind || n.Status != c.status || !reflect.DeepEqual(n.Candidates, c.candidates) {
				t.Errorf("Normalize(%q) = %+v; want label %q kind %v status %v candidates %v", c.in, n, c.label, c.kind, c.status, c.candidates)
			}
		})
	}
}

// TestNormalizeAllCanonical: every canonical label normalizes to itself
// exactly, in any case.
func TestNormalizeAllCanonical(t *testing.T) {
	for _, l := range DefaultAtlas().Labels() {
		for _, in := range []string{l, " " + l + " "} {
			if n := Normalize(in); !n.IsNeuron() || n.Label != l {
				t.Errorf("Normalize(%q) = %+v", in, n)
			}
		}
	}
}

func TestNormalizeAll(t *testing.T) {
	got, others := NormalizeAll([]string{"VD01", "ADAR", "ADAL", "DA1", "AVA", "hyp"})
	if want := []string{"ADAL", "ADAR", "DA1", "VD1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("neurons %v, want %v", got, want)
	}
	// AVA is a class (a Candidate neuron), hyp the hypodermis (an end organ)
	if len(others) != 2 || others[0].Input != "AVA" || others[0].Kind != NeuronKind || others[0].Status != Candidate ||
		others[1].Input != "hyp" || others[1].Kind != EndOrgan {
		t.Errorf("others %+v", others)
	}
}

// FuzzNormalize: Normalize never panics, and an Exact neuron is in the atlas
// and normalizes to itself.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"DA01", "IL2?L", "AVA", "BWM-DL01", "dBWML1", "?", "??", "MDL99", "a?b?c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if n.IsNeuron() {
			if _, ok := DefaultAtlas().Slot(n.Label); !ok {
				t.Fatalf("%q: exact label %q not in atlas", s, n.Label)
			}
			if m := Normalize(n.Label); m.Label != n.Label {
				t.Fatalf("%q: not idempotent: %q → %q", s, n.Label, m.Label)
			}
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, in := range []string{"AVAL", "DA01", "dBWML1", "IL2?L"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Normalize(in)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "labels/s")
		})
	}
}
