package eventdata

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/events"
	"github.com/neurotab/neurotab/formats/sniff"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
)

// multiSample is a decoder whose stream holds several samples (SHD-style
// datasets): every Next call appends events of one sample, Current().
type multiSample interface {
	Current() int
	NumSamples() int
}

// Config sets a conversion.
type Config struct {
	Options
	Filters     Filters             // streaming transforms applied before writing
	BatchEvents int                 // events per record batch (default 1<<20)
	Write       *table.WriteOptions // Parquet settings
	Prov        table.Provenance    // command, parameters; sources are filled in
	Jobs        int                 // files converted at once in directory mode (default 1)
	// AllowEmpty accepts an input that holds no events as an empty table
	// with a note; by default it is an error (an empty or truncated file is
	// far more often a mistake than a recording without events).
	AllowEmpty bool
	// Progress, when set, is called with the input bytes read since the
	// last call, and with Files 1 when an input is finished (from several
	// goroutines in directory mode).
	Progress func(ingest.Progress)
}

// fileDone reports one finished input to Progress.
func (c *Config) fileDone() {
	if c.Progress != nil {
		c.Progress(ingest.Progress{Files: 1})
	}
}

func (c *Config) batch() int {
	if c.BatchEvents <= 0 {
		return 1 << 20
	}
	return c.BatchEvents
}

// countingReader counts and hashes what passes through.
type countingReader struct {
	r        io.Reader
	h        hash.Hash
	n        int64
	progress func(ingest.Progress)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.h.Write(p[:n])
		c.n += int64(n)
		if c.progress != nil {
			c.progress(ingest.Progress{Bytes: int64(n)})
		}
	}
	return n, err
}

// resolve finds the Source of an input, detecting it when asked.
func resolve(in ingest.Input) (Source, error) {
	name := in.Source
	if name == "" || name == "auto" {
		var err error
		name, err = Detect(in.Path)
		if err != nil {
			return Source{}, err
		}
		if name == "" {
			what := "its first bytes match no format neurotab reads (a damaged header, or another format)"
			if f, err := sniff.File(in.Path); err == nil && f != sniff.Unknown {
				what = fmt.Sprintf("it is %s, not an event file", f)
			}
			return Source{}, fmt.Errorf("%s: not a recognized event file: %s; use --source to name the format: %w", in.Path, what, neurotab.ErrUnsupported)
		}
	}
	s, err := Lookup(name)
	if err != nil {
		return Source{}, fmt.Errorf("%s: %w", in.Path, err)
	}
	return s, nil
}

