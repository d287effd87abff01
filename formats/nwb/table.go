package nwb

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// Kind is the element kind of a decoded table column.
type Kind int

// Column kinds.
const (
	KindFloat     Kind = iota // float datasets: Column.Float64
	KindInt                   // integer, enum and boolean datasets: Column.Int64
	KindString                // fixed or variable-length strings: Column.Strings
	KindReference             // object references: Column.Strings holds target paths
)

// String returns "float", "int", "string" or "reference".
func (k Kind) String() string {
	switch k {
	case KindFloat:
		return "float"
	case KindInt:
		return "int"
	case KindString:
		return "string"
	case KindReference:
		return "reference"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Column is one decoded column of an hdmf-common DynamicTable (a VectorData,
// possibly ragged through a VectorIndex, possibly a DynamicTableRegion). The
// values are flat: the dataset's first dimension counts cells and each cell
// holds Width values (the product of the remaining dimensions), so cell c
// is values[c*Width : (c+1)*Width]. A ragged column groups cells into rows by
// Index (END offsets, Rübel et al. 2022, doi:10.7554/eLife.78362):
//
//	row r = cells Index[r-1] : Index[r]     (Index[-1] = 0)
//
// Use Span to get a row's range in the flat value slice.
type Column struct {
	Name          string
	NeurodataType string // "VectorData", "DynamicTableRegion", ...
	Description   string
	Kind          Kind
	Float64       []float64 // KindFloat values
	Int64         []int64   // KindInt values (row numbers for a DynamicTableRegion)
	Strings       []string  // KindString values; KindReference target paths ("" for a null reference)
	Width         int       // values per cell (1 for a 1-D dataset)
	Index         []int64   // VectorIndex END offsets in cells; nil when not ragged
	Table         string    // DynamicTableRegion: path of the referenced table, "" when unknown
}

// Cells returns the number of cells (the dataset's first dimension).
func (c *Column) Cells() int {
	n := max(len(c.Float64), len(c.Int64), len(c.Strings))
	if c.Width <= 0 {
		return 0
	}
	return n / c.Width
}

// Rows returns the number of table rows the column covers: len(Index) when
// ragged, else Cells.
func (c *Column) Rows() int {
	if c.Index != nil {
		return len(c.Index)
	}
	return c.Cells()
}

// Span returns the half-open range [lo, hi) of row r in the column's flat
// value slice (Float64, Int64 or Strings). It panics with an "nwb:" message
// when r is outside [0, Rows()), as slice indexing would.
func (c *Column) Span(r int) (lo, hi int) {
	if r < 0 || r >= c.Rows() {
		panic(fmt.Sprintf("nwb: row %d outside column %q of %d rows", r, c.Name, c.Rows()))
	}
	if c.Index == nil {
		return r * c.Width, (r + 1) * c.Width
	}
	var start int64
	if r > 0 {
		start = c.Index[r-1]
	}
	return int(start) * c.Width, int(c.Index[r]) * c.Width
}

// Table is a decoded hdmf-common DynamicTable: the id column and every
// column named by the colnames attribute (or, without colnames, every
// dataset that is neither id nor a VectorIndex), in colnames order.
type Table struct {
	Path          string
	NeurodataType string // "Units", "PlaneSegmentation", "TimeIntervals", ...
	Description   string
	Colnames      []string
	IDs           []int64
	Columns       []*Column
	// Skipped lists columns present but not decoded, as "name: reason":
	// compound columns (pixel_mask, voxel_mask), vlen sequences,
	// double-ragged columns (name_index_index) and types the HDF5 reader
	// cannot convert.
	Skipped []string
}

// Len returns the number of rows (len(IDs)).
func (t *Table) Len() int { return len(t.IDs) }

// Column returns the named column or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Table reads the DynamicTable (Rübel et al. 2022, doi:10.7554/eLife.78362)
// at path: /units, /intervals/epochs, /general/extracellular_ephys/electrodes,
// a PlaneSegmentation, ... Every column must have one row per id; a ragged
// column's VectorIndex must be non-decreasing and end within its data.
func (f *File) Table(p string) (*Table, error) {
	p = abs(p)
	g, err := f.group(p)
	if err != nil {
		return nil, err
	}
	t := &Table{
		Path:          p,
		NeurodataType: attrString(g, "neurodata_type"),
		Description:   attrString(g, "description"),
	}
	if a, err := g.Attr("colnames"); err == nil {
		if t.Colnames, err = a.AsStrings(); err != nil {
			return nil, f.errf(p, neurotab.ErrMalformed, "colnames attribute: %v", err)
		}
	}
	links, err := g.Links()
	if err != nil {
		return nil, err
	}
	members := make(map[string]bool, len(links))
	for _, l := range links {
		members[l.Name] = true
	}
	if !members["id"] {
		return nil, f.errf(p, neurotab.ErrMalformed, "table has no id dataset")
	}
	idd, err := f.dataset(join(p, "id"))
	if err != nil {
		return nil, err
	}
	if len(idd.Shape()) != 1 {
		return nil, f.errf(idd.Path(), neurotab.ErrMalformed, "id has shape %v, want 1-D", idd.Shape())
	}
	if t.IDs, err = idd.ReadInt64(); err != nil {
		return nil, err
	}
	names := t.Colnames
	if t.Colnames == nil {
		for _, l := range links {
			if l.Name == "id" || strings.HasSuffix(l.Name, "_index") && members[strings.TrimSuffix(l.Name, "_index")] {
				continue
			}
			if o, err := g.Open(l.Name); err == nil {
				if _, ok := o.(*hdf5.Dataset); ok {
					names = append(names, l.Name)
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, name := range names {
		if seen[name] || name == "id" {
			continue
		}
		seen[name] = true
		if !members[name] {
			return nil, f.errf(p, neurotab.ErrMalformed, "column %q in colnames is missing", name)
		}
		if members[name+"_index_index"] {
			t.Skipped = append(t.Skipped, name+": double-ragged (VectorIndex of a VectorIndex) not decoded")
			continue
		}
		c, skip, err := f.readColumn(p, name, members[name+"_index"])
		if err != nil {
			return nil, err
		}
		if skip != "" {
			t.Skipped = append(t.Skipped, name+": "+skip)
			continue
		}
		if c.Rows() != len(t.IDs) {
			return nil, f.errf(join(p, name), neurotab.ErrMalformed, "column has %d rows, table has %d ids", c.Rows(), len(t.IDs))
		}
		t.Columns = append(t.Columns, c)
	}
	return t, nil
}

// readColumn decodes column name of the table at p. A non-empty skip
// reason means the column's type is not decoded (not an error).
func (f *File) readColumn(p, name string, ragged bool) (*Column, string, error) {
	cp := join(p, name)
	d, err := f.dataset(cp)
	if err != nil {
		return nil, "", err
	}
	c := &Column{
		Name:          name,
		NeurodataType: attrString(d, "neurodata_type"),
		Description:   attrString(d, "description"),
		Width:         1,
	}
	sh := d.Shape()
	if d.Kind() == hdf5.SpaceScalar || len(sh) == 0 {
		return nil, "", f.errf(cp, neurotab.ErrMalformed, "column is a scalar, want at least 1-D")
	}
	for _, n := range sh[1:] {
		if n == 0 || n > math.MaxInt32 || uint64(c.Width)*n > math.MaxInt32 {
			return nil, "", f.errf(cp, neurotab.ErrMalformed, "column has shape %v", sh)
		}
		c.Width *= int(n)
	}
	dt := d.Datatype()
	switch {
	case dt.Class == hdf5.ClassFloat:
		c.Kind = KindFloat
		c.Float64, err = d.ReadFloat64()
	case dt.Class == hdf5.ClassInteger || dt.Class == hdf5.ClassEnum:
		c.Kind = KindInt
		c.Int64, err = d.ReadInt64()
	case dt.Class == hdf5.ClassString || dt.IsVarString():
		c.Kind = KindString
		c.Strings, err = d.ReadStrings()
	case dt.Class == hdf5.ClassReference && dt.RefKind == 0:
		c.Kind = KindReference
		c.Strings, err = f.refPaths(d)
	default:
		return nil, dt.String() + " values not decoded", nil
	}
	if err != nil {
		if errors.Is(err, neurotab.ErrType) || errors.Is(err, neurotab.ErrUnsupported) {
			return nil, err.Error(), nil
		}
		return nil, "", err
	}
	if c.NeurodataType == "DynamicTableRegion" {
		c.Table = f.refAttrPath(d, "table")
	}
	if ragged {
		if c.Index, err = f.readIndex(join(p, name+"_index"), c.Cells()); err != nil {
			return nil, "", err
		}
	}
	return c, "", nil
}

// readIndex reads the VectorIndex at ip and checks that it is
// non-decreasing, non-negative and ends within cells.
func (f *File) readIndex(ip string, cells int) ([]int64, error) {
	d, err := f.dataset(ip)
	if err != nil {
		return nil, err
	}
	if sh := d.Shape(); len(sh) != 1 {
		return nil, f.errf(ip, neurotab.ErrMalformed, "index has shape %v, want 1-D", sh)
	}
	if c := d.Datatype().Class; c != hdf5.ClassInteger {
		return nil, f.errf(ip, neurotab.ErrMalformed, "index has type %s, want an integer", d.Datatype())
	}
	idx, err := d.ReadInt64()
	if err != nil {
		return nil, err
	}
	if err := checkIndex(idx, int64(cells)); err != nil {
		return nil, f.errf(ip, neurotab.ErrMalformed, "%v", err)
	}
	return idx, nil
}

// checkIndex validates VectorIndex END offsets against n data elements.
func checkIndex(idx []int64, n int64) error {
	var prev int64
	for i, e := range idx {
		switch {
		case e < prev:
			return fmt.Errorf("index runs backwards at row %d (%d after %d)", i, e, prev)
		case e > n:
			return fmt.Errorf("index row %d ends at %d, past the %d data elements", i, e, n)
		}
		prev = e
	}
	return nil
}

// refPaths reads an object-reference dataset as target paths.
func (f *File) refPaths(d *hdf5.Dataset) ([]string, error) {
	refs, err := d.ReadReferences()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(refs))
	for i, r := range refs {
		if r.IsNull() {
			continue
		}
		o, err := f.h.Deref(r)
		if err != nil {
			if errors.Is(err, neurotab.ErrNotFound) {
				continue
			}
			return nil, err
		}
		out[i] = o.Path()
	}
	return out, nil
}

// refAttrPath returns the path an object-reference attribute points to, or
// "" when absent or unresolvable.
func (f *File) refAttrPath(o hdf5.Object, name string) string {
	a, err := o.Attr(name)
	if err != nil {
		return ""
	}
	refs, err := a.AsReferences()
	if err != nil || len(refs) == 0 || refs[0].IsNull() {
		return ""
	}
	t, err := f.h.Deref(refs[0])
	if err != nil {
		return ""
	}
	return t.Path()
}
