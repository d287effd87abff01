package mat

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// decoder73 decodes one v7.3 variable. Objects are decoded once: a second
// reference to the same object gives the same Value (MATLAB shares only
// the canonical empty), and a reference back to an object still being
// decoded is a cycle and an error, so damaged files cannot make the work
// grow beyond the number of objects.
type decoder73 struct {
	f     *File
	memo  map[uint64]Value
	busy  map[uint64]bool
	depth int
}

// decodeVarV73 decodes an indexed v7.3 variable.
func (f *File) decodeVarV73(info *VarInfo) (Value, error) {
	if info.Err != nil {
		return nil, info.Err
	}
	root, err := f.h5.Root()
	if err != nil {
		return nil, f.h5err(f.h5.UserBlockSize(), info.Name, err, "reading the root group")
	}
	ls, err := root.Links()
	if err != nil {
		return nil, f.h5err(f.off(root), info.Name, err, "reading the root group's links")
	}
	for _, l := range ls {
		if l.Name != info.Name {
			continue
		}
		o, err := f.child(root, l, info.Name)
		if err != nil {
			return nil, err
		}
		d := &decoder73{f: f, memo: map[uint64]Value{}, busy: map[uint64]bool{}}
		v, err := d.value(o, info.Name)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(*Unsupported); ok {
			return u, f.h5err(info.Offset, info.Name, neurotab.ErrUnsupported, "%s", u.Reason)
		}
		return v, nil
	}
	return nil, &Error{File: f.name, Path: info.Name, Offset: -1, Inner: -1, Err: cause(neurotab.ErrNotFound, "no such variable")}
}

// errf returns a *Error at o's object header.
func (d *decoder73) errf(o hdf5.Object, path string, err error, format string, args ...any) error {
	return d.f.h5err(d.f.off(o), path, err, format, args...)
}

// value decodes object o reached at MATLAB path.
func (d *decoder73) value(o hdf5.Object, path string) (Value, error) {
	addr := o.Addr()
	if v, ok := d.memo[addr]; ok {
		return v, nil
	}
	if d.busy[addr] {
		return nil, d.errf(o, path, nil, "object at address %d contains itself (reference or link cycle)", addr)
	}
	d.depth++
	defer func() { d.depth-- }()
	if d.depth > maxDepth {
		return nil, d.errf(o, path, neurotab.ErrTooLarge, "cells/structs nested deeper than %d", maxDepth)
	}
	d.busy[addr] = true
	v, err := d.decode(o, path)
	delete(d.busy, addr)
	if err != nil {
		return nil, err
	}
	d.memo[addr] = v
	return v, nil
}

func (d *decoder73) decode(o hdf5.Object, path string) (Value, error) {
	a, err := d.f.readAttrs(o, path)
	if err != nil {
		return nil, err
	}
	cls, known := classOf(a.class)
	switch o := o.(type) {
	case *hdf5.Group:
		switch {
		case a.sparse >= 0:
			return d.sparse(o, a, cls, path)
		case !a.hasClass || cls == ClassStruct:
			return d.structure(o, a, path)
		case a.objDecode == 3:
			return &Unsupported{Type: ClassOpaque, ClassName: a.class, Reason: fmt.Sprintf("MCOS object of class %q is stored as opaque subsystem data, not decoded", a.class)}, nil
		case cls == ClassFunctionHandle:
			return &Unsupported{Type: ClassFunctionHandle, Shape: []int{1, 1}, Reason: "function handles are not decoded"}, nil
		case !known:
			// An old-style (class-directory) object: a struct group whose
			// MATLAB_class is the class name.
			s, err := d.structure(o, a, path)
			if err != nil {
				return nil, err
			}
			st := s.(*Struct)
			return &Object{ClassName: a.class, Struct: *st}, nil
		}
		return nil, d.errf(o, path, nil, "group with MATLAB_class %q (only struct, sparse and object groups exist)", a.class)
	case *hdf5.Dataset:
		if !a.hasClass {
			cls, known = storedClass(o.Datatype()), true
			if cls == ClassUnknown {
				known = false
			}
		}
		switch {
		case a.objDecode == 3:
			dims, _ := matDims(o)
			return &Unsupported{Type: ClassOpaque, Shape: dims, ClassName: a.class, Reason: fmt.Sprintf("MCOS object of class %q is stored as opaque subsystem data, not decoded", a.class)}, nil
		case cls == ClassFunctionHandle:
			dims, _ := matDims(o)
			return &Unsupported{Type: ClassFunctionHandle, Shape: dims, Reason: "function handles are not decoded"}, nil
		case !known:
			dims, _ := matDims(o)
			return &Unsupported{Type: ClassUnknown, Shape: dims, ClassName: a.class, Reason: fmt.Sprintf("dataset of MATLAB_class %q (%s) is not decoded", a.class, o.Datatype())}, nil
		case a.empty:
			return d.f.emptyValue(o, a, cls, path)
		}
		dims, err := matDims(o)
		if err != nil {
			return nil, d.errf(o, path, nil, "dataset shape: %v", err)
		}
		if uint64(numel(dims)) != o.Len() {
			return nil, d.errf(o, path, nil, "dims %s for %d stored elements", dimString(dims), o.Len())
		}
		switch cls {
		case ClassCell:
			return d.cell(o, dims, path)
		case ClassChar:
			v, err := o.ReadUint16()
			if err != nil {
				return nil, d.errf(o, path, err, "reading char data")
			}
			if len(v) != numel(dims) {
				return nil, d.errf(o, path, nil, "char %s holds %d chars", dimString(dims), len(v))
			}
			return &Char{Shape: dims, Data: v}, nil
		case ClassLogical:
			v, err := o.ReadBool()
			if err != nil {
				return nil, d.errf(o, path, err, "reading logical data")
			}
			if len(v) != numel(dims) {
				return nil, d.errf(o, path, nil, "logical %s holds %d values", dimString(dims), len(v))
			}
			return &Logical{Shape: dims, Data: v}, nil
		case ClassStruct:
			return nil, d.errf(o, path, nil, "struct stored as a dataset without %s", attrEmpty)
		}
		if cls.IsNumeric() {
			return d.numeric(o, cls, dims, path)
		}
		return nil, d.errf(o, path, nil, "dataset of class %s", cls)
	}
	return nil, d.errf(o, path, nil, "a committed datatype is not a MATLAB value")
}

