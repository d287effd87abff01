package npy

import (
	"fmt"
	"strconv"
	"strings"
)

// parseDict parses the Python literal dict of an .npy header, e.g.
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (219, 2000), }
//
// Values may be strings, True/False/None, integers, tuples and lists
// (tuples and lists become []any, integers int64).
func parseDict(s string) (map[string]any, error) {
	p := &lit{s: s}
	p.skip()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	d, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("header is not a dict")
	}
	p.skip()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected %q after the header dict", p.rest())
	}
	return d, nil
}

type lit struct {
	s string
	i int
}

func (p *lit) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *lit) rest() string {
	r := p.s[p.i:]
	if len(r) > 20 {
		r = r[:20]
	}
	return r
}

func (p *lit) value(depth int) (any, error) {
	if depth > 32 {
		return nil, fmt.Errorf("header nested too deeply")
	}
	p.skip()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("header ends early")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		d := map[string]any{}
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return d, nil
			}
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("dict key %v is not a string", k)
			}
			p.skip()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, fmt.Errorf("expected ':' after key %q", ks)
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d[ks] = v
			if err := p.sep('}'); err != nil {
				return nil, err
			}
		}
	case c == '(' || c == '[':
		closing := byte(')')
		if c == '[' {
			closing = ']'
		}
		p.i++
		out := []any{}
		for {
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == closing {
				p.i++
				return out, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			if err := p.sep(closing); err != nil {
				return nil, err
			}
		}
	case c == '\'' || c == '"':
		end := strings.IndexByte(p.s[p.i+1:], c)
		if end < 0 {
			return nil, fmt.Errorf("unterminated string")
		}
		v := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		return v, nil
	case c == '-' || c >= '0' && c <= '9':
		j := p.i + 1
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		n, err := strconv.ParseInt(p.s[p.i:j], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("integer %q: %v", p.s[p.i:j], err)
		}
		p.i = j
		if p.i < len(p.s) && (p.s[p.i] == 'L' || p.s[p.i] == 'l') { // Python 2 long
			p.i++
		}
		return n, nil
	default:
		for _, w := range []struct {
			word string
			v    any
		}{{"True", true}, {"False", false}, {"None", nil}} {
			if strings.HasPrefix(p.s[p.i:], w.word) {
				p.i += len(w.word)
				return w.v, nil
			}
		}
		return nil, fmt.Errorf("unexpected %q", p.rest())
	}
}

// sep consumes a ',' or sees the closing bracket.
func (p *lit) sep(closing byte) error {
	p.skip()
	if p.i >= len(p.s) {
		return fmt.Errorf("header ends before %q", closing)
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		return nil
	case closing:
		return nil
	}
	return fmt.Errorf("expected ',' or %q, found %q", closing, p.rest())
}