// stream decodes one input and hands each batch, as a zero-copy record, to
// sink. Decoding runs in its own goroutine, one batch ahead of the sink, so
// decoding and writing overlap on two cores. The result carries the hash and
// size of the whole file.
func stream(in ingest.Input, cfg *Config, begin func(events.Geometry) error, sink func(arrow.RecordBatch) error) ingest.FileResult {
	res := ingest.FileResult{Input: in}
	src, err := resolve(in)
	if err != nil {
		res.Err = err
		return res
	}
	res.Source = src.Name
	var dec events.Decoder
	var cr *countingReader
	if src.OpenFile != nil {
		// Random-access formats (HDF5): hash the file separately.
		sf, err := table.HashFile(in.Path)
		if err != nil {
			res.Err = err
			return res
		}
		res.Bytes, res.SHA256 = sf.Bytes, sf.SHA256
		d, closer, err := src.OpenFile(in.Path, cfg.Options)
		if err != nil {
			res.Err = err
			return res
		}
		defer closer.Close()
		dec = d
		if cfg.Progress != nil {
			cfg.Progress(ingest.Progress{Bytes: sf.Bytes})
		}
	} else {
		f, err := os.Open(in.Path)
		if err != nil {
			res.Err = err
			return res
		}
		defer f.Close()
		cr = &countingReader{r: f, h: sha256.New(), progress: cfg.Progress}
		if dec, err = src.Open(bufferedReader(cr), in.Path, cfg.Options); err != nil {
			res.Err = err
			return res
		}
	}
	res.Geometry = dec.Geometry()
	if res.Geometry.TimeBase == "" {
		res.Geometry.TimeBase = src.TimeBase
	}
	multi, isMulti := dec.(multiSample)
	res.Samples = 1
	if isMulti {
		res.Samples = int32(multi.NumSamples())
		if l, ok := dec.(interface{ Labels() []int }); ok {
			res.Labels = l.Labels()
		}
		if cfg.Filters.Active() {
			res.Err = fmt.Errorf("%s: filters apply to single-recording streams, not to a file of %d samples: %w", in.Path, res.Samples, neurotab.ErrUnsupported)
			return res
		}
	}
	chain, outGeom, err := cfg.Filters.chain(res.Geometry, in.Path)
	if err != nil {
		res.Err = err
		return res
	}
	res.Geometry = outGeom
	if begin != nil {
		if err := begin(res.Geometry); err != nil {
			res.Err = err
			return res
		}
	}

	const depth = 3 // batches in flight: decoding one, writing one, one spare
	free := make(chan *events.Batch, depth)
	full := make(chan *events.Batch, depth)
	ids := map[*events.Batch]*[]int32{} // per-event sample ids of multi-sample streams
	for i := 0; i < depth; i++ {
		b := &events.Batch{}
		b.Grow(min(cfg.batch(), 1<<16)) // grows as needed: small files stay cheap
		ids[b] = new([]int32)
		free <- b
	}
	var decErr error
	var decoded int64 // events the decoder delivered, before the filters
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(full)
		for {
			var b *events.Batch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.Reset()
			bid := ids[b]
			*bid = (*bid)[:0]
			for b.Len() < cfg.batch() {
				k, err := dec.Next(b, cfg.batch()-b.Len())
				decoded += int64(k)
				if isMulti && k > 0 {
					id := in.Sample + int32(multi.Current())
					for ; k > 0; k-- {
						*bid = append(*bid, id)
					}
				}
				if err == io.EOF {
					if err := applyChain(chain, b); err != nil {
						decErr = fmt.Errorf("%s: %w", in.Path, err)
						return
					}
					if b.Len() > 0 {
						full <- b
					}
					return
				}
				if err != nil {
					decErr = err
					return
				}
			}
			if err := applyChain(chain, b); err != nil {
				decErr = fmt.Errorf("%s: %w", in.Path, err)
				return
			}
			full <- b
		}
	}()
	var sample []int32
	var sinkErr error
	for b := range full {
		if sinkErr == nil {
			col := *ids[b]
			if !isMulti {
				sample = table.SampleColumn(sample, in.Sample, b.Len())
				col = sample
			}
			rec := table.EventsRecord(b, col)
			sinkErr = sink(rec)
			rec.Release()
			res.Events += int64(b.Len())
			if sinkErr != nil {
				close(stop)
			}
		}
		free <- b
	}
	wg.Wait()
	switch {
	case decErr != nil:
		res.Err = decErr
	case sinkErr != nil:
		res.Err = sinkErr
	}
	if res.Err != nil {
		return res
	}
	if decoded == 0 {
		if !cfg.AllowEmpty {
			res.Err = fmt.Errorf("%s: the file holds no events (--allow-empty writes an empty table): %w", in.Path, neurotab.ErrMalformed)
			return res
		}
		res.Notes = append(res.Notes, "the file holds no events: its table is empty (--allow-empty)")
	}
	if cr != nil {
		// Drain what the decoder did not need, so the hash covers the file.
		if _, err := io.Copy(io.Discard, cr); err != nil {
			res.Err = fmt.Errorf("%s: %w", in.Path, err)
			return res
		}
		res.Bytes = cr.n
		res.SHA256 = hex.EncodeToString(cr.h.Sum(nil))
	}
	res.Dropped = dec.Stats().Dropped
	return res
}

// applyChain filters b in place through every transform.
func applyChain(chain []events.Transform, b *events.Batch) error {
	for _, t := range chain {
		if err := t.Apply(b, b); err != nil {
			return err
		}
	}
	return nil
}

// geometryMetadata is the events-table metadata of a file's geometry.
func geometryMetadata(g events.Geometry) map[string]string { return table.EventsMetadata(g) }