// emptyValue decodes a MATLAB_empty dataset: its values are the dims of an
// empty array of class cls, in MATLAB order.
func (f *File) emptyValue(o *hdf5.Dataset, a attrs73, cls Class, path string) (Value, error) {
	if o.Len() > maxDims73 {
		return nil, f.h5err(f.off(o), path, nil, "%s dataset holds %d dims", attrEmpty, o.Len())
	}
	raw, err := o.ReadUint64()
	if err != nil {
		return nil, f.h5err(f.off(o), path, err, "reading the dims of an empty array")
	}
	if len(raw) < 2 {
		return nil, f.h5err(f.off(o), path, nil, "%s dataset holds %d dims, want at least 2", attrEmpty, len(raw))
	}
	dims := make([]int, len(raw))
	zero := false
	for i, x := range raw {
		if x > math.MaxInt32 {
			// v5 stores dims as int32; a larger dim of an empty array is
			// a damaged file, and would make Char.Rows and the like
			// allocate per row.
			return nil, f.h5err(f.off(o), path, neurotab.ErrTooLarge, "empty array dimension %d exceeds %d", x, math.MaxInt32)
		}
		dims[i] = int(x)
		zero = zero || x == 0
	}
	if !zero {
		return nil, f.h5err(f.off(o), path, nil, "%s array with dims %s has elements", attrEmpty, dimString(dims))
	}
	switch {
	case cls == ClassChar:
		return &Char{Shape: dims, Data: []uint16{}}, nil
	case cls == ClassLogical:
		return &Logical{Shape: dims, Data: []bool{}}, nil
	case cls == ClassCell:
		return &Cell{Shape: dims, Elems: []Value{}}, nil
	case cls == ClassStruct:
		return &Struct{Shape: dims, Fields: a.fields, Values: []Value{}}, nil
	case cls.IsNumeric():
		n := &Numeric{Type: cls, Shape: dims, Real: []float64{}}
		switch cls {
		case ClassInt64:
			n.Int64 = []int64{}
		case ClassUint64:
			n.Uint64 = []uint64{}
		}
		return n, nil
	}
	return &Unsupported{Type: cls, Shape: dims, ClassName: a.class, Reason: fmt.Sprintf("empty %s array is not decoded", cls)}, nil
}

