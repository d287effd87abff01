package cli

import (
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"
)

func newConnectomeCmd(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "connectome",
		Short: "Import connectomes into the edges table; adjacency matrices, consensus and heatmaps",
		Args:  args(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newConnectomeListCmd(g), newConnectomeImportCmd(g), newConnectomeMatrixCmd(g), newConnectomePlotCmd(g), newConnectomeNeuronsCmd(g))
	return cmd
}

func newConnectomeListCmd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the connectome sources with their citations",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, s := range connectome.Sources() {
				fmt.Fprintf(g.Stdout, "%-20s %s\n%-20s   file: %s\n%-20s   %s doi:%s\n", s.Name, s.Description, "", orDash(s.File), "", s.Citation, s.DOI)
			}
			return nil
		},
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type connImportOptions struct {
	source, out, gap string
	opt              connectome.Options
	defaultType      string
}

func newConnectomeImportCmd(g *Globals) *cobra.Command {
	o := &connImportOptions{}
	cmd := &cobra.Command{
		Use:   "import --source NAME FILE... -o edges.parquet",
		Short: "Import connectome files into one edges table",
		Long: `import reads each FILE with the named source (see 'neurotab connectome list'),
normalizes the cell names onto the 300 canonical neurons, symmetrizes gap
junctions, and writes one edges table. It prints, per file, the neurons with
an edge and the chemical and electrical edge counts and summed weights.`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error { return runConnImport(g, o, a) },
	}
	f := cmd.Flags()
	f.StringVar(&o.source, "source", "", "source name (required)")
	f.StringVarP(&o.out, "out", "o", "", "output edges Parquet file (required)")
	f.StringVar(&o.gap, "gap", "mean", "gap-junction rule: mean (published), sum or as-listed")
	f.StringVar(&o.opt.Dataset, "dataset", "", "dataset name written in every edge (default: the source name)")
	f.BoolVar(&o.opt.KeepNonNeurons, "keep-non-neurons", false, "keep edges to muscles, glia, end organs and unknown cells")
	f.BoolVar(&o.opt.DropNeuromuscular, "drop-nmj", false, "drop neuromuscular junctions")
	f.StringVar(&o.opt.Pre, "pre", "", "generic edge list: pre column (default pre)")
	f.StringVar(&o.opt.Post, "post", "", "generic edge list: post column (default post)")
	f.StringVar(&o.opt.Type, "type", "", "generic edge list: type column (default type)")
	f.StringVar(&o.opt.Weight, "weight", "", "generic edge list: weight column (default weight)")
	f.StringVar(&o.opt.Q, "q", "", "generic edge list: q-value column (default q)")
	f.Float64Var(&o.opt.QMax, "qmax", 0, "keep edges with q < qmax when a q column exists (default 0.05; negative keeps all)")
	f.StringVar(&o.defaultType, "default-type", "", "generic files: type of rows without a type column (chemical, electrical, functional)")
	return cmd
}

func runConnImport(g *Globals, o *connImportOptions, files []string) error {
	if o.source == "" || o.out == "" {
		return usagef("--source and -o are required")
	}
	src, err := connectome.LookupSource(o.source)
	if err != nil {
		return unknownSource(err, "neurotab connectome list")
	}
	switch o.gap {
	case "mean":
		o.opt.Gap = connectome.GapMean
	case "sum":
		o.opt.Gap = connectome.GapSum
	case "as-listed":
		o.opt.Gap = connectome.GapAsListed
	default:
		return usagef("--gap %q: mean, sum or as-listed", o.gap)
	}
	if o.defaultType != "" {
		t, err := connectome.ParseEdgeType(o.defaultType)
		if err != nil {
			return &UsageError{err}
		}
		o.opt.DefaultType = t
	}
	var all []connectome.Edge
	var sources []table.SourceFile
	for _, f := range files {
		edges, err := src.Import(f, o.opt)
		if err != nil {
			return err
		}
		sf, err := table.HashFile(f)
		if err != nil {
			return err
		}
		sources = append(sources, sf)
		s := connectome.Summarize(edges)
		fmt.Fprintf(g.Stdout, "%s: %d neurons with an edge; chemical %d edges / Σ %g; electrical %d / Σ %g (%g gap junctions); neuromuscular %d / Σ %g\n",
			f, s.Neurons, s.Chemical.Edges, s.Chemical.Weight, s.Electrical.Edges, s.Electrical.Weight, s.GapJunctions, s.NeuroMuscular.Edges, s.NeuroMuscular.Weight)
		all = append(all, edges...)
	}
	rec, err := connectome.EdgesRecord(nil, all)
	if err != nil {
		return err
	}
	defer rec.Release()
	params := map[string]any{"source": src.Name, "citation": src.Citation, "doi": src.DOI}
	for k, v := range o.opt.Metadata() {
		params[k] = v
	}
	prov := table.Provenance{Command: g.Args, Parameters: params, Sources: sources}
	if err := table.WriteParquet(o.out, table.Edges, prov, nil, nil, rec); err != nil {
		return err
	}
	g.Logf("wrote %s: %d edges", o.out, rec.NumRows())
	return nil
}

