package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/mat"
	"github.com/neurotab/neurotab/formats/sniff"
)

func init() {
	inspectors[sniff.MAT5] = inspectMAT
	inspectors[sniff.MAT73] = inspectMAT
	valueReaders[sniff.MAT5] = valuesMAT
	valueReaders[sniff.MAT73] = valuesMAT
}

// inspectMAT lists a MATLAB file's variables in MATLAB's view (class, dims)
// and, for structs and cells, their fields and elements a few levels deep.
// A v7.3 file the MATLAB reader cannot interpret is shown as its HDF5 tree.
func inspectMAT(path string) (*InspectReport, error) {
	f, err := mat.Open(path)
	if err != nil {
		if errors.Is(err, neurotab.ErrUnsupported) {
			if rep, herr := inspectHDF5(path); herr == nil {
				rep.Format = "mat73 (shown as HDF5: " + err.Error() + ")"
				return rep, nil
			}
		}
		return nil, err
	}
	defer f.Close()
	rep := &InspectReport{File: path, Format: "mat"}
	rep.Metadata = map[string]string{"header": strings.TrimRight(f.Header.Text, " \x00")}
	for _, vi := range f.Variables() {
		if vi.Err != nil {
			rep.Nodes = append(rep.Nodes, Node{Path: vi.Name, Kind: "variable", Info: "error: " + vi.Err.Error()})
			continue
		}
		v, err := f.Var(vi.Name)
		if err != nil && v == nil {
			rep.Nodes = append(rep.Nodes, Node{Path: vi.Name, Kind: "variable", Dtype: vi.Class.String(), Shape: dims64(vi.Dims), Info: "error: " + err.Error()})
			continue
		}
		matNodes(rep, vi.Name, v, 0)
	}
	return rep, nil
}

func dims64(d []int) []uint64 {
	out := make([]uint64, len(d))
	for i, x := range d {
		out[i] = uint64(x)
	}
	return out
}

// matNodes adds v and, to a depth of 3, what it contains.
func matNodes(rep *InspectReport, path string, v mat.Value, depth int) {
	n := Node{Path: path, Kind: "variable", Dtype: v.Class().String(), Shape: dims64(v.Dims())}
	if depth > 0 {
		n.Kind = "field"
	}
	switch x := v.(type) {
	case *mat.Numeric:
		if x.IsComplex() {
			n.Dtype += " complex"
		}
	case *mat.Sparse:
		n.Dtype += " sparse"
		n.Info = fmt.Sprintf("%d non-zeros", x.NNZ())
	case *mat.Char:
		if s, err := mat.String(x); err == nil {
			n.Info = clip(fmt.Sprintf("%q", s), 80)
		}
	case *mat.Object:
		n.Dtype = "object " + x.ClassName
	case *mat.Unsupported:
		n.Info = x.Reason
	}
	rep.Nodes = append(rep.Nodes, n)
	if depth >= 3 {
		return
	}
	switch x := v.(type) {
	case *mat.Struct:
		if x.Len() > 0 {
			for _, f := range x.Fields {
				if fv, err := x.At(0, f); err == nil && fv != nil {
					matNodes(rep, path+"."+f, fv, depth+1)
				}
			}
		}
	case *mat.Cell:
		for i, e := range x.Elems {
			if i == 3 {
				rep.Nodes = append(rep.Nodes, Node{Path: fmt.Sprintf("%s{…}", path), Kind: "cell", Info: fmt.Sprintf("%d more elements", len(x.Elems)-3)})
				break
			}
			if e != nil {
				matNodes(rep, fmt.Sprintf("%s{%d}", path, i+1), e, depth+1)
			}
		}
	}
}

func valuesMAT(path, object string, w io.Writer) error {
	f, err := mat.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	v, err := f.Lookup(object)
	if err != nil {
		return err
	}
	out, err := matJSON(v, 0)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", path, object, err)
	}
	return json.NewEncoder(w).Encode(out)
}

// matJSON renders a value as scipy.io.loadmat would present it: arrays
// nested in MATLAB's dims (row-major nesting), char as strings (a string per
// row for char matrices), cells as arrays, structs as objects (arrays of
// objects for struct arrays), sparse as coordinates.
func matJSON(v mat.Value, depth int) (any, error) {
	if depth > 64 {
		return nil, errors.New("nesting deeper than 64 levels")
	}
	if v == nil {
		return nil, nil
	}
	if v.Len() > maxValues {
		return nil, fmt.Errorf("%d values, more than --values prints (%d)", v.Len(), maxValues)
	}
	switch x := v.(type) {
	case *mat.Numeric:
		re := jsonFloats(x.RowMajor())
		if x.IsComplex() {
			im := jsonFloats(mat.RowMajor(x.Shape, x.Imag))
			pairs := make([]any, len(re))
			for i := range re {
				pairs[i] = []any{re[i], im[i]}
			}
			return squeeze(nest(pairs, x.Shape)), nil
		}
		return squeeze(nest(re, x.Shape)), nil
	case *mat.Logical:
		return squeeze(nest(mat.RowMajor(x.Shape, x.Data), x.Shape)), nil
	case *mat.Char:
		rows := x.Rows()
		if len(rows) == 1 {
			return rows[0], nil
		}
		return rows, nil
	case *mat.Cell:
		elems := make([]any, len(x.Elems))
		for i, e := range mat.RowMajor(x.Shape, x.Elems) {
			j, err := matJSON(e, depth+1)
			if err != nil {
				return nil, err
			}
			elems[i] = j
		}
		return squeeze(nest(elems, x.Shape)), nil
	case *mat.Object:
		s, err := matJSON(&x.Struct, depth+1)
		return map[string]any{"class": x.ClassName, "value": s}, err
	case *mat.Struct:
		n := x.Len()
		objs := make([]any, n)
		for e := 0; e < n; e++ {
			o := map[string]any{}
			for _, f := range x.Fields {
				fv, err := x.At(e, f)
				if err != nil {
					return nil, err
				}
				if o[f], err = matJSON(fv, depth+1); err != nil {
					return nil, err
				}
			}
			objs[e] = o
		}
		if n == 1 {
			return objs[0], nil
		}
		return squeeze(nest(mat.RowMajor(x.Shape, objs), x.Shape)), nil
	case *mat.Sparse:
		return map[string]any{"sparse_dims": x.Shape, "rows": x.Rows, "cols": x.Cols, "values": jsonFloats(x.Real)}, nil
	case *mat.Unsupported:
		return nil, fmt.Errorf("%s", x.Reason)
	}
	return nil, fmt.Errorf("unsupported value %T", v)
}

// squeeze unwraps 1×1 arrays to scalars, as loadmat(squeeze_me=True) does.
func squeeze(v any) any {
	for {
		a, ok := v.([]any)
		if !ok || len(a) != 1 {
			return v
		}
		v = a[0]
	}
}
