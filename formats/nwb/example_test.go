package nwb_test

import (
	"errors"
	"fmt"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/formats/nwb"
)

// Read the spike trains of a Units table. testdata/features.nwb is written
// by testdata/gen_testdata.py.
func ExampleFile_Units() {
	f, err := nwb.Open("testdata/features.nwb")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	u, err := f.Units()
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, id := range u.IDs {
		fmt.Println(id, u.SpikeTimes(i), u.ObsIntervals(i))
	}
	fmt.Println(u.Skipped)
	// Output:
	// 7 [0.5 1.5] [[0 10] [20 30]]
	// 8 [] [[0 30]]
	// 9 [2.5 3.5 4.5 5.5] [[5 6]]
	// [waveforms: double-ragged (VectorIndex of a VectorIndex) not decoded]
}

// Stream spike trains unit by unit without holding the whole table.
func ExampleFile_EachUnit() {
	f, err := nwb.Open("testdata/features.nwb")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	err = f.EachUnit(func(i int, id int64, times []float64) error {
		fmt.Printf("unit %d (id %d): %d spikes\n", i, id, len(times))
		return nil
	})
	fmt.Println(err)
	// Output:
	// unit 0 (id 7): 2 spikes
	// unit 1 (id 8): 0 spikes
	// unit 2 (id 9): 4 spikes
	// <nil>
}

// Read every RoiResponseSeries: T×N data, times in seconds, ROI ids.
func ExampleFile_RoiResponseSeries() {
	f, err := nwb.Open("testdata/features.nwb")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	series, err := f.RoiResponseSeries()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range series {
		fmt.Printf("%s: T=%d N=%d rois=%v t=%v\n", s.Path, s.T, s.N, s.ROIIDs, s.Time)
		fmt.Println(" first row", s.Row(0), s.Unit)
	}
	// Output:
	// /processing/ophys/DfOverF/dff: T=8 N=1 rois=[30] t=[2.5 2.6 2.7 2.8 2.9 3 3.1 3.2]
	//  first row [0] percent
	// /processing/ophys/DfOverF/dff2: T=3 N=2 rois=[30 10] t=[0 0.25 1]
	//  first row [1 2]
}

// Read NWB from an HDF5 file already open (e.g. one sniffed as HDF5 first):
// FromHDF5 has the constructors' shape, (*File, error); closing the File
// closes the HDF5 file.
func ExampleFromHDF5() {
	h, err := hdf5.Open("testdata/features.nwb")
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := nwb.FromHDF5(h)
	if err != nil {
		h.Close()
		fmt.Println(err)
		return
	}
	defer f.Close()
	typ, err := f.NeurodataType("/units")
	fmt.Println(f.Version(), typ, err)
	_, err = f.Strings("/absent")
	fmt.Println(err, errors.Is(err, neurotab.ErrNotFound))
	// Output:
	// 2.6.0 Units <nil>
	// testdata/features.nwb: "/absent": not found true
}
