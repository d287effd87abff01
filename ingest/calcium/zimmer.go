package calcium

// The Zimmer lab's whole-brain recordings share one MAT v7.3 layout
// (wormCells): Kato 2015, Nichols 2017, Skora 2018, Kaplan 2020 and Uzel
// 2022. Each is its own adapter because detection and provenance need the
// source name; the published struct variable names tell them apart.

func kato2015() Adapter {
	s := wormCells{
		dataset: "Kato2015",
		vars:    []string{"WT_Stim", "WT_NoStim"},
		traces:  []string{"traces", "deltaFOverF_bc"},
		ids:     []string{"IDs", "NeuronNames"},
		time:    []string{"timeVectorSeconds", "tv"},
	}
	return Adapter{
		Name: "Kato2015",
		Description: "WT_Stim.mat / WT_NoStim.mat (MAT v7.3), struct named after the file: traces or " +
			"deltaFOverF_bc, IDs or NeuronNames (first non-empty candidate), timeVectorSeconds or tv; one cell per worm",
		Citation: "Kato S, Kaplan HS, Schrödel T, Skora S, Lindsay TH, Yemini E, Lockery S, Zimmer M (2015) " +
			"Global brain dynamics embed the motor command sequence of Caenorhabditis elegans. Cell " +
			"163(3):656-669. doi:10.1016/j.cell.2015.09.034",
		Match: s.match,
		Read:  s.read,
	}
}

func nichols2017() Adapter {
	s := wormCells{
		dataset: "Nichols2017",
		vars:    []string{"n2_let", "n2_prelet", "npr1_let", "npr1_prelet"},
		traces:  []string{"traces"},
		ids:     []string{"IDs"},
		time:    []string{"timeVectorSeconds"},
	}
	return Adapter{
		Name: "Nichols2017",
		Description: "n2_let/n2_prelet/npr1_let/npr1_prelet.mat (MAT v7.3), struct named after the file: " +
			"traces, IDs, timeVectorSeconds; one cell per worm",
		Citation: "Nichols ALA, Eichler T, Latham R, Zimmer M (2017) A global brain state underlies C. elegans " +
			"sleep behavior. Science 356(6344):eaam6851. doi:10.1126/science.aam6851",
		Match: s.match,
		Read:  s.read,
	}
}

func skora2018() Adapter {
	s := wormCells{
		dataset: "Skora2018",
		vars:    []string{"WT_fasted", "WT_starved"},
		traces:  []string{"traces"},
		ids:     []string{"IDs"},
		time:    []string{"timeVectorSeconds"},
	}
	return Adapter{
		Name: "Skora2018",
		Description: "WT_fasted.mat / WT_starved.mat (MAT v7.3), struct named after the file: traces, IDs, " +
			"timeVectorSeconds; one cell per worm",
		Citation: "Skora S, Mende F, Zimmer M (2018) Energy scarcity promotes a brain-wide sleep state modulated " +
			"by insulin signaling in C. elegans. Cell Rep 22(4):953-966. doi:10.1016/j.celrep.2017.12.091",
		Match: s.match,
		Read:  s.read,
	}
}

func kaplan2020() Adapter {
	s := wormCells{
		dataset:   "Kaplan2020",
		vars:      []string{"MNhisCl_RIShisCl_Neuron2019", "RIShisCl_Neuron2019", "SMDhisCl_RIShisCl_Neuron2019"},
		varSuffix: "_Neuron2019",
		traces:    []string{"traces_bleach_corrected"},
		ids:       []string{"neuron_ID"},
		time:      []string{"time_vector"},
	}
	return Adapter{
		Name: "Kaplan2020",
		Description: "Neuron2019_Data_*.mat (MAT v7.3), struct <condition>_Neuron2019: traces_bleach_corrected, " +
			"neuron_ID, time_vector; one cell per worm",
		Citation: "Kaplan HS, Salazar Thula O, Khoss N, Zimmer M (2020) Nested neuronal dynamics orchestrate a " +
			"behavioral hierarchy across timescales. Neuron 105(3):562-576.e9. doi:10.1016/j.neuron.2019.10.037",
		Match: s.match,
		Read:  s.read,
	}
}

func uzel2022() Adapter {
	s := wormCells{
		dataset: "Uzel2022",
		vars:    []string{"Uzel_WT"},
		traces:  []string{"traces"},
		ids:     []string{"IDs"},
		time:    []string{"tv"},
	}
	return Adapter{
		Name:        "Uzel2022",
		Description: "Uzel_WT.mat (MAT v7.3), struct Uzel_WT: traces, IDs, tv; one cell per worm",
		Citation: "Uzel K, Kato S, Zimmer M (2022) A set of hub neurons and non-local connectivity features " +
			"support global brain dynamics in C. elegans. Curr Biol 32(16):3443-3459.e8. " +
			"doi:10.1016/j.cub.2022.06.039",
		Match: s.match,
		Read:  s.read,
	}
}
