package connectome

import (
	"bufio"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/fixtures"
)

func TestDefaultAtlasMatchesLabelFile(t *testing.T) {
	p := fixtures.Path(t, "worm-graph", "neuron_labels.txt")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			want = append(want, l)
		}
	}
	got := DefaultAtlas().Labels()
	if len(got) != NumNeurons || len(want) != NumNeurons {
		t.Fatalf("%d labels in atlas, %d in file; want %d", len(got), len(want), NumNeurons)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("slot %d: %s, file %s", i, got[i], want[i])
		}
	}
}

func TestDefaultAtlasMatchesMasterSheet(t *testing.T) {
	p := fixtures.Path(t, "worm-graph", "neuron_master_sheet.csv")
	sheet, err := LoadAtlas(p)
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultAtlas()
	if sheet.Len() != def.Len() {
		t.Fatalf("sheet has %d neurons, default %d", sheet.Len(), def.Len())
	}
	for _, n := range sheet.Neurons() {
		d, ok := def.Neuron(n.Label)
		if !ok {
			t.Errorf("%s not in the default atlas", n.Label)
			continue
		}
		if d.Slot != n.Slot || d.Class != n.Class || d.Type != n.Type || d.Neurotransmitter != n.Neurotransmitter {
			t.Errorf("%s: default %+v, sheet %+v", n.Label, d, n)
		}
		if !math.IsNaN(d.X) {
			t.Errorf("%s: default atlas has a position", n.Label)
		}
	}
}

func TestLoadAtlas(t *testing.T) {
	p := fixtures.Path(t, "worm-graph", "neuron_master_sheet.csv")
	a, err := LoadAtlas(p)
	if err != nil {
		t.Fatal(err)
	}
	// Counts from worm-graph/SOURCE.md: types motor 116, sensory 85,
	// inter 79, pharyngeal 20; transmitters ACh 153 + "Ach" 4, Glu 77,
	// GABA 31, Unknown (orphan) 23, DA 8, 5HT 2, Octopamine 2; 117 classes.
	types, nts := map[string]int{}, map[string]int{}
	for _, n := range a.Neurons() {
		types[n.Type]++
		nts[n.Neurotransmitter]++
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"motor", types[Motor], 116}, {"sensory", types[Sensory], 85},
		{"inter", types[Inter], 79}, {"pharyngeal", types[Pharyngeal], 20},
		{"ACh", nts["ACh"], 157}, {"Glu", nts["Glu"], 77}, {"GABA", nts["GABA"], 31},
		{"Unknown", nts["Unknown"], 23}, {"DA", nts["DA"], 8}, {"5HT", nts["5HT"], 2},
		{"Octopamine", nts["Octopamine"], 2}, {"classes", len(a.Classes()), 117},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
			}
		})
	}
	// First and last rows of the file: ADAL,ADA,Glu,inter,0.03,94.34,10.31
	// and the last label VD9 at slot 299 (byte order).
	n, ok := a.Neuron("ADAL")
	if !ok || n.Slot != 0 || n.X != 0.03 || n.Y != 94.34 || n.Z != 10.31 || n.Class != "ADA" {
		t.Errorf("ADAL = %+v", n)
	}
	if s, ok := a.Slot("VD9"); !ok || s != 299 {
		t.Errorf("VD9 slot %d", s)
	}
}

func TestAtlasOrder(t *testing.T) {
	a := DefaultAtlas()
	// Python string order puts AS10 and AS11 before AS2, and VD10…VD13 before
	// VD2 (the published slot order).
	for _, c := range []struct {
		before, after string
	}{{"AS1", "AS10"}, {"AS11", "AS2"}, {"VD13", "VD2"}, {"ADAL", "ADAR"}, {"I6", "IL1DL"}} {
		t.Run(c.before+"<"+c.after, func(t *testing.T) {
			i, ok1 := a.Slot(c.before)
			j, ok2 := a.Slot(c.after)
			if !ok1 || !ok2 || j != i+1 {
				t.Errorf("slots %d (%v), %d (%v); want consecutive", i, ok1, j, ok2)
			}
		})
	}
	if _, ok := a.Slot("CANL"); ok {
		t.Error("CANL is in the atlas")
	}
	if got := a.Class("AVA"); len(got) != 2 || got[0] != "AVAL" || got[1] != "AVAR" {
		t.Errorf("class AVA = %v", got)
	}
}

