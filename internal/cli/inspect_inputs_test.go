package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/neurotab/neurotab/connectome"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// inspectJSONReport runs `inspect --json` and parses the report back; it
// also runs the text form, which must succeed and name the format.
func inspectJSONReport(t *testing.T, path string) *InspectReport {
	t.Helper()
	code, out, stderr := run("inspect", "--json", path)
	if code != ExitOK {
		t.Fatalf("inspect --json: exit %d: %s", code, stderr)
	}
	var rep InspectReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("report is not one JSON object of the documented keys: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value:\n%s", out)
	}
	code, text, stderr := run("inspect", path)
	if code != ExitOK || !strings.Contains(text, "format:  "+rep.Format+"\n") {
		t.Fatalf("inspect (text): exit %d, %s\n%s", code, stderr, text)
	}
	return &rep
}

func columnNames(cols []Column) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.Name)
	}
	return out
}

// inspect on one real file of every input format; expected values from each
// folder's SOURCE.md (or reference-made/manifest.json).
func TestInspectEveryInput(t *testing.T) {
	type check func(t *testing.T, r *InspectReport)
	events := func(format string, w, h int, n, t0, t1 int64, headerBytes int64) check {
		return func(t *testing.T, r *InspectReport) {
			e := r.Events
			if r.Format != format || e == nil {
				t.Fatalf("format %q, events %v", r.Format, e)
			}
			if e.Width != w || e.Height != h || e.Count != n {
				t.Errorf("sensor %d×%d, %d events; want %d×%d, %d", e.Width, e.Height, e.Count, w, h, n)
			}
			if n > 0 && (e.TFirst == nil || *e.TFirst != t0 || *e.TLast != t1 || *e.TMin != t0 || *e.TMax != t1) {
				t.Errorf("t %v…%v, want %d…%d", e.TFirst, e.TLast, t0, t1)
			}
			if headerBytes >= 0 && e.HeaderBytes != headerBytes {
				t.Errorf("header %d bytes, want %d", e.HeaderBytes, headerBytes)
			}
		}
	}
	cases := []struct {
		name  string
		path  []string
		check check
	}{
		// pynapple/SOURCE.md: F.npy is {'descr': '<f4', 'fortran_order': False,
		// 'shape': (219, 2000)}, NPY 1.0, 1,752,128 bytes = header + 219·2000·4.
		{"npy", []string{"pynapple", "F.npy"}, func(t *testing.T, r *InspectReport) {
			want := &ArrayInfo{Shape: []int{219, 2000}, Dtype: "<f4", Order: "C", Version: "1.0", HeaderBytes: 1752128 - 219*2000*4, DataBytes: 219 * 2000 * 4}
			if r.Format != "npy" || !reflect.DeepEqual(r.Array, want) {
				t.Errorf("%s %+v, want %+v", r.Format, r.Array, want)
			}
		}},
		// iscell.npy: <f8 (219, 2), 3,632 bytes.
		{"npy f8", []string{"pynapple", "iscell.npy"}, func(t *testing.T, r *InspectReport) {
			if a := r.Array; a == nil || !reflect.DeepEqual(a.Shape, []int{219, 2}) || a.Dtype != "<f8" || a.HeaderBytes != 3632-219*2*8 {
				t.Errorf("%+v", a)
			}
		}},
		// expelliarmus/SOURCE.md: 539,481 events, t 1317888 … 1367888, 640×480, header 164 bytes (7 lines).
		{"evt2", []string{"expelliarmus", "evt2_sample.raw"}, func(t *testing.T, r *InspectReport) {
			events("evt2", 640, 480, 539481, 1317888, 1367888, 164)(t, r)
			if len(r.Events.HeaderLines) != 7 || r.Events.HeaderLines[6] != "evt 2.0" {
				t.Errorf("header lines %q", r.Events.HeaderLines)
			}
		}},
		// 219,596 events, t 11718656 … 11727457, 1280×720, header 166 bytes.
		{"evt3", []string{"expelliarmus", "evt3_sample.raw"}, events("evt3", 1280, 720, 219596, 11718656, 11727457, 166)},
		// faery/SOURCE.md: CD_OFF 335,391 + CD_ON 185,861 events; time range
		// 00:15:13.716224 … 00:15:13.812096 (end = last + 1 µs); header 166 bytes.
		{"evt2 faery", []string{"faery", "evt2.raw"}, events("evt2", 640, 480, 335391+185861, 913716224, 913812095, 166)},
		// tonic/SOURCE.md: 2,009 events, t 0 … 99952, 91-byte header; the DAT header gives no size.
		{"dat", []string{"tonic", "sample_ncars.dat"}, events("dat", 0, 0, 2009, 0, 99952, 91)},
		// 4,325 events, 34×34, t 654 … 311175, no overflow marker.
		{"nmnist", []string{"tonic", "sample_nmnist.bin"}, events("nmnist", 34, 34, 4325, 654, 311175, -1)},
		// 111,954 events in 59 EVTS packets, 475 IMU samples in 59 packets, LZ4, 320×240.
		{"aedat4", []string{"tonic", "sample.aedat4"}, func(t *testing.T, r *InspectReport) {
			events("aedat4", 320, 240, 111954, 1605537493718345, 1605537494308262, -1)(t, r)
			e := r.Events
			if e.Version != "4.0" || e.Compression != "LZ4" || e.Packets != 118 || len(e.Streams) != 3 {
				t.Fatalf("%+v", e)
			}
			s0, s2 := e.Streams[0], e.Streams[1]
			if s0.ID != 0 || s0.Type != "EVTS" || s0.Packets != 59 || s0.Elements != 111954 || s0.Source != "DVXplorer_DXB00010" ||
				s2.ID != 2 || s2.Type != "IMUS" || s2.Packets != 59 || s2.Elements != 475 || s0.TSOffset != 1605507430438338 {
				t.Errorf("streams %+v", e.Streams)
			}
		}},
		// 12 header lines, 599 bytes, no events, Davis346red.
		{"aedat2", []string{"tonic", "sample_aedat_header.aedat"}, func(t *testing.T, r *InspectReport) {
			events("aedat2", 346, 260, 0, 0, 0, 599)(t, r)
			if e := r.Events; e.Version != "2.0" || len(e.HeaderLines) != 12 || e.Camera != "eu.seebetter.ini.chips.davis.Davis346red" {
				t.Errorf("%+v", e)
			}
		}},
		// c302/SOURCE.md: Source,Target,Weight,Type; 4,681 chemical + 2,698
		// electrical = 7,379 data rows (the "7,378" there is one short: Python's
		// csv module counts 7,379 too).
		{"csv", []string{"c302", "herm_full_edgelist.csv"}, func(t *testing.T, r *InspectReport) {
			if r.Format != "csv" || *r.Rows != 7379 || r.Text.Delimiter != "," ||
				!reflect.DeepEqual(columnNames(r.Columns), []string{"Source", "Target", "Weight", "Type"}) || r.Columns[2].Type != "int" {
				t.Errorf("%s %d rows %+v %+v", r.Format, *r.Rows, r.Columns, r.Text)
			}
		}},
		// tab-separated despite .csv: pre, post, type, synapses; 2,961 rows.
		{"tsv", []string{"c302", "aconnectome_white_1986_whole.csv"}, func(t *testing.T, r *InspectReport) {
			if r.Format != "tsv" || *r.Rows != 2961 || r.Text.Delimiter != "\t" || r.Text.RaggedRows != 0 ||
				!reflect.DeepEqual(columnNames(r.Columns), []string{"pre", "post", "type", "synapses"}) {
				t.Errorf("%s %d rows %+v %+v", r.Format, *r.Rows, r.Columns, r.Text)
			}
		}},
		// worm-graph/SOURCE.md: label, class, neurotransmitter, type, x, y, z; 300 rows, CRLF.
		{"csv crlf", []string{"worm-graph", "neuron_master_sheet.csv"}, func(t *testing.T, r *InspectReport) {
			if *r.Rows != 300 || !reflect.DeepEqual(columnNames(r.Columns), []string{"label", "class", "neurotransmitter", "type", "x", "y", "z"}) || r.Columns[4].Type != "float" {
				t.Errorf("%d rows %+v", *r.Rows, r.Columns)
			}
		}},
		// c302/SOURCE.md: sheet "witvliet_2020_1 L1", pre/post/type/synapses, 858 data rows + header.
		{"xlsx", []string{"c302", "witvliet_2020_1.xlsx"}, func(t *testing.T, r *InspectReport) {
			want := []connectome.SheetSize{{Name: "witvliet_2020_1 L1", Rows: 859, Cols: 4}}
			if r.Format != "xlsx" || !reflect.DeepEqual(r.Sheets, want) {
				t.Errorf("%s %+v", r.Format, r.Sheets)
			}
		}},
		// Sheet1: header + 6,417 rows, 4 columns.
		{"xlsx varshney", []string{"c302", "NeuronConnectFormatted.xlsx"}, func(t *testing.T, r *InspectReport) {
			want := []connectome.SheetSize{{Name: "Sheet1", Rows: 6418, Cols: 4}}
			if !reflect.DeepEqual(r.Sheets, want) {
				t.Errorf("%+v", r.Sheets)
			}
		}},
		// Connectome 3,363 rows × 5 columns, NeuronsToMuscle 564 × 4, Sensory 86 × 7 (each + header).
		{"xls", []string{"c302", "CElegansNeuronTables.xls"}, func(t *testing.T, r *InspectReport) {
			want := []connectome.SheetSize{{Name: "Connectome", Rows: 3364, Cols: 5}, {Name: "NeuronsToMuscle", Rows: 565, Cols: 4}, {Name: "Sensory", Rows: 87, Cols: 7}}
			if r.Format != "xls" || !reflect.DeepEqual(r.Sheets, want) {
				t.Errorf("%s %+v", r.Format, r.Sheets)
			}
		}},
		// reference-made/manifest.json: 12 keys; trace_array 8×50, timestamp_confocal 50 numbers.
		{"json", []string{"reference-made", "text", "wormwideweb_like.json"}, func(t *testing.T, r *InspectReport) {
			nodes := map[string]Node{}
			var top []string
			for _, n := range r.Nodes {
				nodes[n.Path] = n
				if strings.Count(n.Path, "/") == 1 && n.Path != "/" {
					top = append(top, n.Path[1:])
				}
			}
			keys := []string{"uid", "dataset_type", "max_t", "avg_timestep", "num_neurons", "timestamp_confocal", "trace_array", "trace_original", "labeled", "ranges", "velocity", "head_curvature"}
			if r.Format != "json" || !reflect.DeepEqual(top, keys) || nodes["/"].Info != "12 keys" {
				t.Fatalf("%s: top-level keys %q", r.Format, top)
			}
			if n := nodes["/trace_array"]; n.Kind != "array" || !reflect.DeepEqual(n.Shape, []uint64{8, 50}) || n.Dtype != "number" {
				t.Errorf("trace_array %+v", n)
			}
			if n := nodes["/timestamp_confocal"]; !reflect.DeepEqual(n.Shape, []uint64{50}) {
				t.Errorf("timestamp_confocal %+v", n)
			}
			if n := nodes["/uid"]; n.Kind != "string" || n.Info != `"2023-01-09-15"` {
				t.Errorf("uid %+v", n)
			}
		}},
		// manifest.json: one deflated member venkatachalam2024_like.csv of 9,353
		// bytes, 172 columns, 7 rows.
		{"zip", []string{"reference-made", "text", "venkatachalam2024_like.zip"}, func(t *testing.T, r *InspectReport) {
			if r.Format != "zip" || len(r.Members) != 1 {
				t.Fatalf("%s %+v", r.Format, r.Members)
			}
			m := r.Members[0]
			if m.Name != "venkatachalam2024_like.csv" || m.Bytes != 9353 || m.Method != "deflate" || m.Columns != 172 || m.Rows == nil || *m.Rows != 7 {
				t.Errorf("%+v", m)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, inspectJSONReport(t, fixtures.Path(t, c.path...)))
		})
	}
}

