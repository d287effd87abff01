package connectome

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/csvtab"
)

// ImportNemaNode reads a NemaNode export (White et al. 1986 whole, N2U, JSH
// and JSE, as shipped by OpenWorm c302 and worm-graph): columns pre, post,
// type (chemical|electrical) and synapses. Fields are split on any run of
// tabs or spaces, because the files are tab-separated despite the .csv
// suffix and the N2U header is space-separated; lines starting with # are
// comments. Electrical rows list each pair once and are symmetrized with
// opt.Gap.
func ImportNemaNode(path string, opt Options) ([]Edge, error) {
	edges, err := importNemaNode(path, datasetName(opt, "nemanode"), opt)
	return edges, textError(err)
}

func importNemaNode(path, dataset string, opt Options) ([]Edge, error) {
	r, err := csvtab.Open(path, csvtab.Options{Blanks: true, Comment: '#'})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cols, err := r.Require("pre", "post", "type", "synapses")
	if err != nil {
		return nil, err
	}
	var raws []rawEdge
	var vals []string
	err = r.Each(func(row []string) error {
		var err error
		if vals, err = r.Fields(vals, row, cols); err != nil {
			return err
		}
		t, err := ParseEdgeType(vals[2])
		if err != nil || (t != Chemical && t != Electrical) {
			return r.Errorf(cols[2]+1, neurotab.ErrMalformed, "type %q is neither chemical nor electrical", vals[2])
		}
		w, err := weight(r, row, cols[3])
		if err != nil {
			return err
		}
		raws = append(raws, rawEdge{pre: vals[0], post: vals[1], typ: t, w: w, q: math.NaN()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return finish(dataset, raws, opt), nil
}

func datasetName(opt Options, def string) string {
	if opt.Dataset != "" {
		return opt.Dataset
	}
	return def
}

// weight reads a finite number from column col of row.
func weight(r *csvtab.Reader, row []string, col int) (float64, error) {
	s, err := r.Field(row, col)
	if err != nil {
		return 0, err
	}
	v, err := parseWeight(s)
	if err != nil {
		return 0, r.Errorf(col+1, neurotab.ErrMalformed, "%v", err)
	}
	return v, nil
}

// parseWeight reads a finite number (a text field or a spreadsheet cell).
func parseWeight(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("weight %q is not a finite number", s)
	}
	return v, nil
}

// textError turns the *csvtab.Error of a text importer into a
// *FormatError with the same location and cause.
func textError(err error) error {
	var ce *csvtab.Error
	if errors.As(err, &ce) {
		return &FormatError{File: ce.File, Line: ce.Line, Column: ce.Column, Msg: ce.Msg, Err: ce.Err}
	}
	return err
}

// ImportCookEdgeList reads herm_full_edgelist.csv, the Cook/Emmons
// hermaphrodite edge list (pre-publication version of Cook et al. 2019
// doi:10.1038/s41586-019-1352-7): comma-separated columns Source, Target,
// Weight, Type with space-padded fields and zero-padded motor neuron names.
// Electrical rows are symmetrized with opt.Gap.
func ImportCookEdgeList(path string, opt Options) ([]Edge, error) {
	o := opt
	o.Pre, o.Post, o.Weight, o.Type, o.Q, o.Comma = "source", "target", "weight", "type", "", ','
	if opt.Dataset == "" {
		o.Dataset = "cook2015_herm_full"
	}
	return ImportEdgeList(path, o)
}

// ImportEdgeList reads a generic edge list, CSV or TSV with a header row
// (csvtab: the delimiter is opt.Comma or guessed, lines starting with # are
// comments). Column names come from opt (defaults pre, post, type, weight,
// q; matched without regard to case or surrounding space; a type or q
// column named in opt must exist). Type values are read with
// ParseEdgeType; without a type column every row is opt.DefaultType. With a
// q column, rows with q ≥ QMax (0.05 by default) are dropped; this is how a
// functional atlas such as Randi et al. 2023 (doi:10.1038/s41586-023-06683-4)
// is read. Labels are normalized and electrical rows symmetrized as in every
// importer.
func ImportEdgeList(path string, opt Options) ([]Edge, error) {
	edges, err := importEdgeList(path, opt)
	return edges, textError(err)
}

// edgeColumns are the columns of an edge list; type and q are -1 when
// absent.
type edgeColumns struct{ pre, post, weight, typ, q int }

func findEdgeColumns(r *csvtab.Reader, opt Options) (edgeColumns, error) {
	name := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	req, err := r.Require(name(opt.Pre, "pre"), name(opt.Post, "post"), name(opt.Weight, "weight"))
	if err != nil {
		return edgeColumns{}, err
	}
	c := edgeColumns{pre: req[0], post: req[1], weight: req[2], typ: r.Index(name(opt.Type, "type")), q: r.Index(name(opt.Q, "q"))}
	for _, named := range []string{opt.Type, opt.Q} {
		if named != "" {
			if _, err := r.Require(named); err != nil {
				return edgeColumns{}, err
			}
		}
	}
	return c, nil
}

func importEdgeList(path string, opt Options) ([]Edge, error) {
	r, err := csvtab.Open(path, csvtab.Options{Comma: opt.Comma, Comment: '#', LazyQuotes: true})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	c, err := findEdgeColumns(r, opt)
	if err != nil {
		return nil, err
	}
	qmax := opt.qmax()
	var raws []rawEdge
	err = r.Each(func(row []string) error {
		e, keep, err := edgeListRow(r, row, c, opt.defaultType(), qmax)
		if keep {
			raws = append(raws, e)
		} else if err == nil {
			opt.drop(DropQValue)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return finish(datasetName(opt, "edgelist"), raws, opt), nil
}

// edgeListRow reads one row of an edge list; keep is false for a row whose
// q value is not below qmax.
func edgeListRow(r *csvtab.Reader, row []string, c edgeColumns, typ EdgeType, qmax float64) (e rawEdge, keep bool, err error) {
	e = rawEdge{typ: typ, q: math.NaN()}
	if e.pre, err = r.Field(row, c.pre); err != nil {
		return e, false, err
	}
	if e.post, err = r.Field(row, c.post); err != nil {
		return e, false, err
	}
	if e.w, err = weight(r, row, c.weight); err != nil {
		return e, false, err
	}
	if c.typ >= 0 {
		ts, err := r.Field(row, c.typ)
		if err != nil {
			return e, false, err
		}
		if e.typ, err = ParseEdgeType(ts); err != nil {
			return e, false, r.Errorf(c.typ+1, neurotab.ErrMalformed, "unknown edge type %q", ts)
		}
	}
	if c.q >= 0 {
		qs, err := r.Field(row, c.q)
		if err != nil {
			return e, false, err
		}
		q, err := csvtab.ParseFloat(qs)
		if err != nil || q < 0 || q > 1 {
			return e, false, r.Errorf(c.q+1, neurotab.ErrMalformed, "q value %q is not a number in [0, 1]", qs)
		}
		e.q = q
		if qmax > 0 && !(e.q < qmax) {
			return e, false, nil
		}
	}
	return e, true, nil
}

// ImportMatrix reads a generic adjacency matrix CSV (or TSV, guessed from
// the header line unless opt.Comma is set): the first row holds the
// postsynaptic labels after one corner cell, each further row a
// presynaptic label and its weights. Empty cells are 0. Every non-zero cell
// becomes an edge of opt.DefaultType (Chemical by default); an Electrical
// matrix is symmetrized with opt.Gap (mean of A[i][j] and A[j][i] by
// default).
func ImportMatrix(path string, opt Options) ([]Edge, error) {
	edges, err := importMatrix(path, opt)
	return edges, textError(err)
}

func importMatrix(path string, opt Options) ([]Edge, error) {
	r, err := csvtab.Open(path, csvtab.Options{Comma: opt.Comma})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if len(r.Header) < 2 {
		return nil, r.Errorf(0, neurotab.ErrMalformed, "header has no column labels")
	}
	typ := opt.defaultType()
	var raws []rawEdge
	err = r.Each(func(row []string) error {
		if len(row) > len(r.Header) {
			return r.Errorf(len(r.Header)+1, neurotab.ErrMalformed, "row has %d fields, header %d", len(row), len(r.Header))
		}
		pre := strings.TrimSpace(row[0])
		for j := 1; j < len(row); j++ {
			if strings.TrimSpace(row[j]) == "" {
				continue
			}
			w, err := weight(r, row, j)
			if err != nil {
				return err
			}
			if w == 0 {
				continue
			}
			if pre == "" {
				return r.Errorf(1, neurotab.ErrMalformed, "row label is empty")
			}
			raws = append(raws, rawEdge{pre: pre, post: r.Header[j], typ: typ, w: w, q: math.NaN()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return finish(datasetName(opt, "matrix"), raws, opt), nil
}
