// Package batch runs calcium-imaging ingest over many files: each file is
// read by its source adapter (ingest/calcium), each recording homogenized
// (ingest/homogenize) and written to the traces table, several files at once,
// with nothing silently dropped: every skipped recording and every failed
// file is reported with its reason, and one bad file does not stop the
// others.
//
// Output is one Parquet file (recordings in input order, whatever --jobs) or
// a hive-partitioned dataset, one file per recording at
// DIR/source_dataset=<dataset>/worm=<worm>/part-0.parquet, each written
// atomically. Memory holds at most Jobs+1 files' raw recordings at a time;
// each recording is homogenized and written in blocks of neurons, so the
// homogenized matrix is never held whole.
package batch

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
	"github.com/neurotab/neurotab/ingest"
	"github.com/neurotab/neurotab/ingest/calcium"
	"github.com/neurotab/neurotab/ingest/homogenize"
)

// Config sets a batch run.
type Config struct {
	Source     string             // default adapter name for inputs without one, or "auto" (detect per file)
	Adapter    calcium.Options    // adapter options (sample rate, label file, …)
	Homogenize homogenize.Options // homogenization steps
	Jobs       int                // files processed at once (default 1)
	Write      *table.WriteOptions
	Command    []string // recorded in provenance
	// Progress, when set, is called after each input, in input order, with
	// Files 1 and the input's size in Bytes.
	Progress func(ingest.Progress)

	// Seed, when set, is recorded in provenance (for simulated inputs).
	Seed *neurotab.Seed
	// Dataset, when set, is the source_dataset of every recording instead
	// of the source's own name (generic sources call theirs "generic").
	Dataset string
	// SourceBase, when set, makes recorded input paths (provenance sources
	// and the raw_data_file column) relative to it, so outputs do not depend
	// on where the inputs were.
	SourceBase string
}