// A folder written by `neurotab ingest -o DIR`: its partitions with their
// row counts (tonic/SOURCE.md: 4,325 and 2,009 events), the common schema,
// _SUCCESS and a manifest that agrees with the files; then the same folder
// with _SUCCESS removed and a partition added behind the manifest's back.
func TestInspectFolder(t *testing.T) {
	bin, dat := fixtures.Path(t, "tonic", "sample_nmnist.bin"), fixtures.Path(t, "tonic", "sample_ncars.dat")
	dir := filepath.Join(t.TempDir(), "events")
	if code, _, stderr := run("ingest", "--source", "auto", bin, dat, "-o", dir); code != ExitOK {
		t.Fatalf("ingest: %s", stderr)
	}
	r := inspectJSONReport(t, dir)
	f := r.Folder
	if r.Format != "folder" || r.Table != "events" || f == nil || *r.Rows != 4325+2009 || f.Files != 2 {
		t.Fatalf("%s %s rows %v %+v", r.Format, r.Table, r.Rows, f)
	}
	want := []PartitionInfo{
		{Path: "recording=sample_ncars.dat/part-0.parquet", Rows: 2009, Partition: map[string]string{"recording": "sample_ncars.dat"}},
		{Path: "recording=sample_nmnist.bin/part-0.parquet", Rows: 4325, Partition: map[string]string{"recording": "sample_nmnist.bin"}},
	}
	if !reflect.DeepEqual(f.Partitions, want) {
		t.Errorf("partitions %+v", f.Partitions)
	}
	if !f.Success || f.Manifest == nil || f.Manifest.Inputs != 2 || len(f.Manifest.Partitions) != 2 || f.ManifestMatches == nil || !*f.ManifestMatches {
		t.Errorf("markers: success %v manifest %+v matches %v", f.Success, f.Manifest, f.ManifestMatches)
	}
	if got := columnNames(r.Columns); !reflect.DeepEqual(got, []string{"sample", "t", "x", "y", "p"}) {
		t.Errorf("columns %q", got)
	}
	if _, ok := r.Metadata["neurotab.sources"]; ok {
		t.Errorf("per-file metadata reported for the folder: %v", r.Metadata)
	}

	// Damage the folder: no _SUCCESS, one partition more than the manifest lists.
	if err := os.Remove(filepath.Join(dir, "_SUCCESS")); err != nil {
		t.Fatal(err)
	}
	extra := filepath.Join(dir, "recording=copy")
	if err := os.Mkdir(extra, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, want[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(extra, "part-0.parquet"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	r = inspectJSONReport(t, dir)
	if f := r.Folder; f.Success || *f.ManifestMatches || f.Files != 3 || *r.Rows != 4325+2*2009 {
		t.Errorf("after damage: success %v matches %v files %d rows %d", f.Success, *f.ManifestMatches, f.Files, *r.Rows)
	}
	_, text, _ := run("inspect", dir)
	if !strings.Contains(text, "_SUCCESS absent") || !strings.Contains(text, "DIFFERS") {
		t.Errorf("text report:\n%s", text)
	}
}

// Damaged inputs: one line naming the file and the offset or field.
func TestInspectDamaged(t *testing.T) {
	dir := t.TempDir()
	npy := fixtures.Path(t, "pynapple", "iscell.npy")
	b, err := os.ReadFile(npy)
	if err != nil {
		t.Fatal(err)
	}
	evt3, err := os.ReadFile(fixtures.Path(t, "expelliarmus", "evt3_sample.raw"))
	if err != nil {
		t.Fatal(err)
	}
	// The same 118-byte header with a negative dimension.
	hdr := "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }"
	badShape := append(append([]byte{}, b[:10]...), []byte(hdr+strings.Repeat(" ", 117-len(hdr))+"\n")...)
	badShape = append(badShape, b[128:]...)
	cases := []struct {
		name, file string
		data       []byte
		want       []string
	}{
		{"npy truncated data", "cut.npy", b[:1000], []string{"cut.npy", "data at offset 128", "truncated"}},
		{"npy bad header", "hdr.npy", badShape, []string{"hdr.npy", "shape at offset 10"}},
		{"json syntax", "bad.json", []byte(`{"a": [1, 2,, 3]}`), []string{"bad.json", "JSON at offset 12"}},
		{"json truncated", "cut.json", []byte(`{"a": [1, 2, 3`), []string{"cut.json", "ends early"}},
		{"json nesting", "deep.json", []byte(strings.Repeat("[", 100000)), []string{"deep.json", "nested deeper"}},
		{"evt3 header only cut", "cut.raw", evt3[:100], []string{"cut.raw", "offset"}},
		{"csv bad quote", "q.csv", []byte("a,b\n1,\"2\n"), []string{"q.csv:2"}},
		{"xlsx not a zip", "w.xlsx", []byte("PK\x03\x04 not really"), []string{"w.xlsx"}},
		{"zip cut", "z.zip", []byte("PK\x03\x04\x14\x00\x00\x00"), []string{"z.zip", "zip"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run("inspect", "--json", p)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != ExitError || len(lines) != 1 {
				t.Fatalf("exit %d, %q", code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("%q does not say %q", stderr, w)
				}
			}
		})
	}
}

// An empty folder and a file of no known format say what inspect reads.
func TestInspectUnknown(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.bin.unknown")
	if err := os.WriteFile(p, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{p, dir} {
		code, _, stderr := run("inspect", arg)
		if code != ExitError || !strings.Contains(stderr, arg) {
			t.Errorf("%s: exit %d %q", arg, code, stderr)
		}
	}
	if _, _, stderr := run("inspect", p); !strings.Contains(stderr, "CSV/TSV") {
		t.Errorf("no list of readable formats: %q", stderr)
	}
}

// JSON shapes: nested arrays of equal length give a matrix shape, ragged
// ones only their length; element types are merged (null defers, a second
// type is "mixed"); objects past 64 keys are summarized.
func TestInspectJSONShapes(t *testing.T) {
	many := "{"
	for i := range 70 {
		if i > 0 {
			many += ","
		}
		many += fmt.Sprintf(`"k%d": %d`, i, i)
	}
	many += "}"
	cases := []struct {
		name, doc string
		path      string
		want      Node
	}{
		{"matrix", `{"m": [[1,2,3],[4,5,6]]}`, "/m", Node{Path: "/m", Kind: "array", Dtype: "number", Shape: []uint64{2, 3}}},
		{"ragged", `{"m": [[1,2,3],[4,5]]}`, "/m", Node{Path: "/m", Kind: "array", Dtype: "number", Shape: []uint64{2}}},
		{"null first", `{"v": [null, 1.5, 2]}`, "/v", Node{Path: "/v", Kind: "array", Dtype: "number", Shape: []uint64{3}}},
		{"mixed", `{"v": [1, "a"]}`, "/v", Node{Path: "/v", Kind: "array", Dtype: "mixed", Shape: []uint64{2}}},
		{"top array", `[[true],[false]]`, "/", Node{Path: "/", Kind: "array", Dtype: "bool", Shape: []uint64{2, 1}}},
		{"empty array", `{"e": []}`, "/e", Node{Path: "/e", Kind: "array", Shape: []uint64{0}}},
		{"deep keys not listed", `{"a": {"b": {"c": 1}}}`, "/a/b", Node{Path: "/a/b", Kind: "object", Info: "1 key"}},
		{"many keys", many, "/…", Node{Path: "/…", Kind: "more", Info: "6 further keys not listed"}},
	}
	dir := t.TempDir()
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, fmt.Sprintf("d%d.json", i))
			if err := os.WriteFile(p, []byte(c.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			r := inspectJSONReport(t, p)
			for _, n := range r.Nodes {
				if strings.HasPrefix(n.Path, "/a/b/") {
					t.Errorf("a third level listed: %+v", n)
				}
				if n.Path == c.path {
					if !reflect.DeepEqual(n, c.want) {
						t.Errorf("got %+v, want %+v", n, c.want)
					}
					return
				}
			}
			t.Errorf("no node %s in %+v", c.path, r.Nodes)
		})
	}
}