func TestReadAtlasErrors(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"missing column", "label,class,type,x,y,z\n", "sheet.csv:1: header \"label,class,type,x,y,z\" has no \"neurotransmitter\" column"},
		{"bad x", "label,class,neurotransmitter,type,x,y,z\nADAL,ADA,Glu,inter,abc,1,2\n", "sheet.csv:2:5: x \"abc\""},
		{"duplicate", "label,class,neurotransmitter,type,x,y,z\nADAL,ADA,Glu,inter,1,1,2\nADAL,ADA,Glu,inter,1,1,2\n", "ADAL listed twice"},
		{"short row", "label,class,neurotransmitter,type,x,y,z\nADAL,ADA\n", "sheet.csv:2:3: row has 2 fields"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadAtlas(strings.NewReader(c.text), "sheet.csv")
			cause := neurotab.ErrMalformed
			if c.name == "missing column" {
				cause = neurotab.ErrNotFound
			}
			if err == nil || !errors.Is(err, cause) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestNormalizeTransmitter(t *testing.T) {
	for in, want := range map[string]string{
		"Ach": "ACh", "Acetylcholine": "ACh", "Glutamate": "Glu", "GABA": "GABA",
		"Dopamine": "DA", "Serotonin": "5HT", "Unknown (orphan)": "Unknown", "FMRFamide": "FMRFamide",
	} {
		t.Run(in, func(t *testing.T) {
			if got := NormalizeTransmitter(in); got != want {
				t.Errorf("NormalizeTransmitter(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestLabelsOfType(t *testing.T) {
	a := DefaultAtlas()
	// Sizes from worm-graph/SOURCE.md.
	for typ, want := range map[string]int{Sensory: 85, Inter: 79, Motor: 116, Pharyngeal: 20, "glia": 0} {
		t.Run(typ, func(t *testing.T) {
			got := a.LabelsOfType(typ)
			if len(got) != want {
				t.Errorf("%d labels, want %d", len(got), want)
			}
			for i := 1; i < len(got); i++ {
				if got[i-1] >= got[i] {
					t.Fatalf("not in slot order: %s, %s", got[i-1], got[i])
				}
			}
		})
	}
}

func TestReadAtlasSortsAndBlankPositions(t *testing.T) {
	text := "label,type,class,neurotransmitter,x,y,z,extra\n" +
		"AS2,motor,AS,Ach,1,2,3,q\n" +
		"AS10,Motor,AS,ACh,,,,q\n" +
		"ADAL,inter,ADA,Glutamate,0,0,0,q\n"
	a, err := ReadAtlas(strings.NewReader(text), "mini.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Byte order: ADAL < AS10 < AS2.
	if got := strings.Join(a.Labels(), ","); got != "ADAL,AS10,AS2" {
		t.Errorf("labels %s", got)
	}
	n, _ := a.Neuron("AS10")
	if n.Slot != 1 || !math.IsNaN(n.X) || !math.IsNaN(n.Z) || n.Type != Motor || n.Neurotransmitter != "ACh" {
		t.Errorf("AS10 = %+v", n)
	}
	n, _ = a.Neuron("ADAL")
	if n.Neurotransmitter != "Glu" {
		t.Errorf("ADAL transmitter %q", n.Neurotransmitter)
	}
	if got := a.Class("AS"); strings.Join(got, ",") != "AS10,AS2" {
		t.Errorf("class AS = %v", got)
	}
	if _, ok := a.Neuron("AVAL"); ok {
		t.Error("AVAL found in a 3-neuron atlas")
	}
	if a.Normalize("as02").Label != "AS2" {
		t.Error("atlas Normalize does not use its own labels")
	}
}
