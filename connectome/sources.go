package connectome

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neurotab/neurotab/internal/registry"
)

// Source is one published connectome the package can import.
type Source struct {
	// Name is the dataset name written into the edges table.
	Name string
	// Citation is the reference to cite; DOI its DOI.
	Citation, DOI string
	// File is the file name the source is distributed as (OpenWorm c302 or
	// worm-graph data folders), empty for generic readers.
	File string
	// Description says what the weights are and how rows are read.
	Description string
	// Import reads the source file at path.
	Import func(path string, opt Options) ([]Edge, error)
}

const (
	citeWhite    = "White JG, Southgate E, Thomson JN, Brenner S (1986) The structure of the nervous system of the nematode Caenorhabditis elegans. Phil Trans R Soc Lond B 314:1–340"
	doiWhite     = "10.1098/rstb.1986.0056"
	citeVarshney = "Varshney LR, Chen BL, Paniagua E, Hall DH, Chklovskii DB (2011) Structural properties of the Caenorhabditis elegans neuronal network. PLoS Comput Biol 7:e1001066"
	doiVarshney  = "10.1371/journal.pcbi.1001066"
	citeCook     = "Cook SJ et al. (2019) Whole-animal connectomes of both Caenorhabditis elegans sexes. Nature 571:63–71"
	doiCook      = "10.1038/s41586-019-1352-7"
	citeWitvliet = "Witvliet D et al. (2021) Connectomes across development reveal principles of brain maturation. Nature 596:257–261"
	doiWitvliet  = "10.1038/s41586-021-03778-8"
	citeRandi    = "Randi F, Sharma AK, Dvali S, Leifer AM (2023) Neural signal propagation atlas of Caenorhabditis elegans. Nature 623:406–414"
	doiRandi     = "10.1038/s41586-023-06683-4"
)

func withDataset(name string, f func(string, Options) ([]Edge, error)) func(string, Options) ([]Edge, error) {
	return func(path string, opt Options) ([]Edge, error) {
		if opt.Dataset == "" {
			opt.Dataset = name
		}
		return f(path, opt)
	}
}

// Sources returns the importable connectomes, in a fixed order (a fresh
// slice). Witvliet's eight datasets have one entry per dataset number; the
// generic edge-list, matrix and functional readers come last.
func Sources() []Source { return sourceRegistry.Values() }

// LookupSource returns the source called name, ignoring case. An unknown
// name gives a *registry.UnknownError (wrapping neurotab.ErrNotFound) that
// suggests the closest name.
func LookupSource(name string) (Source, error) { return sourceRegistry.Lookup(name) }

// sourceRegistry holds the sources by name.
var sourceRegistry = func() *registry.Registry[Source] {
	r := registry.New[Source]("connectome source")
	for _, s := range sourceList() {
		r.Add(s.Name, s)
	}
	return r
}()

