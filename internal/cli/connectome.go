package cli

import (
	"fmt"
	"github.com/neurotab/neurotab"
	"path/filepath"
	"sort"
	"strings"

	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/figure"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"
)

func newConnectomeCmd(g *Globals) *cobra.Command {
	return groupCmd("connectome", "Import connectomes into the edges table; adjacency matrices, consensus and heatmaps",
		newConnectomeListCmd(g, nil), newConnectomeImportCmd(g, nil), newConnectomeMatrixCmd(g, nil),
		newConnectomePlotCmd(g, nil), newConnectomeNeuronsCmd(g, nil))
}

// connListOptions are the options of 'connectome list'.
type connListOptions struct{ g *Globals }

func newConnectomeListCmd(g *Globals, runF func(*connListOptions) error) *cobra.Command {
	o := &connListOptions{g: g}
	return &cobra.Command{
		Use:     "list",
		Short:   "List the connectome sources with their citations",
		Example: `  neurotab connectome list`,
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runConnList(o)
		},
	}
}

func runConnList(o *connListOptions) error {
	for _, s := range connectome.Sources() {
		fmt.Fprintf(o.g.Stdout, "%-20s %s\n%-20s   file: %s\n%-20s   %s doi:%s\n", s.Name, s.Description, "", orDash(s.File), "", s.Citation, s.DOI)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// connImportOptions are the flags and arguments of 'connectome import'.
type connImportOptions struct {
	g           *Globals
	Files       []string
	Source, Out string
	Gap         string
	Opt         connectome.Options
	DefaultType string
	AllowEmpty  bool
	Datasets    []string
	Append      bool
}

func newConnectomeImportCmd(g *Globals, runF func(*connImportOptions) error) *cobra.Command {
	o := &connImportOptions{g: g}
	cmd := &cobra.Command{
		Use:   "import --source NAME FILE... -o edges.parquet",
		Short: "Import connectome files into one edges table",
		Long: `import reads each FILE with the named source (see 'neurotab connectome list'),
normalizes the cell names onto the 300 canonical neurons, symmetrizes gap
junctions, and writes one edges table. It prints, per file, the neurons with
an edge and the chemical and electrical edge counts and summed weights. The
table records every FILE with its SHA-256 in neurotab.sources.`,
		Example: `  neurotab connectome import --source white1986_whole aconnectome_white_1986_whole.csv -o white.parquet
  neurotab connectome import --source edgelist --pre from --post to --default-type electrical gaps.tsv -o gaps.parquet`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			o.Files = a
			if runF != nil {
				return runF(o)
			}
			return runConnImport(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Source, "source", "", "source name (required; see 'neurotab connectome list'), or auto to know each file by its published file name")
	f.StringVarP(&o.Out, "out", "o", "", "output edges table (required): FILE.parquet, or FILE.arrow / FILE.feather (Arrow IPC)")
	f.StringVar(&o.Gap, "gap", "mean", "gap-junction rule: mean (published), sum or as-listed")
	f.StringArrayVar(&o.Datasets, "dataset", nil, "dataset name of a file's edges, once per file in order (default: the source's name for one file; for several, each file's own source, or source_FILESTEM)")
	f.BoolVar(&o.Append, "append", false, "add the files' datasets to the existing edges table -o (a dataset already there is an error)")
	f.BoolVar(&o.Opt.KeepNonNeurons, "keep-non-neurons", false, "keep edges to muscles, glia, end organs and unknown cells")
	f.BoolVar(&o.Opt.DropNeuromuscular, "drop-nmj", false, "drop neuromuscular junctions")
	f.StringVar(&o.Opt.Pre, "pre", "", "generic edge list: pre column (default pre)")
	f.StringVar(&o.Opt.Post, "post", "", "generic edge list: post column (default post)")
	f.StringVar(&o.Opt.Type, "type", "", "generic edge list: type column (default type)")
	f.StringVar(&o.Opt.Weight, "weight", "", "generic edge list: weight column (default weight)")
	f.StringVar(&o.Opt.Q, "q", "", "generic edge list: q-value column (default q)")
	f.Float64Var(&o.Opt.QMax, "qmax", 0, "keep edges with q < qmax when a q column exists (default 0.05; negative keeps all)")
	f.BoolVar(&o.AllowEmpty, "allow-empty", false, "accept a file with no edges (default: an error)")
	f.StringVar(&o.DefaultType, "default-type", "", "generic files: type of rows without a type column (chemical, electrical, functional)")
	return cmd
}

var gapRules = map[string]connectome.GapRule{"mean": connectome.GapMean, "sum": connectome.GapSum, "as-listed": connectome.GapAsListed}

func runConnImport(o *connImportOptions) error {
	if o.Source == "" || o.Out == "" {
		return usagef("--source and -o are required")
	}
	if _, err := parseOut(o.Out, false); err != nil {
		return err
	}
	var src connectome.Source
	var perFile []connectome.Source // with auto: each file's own source
	if strings.EqualFold(o.Source, "auto") {
		// Each file is known by its published file name.
		for _, f := range o.Files {
			s, ok := connectome.SourceForFile(f)
			if !ok {
				return usagef("--source auto: %s is not the file name of a published connectome (see 'neurotab connectome list'); name its source with --source", f)
			}
			perFile = append(perFile, s)
			o.g.Logf("%s: detected %s", f, s.Name)
		}
		src = perFile[0]
	} else {
		var err error
		if src, err = connectome.LookupSource(o.Source); err != nil {
			return unknownSource(err, "neurotab connectome list")
		}
	}
	rule, ok := gapRules[o.Gap]
	if !ok {
		return usagef("--gap %q: mean, sum or as-listed", o.Gap)
	}
	opt := o.Opt
	opt.Gap = rule
	if o.DefaultType != "" {
		t, err := connectome.ParseEdgeType(o.DefaultType)
		if err != nil {
			return &UsageError{err}
		}
		opt.DefaultType = t
	}
	claim, err := claimOutput(o.g, o.Out, false, "")
	if err != nil {
		return err
	}
	defer claim.Release()
	if len(o.Datasets) > 1 && len(o.Datasets) != len(o.Files) {
		return usagef("--dataset given %d times for %d files: give it once per file, in order (or once for one file)", len(o.Datasets), len(o.Files))
	}
	if len(o.Datasets) == 1 && len(o.Files) > 1 {
		return usagef("one --dataset for %d files would give all their edges one name: give --dataset once per file, or none (each file is then named after its source and file)", len(o.Files))
	}
	var all []connectome.Edge
	var inputs []string
	if o.Append {
		prev, err := connectome.ReadEdges(o.Out)
		if err != nil {
			return fmt.Errorf("--append: %w", err)
		}
		all, inputs = prev, []string{o.Out}
		o.g.Logf("%s: %d edges of %s kept (--append)", o.Out, len(prev), strings.Join(connectome.Datasets(prev), ", "))
	}
	have := map[string]bool{}
	for _, d := range connectome.Datasets(all) {
		have[d] = true
	}
	for i, f := range o.Files {
		fsrc := src
		if perFile != nil {
			fsrc = perFile[i]
		}
		opt.Dataset = ""
		switch {
		case len(o.Datasets) > 0:
			opt.Dataset = o.Datasets[i]
		case len(o.Files) > 1 && perFile == nil:
			opt.Dataset = connectome.DatasetFor(src, f)
		}
		dropped := map[string]int{}
		opt.Dropped = func(reason string) { dropped[reason]++ }
		edges, err := fsrc.Import(f, opt)
		if err != nil {
			return err
		}
		if len(edges) == 0 && !o.AllowEmpty {
			hint := "--allow-empty writes an empty table"
			if !opt.KeepNonNeurons {
				hint = "--keep-non-neurons keeps edges to muscles and other cells; " + hint
			}
			return fmt.Errorf("%s: no edges between canonical neurons (%s): %w", f, hint, neurotab.ErrMalformed)
		}
		s := connectome.Summarize(edges)
		line := fmt.Sprintf("%s: %d neurons with an edge; chemical %d edges / Σ %g; electrical %d / Σ %g (%g gap junctions); neuromuscular %d / Σ %g",
			f, s.Neurons, s.Chemical.Edges, s.Chemical.Weight, s.Electrical.Edges, s.Electrical.Weight, s.GapJunctions, s.NeuroMuscular.Edges, s.NeuroMuscular.Weight)
		if s.Functional.Edges > 0 {
			line += fmt.Sprintf("; functional %d", s.Functional.Edges)
		}
		o.g.Reportln(line)
		if len(dropped) > 0 {
			reasons := make([]string, 0, len(dropped))
			for r := range dropped {
				reasons = append(reasons, r)
			}
			sort.Strings(reasons)
			var n int
			parts := make([]string, len(reasons))
			for i, r := range reasons {
				n += dropped[r]
				parts[i] = fmt.Sprintf("%d with %s", dropped[r], r)
			}
			o.g.Logf("%s: %s left out: %s", f, plural(n, "row"), strings.Join(parts, "; "))
		}
		for _, d := range connectome.Datasets(edges) {
			if have[d] {
				return fmt.Errorf("%s: dataset %q is already in the table (from an earlier file or the --append table): name it with --dataset: %w", f, d, neurotab.ErrParam)
			}
		}
		for _, d := range connectome.Datasets(edges) {
			have[d] = true
		}
		all = append(all, edges...)
	}
	params := map[string]any{"source": src.Name, "citation": src.Citation, "doi": src.DOI}
	if perFile != nil {
		var names, cites []string
		for _, s := range perFile {
			names, cites = append(names, s.Name), append(cites, s.Citation+" doi:"+s.DOI)
		}
		params["source"], params["citation"], params["doi"] = "auto: "+strings.Join(names, ", "), strings.Join(cites, "; "), ""
	}
	for k, v := range opt.Metadata() {
		params[k] = v
	}
	prov, err := table.NewProvenance(o.g.Args, params, nil, append(inputs, o.Files...)...)
	if err != nil {
		return err
	}
	if err := connectome.WriteEdges(o.Out, all, prov); err != nil {
		return err
	}
	o.g.Logf("wrote %s: %d edges", o.Out, len(all))
	return nil
}

// viewOptions are the flags shared by 'connectome matrix' and 'plot': which
// edges of the table make the adjacency.
type viewOptions struct {
	Edges               []string
	Out, Types, Dataset string
	Consensus           bool
	Neurons             string
}

func (o *viewOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&o.Edges, "edges", nil, "edges table (from 'connectome import'); repeat to combine several (their datasets must differ)")
	f.StringVarP(&o.Out, "out", "o", "", "output file")
	f.StringVar(&o.Types, "types", "chemical,electrical", "edge types summed into the matrix: chemical, electrical, functional, neuromuscular (comma-separated)")
	f.StringVar(&o.Dataset, "dataset", "", "use only this dataset's edges")
	f.BoolVar(&o.Consensus, "consensus", false, "the consensus over datasets (mean weight per directed pair and type over the datasets reporting it)")
	f.StringVar(&o.Neurons, "neurons", "", "comma-separated neuron subset (default: the 300 canonical neurons in slot order)")
}

// view is the edges, labels and types an adjacency is built from.
type view struct {
	edges   []connectome.Edge
	labels  []string
	types   connectome.EdgeType
	dataset string // the name of what the edges are: a dataset, "consensus", or datasets joined with "+"
}

// load reads the edges table and selects the view the flags ask for.
func (o *viewOptions) edgesName() string { return strings.Join(o.Edges, ", ") }

func (o *viewOptions) load() (*view, error) {
	if len(o.Edges) == 0 || o.Out == "" {
		return nil, usagef("--edges and -o are required")
	}
	v := &view{labels: connectome.DefaultAtlas().Labels()}
	for _, t := range strings.Split(o.Types, ",") {
		et, err := connectome.ParseEdgeType(strings.TrimSpace(t))
		if err != nil {
			return nil, &UsageError{err}
		}
		v.types |= et
	}
	if o.Neurons != "" {
		v.labels = strings.Split(o.Neurons, ",")
	}
	var edges []connectome.Edge
	seen := map[string]string{}
	for _, p := range o.Edges {
		e, err := connectome.ReadEdges(p)
		if err != nil {
			return nil, err
		}
		for _, d := range connectome.Datasets(e) {
			if q, dup := seen[d]; dup {
				return nil, fmt.Errorf("%s: dataset %q is also in %s: combined tables need distinct datasets (rename one with connectome import --dataset): %w", p, d, q, neurotab.ErrParam)
			}
			seen[d] = p
		}
		edges = append(edges, e...)
	}
	if o.Dataset != "" {
		if edges = connectome.SelectDataset(edges, o.Dataset); len(edges) == 0 {
			return nil, fmt.Errorf("%s: no edges of dataset %q", o.edgesName(), o.Dataset)
		}
	}
	v.dataset = strings.Join(connectome.Datasets(edges), "+")
	if o.Consensus {
		edges, v.dataset = connectome.ConsensusByDataset(edges, "consensus"), "consensus"
	}
	v.edges = edges
	return v, nil
}

// adjacency is the dense matrix of the view.
func (v *view) adjacency(path string) (*mat.Dense, error) {
	m, err := connectome.Adjacency(v.edges, v.labels, v.types)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// matrixOptions are the flags of 'connectome matrix'.
type matrixOptions struct {
	g *Globals
	viewOptions
}

func newConnectomeMatrixCmd(g *Globals, runF func(*matrixOptions) error) *cobra.Command {
	o := &matrixOptions{g: g}
	cmd := &cobra.Command{
		Use:   "matrix --edges edges.parquet -o adjacency.csv|adjacency.parquet|adjacency.arrow",
		Short: "Write the adjacency matrix (dense CSV, or sparse edges table) over the canonical neurons",
		Long: `matrix sums the chosen edge types per directed pair (rows pre, columns post)
over the 300 canonical neurons in slot order, or over --neurons. A .csv output
is the dense matrix with a header row and a label column. A .parquet output
(or .arrow / .feather: Arrow IPC) is the sparse form as an edges table: per directed pair and type, the summed
weight of that type (non-zero entries only), so chemical and electrical
weights stay apart and summing over types gives the dense matrix; its
dataset column is the --dataset, "consensus", or the datasets joined with
"+", and it records the input edges table with its SHA-256.`,
		Example: `  neurotab connectome matrix --edges white.parquet -o white.csv
  neurotab connectome matrix --edges all.parquet --consensus --types chemical -o consensus.parquet`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runMatrix(o)
		},
	}
	o.bind(cmd)
	return cmd
}

func runMatrix(o *matrixOptions) error {
	dense := strings.EqualFold(filepath.Ext(o.Out), ".csv")
	if !dense && o.Out != "" {
		if _, err := parseOut(o.Out, false); err != nil {
			return usagef("%v; or FILE.csv (dense matrix)", err)
		}
	}
	v, err := o.load()
	if err != nil {
		return err
	}
	if !dense {
		return writeSparse(o, v)
	}
	m, err := v.adjacency(o.edgesName())
	if err != nil {
		return err
	}
	af, err := table.CreateAtomic(o.Out)
	if err != nil {
		return err
	}
	defer af.Abort()
	if err := connectome.WriteMatrixCSV(af, m, v.labels); err != nil {
		return fmt.Errorf("%s: %w", o.Out, err)
	}
	if err := af.Commit(); err != nil {
		return err
	}
	o.g.Logf("wrote %s: %d × %d", o.Out, len(v.labels), len(v.labels))
	return nil
}

func writeSparse(o *matrixOptions, v *view) error {
	edges, err := connectome.SparseEdges(v.edges, v.labels, v.types, v.dataset)
	if err != nil {
		return fmt.Errorf("%s: %w", o.edgesName(), err)
	}
	params := map[string]any{"types": v.types.String(), "consensus": o.Consensus, "dataset": o.Dataset, "neurons": len(v.labels)}
	prov, err := table.NewProvenance(o.g.Args, params, nil, o.Edges...)
	if err != nil {
		return err
	}
	if err := connectome.WriteEdges(o.Out, edges, prov); err != nil {
		return err
	}
	o.g.Logf("wrote %s: %d non-zero entries", o.Out, len(edges))
	return nil
}

// plotOptions are the flags of 'connectome plot'.
type plotOptions struct {
	g *Globals
	viewOptions
	Log   bool
	Title string
}

func newConnectomePlotCmd(g *Globals, runF func(*plotOptions) error) *cobra.Command {
	o := &plotOptions{g: g}
	cmd := &cobra.Command{
		Use:     "plot --edges edges.parquet -o heatmap.png|svg|pdf|jpg|tiff",
		Short:   "Draw the adjacency as a heatmap ordered by neuron type and class",
		Example: `  neurotab connectome plot --edges white.parquet --types chemical -o white.svg`,
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runPlot(o)
		},
	}
	o.bind(cmd)
	cmd.Flags().BoolVar(&o.Log, "log", true, "colour log(1 + w)")
	cmd.Flags().StringVar(&o.Title, "title", "", "figure title")
	return cmd
}

func runPlot(o *plotOptions) error {
	if _, err := figure.Format(o.Out); err != nil && o.Out != "" {
		return &UsageError{err}
	}
	v, err := o.load()
	if err != nil {
		return err
	}
	m, err := v.adjacency(o.edgesName())
	if err != nil {
		return err
	}
	format, err := figure.Format(o.Out)
	if err != nil {
		return &UsageError{err}
	}
	ordered, groups := connectome.OrderByTypeClass(connectome.DefaultAtlas(), v.labels)
	om, err := connectome.Reorder(m, v.labels, ordered)
	if err != nil {
		return fmt.Errorf("%s: %w", o.edgesName(), err)
	}
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("%s (%s)", o.edgesName(), o.Types)
	}
	af, err := table.CreateAtomic(o.Out)
	if err != nil {
		return err
	}
	defer af.Abort()
	if err := connectome.PlotHeatmap(af, format, om, ordered, connectome.HeatmapOptions{Title: title, Log: o.Log, Groups: groups}); err != nil {
		return fmt.Errorf("%s: %w", o.Out, err)
	}
	if err := af.Commit(); err != nil {
		return err
	}
	o.g.Logf("wrote %s", o.Out)
	return nil
}

