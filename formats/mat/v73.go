package mat

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// Version tells which MAT-file layout a File was read from.
type Version int

// The MAT-file versions this package reads. MAT v7 (v5 with compressed
// elements) is V5.
const (
	V5  Version = 5  // MAT v5/v7: tagged data elements after a 128-byte header
	V73 Version = 73 // MAT v7.3: HDF5 after a 512-byte user block
)

// String returns "v5" or "v7.3".
func (v Version) String() string {
	switch v {
	case V5:
		return "v5"
	case V73:
		return "v7.3"
	}
	return "Version(" + strconv.Itoa(int(v)) + ")"
}

// Version returns the layout the file was read from: V5 or V73.
func (f *File) Version() Version {
	if f.h5 != nil {
		return V73
	}
	return V5
}

// The HDF5 attributes and names MATLAB's v7.3 layout uses.
const (
	attrClass        = "MATLAB_class"
	attrFields       = "MATLAB_fields"
	attrEmpty        = "MATLAB_empty"
	attrSparse       = "MATLAB_sparse"
	attrObjectDecode = "MATLAB_object_decode"
	refsGroup        = "#refs#"
	subsystemGroup   = "#subsystem#"
	canonicalEmpty   = "canonical empty" // MATLAB's shared '#refs#/a': reads as []
	maxDims73        = 32                // more dims than MATLAB allows is a damaged file
)

// decodeV73 indexes a v7.3 file whose 128-byte header hdr has been read:
// the root group's members except #refs# and #subsystem#, in name order.
func (f *File) decodeV73(hdr []byte) (*File, error) {
	order, _ := byteOrder(hdr)
	f.order = order
	f.Header = Header{
		Text:         strings.TrimRight(string(hdr[:116]), " \x00"),
		SubsysOffset: order.Uint64(hdr[116:124]),
		Version:      order.Uint16(hdr[124:126]),
		Endian:       string(hdr[126:128]),
	}
	h, err := hdf5.NewReader(f.r, f.size, f.name)
	if err != nil {
		return nil, f.h5err(0, "", err, "opening the HDF5 part")
	}
	// A value buffer cannot legitimately exceed what DEFLATE can expand
	// the whole file to; this keeps damaged dims from allocating gigabytes.
	if lim := maxInflateRatio*f.size + 1<<20; lim < hdf5.DefaultMaxAlloc {
		h.MaxAlloc = lim
	}
	f.h5 = h
	root, err := h.Root()
	if err != nil {
		return nil, f.h5err(h.UserBlockSize(), "", err, "reading the root group")
	}
	links, err := root.Links()
	if err != nil {
		return nil, f.h5err(h.UserBlockSize()+int64(root.Addr()), "", err, "reading the root group's links")
	}
	for _, l := range links {
		if l.Name == refsGroup || l.Name == subsystemGroup {
			continue
		}
		info := VarInfo{Name: l.Name, Offset: h.UserBlockSize() + int64(l.Addr)}
		o, err := f.child(root, l, l.Name)
		if err == nil {
			err = f.peekV73(&info, o)
		}
		info.Err = err
		f.vars = append(f.vars, info)
	}
	return f, nil
}

// h5err returns an *Error at file offset off: the detail, then its cause.
// err is an error of the HDF5 reader (kept in the chain; it wraps a
// neurotab sentinel, and its file name is left out as the Error names the
// file), a sentinel, or nil for a MATLAB-convention problem
// (neurotab.ErrMalformed). Any other error is taken as neurotab.ErrMalformed
// too.
func (f *File) h5err(off int64, path string, err error, format string, args ...any) error {
	switch {
	case err == nil:
		err = neurotab.ErrMalformed
	case !errors.Is(err, neurotab.ErrMalformed) && !errors.Is(err, neurotab.ErrTooLarge) &&
		!errors.Is(err, neurotab.ErrUnsupported) && !errors.Is(err, neurotab.ErrNotFound) && !errors.Is(err, neurotab.ErrType):
		err = fmt.Errorf("%w: %w", err, neurotab.ErrMalformed) // e.g. a read error of the HDF5 part
	}
	if he, ok := err.(*hdf5.Error); ok && he.File == f.name {
		c := *he
		c.File = ""
		err = &c
	}
	return &Error{File: f.name, Path: path, Offset: off, Inner: -1, Err: cause(err, format, args...)}
}

