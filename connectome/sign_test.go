package connectome

import "testing"

func TestSign(t *testing.T) {
	a := DefaultAtlas()
	for _, c := range []struct {
		label string
		rule  SignRule
		want  int
	}{
		{"AVAL", SignRule{}, 1}, // ACh
		{"ADAL", SignRule{}, 1}, // Glu
		{"DD1", SignRule{}, -1}, // GABA
		{"ADEL", SignRule{}, 0}, // DA
		{"ASIL", SignRule{}, 0}, // Unknown
		{"CANL", SignRule{}, 0}, // not in the atlas
		{"ADAL", SignRule{Excitatory: []string{"ACh"}, Inhibitory: []string{"GABA", "Glutamate"}}, -1},
		{"NSML", SignRule{Excitatory: []string{"5HT"}}, 1},
	} {
		t.Run(c.label, func(t *testing.T) {
			if got := Sign(a, c.label, c.rule); got != c.want {
				t.Errorf("Sign(%s) = %d, want %d", c.label, got, c.want)
			}
		})
	}
	// worm-graph/SOURCE.md: ACh 153 + Ach 4 + Glu 77 = 234 excitatory,
	// GABA 31 inhibitory, the remaining 35 unsigned.
	count := map[float64]int{}
	for _, s := range Signs(a, a.Labels(), SignRule{}) {
		count[s]++
	}
	if count[1] != 234 || count[-1] != 31 || count[0] != 35 {
		t.Errorf("sign counts %v", count)
	}
}