type matrixOptions struct {
	edges, out, types, dataset string
	consensus, sum             bool
	subset                     string
}

func (o *matrixOptions) bind(f interface {
	StringVarP(*string, string, string, string, string)
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	f.StringVar(&o.edges, "edges", "", "edges Parquet file (from 'connectome import')")
	f.StringVarP(&o.out, "out", "o", "", "output file")
	f.StringVar(&o.types, "types", "chemical,electrical", "edge types summed into the matrix: chemical, electrical, functional, neuromuscular (comma-separated)")
	f.StringVar(&o.dataset, "dataset", "", "use only this dataset's edges")
	f.BoolVar(&o.consensus, "consensus", false, "the consensus over datasets (mean weight per directed pair over the datasets reporting it)")
	f.StringVar(&o.subset, "neurons", "", "comma-separated neuron subset (default: the 300 canonical neurons in slot order)")
}

// load reads the edges and builds the adjacency over the chosen labels.
func (o *matrixOptions) load() (*mat.Dense, []string, error) {
	if o.edges == "" || o.out == "" {
		return nil, nil, usagef("--edges and -o are required")
	}
	var types connectome.EdgeType
	for _, t := range strings.Split(o.types, ",") {
		et, err := connectome.ParseEdgeType(strings.TrimSpace(t))
		if err != nil {
			return nil, nil, &UsageError{err}
		}
		types |= et
	}
	edges, err := connectome.ReadEdges(o.edges)
	if err != nil {
		return nil, nil, err
	}
	if o.dataset != "" {
		var keep []connectome.Edge
		for _, e := range edges {
			if e.Dataset == o.dataset {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			return nil, nil, fmt.Errorf("%s: no edges of dataset %q", o.edges, o.dataset)
		}
		edges = keep
	}
	if o.consensus {
		byDS := map[string][]connectome.Edge{}
		var names []string
		for _, e := range edges {
			if _, ok := byDS[e.Dataset]; !ok {
				names = append(names, e.Dataset)
			}
			byDS[e.Dataset] = append(byDS[e.Dataset], e)
		}
		sort.Strings(names)
		sets := make([][]connectome.Edge, len(names))
		for i, n := range names {
			sets[i] = byDS[n]
		}
		edges = connectome.ConsensusEdges(connectome.Consensus(sets...), "consensus")
	}
	labels := connectome.DefaultAtlas().Labels()
	if o.subset != "" {
		labels = strings.Split(o.subset, ",")
	}
	m, err := connectome.Adjacency(edges, labels, types)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", o.edges, err)
	}
	return m, labels, nil
}

func newConnectomeMatrixCmd(g *Globals) *cobra.Command {
	o := &matrixOptions{}
	cmd := &cobra.Command{
		Use:   "matrix --edges edges.parquet -o adjacency.csv|adjacency.parquet",
		Short: "Write the adjacency matrix (dense CSV, or sparse Parquet edges) over the canonical neurons",
		Long: `matrix sums the chosen edge types per directed pair (rows pre, columns post)
over the 300 canonical neurons in slot order, or over --neurons. A .csv output
is the dense matrix with a header row and a label column; a .parquet output is
the sparse form as an edges table (non-zero entries only).`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, labels, err := o.load()
			if err != nil {
				return err
			}
			if strings.HasSuffix(o.out, ".parquet") {
				var edges []connectome.Edge
				n := len(labels)
				for i := 0; i < n; i++ {
					for j := 0; j < n; j++ {
						if w := m.At(i, j); w != 0 {
							edges = append(edges, connectome.Edge{Dataset: "adjacency(" + o.types + ")", Pre: labels[i], Post: labels[j], Type: connectome.Functional, Weight: w, QValue: nanValue})
						}
					}
				}
				rec, err := connectome.EdgesRecord(nil, edges)
				if err != nil {
					return err
				}
				defer rec.Release()
				prov := table.Provenance{Command: g.Args, Parameters: map[string]any{"types": o.types, "consensus": o.consensus, "dataset": o.dataset, "edges": o.edges}}
				if err := table.WriteParquet(o.out, table.Edges, prov, nil, nil, rec); err != nil {
					return err
				}
				g.Logf("wrote %s: %d non-zero entries", o.out, len(edges))
				return nil
			}
			af, err := table.CreateAtomic(o.out)
			if err != nil {
				return err
			}
			defer af.Abort()
			w := csv.NewWriter(af)
			w.Write(append([]string{"pre/post"}, labels...))
			row := make([]string, len(labels)+1)
			for i, l := range labels {
				row[0] = l
				for j := range labels {
					row[j+1] = strconv.FormatFloat(m.At(i, j), 'g', -1, 64)
				}
				w.Write(row)
			}
			w.Flush()
			if err := w.Error(); err != nil {
				return fmt.Errorf("%s: %w", o.out, err)
			}
			if err := af.Commit(); err != nil {
				return err
			}
			g.Logf("wrote %s: %d × %d", o.out, len(labels), len(labels))
			return nil
		},
	}
	o.bind(cmd.Flags())
	return cmd
}

