package npy

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// fortranPerm returns, for each row-major position, the index of that
// element in the file order. It is nil when no reordering is needed.
func (a *Array) fortranPerm() []int {
	if !a.FortranOrder || len(a.Shape) < 2 {
		return nil
	}
	n := a.Len()
	perm := make([]int, n)
	nd := len(a.Shape)
	stride := make([]int, nd) // column-major strides
	s := 1
	for k := range nd {
		stride[k] = s
		s *= a.Shape[k]
	}
	idx := make([]int, nd)
	src := 0
	for o := range perm {
		perm[o] = src
		for k := nd - 1; k >= 0; k-- {
			idx[k]++
			src += stride[k]
			if idx[k] < a.Shape[k] {
				break
			}
			src -= stride[k] * a.Shape[k]
			idx[k] = 0
		}
	}
	return perm
}

// convert returns the elements in row-major order converted by f.
func convert[T any](a *Array, f func(i int) T) []T {
	n := a.Len()
	out := make([]T, n)
	if perm := a.fortranPerm(); perm != nil {
		for o, src := range perm {
			out[o] = f(src)
		}
		return out
	}
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// float64At returns a function giving element i (file order) as float64.
func (a *Array) float64At() func(int) float64 {
	switch d := a.data.(type) {
	case []float64:
		return func(i int) float64 { return d[i] }
	case []float32:
		return func(i int) float64 { return float64(d[i]) }
	case []int8:
		return func(i int) float64 { return float64(d[i]) }
	case []int16:
		return func(i int) float64 { return float64(d[i]) }
	case []int32:
		return func(i int) float64 { return float64(d[i]) }
	case []int64:
		return func(i int) float64 { return float64(d[i]) }
	case []uint8:
		return func(i int) float64 { return float64(d[i]) }
	case []uint16:
		return func(i int) float64 { return float64(d[i]) }
	case []uint32:
		return func(i int) float64 { return float64(d[i]) }
	case []uint64:
		return func(i int) float64 { return float64(d[i]) }
	case []bool:
		return func(i int) float64 {
			if d[i] {
				return 1
			}
			return 0
		}
	}
	panic(fmt.Sprintf("npy: Array holds %T", a.data))
}

// Float64s returns a new slice of all elements as float64 in row-major (C)
// order. Values of int64/uint64 beyond ±2^53 are rounded; bools give 0/1.
func (a *Array) Float64s() []float64 {
	if !a.FortranOrder || len(a.Shape) < 2 {
		switch d := a.data.(type) { // fast paths for the common dtypes
		case []float64:
			return append([]float64(nil), d...)
		case []float32:
			out := make([]float64, len(d))
			for i, v := range d {
				out[i] = float64(v)
			}
			return out
		}
	}
	return convert(a, a.float64At())
}

// Float32s returns a new slice of all elements as float32 in row-major
// order (exact for f2/f4 data, rounded for wider types).
func (a *Array) Float32s() []float32 {
	if d, ok := a.data.([]float32); ok {
		if a.fortranPerm() == nil {
			return append([]float32(nil), d...)
		}
		return convert(a, func(i int) float32 { return d[i] })
	}
	f := a.float64At()
	return convert(a, func(i int) float32 { return float32(f(i)) })
}

// Int64s returns the elements of an integer or bool array in row-major
// order, exactly (uint64 values above MaxInt64 give an error). Float dtypes
// give an error.
func (a *Array) Int64s() ([]int64, error) {
	switch d := a.data.(type) {
	case []float32, []float64:
		return nil, fmt.Errorf("npy: Int64s of a %s array: %w", a.Dtype, neurotab.ErrUnsupported)
	case []int64:
		return convert(a, func(i int) int64 { return d[i] }), nil
	case []uint64:
		for _, v := range d {
			if v > 1<<63-1 {
				return nil, fmt.Errorf("npy: Int64s: uint64 value %d overflows int64: %w", v, neurotab.ErrTooLarge)
			}
		}
		return convert(a, func(i int) int64 { return int64(d[i]) }), nil
	}
	f := a.float64At() // exact for types of 32 bits and less
	return convert(a, func(i int) int64 { return int64(f(i)) }), nil
}

// Bools returns the elements in row-major order as bools: the values of a
// |b1 array, or value != 0 for numeric dtypes (NaN counts as true, as in
// NumPy).
func (a *Array) Bools() []bool {
	if d, ok := a.data.([]bool); ok {
		return convert(a, func(i int) bool { return d[i] })
	}
	f := a.float64At()
	return convert(a, func(i int) bool { return f(i) != 0 })
}