// recordPath is the path recorded for an input.
func (c *Config) recordPath(p string) string {
	if c.SourceBase == "" {
		return p
	}
	if r, err := filepath.Rel(c.SourceBase, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// processed is a file read and its homogenization planned, ready to
// stream: the worker that made it hands it to the writer, then runs the
// plans block by block and sends the blocks, as traces records, on blocks,
// at most queueBlocks ahead of the writer.
type processed struct {
	res    ingest.FileResult
	recs   []*table.Recording // copies of the plans' headers (no Data), parallel to plans: the writer renames these
	worms  []string           // the worm names the blocks are built with, parallel to plans
	idx    []int              // res.Recordings index of each recs entry
	plans  []*homogenize.Plan // one per written recording
	blocks chan block         // blocks of every plan in order, then closed
	nnotes []int              // the number of notes of plan k when it was handed to the writer
	held   int64              // bytes of the raw matrices the plans read
}

// block is a traces record of a few neurons of plan k, or (end) the end of
// plan k with the error that stopped it, if any.
type block struct {
	k   int
	rec arrow.RecordBatch
	end bool
	err error
}

// blockValues is the number of float32 values of the homogenized and
// original traces in one streamed block: about 4 MB of list values, so a
// large recording is homogenized and encoded without a second copy of it.
const blockValues = 1 << 20

// queueBlocks is the number of blocks a worker may build ahead of the
// writer (about 8 MB each): small files are built whole while the writer
// encodes earlier ones; a large one waits for the writer.
const queueBlocks = 6

func process(in ingest.Input, cfg *Config) processed {
	out := processed{res: ingest.FileResult{Input: in}}
	path := in.Path
	name := in.Source
	if name == "" {
		name = cfg.Source
	}
	if name == "" || name == "auto" {
		n, err := calcium.Detect(path)
		if err != nil {
			out.res.Err = err
			return out
		}
		name = n
	}
	ad, err := calcium.Lookup(name)
	if err != nil {
		out.res.Err = fmt.Errorf("%s: %w", path, err)
		return out
	}
	out.res.Source = ad.Name
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		sf, err := table.HashFile(path)
		if err != nil {
			out.res.Err = err
			return out
		}
		out.res.SHA256, out.res.Bytes = sf.SHA256, sf.Bytes
	}
	raws, err := ad.Read(path, cfg.Adapter)
	if err != nil {
		out.res.Err = err
		return out
	}
	for i := range raws {
		r := &raws[i]
		if r.Traces != nil {
			T, N := r.Traces.Dims()
			out.held += int64(T) * int64(N) * 8
		}
		if cfg.Dataset != "" {
			r.Dataset = cfg.Dataset
		}
		r.NormalizeText()
		rec := ingest.Recording{Dataset: r.Dataset, Worm: r.Worm, Notes: r.Notes}
		rawN := 0
		if r.Traces != nil {
			_, rawN = r.Traces.Dims()
		}
		plan, skip, err := homogenize.Prepare(r, cfg.Homogenize)
		switch {
		case err != nil:
			rec.Err = err
		case skip != nil:
			rec.Skipped, rec.SkipReason = skip.String(), string(skip.Reason)
		default:
			h := plan.Result().Recording
			N, T := len(h.Neurons), len(h.Time)
			rec.Neurons, rec.Samples = N, T
			rec.Notes = append([]string(nil), plan.Result().Notes...)
			out.nnotes = append(out.nnotes, len(rec.Notes))
			rec.Dropped = rawN - N
			for _, l := range h.Labeled {
				if l {
					rec.Labeled++
				}
			}
			h.RawDataFile = cfg.recordPath(h.RawDataFile)
			hc := *h
			out.recs = append(out.recs, &hc)
			out.worms = append(out.worms, h.Worm)
			out.plans = append(out.plans, plan)
			out.idx = append(out.idx, len(out.res.Recordings))
		}
		out.res.Recordings = append(out.res.Recordings, rec)
	}
	if len(out.plans) > 0 {
		out.blocks = make(chan block, queueBlocks)
	}
	return out
}

// stream runs p's plans block by block, sending each block as a traces
// record built with tb. It reads only the plans, not p.recs, which the
// writer may rename meanwhile.
func (p *processed) stream(tb *table.TracesBuilder) {
	defer close(p.blocks)
	for k, plan := range p.plans {
		h := plan.Result().Recording
		n := max(blockValues/max(len(h.Time)+len(h.OriginalTime), 1), 1)
		err := plan.Blocks(n, func(_ int, blk *table.Recording) error {
			if err := tb.Append(blk); err != nil {
				return err
			}
			p.blocks <- block{k: k, rec: tb.NewRecord()}
			return nil
		})
		if err != nil {
			tb.NewRecord().Release() // drop a partly appended block
		}
		p.blocks <- block{k: k, end: true, err: err}
	}
}

// notes returns the notes of plan k once its last block was received: the
// plan's (complete now), then those the writer added to had (uniqueWorms).
func (p *processed) notes(k int, had []string) []string {
	return append(append([]string(nil), p.plans[k].Result().Notes...), had[p.nnotes[k]:]...)
}

// write writes the record of block b with w, under the worm name the
// writer chose (uniqueWorms), and releases it.
func (p *processed) write(w table.TableWriter, b block, mem memory.Allocator) error {
	defer b.rec.Release()
	if p.recs[b.k].Worm == p.worms[b.k] {
		return w.Write(b.rec)
	}
	rec, err := renamed(b.rec, p.recs[b.k].Worm, mem)
	if err != nil {
		return err
	}
	defer rec.Release()
	return w.Write(rec)
}

// renamed returns rec, a traces record of one recording, with worm in its
// worm column.
func renamed(rec arrow.RecordBatch, worm string, mem memory.Allocator) (arrow.RecordBatch, error) {
	const col = 1 // worm
	db := array.NewDictionaryBuilder(mem, rec.Schema().Field(col).Type.(*arrow.DictionaryType)).(*array.BinaryDictionaryBuilder)
	defer db.Release()
	for range rec.NumRows() {
		if err := db.AppendString(worm); err != nil {
			return nil, err
		}
	}
	arr := db.NewArray()
	defer arr.Release()
	cols := append([]arrow.Array(nil), rec.Columns()...)
	cols[col] = arr
	return array.NewRecordBatch(rec.Schema(), cols, rec.NumRows()), nil
}

// each runs process over inputs with cfg.Jobs workers and hands the results
// to fn in input order; at most Jobs+1 files are held at once. fn receives
// the file's blocks on p.blocks (nil when nothing is to be written) and
// must drain them, releasing each record.
func each(paths []ingest.Input, cfg *Config, fn func(i int, p *processed)) {
	jobs := max(cfg.Jobs, 1)
	lim := newMemLimit()
	defer lim.restore()
	slots := make([]chan *processed, len(paths))
	for i := range slots {
		slots[i] = make(chan *processed, 1)
	}
	tokens := make(chan struct{}, jobs+1)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tb := table.NewTracesBuilder(cfg.Write.Mem())
			defer tb.Release()
			for i := range next {
				var est int64 // the file's size stands for its matrix while it is read
				if st, err := os.Stat(paths[i].Path); err == nil && !st.IsDir() {
					est = st.Size()
				}
				lim.add(est)
				p := process(paths[i], cfg)
				lim.add(p.held - est)
				slots[i] <- &p
				if p.blocks != nil {
					p.stream(tb)
				}
			}
		}()
	}
	go func() {
		for i := range paths {
			tokens <- struct{}{}
			next <- i
		}
		close(next)
	}()
	seen := map[[2]string]bool{}
	for i := range paths {
		p := <-slots[i]
		uniqueWorms(p, seen)
		fn(i, p)
		lim.add(-p.held) // written: the file's blocks are garbage now
		<-tokens
		if cfg.Progress != nil {
			cfg.Progress(ingest.Progress{Files: 1, Bytes: p.res.Bytes})
		}
	}
	wg.Wait()
}