// numeric reads a full numeric dataset, real or complex ({real, imag}).
func (d *decoder73) numeric(o *hdf5.Dataset, cls Class, dims []int, path string) (Value, error) {
	out := &Numeric{Type: cls, Shape: dims}
	t := o.Datatype()
	var err error
	switch {
	case t.IsComplex():
		c, err := o.ReadComplex128()
		if err != nil {
			return nil, d.errf(o, path, err, "reading complex data")
		}
		out.Real, out.Imag = make([]float64, len(c)), make([]float64, len(c))
		for i, z := range c {
			out.Real[i], out.Imag[i] = real(z), imag(z)
		}
	case t.Class == hdf5.ClassCompound:
		if out.Real, out.Imag, err = d.complexInts(o, path); err != nil {
			return nil, err
		}
	default:
		if out.Real, err = o.ReadFloat64(); err != nil {
			return nil, d.errf(o, path, err, "reading %s data", cls)
		}
		switch cls {
		case ClassInt64:
			if out.Int64, err = o.ReadInt64(); err != nil {
				return nil, d.errf(o, path, err, "reading int64 data")
			}
		case ClassUint64:
			if out.Uint64, err = o.ReadUint64(); err != nil {
				return nil, d.errf(o, path, err, "reading uint64 data")
			}
		}
	}
	n := numel(dims)
	if len(out.Real) != n || out.Imag != nil && len(out.Imag) != n ||
		out.Int64 != nil && len(out.Int64) != n || out.Uint64 != nil && len(out.Uint64) != n {
		return nil, d.errf(o, path, nil, "%s array %s holds %d values", cls, dimString(dims), len(out.Real))
	}
	if cls == ClassSingle {
		roundSingle(out.Real)
		roundSingle(out.Imag)
	}
	return out, nil
}

// complexInts reads a compound {real, imag} of integers (MATLAB's complex
// integer classes).
func (d *decoder73) complexInts(o *hdf5.Dataset, path string) (re, im []float64, err error) {
	t := o.Datatype()
	if len(t.Members) != 2 || t.Members[0].Name != "real" || t.Members[1].Name != "imag" {
		return nil, nil, d.errf(o, path, nil, "compound %s is not MATLAB's complex {real, imag}", t)
	}
	for _, m := range t.Members {
		if c := m.Type.Class; c != hdf5.ClassInteger && c != hdf5.ClassFloat {
			return nil, nil, d.errf(o, path, nil, "complex part %q of type %s is not a number", m.Name, m.Type)
		}
	}
	recs, err := o.ReadCompound()
	if err != nil {
		return nil, nil, d.errf(o, path, err, "reading complex data")
	}
	re, im = make([]float64, len(recs)), make([]float64, len(recs))
	for i, r := range recs {
		var ok1, ok2 bool
		re[i], ok1 = toFloat(r["real"])
		im[i], ok2 = toFloat(r["imag"])
		if !ok1 || !ok2 {
			return nil, nil, d.errf(o, path, nil, "complex element %d is not numeric", i)
		}
	}
	return re, im, nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return math.NaN(), false
}