func sourceList() []Source {
	s := []Source{
		{Name: "white1986_whole", Citation: citeWhite, DOI: doiWhite, File: "aconnectome_white_1986_whole.csv",
			Description: "White 1986 whole-animal compilation (as in Varshney 2011), NemaNode export; synapse counts",
			Import:      withDataset("white1986_whole", ImportNemaNode)},
		{Name: "white1986_n2u", Citation: citeWhite, DOI: doiWhite, File: "aconnectome_white_1986_A.csv",
			Description: "White 1986 N2U series (adult nerve ring), NemaNode export; synapse counts",
			Import:      withDataset("white1986_n2u", ImportNemaNode)},
		{Name: "white1986_jsh", Citation: citeWhite, DOI: doiWhite, File: "aconnectome_white_1986_L4.csv",
			Description: "White 1986 JSH series (L4 nerve ring), NemaNode export; synapse counts",
			Import:      withDataset("white1986_jsh", ImportNemaNode)},
		{Name: "white1986_jse", Citation: citeWhite, DOI: doiWhite, File: "white_1986_jse.csv",
			Description: "White 1986 JSE series (adult tail), NemaNode export; chemical synapse counts only",
			Import:      withDataset("white1986_jse", ImportNemaNode)},
	}
	stages := []string{"", "L1", "L1", "L1", "L1", "L2", "L3", "adult", "adult"}
	for n := 1; n <= 8; n++ {
		name := "witvliet2020_" + string(rune('0'+n))
		s = append(s, Source{Name: name, Citation: citeWitvliet, DOI: doiWitvliet,
			File:        "witvliet_2020_" + string(rune('0'+n)) + ".xlsx",
			Description: "Witvliet 2021 dataset " + string(rune('0'+n)) + " (" + stages[n] + "); synapse counts",
			Import:      withDataset(name, ImportWitvliet)})
	}
	s = append(s,
		Source{Name: "varshney2011", Citation: citeVarshney, DOI: doiVarshney, File: "NeuronConnectFormatted.xlsx",
			Description: "Varshney 2011 NeuronConnect: chemical = S + Sp, electrical = EJ, neuromuscular = NMJ; synapse counts",
			Import:      withDataset("varshney2011", ImportVarshney)},
		Source{Name: "openworm", Citation: citeVarshney, DOI: doiVarshney, File: "CElegansNeuronTables.xls",
			Description: "OpenWorm neuron tables (Varshney 2011 derivative with neurotransmitters): Connectome and NeuronsToMuscle sheets",
			Import:      withDataset("openworm", ImportOpenWorm)},
		Source{Name: "cook2019_herm", Citation: citeCook, DOI: doiCook, File: "SI 5 Connectome adjacency matrices.xlsx",
			Description: "Cook 2019 hermaphrodite chemical and symmetric gap-junction matrices; EM serial-section counts",
			Import: func(path string, opt Options) ([]Edge, error) {
				return ImportCook(path, "hermaphrodite", opt)
			}},
		Source{Name: "cook2019_male", Citation: citeCook, DOI: doiCook, File: "SI 5 Connectome adjacency matrices.xlsx",
			Description: "Cook 2019 male chemical and symmetric gap-junction matrices; EM serial-section counts",
			Import: func(path string, opt Options) ([]Edge, error) {
				return ImportCook(path, "male", opt)
			}},
		Source{Name: "cook2015_herm_full", Citation: citeCook, DOI: doiCook, File: "herm_full_edgelist.csv",
			Description: "Cook/Emmons hermaphrodite edge list (pre-publication Cook 2019); EM serial-section counts",
			Import:      ImportCookEdgeList},
		Source{Name: "edgelist", Description: "generic CSV/TSV edge list; columns named by Options",
			Import: ImportEdgeList},
		Source{Name: "matrix", Description: "generic CSV/TSV adjacency matrix; rows presynaptic, columns postsynaptic",
			Import: ImportMatrix},
		Source{Name: "randi2023", Citation: citeRandi, DOI: doiRandi,
			Description: "functional signal-propagation atlas as an edge list (pre, post, weight = response amplitude, q); q < 0.05 kept by default",
			Import: func(path string, opt Options) ([]Edge, error) {
				if opt.DefaultType == 0 {
					opt.DefaultType = Functional
				}
				if opt.Dataset == "" {
					opt.Dataset = "randi2023"
				}
				return ImportEdgeList(path, opt)
			}},
		Source{Name: "fc", Description: "an fc table (neurotab analyze fc) as functional edges: weight = the measure's value, q_value its FDR q (q < --qmax kept when tested, 0.05 by default); one dataset per recording, window and measure",
			Import: ImportFC},
	)
	return s
}

// DatasetFor is the dataset name of the edges imported from path with src
// when one command imports several files, so that each file keeps its own
// name: the registered source of src's family (its name without a trailing
// "_N") whose distributed file is path's name (witvliet_2020_3.xlsx imported
// with witvliet2020_1 is witvliet2020_3), else src's name and the file's
// stem joined by "_" (edgelist_gaps for gaps.csv).
func DatasetFor(src Source, path string) string {
	if s, ok := SourceForFile(path); ok && family(s.Name) == family(src.Name) {
		return s.Name
	}
	base := filepath.Base(path)
	return src.Name + "_" + strings.TrimSuffix(base, filepath.Ext(base))
}

// family is a source name without a trailing "_N" (witvliet2020_3 →
// witvliet2020).
func family(name string) string {
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// SourceForFile returns the registered source distributed as a file of
// path's name (case-insensitive), e.g. witvliet2020_3 for
// witvliet_2020_3.xlsx; false when no source is (generic files need a
// named source).
func SourceForFile(path string) (Source, bool) {
	base := filepath.Base(path)
	for _, s := range Sources() {
		if s.File != "" && strings.EqualFold(s.File, base) {
			return s, true
		}
	}
	return Source{}, false
}
