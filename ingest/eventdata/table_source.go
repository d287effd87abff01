package eventdata

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/npy"
)

// ColumnMap says where t, x, y and p are in a generic event list: for CSV
// the header names (or 0-based indices), for a 2-D NPY array the column
// indices. Y and P may be empty (1-D sensors; all events ON). TimeScale
// converts the stored time to µs (1 for µs, 1000 for ms, 1e6 for s).
type ColumnMap struct {
	T, X, Y, P string
	TimeScale  float64
	// Mapped lists the keys ("y", "p") the user named explicitly: a mapped
	// column that the file lacks is an error, while the default y and p
	// columns may be absent.
	Mapped []string
}

// mapped reports whether key was named explicitly.
func (m ColumnMap) mapped(key string) bool { return slices.Contains(m.Mapped, key) }

// ParseColumnMap reads "t=ts,x=x,y=y,p=pol" (any subset of keys; defaults
// t, x, y, p) and a time unit us, ms or s. A malformed map, an unknown key
// or unit is an error wrapping neurotab.ErrParam.
func ParseColumnMap(spec, unit string) (ColumnMap, error) {
	m := ColumnMap{T: "t", X: "x", Y: "y", P: "p"}
	if spec != "" {
		for _, kv := range strings.Split(spec, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
			if !ok {
				return m, fmt.Errorf("eventdata: column map %q: want key=column pairs: %w", spec, neurotab.ErrParam)
			}
			m.Mapped = append(m.Mapped, k)
			switch k {
			case "t":
				m.T = v
			case "x":
				m.X = v
			case "y":
				m.Y = v
			case "p":
				m.P = v
			default:
				return m, fmt.Errorf("eventdata: column map %q: unknown key %q (t, x, y, p): %w", spec, k, neurotab.ErrParam)
			}
		}
	}
	switch unit {
	case "", "us", "µs":
		m.TimeScale = 1
	case "ms":
		m.TimeScale = 1e3
	case "s":
		m.TimeScale = 1e6
	default:
		return m, fmt.Errorf("eventdata: time unit %q: want us, ms or s: %w", unit, neurotab.ErrParam)
	}
	return m, nil
}

// csvDecoder streams a CSV/TSV event list (csvtab: delimiter guessed from
// the header line, # comment lines, quoted fields).
type csvDecoder struct {
	r      *csvtab.Reader
	idx    [4]int // t, x, y, p; -1 absent
	scale  float64
	geom   events.Geometry
	last   int64
	strict bool
	stats  events.Stats
}

// colIndex finds want in the header by name (without regard to case), else
// as a 0-based column number; -1 for no column wanted, -2 when absent.
func colIndex(r *csvtab.Reader, want string) int {
	if want == "" {
		return -1
	}
	if i := r.Index(want); i >= 0 {
		return i
	}
	if i, err := strconv.Atoi(want); err == nil && i >= 0 && i < len(r.Header) {
		return i
	}
	return -2
}

func newCSVDecoder(r io.Reader, name string, o Options) (events.Decoder, error) {
	cr, err := csvtab.NewReader(r, name, csvtab.Options{Comment: '#'})
	if err != nil {
		return nil, err
	}
	d := &csvDecoder{r: cr, scale: o.Columns.TimeScale, geom: events.Geometry{Width: o.Width, Height: o.Height, Format: "csv"}, last: math.MinInt64, strict: !o.Lenient}
	if d.scale == 0 {
		d.scale = 1
	}
	cols := []string{o.Columns.T, o.Columns.X, o.Columns.Y, o.Columns.P}
	for k, c := range cols {
		if c != "" {
			var at []int
			for i, h := range cr.Header {
				if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(c)) {
					at = append(at, i)
				}
			}
			if len(at) > 1 {
				key := []string{"t", "x", "y", "p"}[k]
				return nil, cr.Errorf(0, neurotab.ErrMalformed, "column %q appears %d times in the header (0-based columns %v): name the one to use by its index, e.g. --columns %s=%d", c, len(at), at, key, at[0])
			}
		}
		d.idx[k] = colIndex(cr, c)
		if d.idx[k] == -2 {
			key := []string{"t", "x", "y", "p"}[k]
			if k >= 2 && c == key && !o.Columns.mapped(key) {
				d.idx[k] = -1 // default y/p columns may be absent
				continue
			}
			return nil, cr.Errorf(0, neurotab.ErrNotFound, "--columns %s=%s: no column %q in header %q", key, c, c, cr.Header)
		}
	}
	if d.idx[0] < 0 || d.idx[1] < 0 {
		return nil, cr.Errorf(0, neurotab.ErrNotFound, "the t and x columns are required")
	}
	return d, nil
}

func (d *csvDecoder) Geometry() events.Geometry { return d.geom }

func (d *csvDecoder) Stats() events.Stats { return d.stats }