func newConnectomePlotCmd(g *Globals) *cobra.Command {
	o := &matrixOptions{}
	var log bool
	var title string
	cmd := &cobra.Command{
		Use:   "plot --edges edges.parquet -o heatmap.png|heatmap.svg",
		Short: "Draw the adjacency as a heatmap ordered by neuron type and class",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, labels, err := o.load()
			if err != nil {
				return err
			}
			format := "png"
			if strings.HasSuffix(strings.ToLower(o.out), ".svg") {
				format = "svg"
			}
			ordered, groups := connectome.OrderByTypeClass(connectome.DefaultAtlas(), labels)
			idx := map[string]int{}
			for i, l := range labels {
				idx[l] = i
			}
			n := len(ordered)
			om := mat.NewDense(n, n, nil)
			for i, a := range ordered {
				for j, b := range ordered {
					om.Set(i, j, m.At(idx[a], idx[b]))
				}
			}
			if title == "" {
				title = fmt.Sprintf("%s (%s)", o.edges, o.types)
			}
			af, err := table.CreateAtomic(o.out)
			if err != nil {
				return err
			}
			defer af.Abort()
			if err := connectome.PlotHeatmap(af, format, om, ordered, connectome.HeatmapOptions{Title: title, Log: log, Groups: groups}); err != nil {
				return fmt.Errorf("%s: %w", o.out, err)
			}
			if err := af.Commit(); err != nil {
				return err
			}
			g.Logf("wrote %s", o.out)
			return nil
		},
	}
	o.bind(cmd.Flags())
	cmd.Flags().BoolVar(&log, "log", true, "colour log(1 + w)")
	cmd.Flags().StringVar(&title, "title", "", "figure title")
	return cmd
}

func newConnectomeNeuronsCmd(g *Globals) *cobra.Command {
	var out, sheet string
	cmd := &cobra.Command{
		Use:   "neurons -o neurons.parquet [--master-sheet neuron_master_sheet.csv]",
		Short: "Write the canonical neuron atlas (300 neurons: class, type, transmitter, position, slot)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("-o is required")
			}
			a := connectome.DefaultAtlas()
			var sources []table.SourceFile
			if sheet != "" {
				var err error
				if a, err = connectome.LoadAtlas(sheet); err != nil {
					return err
				}
				sf, err := table.HashFile(sheet)
				if err != nil {
					return err
				}
				sources = append(sources, sf)
			}
			rec, err := connectome.NeuronsRecord(nil, a)
			if err != nil {
				return err
			}
			defer rec.Release()
			if err := table.WriteParquet(out, table.Neurons, table.Provenance{Command: g.Args, Sources: sources}, nil, nil, rec); err != nil {
				return err
			}
			g.Logf("wrote %s: %d neurons", out, rec.NumRows())
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "output Parquet file")
	cmd.Flags().StringVar(&sheet, "master-sheet", "", "neuron master sheet CSV with positions (worm-graph layout)")
	return cmd
}

var nanValue = math.NaN()