// child opens the object a link of g leads to: by path when g has one (so
// a damaged object elsewhere in the file does not matter), by address for a
// hard link of a group reached only through a reference.
func (f *File) child(g *hdf5.Group, l hdf5.Link, path string) (hdf5.Object, error) {
	var (
		o   hdf5.Object
		err error
	)
	switch l.Type {
	case hdf5.HardLink:
		if g.Path() != "" {
			o, err = g.Open(l.Name)
		} else { // a group reached only through a reference
			o, err = f.h5.Deref(hdf5.Reference(l.Addr))
		}
	case hdf5.SoftLink:
		target := l.Target
		if !strings.HasPrefix(target, "/") {
			target = strings.TrimSuffix(g.Path(), "/") + "/" + target
		}
		o, err = f.h5.Get(target)
	default:
		return nil, f.h5err(f.h5.UserBlockSize()+int64(g.Addr()), path, hdf5.ErrExternalLink,
			"link %q is an external link to %s:%s", l.Name, l.File, l.Target)
	}
	if err != nil {
		return nil, f.h5err(f.h5.UserBlockSize()+int64(g.Addr()), path, err, "opening link %q", l.Name)
	}
	return o, nil
}

// attrs73 holds the MATLAB attributes of one object.
type attrs73 struct {
	class     string // MATLAB_class ("" when absent)
	hasClass  bool
	empty     bool  // MATLAB_empty is set and nonzero
	sparse    int64 // MATLAB_sparse (rows), -1 when absent
	objDecode int64 // MATLAB_object_decode, 0 when absent
	fields    []string
	hasFields bool
}

func (f *File) readAttrs(o hdf5.Object, path string) (attrs73, error) {
	a := attrs73{sparse: -1}
	all, err := o.Attrs()
	if err != nil {
		return a, f.h5err(f.off(o), path, err, "reading attributes")
	}
	for _, at := range all {
		switch at.Name {
		case attrClass, attrEmpty, attrSparse, attrObjectDecode, attrFields:
			if !boundedType(at.Type, 0) {
				return a, f.h5err(f.off(o), path, nil, "attribute %s has datatype %s with a zero-size element", at.Name, at.Type)
			}
		}
		switch at.Name {
		case attrClass:
			if a.class, err = at.AsString(); err != nil {
				return a, f.h5err(f.off(o), path, err, "reading %s", attrClass)
			}
			a.hasClass = true
		case attrEmpty:
			v, err := at.AsInt64s()
			if err != nil {
				return a, f.h5err(f.off(o), path, err, "reading %s", attrEmpty)
			}
			a.empty = len(v) > 0 && v[0] != 0
		case attrSparse:
			v, err := at.AsInt64s()
			if err != nil || len(v) != 1 {
				return a, f.h5err(f.off(o), path, err, "reading %s (one row count expected)", attrSparse)
			}
			if v[0] < 0 || v[0] > maxNumel {
				return a, f.h5err(f.off(o), path, nil, "%s = %d rows", attrSparse, v[0])
			}
			a.sparse = v[0]
		case attrObjectDecode:
			v, err := at.AsInt64s()
			if err == nil && len(v) > 0 {
				a.objDecode = v[0]
			}
		case attrFields:
			if a.fields, err = at.AsStrings(); err != nil {
				return a, f.h5err(f.off(o), path, err, "reading %s", attrFields)
			}
			a.hasFields = true
		}
	}
	return a, nil
}

// boundedType reports whether every variable-length or array part of t has
// elements of at least one byte. A zero-size base type lets a damaged vlen
// length claim billions of elements with no bytes behind them, and
// formats/hdf5 would allocate for all of them.
func boundedType(t *hdf5.Datatype, depth int) bool {
	if t == nil || depth > 8 {
		return false
	}
	switch t.Class {
	case hdf5.ClassVLen:
		if t.IsString {
			return true
		}
		return t.Base != nil && t.Base.Size > 0 && boundedType(t.Base, depth+1)
	case hdf5.ClassArray:
		return t.Base != nil && t.Base.Size > 0 && boundedType(t.Base, depth+1)
	case hdf5.ClassCompound:
		for _, m := range t.Members {
			if !boundedType(m.Type, depth+1) {
				return false
			}
		}
	}
	return true
}

// off returns the absolute file offset of an object's header.
func (f *File) off(o hdf5.Object) int64 { return f.h5.UserBlockSize() + int64(o.Addr()) }

// matDims returns the MATLAB dims of a dataset: its HDF5 shape reversed,
// with at least two dims (a scalar dataspace is 1×1, a 1-D dataset of n
// elements n×1).
func matDims(d *hdf5.Dataset) ([]int, error) {
	switch d.Kind() {
	case hdf5.SpaceScalar:
		return []int{1, 1}, nil
	case hdf5.SpaceNull:
		return []int{0, 0}, nil
	}
	shape := d.Shape()
	if len(shape) > maxDims73 {
		return nil, fmt.Errorf("%d dims", len(shape))
	}
	dims := make([]int, len(shape), max(2, len(shape)))
	n := 1
	for i, s := range shape {
		if s > maxNumel {
			return nil, fmt.Errorf("dimension of %d", s)
		}
		dims[len(shape)-1-i] = int(s)
		if n != 0 && int(s) > maxNumel/n {
			return nil, fmt.Errorf("shape %v exceeds %d elements", shape, maxNumel)
		}
		n *= int(s)
	}
	for len(dims) < 2 {
		dims = append(dims, 1)
	}
	return dims, nil
}

