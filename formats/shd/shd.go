package shd

import (
	"fmt"
	"io"
	"math"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/hdf5"
)

// Paths of the SHD layout (Cramer et al. 2022, doi:10.1109/TNNLS.2020.3044364).
const (
	PathTimes   = "/spikes/times"
	PathUnits   = "/spikes/units"
	PathLabels  = "/labels"
	PathSpeaker = "/extra/speaker"
	PathKeys    = "/extra/keys"
)

// Channels is the number of cochlea-model channels of SHD and SSC (Cramer et
// al. 2022, Sec. III): the sensor width Geometry reports unless a file holds a
// higher channel.
const Channels = 700

// Options configure Open, NewReader and FromHDF5. Of the shared options,
// Name names the file in errors for NewReader (Open uses the path), Lenient
// drops and counts spikes with a bad or backward time instead of stopping,
// Width overrides the channel count Geometry reports, and MaxBytes bounds
// what the HDF5 reader allocates (hdf5.File.MaxAlloc; its default when 0).
type Options struct {
	events.DecodeOptions
}

// File is an open SHD-layout file. It implements events.Decoder: Next
// streams the samples in order, one sample per call at most. The streaming
// state makes Next/Current/Seek unsafe for concurrent use; Sample, Labels
// and the other readers are safe once Open returns.
type File struct {
	h      *hdf5.File
	times  []float32 // all samples' spike times, back to back (s)
	units  []uint16  // all samples' channels, back to back
	ends   []int     // END offset of each sample in times/units
	labels []int
	width  int // channel count for Geometry

	next, pos int   // streaming: next sample and spike within it
	cur       int   // sample of the last Next, -1 before the first
	prevT     int64 // last emitted time in the current sample
	err       error // sticky stream error
	opt       Options
	stats     events.Stats
}

// Open opens the SHD-layout file at path and reads its spikes and labels.
// It is the NewDecoder of this format, which needs random access.
func Open(path string, opt Options) (*File, error) {
	h, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	f, err := FromHDF5(h, opt)
	if err != nil {
		h.Close()
		return nil, err
	}
	return f, nil
}

// NewReader reads an SHD-layout file of the given size from r;
// opt.Name appears in error messages.
func NewReader(r io.ReaderAt, size int64, opt Options) (*File, error) {
	h, err := hdf5.NewReader(r, size, opt.Name)
	if err != nil {
		return nil, err
	}
	f, err := FromHDF5(h, opt)
	if err != nil {
		h.Close()
		return nil, err
	}
	return f, nil
}

// FromHDF5 reads the SHD layout from an open HDF5 file; closing the returned
// File closes h. opt.MaxBytes, when > 0, sets h.MaxAlloc first to bound the
// memory a damaged or hostile file can make the reader allocate.
func FromHDF5(h *hdf5.File, opt Options) (*File, error) {
	if opt.MaxBytes > 0 {
		h.MaxAlloc = int64(opt.MaxBytes)
	}
	f := &File{h: h, cur: -1, opt: opt}
	// Check all three shapes before reading anything, so a damaged header
	// claiming a huge dataset fails before any allocation.
	times, err := f.vlen(PathTimes)
	if err != nil {
		return nil, err
	}
	units, err := f.vlen(PathUnits)
	if err != nil {
		return nil, err
	}
	if nt, nu := times.Shape()[0], units.Shape()[0]; nt != nu {
		return nil, f.errf(PathUnits, -1, -1, neurotab.ErrMalformed, "%d samples, %s has %d", nu, PathTimes, nt)
	}
	ld, err := f.labelsDataset(times.Shape()[0])
	if err != nil {
		return nil, err
	}
	ft, err := hdf5.ReadVLenAs[float32](times)
	if err != nil {
		return nil, err
	}
	fu, err := hdf5.ReadVLenAs[uint16](units)
	if err != nil {
		return nil, err
	}
	if len(ft) != len(fu) {
		return nil, f.errf(PathUnits, -1, -1, neurotab.ErrMalformed, "%d samples, %s has %d", len(fu), PathTimes, len(ft))
	}
	total := 0
	for i := range ft {
		if len(ft[i]) != len(fu[i]) {
			return nil, f.errf(PathUnits, i, -1, neurotab.ErrMalformed, "%d channels for %d spike times", len(fu[i]), len(ft[i]))
		}
		total += len(ft[i])
	}
	f.times = make([]float32, 0, total)
	f.units = make([]uint16, 0, total)
	f.ends = make([]int, len(ft))
	maxUnit := -1
	for i := range ft {
		f.times = append(f.times, ft[i]...)
		f.units = append(f.units, fu[i]...)
		f.ends[i] = len(f.times)
		for _, u := range fu[i] {
			maxUnit = max(maxUnit, int(u))
		}
	}
	f.width = max(Channels, maxUnit+1)
	if opt.Width > 0 {
		f.width = opt.Width
	}
	lab, err := ld.ReadInt64()
	if err != nil {
		return nil, err
	}
	if len(lab) != len(ft) {
		return nil, f.errf(PathLabels, -1, -1, neurotab.ErrMalformed, "%d labels for %d samples", len(lab), len(ft))
	}
	f.labels = make([]int, len(lab))
	for i, l := range lab {
		if l < 0 || l > math.MaxInt32 {
			return nil, f.errf(PathLabels, i, -1, neurotab.ErrMalformed, "label %d outside [0, 2^31)", l)
		}
		f.labels[i] = int(l)
	}
	return f, nil
}

