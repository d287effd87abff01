package mat

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
)

// RowMajor converts a column-major array (MATLAB order) with the given dims
// into a new row-major (C order) slice over the same dims: the last index
// varies fastest. For an R×C matrix, row r of the result is
// out[r*C:(r+1)*C]. It is the one place where MATLAB order becomes C order.
// It panics if len(col) is not the product of dims.
func RowMajor[T any](dims []int, col []T) []T {
	if numel(dims) != len(col) {
		panic(fmt.Sprintf("mat: RowMajor: %d elements for dims %v", len(col), dims))
	}
	out := make([]T, len(col))
	switch {
	case len(col) == 0:
	case len(dims) <= 1:
		copy(out, col)
	case len(dims) == 2:
		r, c := dims[0], dims[1]
		for j := range c {
			src := col[j*r : (j+1)*r]
			for i, v := range src {
				out[i*c+j] = v
			}
		}
	default:
		// Column-major strides of the source; walk the destination in
		// row-major order with an odometer over the dims.
		nd := len(dims)
		stride := make([]int, nd)
		s := 1
		for k := range nd {
			stride[k] = s
			s *= dims[k]
		}
		idx := make([]int, nd)
		src := 0
		for o := range out {
			out[o] = col[src]
			for k := nd - 1; k >= 0; k-- {
				idx[k]++
				src += stride[k]
				if idx[k] < dims[k] {
					break
				}
				src -= stride[k] * dims[k]
				idx[k] = 0
			}
		}
	}
	return out
}

// Float64s returns the elements of a numeric or logical array as float64 in
// column-major order (for *Numeric the real parts, aliasing the value). Other
// kinds give neurotab.ErrType; a sparse matrix must be made dense first.
func Float64s(v Value) ([]float64, error) {
	switch v := v.(type) {
	case *Numeric:
		return v.Real, nil
	case *Logical:
		return v.Float64s(), nil
	case nil:
		return nil, fmt.Errorf("%w: nil value", neurotab.ErrType)
	case *Sparse:
		return nil, fmt.Errorf("%w: sparse %s matrix: call ToDense first", neurotab.ErrType, v.Type)
	default:
		return nil, fmt.Errorf("%w: %s is not numeric", neurotab.ErrType, v.Class())
	}
}

// String returns the text of a char array (see Char.String); an empty array
// of any class gives "" as MATLAB code reading labels usually intends.
func String(v Value) (string, error) {
	if c, ok := v.(*Char); ok {
		return c.String(), nil
	}
	if v != nil && IsEmpty(v) {
		return "", nil
	}
	return "", fmt.Errorf("%w: %s is not char", neurotab.ErrType, className(v))
}

// Strings returns a list of strings from a cellstr (Cell.Strings) or from a
// char matrix (its rows with trailing blanks removed, as MATLAB's cellstr
// does).
func Strings(v Value) ([]string, error) {
	switch v := v.(type) {
	case *Cell:
		return v.Strings()
	case *Char:
		rows := v.Rows()
		for i, r := range rows {
			rows[i] = strings.TrimRight(r, " \t\x00")
		}
		return rows, nil
	}
	return nil, fmt.Errorf("%w: %s is neither a cell of char nor a char matrix", neurotab.ErrType, className(v))
}

func className(v Value) string {
	if v == nil {
		return "nil"
	}
	return v.Class().String()
}

// Lookup follows a MATLAB-style path from v: field names separated by dots,
// each optionally followed by a 1-based index, (k) for a struct-array element
// and {k} for a cell element, as in MATLAB: "meta.inner.depth",
// "trials(2).trace", "traces{3}", "IDs{1}{2}". A leading index ("{2}.a")
// applies to v itself.
func Lookup(v Value, path string) (Value, error) {
	rest := path
	cur := v
	done := ""
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			done += "."
			continue
		case '(', '{':
			open, closing := rest[0], byte(')')
			if open == '{' {
				closing = '}'
			}
			end := strings.IndexByte(rest, closing)
			if end < 0 {
				return nil, fmt.Errorf("%w: path %q: unclosed %c", neurotab.ErrNotFound, path, open)
			}
			k, err := strconv.Atoi(strings.TrimSpace(rest[1:end]))
			if err != nil || k < 1 {
				return nil, fmt.Errorf("%w: path %q: index %q is not a positive integer", neurotab.ErrNotFound, path, rest[1:end])
			}
			if cur, err = index(cur, open, k-1); err != nil {
				return nil, fmt.Errorf("path %q at %q: %w", path, done, err)
			}
			done += rest[:end+1]
			rest = rest[end+1:]
		default:
			end := strings.IndexAny(rest, ".({")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			var err error
			if cur, err = field(cur, name); err != nil {
				return nil, fmt.Errorf("path %q at %q: %w", path, done, err)
			}
			done += name
			rest = rest[end:]
		}
	}
	return cur, nil
}

func index(v Value, open byte, i int) (Value, error) {
	switch v := v.(type) {
	case *Cell:
		if open != '{' {
			return nil, fmt.Errorf("%w: use {k} to index a cell", neurotab.ErrType)
		}
		return v.Index(i)
	case *Struct:
		if open != '(' {
			return nil, fmt.Errorf("%w: use (k) to index a struct array", neurotab.ErrType)
		}
		return v.Index(i)
	case *Object:
		if open != '(' {
			return nil, fmt.Errorf("%w: use (k) to index an object array", neurotab.ErrType)
		}
		s, err := v.Struct.Index(i)
		if err != nil {
			return nil, err
		}
		return &Object{ClassName: v.ClassName, Struct: *s}, nil
	}
	return nil, fmt.Errorf("%w: cannot index a %s", neurotab.ErrType, className(v))
}

func field(v Value, name string) (Value, error) {
	switch v := v.(type) {
	case *Struct:
		return v.Field(name)
	case *Object:
		return v.Field(name)
	}
	return nil, fmt.Errorf("%w: %s has no fields (looking for %q)", neurotab.ErrType, className(v), name)
}
