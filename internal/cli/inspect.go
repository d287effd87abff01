package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
)

// inspectOptions are the flags and argument of 'inspect'.
type inspectOptions struct {
	g      *Globals
	Path   string
	JSON   bool
	Values string
}

// Column describes one column of a tabular file.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Nullable bool   `json:"nullable"`
}

// Node is one object inside a hierarchical file (HDF5 group or dataset,
// MATLAB variable or field).
type Node struct {
	Path  string            `json:"path"`
	Kind  string            `json:"kind"`
	Dtype string            `json:"dtype,omitempty"`
	Shape []uint64          `json:"shape,omitempty"`
	Attrs map[string]string `json:"attrs,omitempty"`
	Info  string            `json:"info,omitempty"`
}

// InspectReport is what `neurotab inspect` prints.
type InspectReport struct {
	File      string            `json:"file"`
	Format    string            `json:"format"`
	Table     string            `json:"table,omitempty"`
	Rows      *int64            `json:"rows,omitempty"`
	RowGroups *int              `json:"row_groups,omitempty"`
	Batches   *int              `json:"batches,omitempty"`
	Columns   []Column          `json:"columns,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	Nodes     []Node            `json:"nodes,omitempty"`

	// Array describes a NumPy .npy file.
	Array *ArrayInfo `json:"array,omitempty"`
	// Events describes an event stream (EVT 2.0/3.0, DAT, AEDAT, N-MNIST).
	Events *EventsInfo `json:"events,omitempty"`
	// Text describes a CSV/TSV table (its columns and rows are above).
	Text *TextInfo `json:"text,omitempty"`
	// Sheets are the worksheets of an .xlsx or .xls workbook.
	Sheets []connectome.SheetSize `json:"sheets,omitempty"`
	// Members are the files of a zip archive.
	Members []ZipMember `json:"members,omitempty"`
	// Folder describes a hive-partitioned folder of table files.
	Folder *FolderInfo `json:"folder,omitempty"`
}

// inspectors maps a sniffed format to the function that reports on it.
// Formats register themselves in their own files (inspect_*.go).
var inspectors = map[sniff.Format]func(path string) (*InspectReport, error){
	sniff.Parquet:  inspectParquet,
	sniff.ArrowIPC: inspectIPC,
}

// valueReaders print one object's values as JSON (inspect --values).
var valueReaders = map[sniff.Format]func(path, object string, w io.Writer) error{}

func newInspectCmd(g *Globals, runF func(*inspectOptions) error) *cobra.Command {
	o := &inspectOptions{g: g}
	cmd := &cobra.Command{
		Use:   "inspect FILE|FOLDER",
		Short: "Describe any input or output: tables, HDF5/NWB/MATLAB, NPY, event streams, CSV/TSV, JSON, workbooks, zips, table folders",
		Long: `inspect recognizes a file by its content (text tables and .xls by their
extension) and prints what it holds:

  Parquet, Arrow IPC   schema, row count, row groups or batches, key-value
                       metadata with neurotab provenance
  HDF5/NWB, MATLAB     every group, dataset or variable with kind, dtype,
                       shape and attributes
  NPY                  shape, dtype, order (C/F), format version, header size
                       (the header only; the data size is checked)
  EVT 2.0/3.0, DAT,    header lines, sensor size, events counted by decoding
  N-MNIST .bin, AEDAT  the whole file in a streaming pass, first/last/min/max
  2.0/3.1/4.0          t; AEDAT version, camera, streams and packets
  CSV/TSV (.csv .tsv   delimiter, columns typed int/float/string by all their
  .tab .txt)           values, rows; a numeric first line is no header
  JSON                 the top-level keys and their children (two levels):
                       kind, array shape and element type, scalar values
  .xlsx, .xls          sheets with rows × columns of stored values
  zip                  members; text table members with columns and rows
  a folder             its table files (hive partitions) with row counts, the
                       schema common to all, _SUCCESS and _manifest.json
                       (and whether the manifest agrees with the files)

A damaged file is a one-line error naming the file and the offset or field.
With --json the same report is printed as one JSON object (keys: file,
format, table, rows, row_groups, batches, columns, metadata, nodes, array,
events, text, sheets, members, folder; absent when empty); with --json
--values PATH one HDF5 dataset's or MATLAB variable's values are printed as
JSON.`,
		Example: `  neurotab inspect demo-out/traces.parquet
  neurotab inspect events/                      # a folder written by ingest -o events/
  neurotab inspect --json recording.nwb
  neurotab inspect suite2p/plane0/F.npy
  neurotab inspect --json recording.raw         # EVT 2.0/3.0: events and time range
  neurotab inspect witvliet_2020_1.xlsx
  neurotab inspect --json --values /gcamp/traces_array_F_F20 data.h5`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o.Path = a[0]
			if runF != nil {
				return runF(o)
			}
			return runInspect(o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&o.Values, "values", "", "with --json: print the values of the dataset or variable at this path")
	return cmd
}

func runInspect(o *inspectOptions) error {
	if o.Values != "" && !o.JSON {
		return usagef("--values needs --json")
	}
	path := o.Path
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() {
		if o.Values != "" {
			return fmt.Errorf("%s: --values is not supported for a folder", path)
		}
		rep, err := inspectFolder(path)
		if err != nil {
			return err
		}
		return writeReport(o, rep)
	}
	f, err := sniff.File(path)
	if err != nil {
		return err
	}
	if o.Values != "" {
		vr, ok := valueReaders[f]
		if !ok {
			return fmt.Errorf("%s: --values is not supported for %s files", path, nameOf(f))
		}
		return vr(path, o.Values, o.g.Stdout)
	}
	ins, ok := inspectors[f]
	if !ok && f == sniff.Unknown {
		ins, ok = byExtension(path)
	}
	if !ok {
		return fmt.Errorf("%s: unrecognized or unsupported file format (%s); inspect reads %s", path, nameOf(f), inspectable)
	}
	rep, err := ins(path)
	if err != nil {
		return err
	}
	return writeReport(o, rep)
}

// inspectable lists what inspect reads, for the error on anything else.
const inspectable = "Parquet, Arrow IPC, HDF5/NWB, MATLAB, NPY, EVT 2.0/3.0, DAT, AEDAT, N-MNIST .bin, CSV/TSV (.csv .tsv .tab .txt), JSON, .xlsx/.xls, zip and table folders"

// writeReport prints rep as JSON (--json) or as text.
func writeReport(o *inspectOptions, rep *InspectReport) error {
	if o.JSON {
		enc := json.NewEncoder(o.g.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(o.g.Stdout, rep)
	return nil
}

// byExtension picks the inspector of a file whose bytes have no signature:
// text tables by their extension and legacy .xls workbooks.
func byExtension(path string) (func(string) (*InspectReport, error), bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".tab", ".txt":
		return inspectCSV, true
	case ".xls":
		return inspectSheets, true
	}
	return nil, false
}

func nameOf(f sniff.Format) string {
	if f == sniff.Unknown {
		return "no known signature"
	}
	return string(f)
}

func inspectParquet(path string) (*InspectReport, error) {
	pf, err := table.OpenParquet(path, nil)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	s := pf.Schema()
	rows, rg := pf.NumRows(), pf.NumRowGroups()
	rep := &InspectReport{File: path, Format: "parquet", Rows: &rows, RowGroups: &rg}
	fillSchema(rep, s.Fields(), s.Metadata().Keys(), s.Metadata().Values())
	if k, ok := table.KindOf(s); ok {
		rep.Table = string(k)
	}
	return rep, nil
}

func inspectIPC(path string) (*InspectReport, error) {
	f, err := table.OpenIPC(path, nil)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := f.NumRows()
	if err != nil {
		return nil, err
	}
	nb := f.NumBatches()
	s := f.Schema()
	rep := &InspectReport{File: path, Format: "arrow", Rows: &rows, Batches: &nb}
	fillSchema(rep, s.Fields(), s.Metadata().Keys(), s.Metadata().Values())
	if k, ok := table.KindOf(s); ok {
		rep.Table = string(k)
	}
	return rep, nil
}

func fillSchema(rep *InspectReport, fields []arrow.Field, keys, vals []string) {
	for _, f := range fields {
		rep.Columns = append(rep.Columns, Column{Name: f.Name, Type: f.Type.String(), Nullable: f.Nullable})
	}
	if len(keys) > 0 {
		rep.Metadata = map[string]string{}
		for i, k := range keys {
			rep.Metadata[k] = vals[i]
		}
	}
}

func printReport(w io.Writer, r *InspectReport) {
	fmt.Fprintf(w, "file:    %s\nformat:  %s\n", r.File, r.Format)
	if r.Table != "" {
		fmt.Fprintf(w, "table:   %s (canonical neurotab table)\n", r.Table)
	}
	if r.Rows != nil {
		fmt.Fprintf(w, "rows:    %d\n", *r.Rows)
	}
	if r.RowGroups != nil {
		fmt.Fprintf(w, "row groups: %d\n", *r.RowGroups)
	}
	if r.Batches != nil {
		fmt.Fprintf(w, "record batches: %d\n", *r.Batches)
	}
	if len(r.Columns) > 0 {
		fmt.Fprintln(w, "columns:")
		for _, c := range r.Columns {
			null := ""
			if c.Nullable {
				null = " (nullable)"
			}
			fmt.Fprintf(w, "  %-26s %s%s\n", c.Name, c.Type, null)
		}
	}
	if len(r.Metadata) > 0 {
		fmt.Fprintln(w, "metadata:")
		keys := make([]string, 0, len(r.Metadata))
		for k := range r.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s = %s\n", k, clip(r.Metadata[k], 400))
		}
	}
	r.Array.print(w)
	r.Events.print(w)
	r.Text.print(w)
	printSheets(w, r.Sheets)
	printMembers(w, r.Members)
	r.Folder.print(w)
	for _, n := range r.Nodes {
		line := fmt.Sprintf("%-8s %s", n.Kind, n.Path)
		if n.Dtype != "" {
			line += "  " + n.Dtype
		}
		if n.Shape != nil {
			line += fmt.Sprintf("  %v", n.Shape)
		}
		if n.Info != "" {
			line += "  " + n.Info
		}
		fmt.Fprintln(w, line)
		keys := make([]string, 0, len(n.Attrs))
		for k := range n.Attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "           @%s = %s\n", k, clip(n.Attrs[k], 200))
		}
	}
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
