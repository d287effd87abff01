// Package registry is the one shape of a name-to-value table: calcium
// adapters, event sources and connectome sources are looked up through it.
// Names are case-insensitive, a name may have aliases, and a name that is
// not registered gives a one-line error suggesting the closest name ("did
// you mean") and listing the known ones.
package registry

import (
	"fmt"
	"strings"

	"github.com/neurotab/neurotab"
)

// Registry maps names (and their aliases) to values of type T. The zero
// value is not usable; build one with New. A Registry is filled once (at
// package initialization) and only read afterwards, so reads need no lock.
type Registry[T any] struct {
	kind   string
	names  []string       // canonical names in Add order
	values []T            // parallel to names
	index  map[string]int // lower-case name or alias → position
}

// New returns an empty registry; kind names what it holds in errors
// ("source", "connectome source").
func New[T any](kind string) *Registry[T] {
	return &Registry[T]{kind: kind, index: map[string]int{}}
}

// Add registers v under name and its aliases. A name or alias that is
// already taken, whatever its case, is a programming error: Add panics.
func (r *Registry[T]) Add(name string, v T, aliases ...string) {
	pos := len(r.names)
	for _, n := range append([]string{name}, aliases...) {
		k := strings.ToLower(n)
		if _, dup := r.index[k]; dup || n == "" {
			panic(fmt.Sprintf("registry: %s name %q registered twice or empty", r.kind, n))
		}
		r.index[k] = pos
	}
	r.names = append(r.names, name)
	r.values = append(r.values, v)
}

// Lookup returns the value registered under name or one of its aliases,
// ignoring case. An unknown name gives an *UnknownError (wrapping
// neurotab.ErrNotFound).
func (r *Registry[T]) Lookup(name string) (T, error) {
	if i, ok := r.index[strings.ToLower(name)]; ok {
		return r.values[i], nil
	}
	var zero T
	return zero, &UnknownError{Kind: r.kind, Name: name, Suggestion: r.Suggest(name), Known: r.Names(), Err: neurotab.ErrNotFound}
}

// Canonical returns the registered name of name or alias (in its
// registered case), or "" when there is none.
func (r *Registry[T]) Canonical(name string) string {
	if i, ok := r.index[strings.ToLower(name)]; ok {
		return r.names[i]
	}
	return ""
}

// Names returns the canonical names in the order they were added.
func (r *Registry[T]) Names() []string { return append([]string(nil), r.names...) }

// Values returns the registered values in the order they were added.
func (r *Registry[T]) Values() []T { return append([]T(nil), r.values...) }

// Suggest returns the registered name or alias closest to name by edit
// distance (case-insensitive), when it is close enough to be a typo: at
// most a third of the longer string's length, and at least 1. It returns
// "" otherwise. A suggested alias is given as its canonical name.
func (r *Registry[T]) Suggest(name string) string {
	q := strings.ToLower(name)
	bestI, bestD := -1, 0
	for k, i := range r.index {
		d := distance(q, k)
		if d > max(max(len(q), len(k))/3, 1) {
			continue
		}
		// Ties go to the earlier-added name, so the answer is stable.
		if bestI < 0 || d < bestD || (d == bestD && i < bestI) {
			bestI, bestD = i, d
		}
	}
	if bestI < 0 {
		return ""
	}
	return r.names[bestI]
}

// UnknownError is a name no entry of a registry carries.
type UnknownError struct {
	Kind       string   // what was looked up: "source"
	Name       string   // the name as given
	Suggestion string   // the closest registered name, "" when none is close
	Known      []string // every registered name, in registration order
	Err        error    // neurotab.ErrNotFound
}

// Short is the message without the list of known names:
// `unknown source "Dag2032" (did you mean "Dag2023"?)`.
func (e *UnknownError) Short() string {
	s := fmt.Sprintf("unknown %s %q", e.Kind, e.Name)
	if e.Suggestion != "" {
		s += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return s
}

// Error is Short followed by the known names, on one line.
func (e *UnknownError) Error() string {
	return e.Short() + "; known: " + strings.Join(e.Known, ", ")
}

// Unwrap returns the cause, neurotab.ErrNotFound.
func (e *UnknownError) Unwrap() error { return e.Err }

// distance is the Levenshtein edit distance between a and b (bytes).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