// cell reads a reference dataset: one object reference per element, each
// into #refs#.
func (d *decoder73) cell(o *hdf5.Dataset, dims []int, path string) (Value, error) {
	refs, err := o.ReadReferences()
	if err != nil {
		return nil, d.errf(o, path, err, "reading cell references")
	}
	if len(refs) != numel(dims) {
		return nil, d.errf(o, path, nil, "cell %s holds %d references", dimString(dims), len(refs))
	}
	out := &Cell{Shape: dims, Elems: make([]Value, len(refs))}
	for i, r := range refs {
		sub := path + "{" + strconv.Itoa(i+1) + "}"
		if out.Elems[i], err = d.deref(o, r, sub); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// deref decodes the object a reference stored in from points to.
func (d *decoder73) deref(from hdf5.Object, r hdf5.Reference, path string) (Value, error) {
	if r.IsNull() {
		return nil, d.errf(from, path, nil, "null object reference")
	}
	t, err := d.f.h5.Deref(r)
	if err != nil {
		return nil, d.errf(from, path, err, "following reference to address %d", uint64(r))
	}
	return d.value(t, path)
}

// structure decodes a struct group: one element whose fields are the
// members, or a struct array whose fields are reference datasets (without
// MATLAB_class) of one reference per element.
func (d *decoder73) structure(g *hdf5.Group, a attrs73, path string) (Value, error) {
	ls, err := g.Links()
	if err != nil {
		return nil, d.errf(g, path, err, "reading struct members")
	}
	byName := make(map[string]hdf5.Link, len(ls))
	for _, l := range ls {
		byName[l.Name] = l
	}
	fields := a.fields
	if !a.hasFields {
		// Link order: creation order when the group tracks it, else name.
		sorted := append([]hdf5.Link(nil), ls...)
		sort.SliceStable(sorted, func(i, j int) bool {
			if sorted[i].HasCreationOrder && sorted[j].HasCreationOrder {
				return sorted[i].CreationOrder < sorted[j].CreationOrder
			}
			return false
		})
		fields = make([]string, len(sorted))
		for i, l := range sorted {
			fields[i] = l.Name
		}
	}
	members := make([]hdf5.Object, len(fields))
	array := len(fields) > 0
	for i, name := range fields {
		l, ok := byName[name]
		if !ok {
			return nil, d.errf(g, path, nil, "%s names field %q, which the group does not hold", attrFields, name)
		}
		sub := path + "." + name
		if members[i], err = d.f.child(g, l, sub); err != nil {
			return nil, err
		}
		ds, isDS := members[i].(*hdf5.Dataset)
		if !isDS || ds.Datatype().Class != hdf5.ClassReference {
			array = false
			continue
		}
		fa, err := d.f.readAttrs(ds, sub)
		if err != nil {
			return nil, err
		}
		if fa.hasClass {
			array = false
		}
	}
	nf := len(fields)
	if !array {
		s := &Struct{Shape: []int{1, 1}, Fields: fields, Values: make([]Value, nf)}
		for i, name := range fields {
			if s.Values[i], err = d.value(members[i], path+"."+name); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	// Struct array: every field dataset has the struct's dims.
	first := members[0].(*hdf5.Dataset)
	dims, err := matDims(first)
	if err != nil {
		return nil, d.errf(first, path, nil, "struct array shape: %v", err)
	}
	n := numel(dims)
	s := &Struct{Shape: dims, Fields: fields, Values: make([]Value, 0, min(n*nf, 1<<16))}
	refs := make([][]hdf5.Reference, nf)
	for f, m := range members {
		ds := m.(*hdf5.Dataset)
		if ds.Len() != uint64(n) {
			return nil, d.errf(ds, path+"."+fields[f], nil, "struct array field holds %d references for dims %s", ds.Len(), dimString(dims))
		}
		if refs[f], err = ds.ReadReferences(); err != nil {
			return nil, d.errf(ds, path+"."+fields[f], err, "reading struct array field references")
		}
		if len(refs[f]) != n {
			return nil, d.errf(ds, path+"."+fields[f], nil, "struct array field holds %d references for dims %s", len(refs[f]), dimString(dims))
		}
	}
	for e := range n {
		for f, name := range fields {
			sub := path + "(" + strconv.Itoa(e+1) + ")." + name
			v, err := d.deref(members[f], refs[f][e], sub)
			if err != nil {
				return nil, err
			}
			s.Values = append(s.Values, v)
		}
	}
	return s, nil
}

// sparse decodes a MATLAB_sparse group: data (values), ir (0-based rows)
// and jc (column starts), as v5 stores them; MATLAB_sparse is the row
// count and len(jc)-1 the column count. ir and data may be absent for an
// all-zero matrix.
func (d *decoder73) sparse(g *hdf5.Group, a attrs73, cls Class, path string) (Value, error) {
	if cls != ClassDouble && cls != ClassLogical && cls != ClassSingle {
		return nil, d.errf(g, path, nil, "sparse matrix of class %q", a.class)
	}
	ls, err := g.Links()
	if err != nil {
		return nil, d.errf(g, path, err, "reading sparse members")
	}
	parts := map[string]*hdf5.Dataset{}
	for _, l := range ls {
		if l.Name != "data" && l.Name != "ir" && l.Name != "jc" {
			continue
		}
		o, err := d.f.child(g, l, path)
		if err != nil {
			return nil, err
		}
		ds, ok := o.(*hdf5.Dataset)
		if !ok {
			return nil, d.errf(o, path, nil, "sparse member %q is not a dataset", l.Name)
		}
		parts[l.Name] = ds
	}
	jcd := parts["jc"]
	if jcd == nil || jcd.Len() == 0 {
		return nil, d.errf(g, path, nil, "sparse matrix without column starts (jc)")
	}
	jc, err := jcd.ReadInt64()
	if err != nil {
		return nil, d.errf(jcd, path, err, "reading sparse column starts")
	}
	var ir []int64
	if p := parts["ir"]; p != nil {
		if ir, err = p.ReadInt64(); err != nil {
			return nil, d.errf(p, path, err, "reading sparse row indices")
		}
	}
	re, im := []float64{}, []float64(nil)
	if p := parts["data"]; p != nil {
		if p.Datatype().Class == hdf5.ClassCompound {
			c, err := p.ReadComplex128()
			if err != nil {
				return nil, d.errf(p, path, err, "reading sparse complex values")
			}
			re, im = make([]float64, len(c)), make([]float64, len(c))
			for i, z := range c {
				re[i], im[i] = real(z), imag(z)
			}
		} else if re, err = p.ReadFloat64(); err != nil {
			return nil, d.errf(p, path, err, "reading sparse values")
		}
	}
	if cls == ClassSingle {
		cls = ClassDouble // MATLAB sparse matrices are double or logical
	}
	sp, err := sparseFromCSC(cls, int(a.sparse), len(jc)-1, ir, jc, re, im)
	if err != nil {
		return nil, d.errf(g, path, nil, "sparse: %v", err)
	}
	return sp, nil
}