// ToFile converts inputs, in order, into one events Parquet file at out.
// With several inputs each is first decoded once without writing, so a bad
// file is reported and left out instead of leaving part of its events in
// the output; the good ones are written. The returned error is non-nil when
// nothing could be written; per-file failures are in the results.
func ToFile(inputs []ingest.Input, out string, cfg Config) ([]ingest.FileResult, error) {
	inputs = append([]ingest.Input(nil), inputs...) // sample ids are set on a copy
	results := make([]ingest.FileResult, len(inputs))
	good := make([]int, 0, len(inputs))
	if len(inputs) > 1 {
		for i, in := range inputs {
			results[i] = stream(in, &cfg, nil, func(arrow.RecordBatch) error { return nil })
			if results[i].Err == nil {
				good = append(good, i)
			}
		}
	} else if len(inputs) == 1 {
		good = append(good, 0)
	}
	if len(good) == 0 {
		return results, fmt.Errorf("eventdata: no input could be converted: %w", ingest.FirstErr(results))
	}
	var w table.TableWriter
	if len(inputs) > 1 {
		// Sample ids: each input starts after the samples of every input
		// before it (a failed input counts one), so a single-recording input
		// keeps its position as its id and a multi-sample file (SHD) takes a
		// run of ids.
		var base int32
		for i := range inputs {
			inputs[i].Sample = base
			base += max(results[i].Samples, 1) // known from the checking pass
		}
	}
	for _, i := range good {
		begin := func(g events.Geometry) error {
			if w != nil {
				return nil // the first file's geometry describes the table
			}
			var err error
			w, err = table.CreateFile(out, table.Events, cfg.Prov, geometryMetadata(g), cfg.Write)
			return err
		}
		r := stream(inputs[i], &cfg, begin, func(rec arrow.RecordBatch) error { return w.Write(rec) })
		r.Output = out
		results[i] = r
		cfg.fileDone()
		if r.Err != nil {
			if w != nil {
				w.Abort()
			}
			if !strings.Contains(r.Err.Error(), inputs[i].Path) {
				return results, fmt.Errorf("%s: %w", inputs[i].Path, r.Err)
			}
			return results, r.Err
		}
		if w != nil {
			w.AddSource(table.SourceFile{Path: r.Path, Bytes: r.Bytes, SHA256: r.SHA256})
		}
	}
	var samples []table.EventsSample
	for _, i := range good {
		r := results[i]
		samples = append(samples, table.EventsSample{Sample: r.Sample, Path: r.Path, Format: r.Source, Width: r.Geometry.Width, Height: r.Geometry.Height, Events: r.Events, TimeBase: r.Geometry.TimeBase})
	}
	js, _ := json.Marshal(samples)
	w.AddMetadata(table.MetaEventsSamples, string(js))
	labels := map[string]int{}
	for _, i := range good {
		for k, l := range results[i].Labels {
			labels[strconv.Itoa(int(results[i].Sample)+k)] = l
		}
	}
	if len(labels) > 0 {
		js, _ := json.Marshal(labels)
		w.AddMetadata(table.MetaEventsLabels, string(js))
	}
	return results, w.Close()
}

// ToDir converts each input into its own Parquet file of a hive-partitioned
// dataset, dir/recording=<file name>/part-0.parquet, running cfg.Jobs files
// at once. Each output is written atomically: a failing input leaves no
// file, and the others still convert. Results come back in input order.
func ToDir(inputs []ingest.Input, dir string, cfg Config) []ingest.FileResult {
	jobs := max(cfg.Jobs, 1)
	results := make([]ingest.FileResult, len(inputs))
	seen := map[string]int{}
	outs := make([]string, len(inputs))
	for i, in := range inputs {
		base := filepath.Base(in.Path)
		if j, dup := seen[base]; dup {
			results[i] = ingest.FileResult{Input: in, Err: fmt.Errorf("%s: same file name as %s; the partition would collide: %w", in.Path, inputs[j].Path, neurotab.ErrParam)}
			continue
		}
		seen[base] = i
		outs[i] = table.PartitionDir(dir, table.Partition{Key: "recording", Value: base})
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for j := 0; j < jobs; j++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = convertToPartition(inputs[i], outs[i], &cfg)
				cfg.fileDone()
			}
		}()
	}
	for i := range inputs {
		if results[i].Err == nil {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	return results
}

func convertToPartition(in ingest.Input, partDir string, cfg *Config) ingest.FileResult {
	if err := os.MkdirAll(partDir, 0o755); err != nil {
		return ingest.FileResult{Input: in, Err: err}
	}
	out := filepath.Join(partDir, "part-0.parquet")
	var w *table.ParquetWriter
	r := stream(in, cfg, func(g events.Geometry) error {
		var err error
		w, err = table.CreateParquet(out, table.Events, cfg.Prov, geometryMetadata(g), cfg.Write)
		return err
	}, func(rec arrow.RecordBatch) error { return w.Write(rec) })
	r.Output = out
	if r.Err != nil {
		if w != nil {
			w.Abort()
		}
		os.Remove(partDir) // only if empty
		return r
	}
	w.AddSource(table.SourceFile{Path: r.Path, Bytes: r.Bytes, SHA256: r.SHA256})
	r.Err = w.Close()
	return r
}