// neuronsOptions are the flags of 'connectome neurons'.
type neuronsOptions struct {
	g                *Globals
	Out, MasterSheet string
}

func newConnectomeNeuronsCmd(g *Globals, runF func(*neuronsOptions) error) *cobra.Command {
	o := &neuronsOptions{g: g}
	cmd := &cobra.Command{
		Use:   "neurons -o neurons.parquet [--master-sheet neuron_master_sheet.csv]",
		Short: "Write the canonical neuron atlas (300 neurons: class, type, transmitter, position, slot)",
		Example: `  neurotab connectome neurons -o neurons.parquet
  neurotab connectome neurons --master-sheet neuron_master_sheet.csv -o neurons.parquet`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(o)
			}
			return runNeurons(o)
		},
	}
	cmd.Flags().StringVarP(&o.Out, "out", "o", "", "output neurons table: FILE.parquet, or FILE.arrow / FILE.feather (Arrow IPC)")
	cmd.Flags().StringVar(&o.MasterSheet, "master-sheet", "", "neuron master sheet CSV with positions (worm-graph layout)")
	return cmd
}

func runNeurons(o *neuronsOptions) error {
	if o.Out == "" {
		return usagef("-o is required")
	}
	if _, err := parseOut(o.Out, false); err != nil {
		return err
	}
	a := connectome.DefaultAtlas()
	var inputs []string
	if o.MasterSheet != "" {
		var err error
		if a, err = connectome.LoadAtlas(o.MasterSheet); err != nil {
			return err
		}
		inputs = append(inputs, o.MasterSheet)
	}
	rec, err := connectome.NeuronsRecord(nil, a)
	if err != nil {
		return err
	}
	defer rec.Release()
	prov, err := table.NewProvenance(o.g.Args, nil, nil, inputs...)
	if err != nil {
		return err
	}
	if err := table.WriteFile(o.Out, table.Neurons, prov, nil, nil, rec); err != nil {
		return err
	}
	o.g.Logf("wrote %s: %d neurons", o.Out, rec.NumRows())
	return nil
}