// classOf returns the class named by a MATLAB_class value; the canonical
// empty is double.
func classOf(name string) (Class, bool) {
	if name == canonicalEmpty {
		return ClassDouble, true
	}
	return ParseClass(name)
}

// storedClass guesses the class of an object without MATLAB_class from its
// datatype (files written by h5py into a .mat): floats are double or
// single, integers their class, references a cell.
func storedClass(t *hdf5.Datatype) Class {
	switch t.Class {
	case hdf5.ClassFloat:
		if t.Size == 4 {
			return ClassSingle
		}
		return ClassDouble
	case hdf5.ClassInteger:
		c := map[int]Class{1: ClassInt8, 2: ClassInt16, 4: ClassInt32, 8: ClassInt64}[t.Size]
		if c != ClassUnknown && !t.Signed {
			c++ // each unsigned class follows its signed one
		}
		return c
	case hdf5.ClassEnum:
		if t.IsBool() {
			return ClassLogical
		}
	case hdf5.ClassReference:
		return ClassCell
	case hdf5.ClassCompound:
		if t.IsComplex() {
			if t.Members[0].Type.Size == 4 {
				return ClassSingle
			}
			return ClassDouble
		}
	}
	return ClassUnknown
}

// peekV73 fills the class, dims and storage flags of a variable without
// reading its values (a MATLAB_empty dataset's dims and a sparse matrix's
// column starts count as metadata and are read).
func (f *File) peekV73(info *VarInfo, o hdf5.Object) error {
	a, err := f.readAttrs(o, info.Name)
	if err != nil {
		return err
	}
	info.Class, _ = classOf(a.class)
	switch o := o.(type) {
	case *hdf5.Group:
		switch {
		case a.sparse >= 0:
			info.Sparse = true
			info.Dims = []int{int(a.sparse), 0}
			ls, err := o.Links()
			if err != nil {
				return f.h5err(f.off(o), info.Name, err, "reading sparse members")
			}
			for _, l := range ls {
				if l.Name == "jc" {
					jc, err := f.child(o, l, info.Name)
					if err != nil {
						return err
					}
					if d, ok := jc.(*hdf5.Dataset); ok && d.Len() > 0 {
						info.Dims[1] = int(min(d.Len()-1, maxNumel))
					}
				}
				if l.Name == "data" {
					if d, err := f.child(o, l, info.Name); err == nil {
						if d, ok := d.(*hdf5.Dataset); ok {
							info.Complex = d.Datatype().Class == hdf5.ClassCompound
						}
					}
				}
			}
		case !a.hasClass || info.Class == ClassStruct:
			info.Class = ClassStruct
			info.Dims = []int{1, 1}
			if arr, err := f.structArrayDims(o, a, info.Name); err == nil && arr != nil {
				info.Dims = arr
			}
		case info.Class == ClassUnknown && a.objDecode != 3:
			info.Class, info.Dims = ClassObject, []int{1, 1} // old-style object
		}
	case *hdf5.Dataset:
		if !a.hasClass {
			info.Class = storedClass(o.Datatype())
		}
		info.Complex = o.Datatype().Class == hdf5.ClassCompound
		for _, flt := range o.Filters() {
			if flt.ID == 1 { // deflate
				info.Compressed = true
			}
		}
		if a.empty {
			v, err := f.emptyValue(o, a, info.Class, info.Name)
			if err != nil {
				return err
			}
			info.Dims = v.Dims()
			return nil
		}
		if info.Dims, err = matDims(o); err != nil {
			return f.h5err(f.off(o), info.Name, nil, "dataset shape: %v", err)
		}
	default:
		return f.h5err(f.off(o), info.Name, nil, "a committed datatype is not a MATLAB variable")
	}
	if a.objDecode == 3 {
		info.Class = ClassOpaque
	}
	return nil
}

// structArrayDims returns the dims of a struct array group (fields stored
// as reference datasets without MATLAB_class), judged by its first field,
// or nil for a 1×1 struct.
func (f *File) structArrayDims(g *hdf5.Group, a attrs73, path string) ([]int, error) {
	ls, err := g.Links()
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, nil
	}
	first := ls[0]
	if a.hasFields && len(a.fields) > 0 {
		for _, l := range ls {
			if l.Name == a.fields[0] {
				first = l
			}
		}
	}
	o, err := f.child(g, first, path)
	if err != nil {
		return nil, err
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok || d.Datatype().Class != hdf5.ClassReference {
		return nil, nil
	}
	if fa, err := f.readAttrs(d, path); err != nil || fa.hasClass {
		return nil, err
	}
	return matDims(d)
}
