package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/sniff"
)

func init() {
	inspectors[sniff.HDF5] = inspectHDF5
	valueReaders[sniff.HDF5] = valuesHDF5
}

// maxValues bounds what --values prints, so a huge dataset cannot exhaust
// memory by accident.
const maxValues = 20_000_000

func inspectHDF5(path string) (*InspectReport, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep := &InspectReport{File: path, Format: "hdf5"}
	if f.UserBlockSize() > 0 {
		rep.Metadata = map[string]string{"user_block_bytes": fmt.Sprint(f.UserBlockSize())}
	}
	err = f.Walk(func(p string, obj hdf5.Object) error {
		n := Node{Path: p, Attrs: attrStrings(obj)}
		switch o := obj.(type) {
		case *hdf5.Group:
			n.Kind = "group"
		case *hdf5.Dataset:
			n.Kind = "dataset"
			n.Dtype = o.Datatype().String()
			n.Shape = o.Shape()
			if n.Shape == nil {
				n.Shape = []uint64{}
			}
			info := []string{o.Kind().String()}
			if l := o.Layout(); l.Chunk != nil {
				info = append(info, fmt.Sprintf("chunks %v", l.Chunk))
			}
			for _, fl := range o.Filters() {
				info = append(info, fl.Name)
			}
			n.Info = strings.Join(info, ", ")
		default:
			n.Kind = "datatype"
		}
		rep.Nodes = append(rep.Nodes, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func attrStrings(obj hdf5.Object) map[string]string {
	attrs, err := obj.Attrs()
	if err != nil || len(attrs) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, a := range attrs {
		v, err := a.Value()
		if err != nil {
			m[a.Name] = "<" + err.Error() + ">"
			continue
		}
		b, err := json.Marshal(jsonSafe(v))
		if err != nil {
			m[a.Name] = fmt.Sprint(v)
			continue
		}
		m[a.Name] = string(b)
	}
	return m
}

// jsonSafe replaces non-finite floats (which JSON cannot carry) by the
// strings "NaN", "Infinity" and "-Infinity", recursively.
func jsonSafe(v any) any {
	switch x := v.(type) {
	case float64:
		return safeFloat(x)
	case float32:
		return safeFloat(float64(x))
	case []float64:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = safeFloat(f)
		}
		return out
	case []float32:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = safeFloat(float64(f))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonSafe(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonSafe(e)
		}
		return out
	}
	return v
}

func safeFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return f
}

// nest shapes a flat row-major slice into nested arrays of the given dims.
func nest[T any](flat []T, dims []int) any {
	if len(dims) == 0 {
		if len(flat) == 1 {
			return flat[0]
		}
		return flat
	}
	if len(dims) == 1 {
		return flat
	}
	stride := 1
	for _, d := range dims[1:] {
		stride *= d
	}
	out := make([]any, dims[0])
	for i := range out {
		out[i] = nest(flat[i*stride:(i+1)*stride], dims[1:])
	}
	return out
}

func valuesHDF5(path, object string, w io.Writer) error {
	f, err := hdf5.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	obj, err := f.Get(object)
	if err != nil {
		return err
	}
	ds, ok := obj.(*hdf5.Dataset)
	if !ok {
		return fmt.Errorf("%s: %q is a group, not a dataset; --values prints datasets", path, object)
	}
	dims := make([]int, 0, len(ds.Shape()))
	n := 1
	for _, d := range ds.Shape() {
		dims = append(dims, int(d))
		n *= int(d)
	}
	if n > maxValues {
		return fmt.Errorf("%s: %q has %d values, more than --values prints (%d)", path, object, n, maxValues)
	}
	var out any
	dt := ds.Datatype()
	switch {
	case dt.IsString:
		s, err := ds.ReadStrings()
		if err != nil {
			return err
		}
		out = nest(s, dims)
	case dt.Class == hdf5.ClassInteger || dt.Class == hdf5.ClassFloat || dt.IsBool():
		v, err := ds.ReadFloat64()
		if err != nil {
			return err
		}
		out = jsonSafe(nest(jsonFloats(v), dims))
	default:
		v, err := ds.ReadValues()
		if err != nil {
			return err
		}
		out = jsonSafe(nest(v, dims))
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}

func jsonFloats(v []float64) []any {
	out := make([]any, len(v))
	for i, f := range v {
		out[i] = safeFloat(f)
	}
	return out
}
