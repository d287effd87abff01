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
// atomically. Memory holds at most Jobs+1 files' recordings at a time.
package batch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
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

// processed is a file read and homogenized, ready to write.
type processed struct {
	res  ingest.FileResult
	recs []*table.Recording // parallel to the written entries of res.Recordings
	idx  []int              // res.Recordings index of each recs entry
}

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
		if cfg.Dataset != "" {
			r.Dataset = cfg.Dataset
		}
		r.NormalizeText()
		rec := ingest.Recording{Dataset: r.Dataset, Worm: r.Worm, Notes: r.Notes}
		rawN := 0
		if r.Traces != nil {
			_, rawN = r.Traces.Dims()
		}
		res, skip, err := homogenize.Homogenize(r, cfg.Homogenize)
		raws[i] = ingest.Raw{} // the raw matrix is not needed any more
		switch {
		case err != nil:
			rec.Err = err
		case skip != nil:
			rec.Skipped, rec.SkipReason = skip.String(), string(skip.Reason)
		default:
			T, N := res.Recording.Data.Dims()
			rec.Neurons, rec.Samples, rec.Notes = N, T, res.Notes
			rec.Dropped = rawN - N
			for _, l := range res.Recording.Labeled {
				if l {
					rec.Labeled++
				}
			}
			res.Recording.RawDataFile = cfg.recordPath(res.Recording.RawDataFile)
			out.recs = append(out.recs, res.Recording)
			out.idx = append(out.idx, len(out.res.Recordings))
		}
		out.res.Recordings = append(out.res.Recordings, rec)
	}
	return out
}

// each runs process over inputs with cfg.Jobs workers and hands the results
// to fn in input order; at most Jobs+1 results are held at once.
func each(paths []ingest.Input, cfg *Config, fn func(i int, p processed)) {
	jobs := max(cfg.Jobs, 1)
	slots := make([]chan processed, len(paths))
	for i := range slots {
		slots[i] = make(chan processed, 1)
	}
	tokens := make(chan struct{}, jobs+1)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				slots[i] <- process(paths[i], cfg)
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
		uniqueWorms(&p, seen)
		fn(i, p)
		<-tokens
		if cfg.Progress != nil {
			cfg.Progress(ingest.Progress{Files: 1, Bytes: p.res.Bytes})
		}
	}
	wg.Wait()
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
	tb := table.NewTracesBuilder(cfg.Write.Mem())
	defer tb.Release()
	var sources []table.SourceFile
	each(inputs, &cfg, func(i int, p processed) {
		results = append(results, p.res)
		if werr != nil || p.res.Err != nil || len(p.recs) == 0 {
			return
		}
		sources = append(sources, table.SourceFile{Path: cfg.recordPath(p.res.Path), Bytes: p.res.Bytes, SHA256: p.res.SHA256})
		if w == nil {
			w, werr = table.CreateFile(out, table.Traces, provenance(&cfg, nil, cfg.Source), nil, cfg.Write)
			if werr != nil {
				return
			}
		}
		for k, r := range p.recs {
			if err := tb.Append(r); err != nil {
				results[len(results)-1].Recordings[p.idx[k]].Err = err
				continue
			}
			results[len(results)-1].Recordings[p.idx[k]].Output = out
		}
		results[len(results)-1].Output = out
		rec := tb.NewRecord()
		werr = w.Write(rec)
		rec.Release()
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
	each(inputs, &cfg, func(i int, p processed) {
		results = append(results, p.res)
		if p.res.Err != nil {
			return
		}
		src := []table.SourceFile{{Path: cfg.recordPath(p.res.Path), Bytes: p.res.Bytes, SHA256: p.res.SHA256}}
		for k, r := range p.recs {
			rr := &results[len(results)-1].Recordings[p.idx[k]]
			outPath, err := table.PartitionFile(dir, 0, table.Partition{Key: "source_dataset", Value: r.Dataset}, table.Partition{Key: "worm", Value: r.Worm})
			if err == nil {
				err = writeOne(outPath, r, provenance(&cfg, src, p.res.Source), cfg.Write)
			}
			if err != nil {
				rr.Err = err
				continue
			}
			rr.Output = outPath
		}
	})
	return results
}

func writeOne(path string, r *table.Recording, prov table.Provenance, opt *table.WriteOptions) error {
	tb := table.NewTracesBuilder(opt.Mem())
	defer tb.Release()
	if err := tb.Append(r); err != nil {
		return err
	}
	rec := tb.NewRecord()
	defer rec.Release()
	return table.WriteParquet(path, table.Traces, prov, nil, opt, []arrow.RecordBatch{rec}...)
}
