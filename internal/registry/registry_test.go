package registry

import (
	"errors"
	"testing"

	"github.com/neurotab/neurotab"
)

func sample() *Registry[int] {
	r := New[int]("source")
	r.Add("Dag2023", 1)
	r.Add("Kato2015", 2)
	r.Add("aedat31", 3, "aedat3")
	r.Add("evt2", 4)
	r.Add("evt3", 5)
	return r
}

func TestLookup(t *testing.T) {
	r := sample()
	for _, c := range []struct {
		name string
		want int
	}{
		{"Dag2023", 1}, {"dag2023", 1}, {"DAG2023", 1}, {"aedat3", 3}, {"AEDAT31", 3}, {"evt3", 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := r.Lookup(c.name)
			if err != nil || v != c.want {
				t.Fatalf("Lookup(%q) = %d, %v; want %d", c.name, v, err, c.want)
			}
		})
	}
}

func TestUnknown(t *testing.T) {
	r := sample()
	for _, c := range []struct {
		name, suggestion, short string
	}{
		// Two letters swapped: distance 2 ≤ 7/3.
		{"Dag2032", "Dag2023", `unknown source "Dag2032" (did you mean "Dag2023"?)`},
		// One letter off, in another case.
		{"kato2016", "Kato2015", `unknown source "kato2016" (did you mean "Kato2015"?)`},
		// An alias is suggested as its canonical name.
		{"aedat", "aedat31", `unknown source "aedat" (did you mean "aedat31"?)`},
		// evt1 is one edit from evt2 and evt3: the earlier-added wins.
		{"evt1", "evt2", `unknown source "evt1" (did you mean "evt2"?)`},
		{"nothing-like-it", "", `unknown source "nothing-like-it"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.Lookup(c.name)
			var ue *UnknownError
			if !errors.As(err, &ue) || !errors.Is(err, neurotab.ErrNotFound) {
				t.Fatalf("err %v: want an *UnknownError wrapping ErrNotFound", err)
			}
			if ue.Suggestion != c.suggestion || ue.Short() != c.short {
				t.Fatalf("suggestion %q short %q; want %q %q", ue.Suggestion, ue.Short(), c.suggestion, c.short)
			}
			want := c.short + "; known: Dag2023, Kato2015, aedat31, evt2, evt3"
			if err.Error() != want {
				t.Fatalf("error %q, want %q", err, want)
			}
		})
	}
}

func TestNamesAndCanonical(t *testing.T) {
	r := sample()
	names := r.Names()
	want := []string{"Dag2023", "Kato2015", "aedat31", "evt2", "evt3"}
	if len(names) != len(want) {
		t.Fatalf("names %v", names)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("names %v, want %v", names, want)
		}
	}
	if vs := r.Values(); len(vs) != 5 || vs[2] != 3 {
		t.Fatalf("values %v", vs)
	}
	if c := r.Canonical("AEDAT3"); c != "aedat31" {
		t.Fatalf("Canonical(AEDAT3) = %q", c)
	}
	if c := r.Canonical("nope"); c != "" {
		t.Fatalf("Canonical(nope) = %q", c)
	}
}

func TestAddDuplicatePanics(t *testing.T) {
	for _, name := range []string{"dag2023", "AEDAT3", ""} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatalf("Add(%q) did not panic", name)
				}
			}()
			sample().Add(name, 9)
		})
	}
}

func TestDistance(t *testing.T) {
	// Hand-counted Levenshtein distances.
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"dag2032", "dag2023", 2}, {"flaw", "lawn", 2}} {
		if d := distance(c.a, c.b); d != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, d, c.d)
		}
	}
}