// memLimit keeps the Go soft memory limit (runtime/debug.SetMemoryLimit)
// near what a run needs while it runs: the raw matrices held (each read
// once, streamed from in blocks) times memHeadroom plus memBase for the
// blocks in flight and the row group being encoded. Without it the garbage
// collector lets the heap grow to twice the live raw matrices (GOGC=100)
// before collecting the blocks' garbage, so one 200 MB recording would peak
// well above 700 MB. It is set only while the raw matrices held reach
// memLarge, and does nothing when GOMEMLIMIT is set.
type memLimit struct {
	mu   sync.Mutex
	on   bool
	old  int64
	held int64
}

const (
	memBase     = 192 << 20
	memHeadroom = 1.75
	memLarge    = 128 << 20 // raw bytes held from which the limit is set
)

func newMemLimit() *memLimit {
	l := &memLimit{on: os.Getenv("GOMEMLIMIT") == ""}
	if l.on {
		l.old = debug.SetMemoryLimit(-1)
		l.add(0)
	}
	return l
}

// add changes the bytes held by n and sets the limit from them.
func (l *memLimit) add(n int64) {
	if !l.on {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held += n
	if l.held < memLarge {
		// Small recordings: the default collector is faster, and the
		// heap stays small anyway; a tight limit costs a third more CPU
		// in collections and page faults on the bench set.
		debug.SetMemoryLimit(l.old)
		return
	}
	debug.SetMemoryLimit(memBase + int64(memHeadroom*float64(l.held)))
}

// restore sets the limit found at the start back.
func (l *memLimit) restore() {
	if l.on {
		debug.SetMemoryLimit(l.old)
	}
}

// uniqueWorms keeps (dataset, worm) unique over a run: a recording whose id
// an earlier file already used (two files with the same struct name, say)
// gets the file's name appended, "<worm>@<file stem>", with a note. Files are
// handled in input order, so the renaming is deterministic.
func uniqueWorms(p *processed, seen map[[2]string]bool) {
	stem := strings.TrimSuffix(filepath.Base(p.res.Path), filepath.Ext(p.res.Path))
	for k, r := range p.recs {
		key := [2]string{r.Dataset, r.Worm}
		if seen[key] {
			w := r.Worm + "@" + stem
			for n := 2; seen[[2]string{r.Dataset, w}]; n++ {
				w = fmt.Sprintf("%s@%s#%d", r.Worm, stem, n)
			}
			rr := &p.res.Recordings[p.idx[k]]
			rr.Notes = append(rr.Notes, fmt.Sprintf("recording id %q already used by an earlier file: renamed %q", r.Worm, w))
			r.Worm, rr.Worm = w, w
			key = [2]string{r.Dataset, w}
		}
		seen[key] = true
	}
}

func provenance(cfg *Config, sources []table.SourceFile, source string) table.Provenance {
	params := cfg.Homogenize.Parameters()
	params["source"] = source
	params["adapter_options"] = cfg.Adapter
	if cfg.Dataset != "" {
		params["dataset"] = cfg.Dataset
	}
	return table.Provenance{Command: cfg.Command, Parameters: params, Sources: sources, Seed: cfg.Seed}
}

// ToFile writes every recording of every input into one traces Parquet
// file, in input order. It returns per-file results; the error is non-nil
// only when no output could be written.
func ToFile(inputs []ingest.Input, out string, cfg Config) ([]ingest.FileResult, error) {
	var results []ingest.FileResult
	var w table.TableWriter
	var werr error
	var sources []table.SourceFile
	each(inputs, &cfg, func(i int, p *processed) {
		results = append(results, p.res)
		res := &results[len(results)-1]
		if p.blocks == nil {
			return
		}
		if werr == nil && w == nil {
			w, werr = table.CreateFile(out, table.Traces, provenance(&cfg, nil, cfg.Source), nil, cfg.Write)
		}
		wrote := false
		for b := range p.blocks {
			rr := &res.Recordings[p.idx[b.k]]
			switch {
			case b.rec != nil:
				if werr == nil {
					werr = p.write(w, b, cfg.Write.Mem())
				} else {
					b.rec.Release()
				}
			case b.err != nil:
				rr.Err = b.err
			case werr == nil:
				rr.Output, rr.Notes = out, p.notes(b.k, rr.Notes)
				wrote = true
			}
		}
		if werr == nil && wrote {
			res.Output = out
			sources = append(sources, table.SourceFile{Path: cfg.recordPath(p.res.Path), Bytes: p.res.Bytes, SHA256: p.res.SHA256})
		}
	})
	if werr != nil {
		if w != nil {
			w.Abort()
		}
		return results, werr
	}
	if w == nil {
		return results, fmt.Errorf("batch: no recording could be converted: %w", ingest.FirstErr(results))
	}
	for _, s := range sources {
		w.AddSource(s)
	}
	return results, w.Close()
}

// ToDir writes each recording as its own partition of a hive-partitioned
// dataset under dir.
func ToDir(inputs []ingest.Input, dir string, cfg Config) []ingest.FileResult {
	var results []ingest.FileResult
	each(inputs, &cfg, func(i int, p *processed) {
		results = append(results, p.res)
		if p.blocks == nil {
			return
		}
		res := &results[len(results)-1]
		src := []table.SourceFile{{Path: cfg.recordPath(p.res.Path), Bytes: p.res.Bytes, SHA256: p.res.SHA256}}
		var w *table.ParquetWriter
		var outPath string
		var err error
		for b := range p.blocks {
			rr := &res.Recordings[p.idx[b.k]]
			r := p.recs[b.k]
			if b.rec != nil {
				if w == nil && err == nil {
					outPath, err = table.PartitionFile(dir, 0, table.Partition{Key: "source_dataset", Value: r.Dataset}, table.Partition{Key: "worm", Value: r.Worm})
					if err == nil {
						w, err = table.CreateParquet(outPath, table.Traces, provenance(&cfg, src, p.res.Source), nil, cfg.Write)
					}
				}
				if err == nil {
					err = p.write(w, b, cfg.Write.Mem())
				} else {
					b.rec.Release()
				}
				continue
			}
			if err == nil {
				err = b.err
			}
			if err == nil && w != nil {
				err = w.Close()
			} else if w != nil {
				w.Abort()
			}
			if err != nil {
				rr.Err = err
			} else {
				rr.Output, rr.Notes = outPath, p.notes(b.k, rr.Notes)
			}
			w, err = nil, nil
		}
	})
	return results
}
