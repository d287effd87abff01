package hdf5_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/neurotab/neurotab"
	"github.com/neurotab/neurotab/formats/hdf5"
	"github.com/neurotab/neurotab/internal/fixtures"
)

// num converts a manifest number (shared with the other readers' tests).
var num = fixtures.ManifestNumber

// The expected content of every reference file comes from
// ../shared/data/reference-made/manifest.json, written by gen.py from what
// h5py/libhdf5 read back (see SOURCE.md there). Nothing here is computed by
// this package.

type manifest struct {
	Files map[string]map[string]any `json:"files"`
}

func loadManifest(t *testing.T) (string, *manifest) {
	t.Helper()
	p := fixtures.Path(t, "reference-made", "manifest.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m manifest
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(p), &m
}

func TestManifestHDF5(t *testing.T) {
	dir, m := loadManifest(t)
	names := make([]string, 0, len(m.Files))
	for name, fe := range m.Files {
		if fe["format"] == "hdf5" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) < 8 {
		t.Fatalf("manifest lists %d hdf5 files, want at least 8 (5 generic, shd, 2 nwb)", len(names))
	}
	for _, name := range names {
		fe := m.Files[name]
		t.Run(name, func(t *testing.T) {
			f, err := hdf5.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if want := num(t, fe["superblock_version"]); float64(f.SuperblockVersion()) != want {
				t.Errorf("superblock version %d, want %v", f.SuperblockVersion(), want)
			}
			if want := num(t, fe["userblock_size"]); float64(f.UserBlockSize()) != want {
				t.Errorf("user block %d, want %v", f.UserBlockSize(), want)
			}
			objs := fe["objects"].(map[string]any)
			paths := make([]string, 0, len(objs))
			for p := range objs {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				want := objs[p].(map[string]any)
				t.Run(p, func(t *testing.T) { checkObject(t, f, p, want) })
			}
			// every object the manifest lists is reached by Walk exactly once,
			// except aliases
			seen := map[string]bool{}
			err = f.Walk(func(path string, o hdf5.Object) error {
				if seen[path] {
					return fmt.Errorf("%s visited twice", path)
				}
				seen[path] = true
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range paths {
				w := objs[p].(map[string]any)
				k := w["kind"].(string)
				if (k == "group" || k == "dataset" || k == "datatype") && w["same_object_as"] == nil && !seen[p] {
					t.Errorf("Walk did not visit %s", p)
				}
			}
		})
	}
}

func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b && math.Signbit(a) == math.Signbit(b)
}

func parentOf(p string) (string, string) {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "/", p[i+1:]
	}
	return p[:i], p[i+1:]
}

func findLink(t *testing.T, f *hdf5.File, p string) hdf5.Link {
	t.Helper()
	dir, name := parentOf(p)
	o, err := f.Get(dir)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := o.(*hdf5.Group).Links()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("no link %q in %s", name, dir)
	return hdf5.Link{}
}

func checkObject(t *testing.T, f *hdf5.File, p string, want map[string]any) {
	kind := want["kind"].(string)
	switch kind {
	case "soft_link":
		l := findLink(t, f, p)
		if l.Type != hdf5.SoftLink || l.Target != want["target"] {
			t.Errorf("link %+v, want soft link to %v", l, want["target"])
		}
		_, err := f.Get(p)
		if resolves := want["resolves"] == true; resolves != (err == nil) {
			t.Errorf("Get(%s) error %v, manifest resolves=%v", p, err, resolves)
		}
		if err != nil && !errors.Is(err, neurotab.ErrNotFound) {
			t.Errorf("dangling link error %v does not wrap neurotab.ErrNotFound", err)
		}
		return
	case "external_link":
		l := findLink(t, f, p)
		if l.Type != hdf5.ExternalLink || l.File != want["file"] || l.Target != want["target"] {
			t.Errorf("link %+v, want external %v:%v", l, want["file"], want["target"])
		}
		if _, err := f.Get(p); !errors.Is(err, hdf5.ErrExternalLink) || !errors.Is(err, neurotab.ErrUnsupported) {
			t.Errorf("Get(%s) error %v, want ErrExternalLink", p, err)
		}
		return
	}
	o, err := f.Get(p)
	if err != nil {
		t.Fatal(err)
	}
	if same, ok := want["same_object_as"].(string); ok {
		o2, err := f.Get(same)
		if err != nil {
			t.Fatal(err)
		}
		if o.Addr() != o2.Addr() {
			t.Errorf("address %d, want that of %s (%d)", o.Addr(), same, o2.Addr())
		}
		return
	}
	if wa, ok := want["attrs"].(map[string]any); ok {
		checkAttrs(t, f, o, wa)
	}
	if order, ok := want["attr_creation_order"].([]any); ok {
		as, err := o.Attrs()
		if err != nil {
			t.Fatal(err)
		}
		sort.SliceStable(as, func(i, j int) bool { return as[i].CreationOrder < as[j].CreationOrder })
		var got []any
		for _, a := range as {
			got = append(got, a.Name)
		}
		if !reflect.DeepEqual(got, order) {
			t.Errorf("attribute creation order %v, want %v", got, order)
		}
	}
	switch kind {
	case "group":
		g, ok := o.(*hdf5.Group)
		if !ok {
			t.Fatalf("%T, want group", o)
		}
		checkGroup(t, g, want)
	case "datatype":
		nt, ok := o.(*hdf5.NamedType)
		if !ok {
			t.Fatalf("%T, want named datatype", o)
		}
		checkDtype(t, nt.Type, want["dtype"].(map[string]any))
	case "dataset":
		d, ok := o.(*hdf5.Dataset)
		if !ok {
			t.Fatalf("%T, want dataset", o)
		}
		checkDataset(t, f, d, want)
	default:
		t.Fatalf("unknown kind %q", kind)
	}
}

func checkGroup(t *testing.T, g *hdf5.Group, want map[string]any) {
	members, err := g.Members()
	if err != nil {
		t.Fatal(err)
	}
	var wm []string
	for _, m := range want["members"].([]any) {
		wm = append(wm, m.(string))
	}
	sort.Strings(wm)
	if len(wm) == 0 {
		wm = nil
	}
	if len(members) == 0 {
		members = nil
	}
	if !reflect.DeepEqual(members, wm) {
		t.Errorf("members %q, want %q", members, wm)
	}
	if ls, ok := want["link_storage"].(string); ok && g.LinkStorage() != ls {
		t.Errorf("link storage %s, want %s", g.LinkStorage(), ls)
	}
	if co, ok := want["creation_order"].([]any); ok {
		links, err := g.Links()
		if err != nil {
			t.Fatal(err)
		}
		sort.SliceStable(links, func(i, j int) bool { return links[i].CreationOrder < links[j].CreationOrder })
		var got []any
		for _, l := range links {
			if !l.HasCreationOrder {
				t.Errorf("link %s has no creation order", l.Name)
			}
			got = append(got, l.Name)
		}
		if !reflect.DeepEqual(got, co) {
			t.Errorf("creation order %v, want %v", got, co)
		}
	}
}

func checkDtype(t *testing.T, got *hdf5.Datatype, want map[string]any) {
	t.Helper()
	if err := dtypeDiff(got, want); err != "" {
		t.Errorf("dtype %s: %s (want %v)", got, err, want)
	}
}

func dtypeDiff(got *hdf5.Datatype, want map[string]any) string {
	size := func() string {
		if s, ok := want["size"].(json.Number); ok && s.String() != strconv.Itoa(got.Size) {
			return fmt.Sprintf("size %d, want %s", got.Size, s)
		}
		return ""
	}
	order := func(o hdf5.ByteOrder) string {
		w, ok := want["order"].(string)
		if !ok {
			return ""
		}
		if (w == "BE") != (o == hdf5.BigEndian) {
			return "byte order differs"
		}
		return ""
	}
	switch want["class"] {
	case "int":
		if got.Class != hdf5.ClassInteger {
			return "class " + got.Class.String()
		}
		if want["signed"] != got.Signed {
			return "signedness differs"
		}
		return size() + order(got.Order)
	case "float":
		if got.Class != hdf5.ClassFloat {
			return "class " + got.Class.String()
		}
		return size() + order(got.Order)
	case "string":
		cset := hdf5.ASCII
		if want["cset"] == "utf-8" {
			cset = hdf5.UTF8
		}
		if want["variable"] == true {
			if !got.IsVarString() {
				return "not a vlen string"
			}
		} else {
			if got.Class != hdf5.ClassString {
				return "class " + got.Class.String()
			}
			pads := map[any]hdf5.StrPad{"nullterm": hdf5.NullTerm, "nullpad": hdf5.NullPad, "spacepad": hdf5.SpacePad}
			if p, ok := pads[want["pad"]]; ok && p != got.Pad {
				return fmt.Sprintf("pad %d", got.Pad)
			}
			if s := size(); s != "" {
				return s
			}
		}
		if got.CharSet != cset {
			return fmt.Sprintf("cset %d", got.CharSet)
		}
		return ""
	case "vlen":
		if got.Class != hdf5.ClassVLen || got.IsString {
			return "not a vlen sequence"
		}
		return dtypeDiff(got.Base, want["base"].(map[string]any))
	case "enum":
		if got.Class != hdf5.ClassEnum {
			return "class " + got.Class.String()
		}
		wm := want["members"].(map[string]any)
		if len(wm) != len(got.EnumMembers) {
			return "enum member count"
		}
		for _, e := range got.EnumMembers {
			v, ok := wm[e.Name].(json.Number)
			if !ok || v.String() != strconv.FormatInt(e.Value, 10) {
				return "enum member " + e.Name
			}
		}
		return dtypeDiff(got.Base, want["base"].(map[string]any))
	case "compound":
		if got.Class != hdf5.ClassCompound {
			return "class " + got.Class.String()
		}
		wm := want["members"].([]any)
		if len(wm) != len(got.Members) {
			return "member count"
		}
		for i, m := range wm {
			mm := m.(map[string]any)
			g := got.Members[i]
			if mm["name"] != g.Name || mm["offset"].(json.Number).String() != strconv.Itoa(g.Offset) {
				return "member " + g.Name
			}
			if s := dtypeDiff(g.Type, mm["type"].(map[string]any)); s != "" {
				return g.Name + ": " + s
			}
		}
		return size()
	case "array":
		if got.Class != hdf5.ClassArray {
			return "class " + got.Class.String()
		}
		var dims []int
		for _, d := range want["dims"].([]any) {
			n, _ := d.(json.Number).Int64()
			dims = append(dims, int(n))
		}
		if !reflect.DeepEqual(dims, got.Dims) {
			return fmt.Sprintf("dims %v", got.Dims)
		}
		return dtypeDiff(got.Base, want["base"].(map[string]any))
	case "reference":
		if got.Class != hdf5.ClassReference || got.RefKind != 0 {
			return "not an object reference"
		}
		return ""
	}
	return fmt.Sprintf("unknown class %v", want["class"])
}

func shapeOf(t *testing.T, v any) []uint64 {
	var out []uint64
	for _, d := range v.([]any) {
		if d == nil {
			out = append(out, hdf5.Unlimited)
			continue
		}
		n, err := strconv.ParseUint(d.(json.Number).String(), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func eqShape(a, b []uint64) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func checkDataset(t *testing.T, f *hdf5.File, d *hdf5.Dataset, want map[string]any) {
	checkDtype(t, d.Datatype(), want["dtype"].(map[string]any))
	if ds := want["dataspace"].(string); d.Kind().String() != ds {
		t.Errorf("dataspace %s, want %s", d.Kind(), ds)
	}
	if s, ok := want["shape"].([]any); ok {
		if ws := shapeOf(t, s); !eqShape(d.Shape(), ws) {
			t.Errorf("shape %v, want %v", d.Shape(), ws)
		}
	}
	if s, ok := want["maxshape"].([]any); ok {
		if ws := shapeOf(t, s); !eqShape(d.MaxShape(), ws) {
			t.Errorf("maxshape %v, want %v", d.MaxShape(), ws)
		}
	}
	l := d.Layout()
	if l.Class.String() != want["layout"] {
		t.Errorf("layout %s, want %v", l.Class, want["layout"])
	}
	if c, ok := want["chunks"].([]any); ok {
		if wc := shapeOf(t, c); !eqShape(l.Chunk, wc) {
			t.Errorf("chunks %v, want %v", l.Chunk, wc)
		}
	}
	if ci, ok := want["chunk_index"].(string); ok && l.Index.String() != ci {
		t.Errorf("chunk index %s, want %s", l.Index, ci)
	}
	if wf, ok := want["filters"].([]any); ok {
		got := d.Filters()
		if len(got) != len(wf) {
			t.Errorf("%d filters, want %d", len(got), len(wf))
		} else {
			for i, x := range wf {
				m := x.(map[string]any)
				if m["id"].(json.Number).String() != strconv.Itoa(int(got[i].ID)) || m["name"] != got[i].Name {
					t.Errorf("filter %d = %d %s, want %v", i, got[i].ID, got[i].Name, m)
				}
				if lv, ok := m["level"].(json.Number); ok && (len(got[i].ClientData) < 1 || lv.String() != strconv.Itoa(int(got[i].ClientData[0]))) {
					t.Errorf("deflate level %v, want %s", got[i].ClientData, lv)
				}
			}
		}
	}
	if ac, ok := want["allocated_chunks"].(json.Number); ok {
		n, err := d.ChunkCount()
		if err != nil {
			t.Fatal(err)
		}
		if ac.String() != strconv.Itoa(n) {
			t.Errorf("allocated chunks %d, want %s", n, ac)
		}
	}
	if fv, ok := want["fillvalue"].(json.Number); ok {
		fb := d.FillValue()
		if len(fb) != d.Datatype().Size {
			t.Errorf("fill value %v", fb)
		} else {
			var w float64
			w, _ = fv.Float64()
			// decode through a one-element attribute-like conversion
			got := decodeScalar(t, fb, d.Datatype())
			if got != w {
				t.Errorf("fill value %v, want %v", got, w)
			}
		}
	}
	if ee, ok := want["expect_error"].(map[string]any); ok {
		_, err := d.ReadFloat64()
		if !errors.Is(err, neurotab.ErrChecksum) {
			t.Errorf("read error %v, want neurotab.ErrChecksum", err)
		}
		data := want["data"].(map[string]any)["values"].([]any)
		for _, r := range ee["readable_elements"].([]any) {
			rr := shapeOf(t, r)
			vals, err := d.ReadHyperslab([]uint64{rr[0]}, []uint64{rr[1] - rr[0]})
			if err != nil {
				t.Fatalf("readable range %v: %v", rr, err)
			}
			for i, v := range vals {
				if w := num(t, data[int(rr[0])+i]); !sameFloat(v, w) {
					t.Errorf("element %d = %v, want %v", int(rr[0])+i, v, w)
				}
			}
		}
		bad := shapeOf(t, ee["elements"])
		if _, err := d.ReadHyperslab([]uint64{bad[0]}, []uint64{bad[1] - bad[0]}); !errors.Is(err, neurotab.ErrChecksum) {
			t.Errorf("corrupted chunk read error %v, want neurotab.ErrChecksum", err)
		}
		return
	}
	if data, ok := want["data"].(map[string]any); ok {
		checkData(t, d, data)
	}
	if ws, ok := want["strings"].([]any); ok {
		got, err := d.ReadStrings()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ws) {
			t.Fatalf("%d strings, want %d", len(got), len(ws))
		}
		for i := range ws {
			if got[i] != ws[i] {
				t.Errorf("string %d = %q, want %q", i, got[i], ws[i])
			}
		}
	}
	if wv, ok := want["vlen"].(map[string]any); ok {
		checkVLen(t, d, wv)
	}
	if wr, ok := want["records"].([]any); ok {
		recs, err := d.ReadCompound()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(wr) {
			t.Fatalf("%d records, want %d", len(recs), len(wr))
		}
		for i := range wr {
			if s := jsonDiff(f, wr[i], recs[i]); s != "" {
				t.Errorf("record %d: %s", i, s)
			}
		}
	}
	if wr, ok := want["refs"].([]any); ok {
		refs, err := d.ReadReferences()
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != len(wr) {
			t.Fatalf("%d refs, want %d", len(refs), len(wr))
		}
		for i := range wr {
			if s := jsonDiff(f, wr[i], refs[i]); s != "" {
				t.Errorf("ref %d: %s", i, s)
			}
		}
	}
}

func decodeScalar(t *testing.T, b []byte, dt *hdf5.Datatype) float64 {
	t.Helper()
	// Build the value the same way readers do: through ReadAs on raw bytes
	// is not possible without a dataset, so decode the common cases here
	// from the IEEE/two's complement definitions.
	le := dt.Order == hdf5.LittleEndian
	u := uint64(0)
	for i := range b {
		k := i
		if le {
			k = len(b) - 1 - i
		}
		u = u<<8 | uint64(b[k])
	}
	switch {
	case dt.Class == hdf5.ClassFloat && dt.Size == 4:
		return float64(math.Float32frombits(uint32(u)))
	case dt.Class == hdf5.ClassFloat && dt.Size == 8:
		return math.Float64frombits(u)
	case dt.Class == hdf5.ClassInteger && dt.Signed:
		shift := uint(64 - 8*dt.Size)
		return float64(int64(u<<shift) >> shift)
	case dt.Class == hdf5.ClassInteger:
		return float64(u)
	}
	t.Fatalf("fill value of %s", dt)
	return 0
}

// checkData compares a dataset with a manifest data summary.
func checkData(t *testing.T, d *hdf5.Dataset, w map[string]any) {
	t.Helper()
	dtype := w["dtype"].(string)
	count := int(num(t, w["count"]))
	if uint64(count) != d.Len() && d.Kind() != hdf5.SpaceNull {
		t.Errorf("count %d, want %d", d.Len(), count)
	}
	switch {
	case dtype == "bool":
		got, err := d.ReadBool()
		if err != nil {
			t.Fatal(err)
		}
		trues := 0
		for _, b := range got {
			if b {
				trues++
			}
		}
		if trues != int(num(t, w["true_count"])) {
			t.Errorf("true count %d, want %v", trues, w["true_count"])
		}
		if vals, ok := w["values"].([]any); ok {
			for i, v := range vals {
				if got[i] != v {
					t.Errorf("element %d = %v, want %v", i, got[i], v)
				}
			}
		}
	case strings.HasPrefix(dtype, "complex"):
		got, err := d.ReadComplex128()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != count {
			t.Fatalf("%d values, want %d", len(got), count)
		}
		var sr, si float64
		for _, c := range got {
			sr += real(c)
			si += imag(c)
		}
		ws := w["sum"].([]any)
		if math.Abs(sr-num(t, ws[0])) > 1e-6*math.Max(1, math.Abs(num(t, ws[0]))) || math.Abs(si-num(t, ws[1])) > 1e-6*math.Max(1, math.Abs(num(t, ws[1]))) {
			t.Errorf("sum (%v, %v), want %v", sr, si, ws)
		}
		if vals, ok := w["values"].([]any); ok {
			for i, v := range vals {
				p := v.([]any)
				if !sameFloat(real(got[i]), num(t, p[0])) || !sameFloat(imag(got[i]), num(t, p[1])) {
					t.Errorf("element %d = %v, want %v", i, got[i], p)
				}
			}
		}
	case strings.HasPrefix(dtype, "int") || strings.HasPrefix(dtype, "uint"):
		var got []*big.Int
		if dtype == "uint64" {
			v, err := d.ReadUint64()
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range v {
				got = append(got, new(big.Int).SetUint64(x))
			}
		} else {
			v, err := d.ReadInt64()
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range v {
				got = append(got, big.NewInt(x))
			}
		}
		checkIntSummary(t, got, w)
	default:
		got, err := d.ReadFloat64()
		if err != nil {
			t.Fatal(err)
		}
		checkFloatSummary(t, got, w)
	}
}

func bigOf(t *testing.T, v any) *big.Int {
	b, ok := new(big.Int).SetString(v.(json.Number).String(), 10)
	if !ok {
		t.Fatalf("bad integer %v", v)
	}
	return b
}

func checkIntSummary(t *testing.T, got []*big.Int, w map[string]any) {
	t.Helper()
	count := int(num(t, w["count"]))
	if len(got) != count {
		t.Fatalf("%d values, want %d", len(got), count)
	}
	if count == 0 {
		return
	}
	sum := new(big.Int)
	mn, mx := got[0], got[0]
	for _, g := range got {
		sum.Add(sum, g)
		if g.Cmp(mn) < 0 {
			mn = g
		}
		if g.Cmp(mx) > 0 {
			mx = g
		}
	}
	for _, c := range []struct {
		name string
		got  *big.Int
	}{{"sum", sum}, {"min", mn}, {"max", mx}, {"first", got[0]}, {"last", got[count-1]}} {
		if c.got.Cmp(bigOf(t, w[c.name])) != 0 {
			t.Errorf("%s %v, want %v", c.name, c.got, w[c.name])
		}
	}
	if vals, ok := w["values"].([]any); ok {
		for i, v := range vals {
			if got[i].Cmp(bigOf(t, v)) != 0 {
				t.Errorf("element %d = %v, want %v", i, got[i], v)
			}
		}
	}
	if samples, ok := w["samples"].([]any); ok {
		for _, s := range samples {
			p := s.([]any)
			i := int(num(t, p[0]))
			if got[i].Cmp(bigOf(t, p[1])) != 0 {
				t.Errorf("element %d = %v, want %v", i, got[i], p[1])
			}
		}
	}
}

func checkFloatSummary(t *testing.T, got []float64, w map[string]any) {
	t.Helper()
	count := int(num(t, w["count"]))
	if len(got) != count {
		t.Fatalf("%d values, want %d", len(got), count)
	}
	if count == 0 {
		return
	}
	nans, infs := 0, 0
	// exact sum (like Python's math.fsum): 2200 bits hold any float64 sum
	exact := new(big.Float).SetPrec(2200)
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range got {
		switch {
		case math.IsNaN(v):
			nans++
			continue
		case math.IsInf(v, 0):
			infs++
			continue
		}
		exact.Add(exact, new(big.Float).SetFloat64(v))
		mn = math.Min(mn, v)
		mx = math.Max(mx, v)
	}
	if nans != int(num(t, w["nan_count"])) || infs != int(num(t, w["inf_count"])) {
		t.Errorf("nan/inf counts %d/%d, want %v/%v", nans, infs, w["nan_count"], w["inf_count"])
	}
	sum, _ := exact.Float64()
	if ws := num(t, w["sum"]); math.Abs(sum-ws) > 1e-6*math.Max(1, math.Abs(ws)) {
		t.Errorf("sum %v, want %v", sum, ws)
	}
	if w["min"] != nil && (!sameFloat(mn, num(t, w["min"])) || !sameFloat(mx, num(t, w["max"]))) {
		t.Errorf("min/max %v/%v, want %v/%v", mn, mx, w["min"], w["max"])
	}
	if !sameFloat(got[0], num(t, w["first"])) || !sameFloat(got[count-1], num(t, w["last"])) {
		t.Errorf("first/last %v/%v, want %v/%v", got[0], got[count-1], w["first"], w["last"])
	}
	if vals, ok := w["values"].([]any); ok {
		for i, v := range vals {
			if !sameFloat(got[i], num(t, v)) {
				t.Errorf("element %d = %v, want %v", i, got[i], v)
			}
		}
	}
	if samples, ok := w["samples"].([]any); ok {
		for _, s := range samples {
			p := s.([]any)
			i := int(num(t, p[0]))
			if !sameFloat(got[i], num(t, p[1])) {
				t.Errorf("element %d = %v, want %v", i, got[i], p[1])
			}
		}
	}
}

func checkVLen(t *testing.T, d *hdf5.Dataset, w map[string]any) {
	lengths := w["lengths"].([]any)
	elems := w["elements"].([]any)
	base := d.Datatype().Base
	if base == nil {
		t.Fatalf("%s has no base type", d.Datatype())
	}
	if base.Class == hdf5.ClassInteger {
		got, err := d.ReadVLenInt64()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(lengths) {
			t.Fatalf("%d sequences, want %d", len(got), len(lengths))
		}
		for i := range got {
			if len(got[i]) != int(num(t, lengths[i])) {
				t.Errorf("sequence %d has %d elements, want %v", i, len(got[i]), lengths[i])
			}
			var b []*big.Int
			for _, x := range got[i] {
				b = append(b, big.NewInt(x))
			}
			checkIntSummary(t, b, elems[i].(map[string]any))
		}
		return
	}
	got, err := d.ReadVLenFloat64()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(lengths) {
		t.Fatalf("%d sequences, want %d", len(got), len(lengths))
	}
	for i := range got {
		if len(got[i]) != int(num(t, lengths[i])) {
			t.Errorf("sequence %d has %d elements, want %v", i, len(got[i]), lengths[i])
		}
		checkFloatSummary(t, got[i], elems[i].(map[string]any))
	}
}

func checkAttrs(t *testing.T, f *hdf5.File, o hdf5.Object, want map[string]any) {
	as, err := o.Attrs()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != len(want) {
		var names []string
		for _, a := range as {
			names = append(names, a.Name)
		}
		t.Errorf("attributes %v, want %d", names, len(want))
	}
	for name, wa := range want {
		a, err := o.Attr(name)
		if err != nil {
			t.Error(err)
			continue
		}
		w := wa.(map[string]any)
		checkDtype(t, a.Type, w["dtype"].(map[string]any))
		if a.Kind.String() != w["dataspace"] {
			t.Errorf("attribute %s dataspace %s, want %v", name, a.Kind, w["dataspace"])
		}
		if s, ok := w["shape"].([]any); ok && !eqShape(a.Shape, shapeOf(t, s)) {
			t.Errorf("attribute %s shape %v, want %v", name, a.Shape, s)
		}
		v, err := a.Value()
		if err != nil {
			t.Errorf("attribute %s: %v", name, err)
			continue
		}
		if s := jsonDiff(f, w["value"], v); s != "" {
			t.Errorf("attribute %s: %s", name, s)
		}
	}
}

// jsonDiff compares a manifest JSON value with a decoded Go value; object
// references compare by the target's path.
func jsonDiff(f *hdf5.File, want, got any) string {
	switch g := got.(type) {
	case hdf5.Reference:
		if want == nil {
			if g.IsNull() {
				return ""
			}
			return "non-null reference"
		}
		o, err := f.Deref(g)
		if err != nil {
			return err.Error()
		}
		if o.Path() != want {
			return fmt.Sprintf("reference to %s, want %v", o.Path(), want)
		}
		return ""
	case float64:
		var w float64
		switch x := want.(type) {
		case json.Number:
			w, _ = x.Float64()
		case string:
			w = map[string]float64{"NaN": math.NaN(), "Infinity": math.Inf(1), "-Infinity": math.Inf(-1)}[x]
		default:
			return fmt.Sprintf("got %v, want %v", got, want)
		}
		if !sameFloat(g, w) {
			return fmt.Sprintf("got %v, want %v", g, w)
		}
		return ""
	case int64:
		if n, ok := want.(json.Number); !ok || n.String() != strconv.FormatInt(g, 10) {
			return fmt.Sprintf("got %v, want %v", g, want)
		}
		return ""
	case uint64:
		if n, ok := want.(json.Number); !ok || n.String() != strconv.FormatUint(g, 10) {
			return fmt.Sprintf("got %v, want %v", g, want)
		}
		return ""
	case string, bool:
		if want != got {
			return fmt.Sprintf("got %q, want %v", got, want)
		}
		return ""
	case map[string]any:
		wm, ok := want.(map[string]any)
		if !ok || len(wm) != len(g) {
			return fmt.Sprintf("got %v, want %v", got, want)
		}
		for k, v := range g {
			if s := jsonDiff(f, wm[k], v); s != "" {
				return k + ": " + s
			}
		}
		return ""
	case nil:
		if want != nil {
			return fmt.Sprintf("got nil, want %v", want)
		}
		return ""
	}
	rv := reflect.ValueOf(got)
	if rv.Kind() == reflect.Slice {
		wl, ok := want.([]any)
		if !ok {
			// a one-element array may be reported as a scalar
			if rv.Len() == 1 {
				return jsonDiff(f, want, rv.Index(0).Interface())
			}
			return fmt.Sprintf("got %v, want %v", got, want)
		}
		wl = flatten(wl)
		if len(wl) != rv.Len() {
			return fmt.Sprintf("got %d elements, want %d", rv.Len(), len(wl))
		}
		for i := range wl {
			if s := jsonDiff(f, wl[i], rv.Index(i).Interface()); s != "" {
				return fmt.Sprintf("[%d] %s", i, s)
			}
		}
		return ""
	}
	return fmt.Sprintf("unhandled %T", got)
}

// flatten turns nested JSON arrays (2-D attribute values) into row-major
// order; arrays of records or pairs are kept.
func flatten(v []any) []any {
	var out []any
	for _, x := range v {
		if inner, ok := x.([]any); ok {
			out = append(out, flatten(inner)...)
		} else {
			out = append(out, x)
		}
	}
	return out
}