func (d *csvDecoder) Next(b *events.Batch, max int) (int, error) {
	n := 0
	for n < max {
		rec, err := d.r.Next()
		if err == io.EOF {
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
		var v [4]float64
		v[3] = 1
		for k, i := range d.idx {
			if i < 0 {
				continue
			}
			if v[k], err = d.r.Finite(rec, i); err != nil {
				return n, err
			}
		}
		t, err := eventFields(v, d.scale)
		if err != nil {
			return n, d.r.Errorf(0, err, "")
		}
		if t < d.last && d.strict {
			return n, d.r.Errorf(0, neurotab.ErrTimeOrder, "time %d µs after %d; use --lenient to keep it", t, d.last)
		}
		d.last = t
		b.Append(t, uint16(v[1]), uint16(v[2]), polarity(v[3]))
		n++
		d.stats.Events++
	}
	return n, nil
}

// eventFields checks one (t, x, y, p) row and returns t in µs; a field
// outside its range is an error wrapping neurotab.ErrOutOfRange.
func eventFields(v [4]float64, scale float64) (int64, error) {
	t := math.Round(v[0] * scale)
	if math.IsNaN(t) || math.Abs(t) > 1<<62 {
		return 0, fmt.Errorf("time %v: want a finite time within ±2⁶² µs: %w", v[0], neurotab.ErrOutOfRange)
	}
	if v[1] < 0 || v[1] > math.MaxUint16 || v[1] != math.Trunc(v[1]) || v[2] < 0 || v[2] > math.MaxUint16 || v[2] != math.Trunc(v[2]) {
		return 0, fmt.Errorf("x %v, y %v must be integers in 0..65535: %w", v[1], v[2], neurotab.ErrOutOfRange)
	}
	if v[3] != 0 && v[3] != 1 && v[3] != -1 {
		return 0, fmt.Errorf("polarity %v must be 0, 1 or -1: %w", v[3], neurotab.ErrOutOfRange)
	}
	return int64(t), nil
}

// npyDecoder serves the rows of a 2-D NPY array (events × columns).
type npyDecoder struct {
	name  string
	data  []float64
	cols  int
	idx   [4]int
	row   int
	opt   Options
	geom  events.Geometry
	last  int64
	stats events.Stats
}

func newNPYDecoder(r io.Reader, name string, o Options) (events.Decoder, error) {
	a, err := npy.Read(r, name)
	if err != nil {
		return nil, err
	}
	if len(a.Shape) != 2 {
		return nil, fmt.Errorf("%s: shape %v: an event list must be 2-D (events × columns): %w", name, a.Shape, neurotab.ErrMalformed)
	}
	d := &npyDecoder{name: name, data: a.Float64s(), cols: a.Shape[1], opt: o, geom: events.Geometry{Width: o.Width, Height: o.Height, Format: "npy"}, last: math.MinInt64}
	def := []string{"0", "1", "2", "3"}
	for k, c := range []string{o.Columns.T, o.Columns.X, o.Columns.Y, o.Columns.P} {
		if c == []string{"t", "x", "y", "p"}[k] {
			c = def[k]
		}
		if c == "" {
			d.idx[k] = -1
			continue
		}
		i, err := strconv.Atoi(c)
		if err != nil || i < 0 {
			return nil, fmt.Errorf("%s: column %q: NPY columns are 0-based indices: %w", name, c, neurotab.ErrParam)
		}
		if i >= d.cols && !(k >= 2 && c == def[k]) {
			return nil, fmt.Errorf("%s: column %d: the array has %d columns: %w", name, i, d.cols, neurotab.ErrNotFound)
		}
		if i >= d.cols {
			i = -1 // default y/p beyond the array: 1-D data
		}
		d.idx[k] = i
	}
	return d, nil
}

func (d *npyDecoder) Geometry() events.Geometry { return d.geom }

func (d *npyDecoder) Stats() events.Stats { return d.stats }

func (d *npyDecoder) Next(b *events.Batch, max int) (int, error) {
	rows := len(d.data) / max1(d.cols)
	if d.row >= rows {
		return 0, io.EOF
	}
	scale := d.opt.Columns.TimeScale
	if scale == 0 {
		scale = 1
	}
	n := 0
	for ; n < max && d.row < rows; d.row++ {
		var v [4]float64
		v[3] = 1
		for k, i := range d.idx {
			if i >= 0 {
				v[k] = d.data[d.row*d.cols+i]
			}
		}
		t, err := eventFields(v, scale)
		if err != nil {
			return n, fmt.Errorf("%s: row %d: %w", d.name, d.row, err)
		}
		if t < d.last && !d.opt.Lenient {
			return n, fmt.Errorf("%s: row %d: time %d µs after %d; use --lenient to keep it: %w", d.name, d.row, t, d.last, neurotab.ErrTimeOrder)
		}
		d.last = t
		b.Append(t, uint16(v[1]), uint16(v[2]), polarity(v[3]))
		n++
		d.stats.Events++
	}
	return n, nil
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// polarity maps 1 to ON and 0 or -1 to OFF.
func polarity(v float64) int8 {
	if v > 0 {
		return 1
	}
	return 0
}
