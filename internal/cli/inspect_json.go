package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/sniff"
)

func init() {
	inspectors[sniff.JSON] = inspectJSON
}

// JSON limits: nodes are listed down to jsonNodeDepth levels (top-level
// keys are level 1), at most jsonMaxChildren per object or array; nesting
// deeper than jsonMaxNesting is refused (it can only be damage).
const (
	jsonNodeDepth   = 2
	jsonMaxChildren = 64
	jsonMaxNesting  = 256
)

// jsonShape is what a JSON value is, summarized.
type jsonShape struct {
	kind  string   // object, array, number, string, bool, null
	shape []uint64 // arrays: the lengths of nested arrays of equal length
	leaf  string   // arrays: the kind of the innermost elements ("mixed" when they differ)
	keys  int      // objects: number of keys
	value string   // scalars: the value, clipped
}

// jsonWalk streams a JSON document token by token: memory grows with the
// nesting, not with the file.
type jsonWalk struct {
	dec   *json.Decoder
	path  string
	nodes []Node
}

func inspectJSON(path string) (*InspectReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := &jsonWalk{dec: json.NewDecoder(bufio.NewReaderSize(f, 1<<16)), path: path}
	w.dec.UseNumber()
	top, err := w.value("", 0, true)
	if err != nil {
		return nil, err
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: JSON at offset %d: data after the top-level value: %w", path, w.dec.InputOffset(), neurotab.ErrMalformed)
	}
	root := top.node("/")
	return &InspectReport{File: path, Format: "json", Nodes: append([]Node{root}, w.nodes...)}, nil
}

func (s jsonShape) node(path string) Node {
	n := Node{Path: path, Kind: s.kind, Info: s.value}
	switch s.kind {
	case "array":
		n.Shape, n.Dtype = s.shape, s.leaf
	case "object":
		n.Info = fmt.Sprintf("%d keys", s.keys)
		if s.keys == 1 {
			n.Info = "1 key"
		}
	}
	return n
}

func (w *jsonWalk) fail(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: JSON at offset %d: %v: %w", w.path, se.Offset, se, neurotab.ErrMalformed)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: JSON at offset %d: the document ends early: %w", w.path, w.dec.InputOffset(), neurotab.ErrTruncated)
	}
	return fmt.Errorf("%s: JSON at offset %d: %v: %w", w.path, w.dec.InputOffset(), err, neurotab.ErrMalformed)
}

// value reads one value at nesting depth, listing the children of objects
// as nodes while depth < jsonNodeDepth and list is set.
func (w *jsonWalk) value(at string, depth int, list bool) (jsonShape, error) {
	if depth > jsonMaxNesting {
		return jsonShape{}, fmt.Errorf("%s: JSON at offset %d: nested deeper than %d levels: %w", w.path, w.dec.InputOffset(), jsonMaxNesting, neurotab.ErrTooLarge)
	}
	tok, err := w.dec.Token()
	if err != nil {
		return jsonShape{}, w.fail(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return w.object(at, depth, list)
		}
		return w.array(at, depth)
	case json.Number:
		return jsonShape{kind: "number", value: clip(t.String(), 60)}, nil
	case string:
		return jsonShape{kind: "string", value: clip(strconv.Quote(t), 60)}, nil
	case bool:
		return jsonShape{kind: "bool", value: fmt.Sprint(t)}, nil
	}
	return jsonShape{kind: "null"}, nil
}

func (w *jsonWalk) object(at string, depth int, list bool) (jsonShape, error) {
	s := jsonShape{kind: "object"}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return s, w.fail(err)
		}
		key, _ := tok.(string)
		list := list && depth < jsonNodeDepth && s.keys < jsonMaxChildren
		slot := len(w.nodes)
		if list {
			w.nodes = append(w.nodes, Node{}) // the parent before its children
		}
		child, err := w.value(at+"/"+key, depth+1, list)
		if err != nil {
			return s, err
		}
		if list {
			w.nodes[slot] = child.node(at + "/" + key)
		}
		s.keys++
	}
	if _, err := w.dec.Token(); err != nil {
		return s, w.fail(err)
	}
	if list && depth < jsonNodeDepth && s.keys > jsonMaxChildren {
		w.nodes = append(w.nodes, Node{Path: at + "/…", Kind: "more", Info: fmt.Sprintf("%d further keys not listed", s.keys-jsonMaxChildren)})
	}
	return s, nil
}

// array reads an array: its shape is [n] followed by the common shape of
// its elements when they are all arrays of one shape.
func (w *jsonWalk) array(at string, depth int) (jsonShape, error) {
	s := jsonShape{kind: "array"}
	var n uint64
	var inner []uint64
	nested := true
	for w.dec.More() {
		c, err := w.value(at, depth+1, false)
		if err != nil {
			return s, err
		}
		leaf := c.kind
		if c.kind == "array" {
			leaf = c.leaf
		}
		switch {
		case n == 0:
			s.leaf, inner, nested = leaf, c.shape, c.kind == "array"
		case s.leaf != leaf && leaf != "null" && s.leaf != "":
			if s.leaf == "null" {
				s.leaf = leaf
			} else {
				s.leaf = "mixed"
			}
		}
		if n > 0 && (c.kind != "array" || !slices.Equal(inner, c.shape)) {
			nested = false
		}
		n++
	}
	if _, err := w.dec.Token(); err != nil {
		return s, w.fail(err)
	}
	s.shape = []uint64{n}
	if nested && n > 0 {
		s.shape = append(s.shape, inner...)
	}
	return s, nil
}
