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
	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/table"
)

// FolderInfo is what inspect reports for a folder of table files (a
// hive-partitioned dataset as `-o DIR` writes it). Its files are read
// through their footers only; the report's columns are the schema common
// to every file, its metadata the key-value pairs equal in every file (a
// file's own sources and geometry are in that file: inspect it).
type FolderInfo struct {
	Files      int             `json:"files"`
	Partitions []PartitionInfo `json:"partitions"`
	// Success says whether _SUCCESS is present: the run that wrote the
	// folder finished every input.
	Success bool `json:"success"`
	// Manifest is _manifest.json (nil when absent) and ManifestMatches
	// whether its partitions and row counts are exactly the files found.
	Manifest        *table.Manifest `json:"manifest,omitempty"`
	ManifestMatches *bool           `json:"manifest_matches,omitempty"`
	// ShardMarkers are the _SUCCESS.k-of-n and _manifest.k-of-n.json files
	// of a sharded run.
	ShardMarkers []string `json:"shard_markers,omitempty"`
	// SchemaDiffers lists files whose schema differs from the first file's
	// (a column missing, added or of another type).
	SchemaDiffers []string `json:"schema_differs,omitempty"`
}

// PartitionInfo is one table file of the folder with its row count and its
// key=value partition levels.
type PartitionInfo struct {
	Path      string            `json:"path"` // relative to the folder, with '/'
	Rows      int64             `json:"rows"`
	Partition map[string]string `json:"partition,omitempty"`
}

func inspectFolder(dir string) (*InspectReport, error) {
	files, err := table.DataFiles(dir)
	if err != nil {
		return nil, err
	}
	fi := &FolderInfo{Files: len(files), Partitions: []PartitionInfo{}}
	rep := &InspectReport{File: dir, Format: "folder", Folder: fi}
	var total int64
	var first *arrow.Schema
	common := map[string]bool{}
	meta := map[string]string{} // metadata equal in every file so far
	for _, f := range files {
		rows, s, err := tableFooter(f)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(dir, f)
		rel = filepath.ToSlash(rel)
		p := PartitionInfo{Path: rel, Rows: rows}
		parts, err := table.ParsePartitionDir(filepath.Dir(rel))
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", dir, rel, err)
		}
		for _, kv := range parts {
			if p.Partition == nil {
				p.Partition = map[string]string{}
			}
			p.Partition[kv.Key] = kv.Value
		}
		fi.Partitions = append(fi.Partitions, p)
		total += rows
		if first == nil {
			first = s
			for _, fl := range s.Fields() {
				common[fl.Name] = true
			}
			if k, ok := table.KindOf(s); ok {
				rep.Table = string(k)
			}
			for i, k := range s.Metadata().Keys() {
				meta[k] = s.Metadata().Values()[i]
			}
			continue
		}
		for k, v := range meta {
			if w, ok := s.Metadata().GetValue(k); !ok || w != v {
				delete(meta, k)
			}
		}
		if !s.Equal(first) {
			fi.SchemaDiffers = append(fi.SchemaDiffers, rel)
		}
		for _, fl := range first.Fields() {
			if g, ok := s.FieldsByName(fl.Name); !ok || !arrow.TypeEqual(g[0].Type, fl.Type) {
				common[fl.Name] = false
			}
		}
	}
	rep.Rows = &total
	if first != nil {
		var keep []arrow.Field
		for _, fl := range first.Fields() {
			if common[fl.Name] {
				keep = append(keep, fl)
			}
		}
		md := arrow.MetadataFrom(meta)
		fillSchema(rep, keep, md.Keys(), md.Values())
	}
	if err := fi.markers(dir); err != nil {
		return nil, err
	}
	return rep, nil
}

// tableFooter reads a table file's row count and schema.
func tableFooter(path string) (int64, *arrow.Schema, error) {
	f, err := table.Open(path, nil)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	switch t := f.(type) {
	case *table.ParquetFile:
		return t.NumRows(), t.Schema(), nil
	case *table.IPCFile:
		n, err := t.NumRows()
		return n, t.Schema(), err
	}
	return 0, nil, fmt.Errorf("%s: not a Parquet or Arrow file: %w", path, neurotab.ErrMalformed)
}

// markers reads _SUCCESS, _manifest.json and the shard markers of dir.
func (fi *FolderInfo) markers(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, table.SuccessFile)); err == nil {
		fi.Success = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, table.SuccessFile+".") || (strings.HasPrefix(n, "_manifest.") && n != table.ManifestFile) {
			fi.ShardMarkers = append(fi.ShardMarkers, n)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, table.ManifestFile))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(b) > 64<<20 {
		return fmt.Errorf("%s: %d bytes, more than a manifest holds: %w", filepath.Join(dir, table.ManifestFile), len(b), neurotab.ErrTooLarge)
	}
	var m table.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %v: %w", filepath.Join(dir, table.ManifestFile), err, neurotab.ErrMalformed)
	}
	fi.Manifest = &m
	match := len(m.Partitions) == len(fi.Partitions)
	if match {
		got := map[string]int64{}
		for _, p := range fi.Partitions {
			got[p.Path] = p.Rows
		}
		for _, p := range m.Partitions {
			if r, ok := got[p.Path]; !ok || r != p.Rows {
				match = false
			}
		}
	}
	fi.ManifestMatches = &match
	return nil
}

func (fi *FolderInfo) print(w io.Writer) {
	if fi == nil {
		return
	}
	fmt.Fprintf(w, "files:   %d\n", fi.Files)
	done := "no (_SUCCESS absent: the run that wrote it did not finish, or it was not written by neurotab)"
	if fi.Success {
		done = "yes (_SUCCESS)"
	}
	fmt.Fprintf(w, "complete: %s\n", done)
	if m := fi.Manifest; m != nil {
		agree := "agrees with the files"
		if !*fi.ManifestMatches {
			agree = "DIFFERS from the files found"
		}
		fmt.Fprintf(w, "manifest: run %s, %d inputs, %d partitions (%s); command: %s\n", m.Run, m.Inputs, len(m.Partitions), agree, clip(strings.Join(m.Command, " "), 200))
	} else {
		fmt.Fprintln(w, "manifest: none")
	}
	if len(fi.ShardMarkers) > 0 {
		sort.Strings(fi.ShardMarkers)
		fmt.Fprintf(w, "shard markers: %s\n", strings.Join(fi.ShardMarkers, " "))
	}
	fmt.Fprintln(w, "partitions:")
	for _, p := range fi.Partitions {
		fmt.Fprintf(w, "  %-50s %d rows\n", p.Path, p.Rows)
	}
	if len(fi.SchemaDiffers) > 0 {
		fmt.Fprintf(w, "schema differs from the first file in: %s (columns below are those common to all)\n", strings.Join(fi.SchemaDiffers, ", "))
	}
}
