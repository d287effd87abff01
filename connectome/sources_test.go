package connectome

import (
	"errors"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/internal/registry"
)

// Names are case-insensitive; a typo gets the closest name.
func TestLookupSource(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"cook2019_herm", "cook2019_herm"}, {"Cook2019_Herm", "cook2019_herm"}, {"WITVLIET2020_8", "witvliet2020_8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := LookupSource(c.name)
			if err != nil || s.Name != c.want {
				t.Fatalf("LookupSource(%q) = %q, %v", c.name, s.Name, err)
			}
		})
	}
	for _, c := range []struct{ name, short string }{
		{"cook2019_hemr", `unknown connectome source "cook2019_hemr" (did you mean "cook2019_herm"?)`},
		{"varshney2010", `unknown connectome source "varshney2010" (did you mean "varshney2011"?)`},
		{"flywire", `unknown connectome source "flywire"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LookupSource(c.name)
			var ue *registry.UnknownError
			if !errors.As(err, &ue) || ue.Short() != c.short || !errors.Is(err, neurotab.ErrNotFound) {
				t.Fatalf("LookupSource(%q): %v; want %s", c.name, err, c.short)
			}
		})
	}
	// Sources keeps its order and hands out a fresh slice.
	s := Sources()
	if s[0].Name != "white1986_whole" || s[len(s)-1].Name != "fc" {
		t.Fatalf("order %s … %s", s[0].Name, s[len(s)-1].Name)
	}
	s[0].Name = "changed"
	if Sources()[0].Name != "white1986_whole" {
		t.Fatal("Sources shares its slice")
	}
}