// labelsDataset returns /labels after checking it is a 1-D integer
// dataset of n elements.
func (f *File) labelsDataset(n uint64) (*hdf5.Dataset, error) {
	o, err := f.h.Get(PathLabels)
	if err != nil {
		return nil, err
	}
	ld, ok := o.(*hdf5.Dataset)
	if !ok || len(ld.Shape()) != 1 {
		return nil, f.errf(PathLabels, -1, -1, neurotab.ErrMalformed, "labels must be a 1-D dataset")
	}
	if c := ld.Datatype().Class; c != hdf5.ClassInteger && c != hdf5.ClassEnum {
		return nil, f.errf(PathLabels, -1, -1, neurotab.ErrMalformed, "labels have type %s, want integers", ld.Datatype())
	}
	if ld.Shape()[0] != n {
		return nil, f.errf(PathLabels, -1, -1, neurotab.ErrMalformed, "%d labels for %d samples", ld.Shape()[0], n)
	}
	return ld, nil
}

// vlen returns the 1-D vlen sequence dataset at p.
func (f *File) vlen(p string) (*hdf5.Dataset, error) {
	o, err := f.h.Get(p)
	if err != nil {
		return nil, err
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return nil, f.errf(p, -1, -1, neurotab.ErrMalformed, "not a dataset")
	}
	if t := d.Datatype(); t.Class != hdf5.ClassVLen || t.IsString || len(d.Shape()) != 1 {
		return nil, f.errf(p, -1, -1, neurotab.ErrMalformed, "type %s shape %v, want a 1-D vlen sequence", t, d.Shape())
	}
	return d, nil
}

// Close releases the underlying file.
func (f *File) Close() error { return f.h.Close() }

// HDF5 returns the underlying HDF5 file, for datasets this package does not
// model (e.g. /extra/meta_info).
func (f *File) HDF5() *hdf5.File { return f.h }

// NumSamples returns S, the number of samples.
func (f *File) NumSamples() int { return len(f.ends) }

// NumSpikes returns the total number of spikes over all samples.
func (f *File) NumSpikes() int { return len(f.times) }

// Labels returns a copy of the S class labels.
func (f *File) Labels() []int { return append([]int(nil), f.labels...) }

// Label returns sample i's class label, or -1 when i is out of range.
func (f *File) Label(i int) int {
	if i < 0 || i >= len(f.labels) {
		return -1
	}
	return f.labels[i]
}

// Sample returns sample i's spike times (seconds, as stored) and channels,
// views into the File's flat arrays (do not modify). The values are not
// checked; Next is the checked path.
func (f *File) Sample(i int) (times []float32, units []uint16, err error) {
	if i < 0 || i >= len(f.ends) {
		return nil, nil, &Error{File: f.h.Name(), Path: PathTimes, Sample: -1, Spike: -1,
			Err: fmt.Errorf("%w: sample %d outside [0, %d)", neurotab.ErrOutOfRange, i, len(f.ends))}
	}
	lo, hi := f.span(i)
	return f.times[lo:hi:hi], f.units[lo:hi:hi], nil
}

func (f *File) span(i int) (lo, hi int) {
	if i > 0 {
		lo = f.ends[i-1]
	}
	return lo, f.ends[i]
}

// Speakers reads /extra/speaker, one speaker id per sample. The error wraps
// neurotab.ErrNotFound when the file has no speaker dataset.
func (f *File) Speakers() ([]int, error) {
	o, err := f.h.Get(PathSpeaker)
	if err != nil {
		return nil, err
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return nil, f.errf(PathSpeaker, -1, -1, neurotab.ErrMalformed, "not a dataset")
	}
	v, err := d.ReadInt64()
	if err != nil {
		return nil, err
	}
	if len(v) != len(f.ends) {
		return nil, f.errf(PathSpeaker, -1, -1, neurotab.ErrMalformed, "%d speakers for %d samples", len(v), len(f.ends))
	}
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out, nil
}

// Keys reads /extra/keys, the class names indexed by label (SHD: "zero" …
// "nine", "null" … "neun"). The error wraps neurotab.ErrNotFound when absent.
func (f *File) Keys() ([]string, error) {
	o, err := f.h.Get(PathKeys)
	if err != nil {
		return nil, err
	}
	d, ok := o.(*hdf5.Dataset)
	if !ok {
		return nil, f.errf(PathKeys, -1, -1, neurotab.ErrMalformed, "not a dataset")
	}
	return d.ReadStrings()
}

// Geometry describes the stream as a 1-D sensor: Width = Channels (700) or
// the highest channel + 1 when larger (or Options.Width), Height 1, Format
// "shd".
func (f *File) Geometry() events.Geometry {
	return events.Geometry{Width: f.width, Height: 1, Format: "shd"}
}

// Stats returns the counts so far: Events appended by Next, Dropped spikes
// with a bad or backward time under Options.Lenient.
func (f *File) Stats() events.Stats { return f.stats }

// Current returns the sample whose events the last Next call appended (-1
// before the first call).
func (f *File) Current() int { return f.cur }

// Seek makes the next Next call start at sample i (0 ≤ i ≤ S; S means the
// end) and clears a stream error.
func (f *File) Seek(i int) error {
	if i < 0 || i > len(f.ends) {
		return &Error{File: f.h.Name(), Path: PathTimes, Sample: -1, Spike: -1,
			Err: fmt.Errorf("%w: seek to sample %d outside [0, %d]", neurotab.ErrOutOfRange, i, len(f.ends))}
	}
	f.next, f.pos, f.prevT, f.err = i, 0, 0, nil
	return nil
}

// maxSeconds keeps round(t·10⁶) inside int64.
const maxSeconds = 9e12

// Next appends up to max events (max > 0) of the current sample to b and
// returns how many: T = round(t × 10⁶) µs from the sample's start, X = the
// channel, Y = 0, P = 1. A call never crosses a sample boundary, so every
// event it appends belongs to sample Current(); a sample without spikes
// gives one call returning 0, nil. At the end it returns 0, io.EOF. A NaN,
// negative or huge time (neurotab.ErrOutOfRange) or a time earlier than the
// one before it in the same sample (neurotab.ErrTimeOrder) stops the stream
// with an *Error, the events before it appended; under Options.Lenient the
// spike is dropped and counted instead. Errors are sticky until Seek.
func (f *File) Next(b *events.Batch, max int) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	if max <= 0 {
		return 0, &Error{File: f.h.Name(), Path: PathTimes, Sample: -1, Spike: -1,
			Err: fmt.Errorf("%w: max = %d, want > 0", neurotab.ErrParam, max)}
	}
	if f.next >= len(f.ends) {
		return 0, io.EOF
	}
	s := f.next
	lo, hi := f.span(s)
	f.cur = s
	n := 0
	b.Grow(min(max, hi-lo-f.pos))
	for ; n < max && lo+f.pos < hi; f.pos++ {
		k := lo + f.pos
		sec := float64(f.times[k])
		var err error
		t := int64(math.Round(sec * 1e6))
		switch {
		case !(sec >= 0 && sec <= maxSeconds):
			err = f.errf(PathTimes, s, f.pos, neurotab.ErrOutOfRange, "time %v s", sec)
		case t < f.prevT:
			err = f.errf(PathTimes, s, f.pos, neurotab.ErrTimeOrder, "%v s after %v s", sec, float64(f.prevT)/1e6)
		}
		if err != nil {
			if f.opt.Lenient {
				f.stats.Dropped++
				continue
			}
			f.err = err
			f.stats.Events += int64(n)
			return n, err
		}
		f.prevT = t
		b.Append(t, f.units[k], 0, 1)
		n++
	}
	f.stats.Events += int64(n)
	if lo+f.pos == hi {
		f.next, f.pos, f.prevT = s+1, 0, 0
	}
	return n, nil
}

var _ events.Decoder = (*File)(nil)
