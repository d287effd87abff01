package hdf5

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/neurotab/neurotab"
)

// LinkType is the kind of a link in a group.
type LinkType int

// Link types.
const (
	HardLink     LinkType = 0
	SoftLink     LinkType = 1
	ExternalLink LinkType = 64
)

// String returns "hard", "soft" or "external".
func (t LinkType) String() string {
	switch t {
	case HardLink:
		return "hard"
	case SoftLink:
		return "soft"
	case ExternalLink:
		return "external"
	}
	return fmt.Sprintf("link(%d)", int(t))
}

// Link is one named entry of a group.
type Link struct {
	Name string
	Type LinkType
	// Addr is the object header address of a hard link's target.
	Addr uint64
	// Target is the path a soft link names, or the object path inside the
	// other file of an external link.
	Target string
	// File is the file name of an external link.
	File string
	// CreationOrder is the link's creation index when the group tracks it
	// (HasCreationOrder).
	CreationOrder    int64
	HasCreationOrder bool
}

// Object is a *Group, a *Dataset or a *NamedType.
type Object interface {
	// Path returns the path the object was reached by ("/" for the root).
	Path() string
	// Attrs returns the object's attributes sorted by name.
	Attrs() ([]*Attribute, error)
	// Attr returns the named attribute or an error wrapping neurotab.ErrNotFound.
	Attr(name string) (*Attribute, error)
	// Addr returns the object header address, which identifies the object.
	Addr() uint64
}

type object struct {
	f    *File
	path string
	addr uint64
	hdr  *objHeader
}

func (o *object) Path() string { return o.path }
func (o *object) Addr() uint64 { return o.addr }
func (o *object) File() *File  { return o.f }
func (o *object) Attrs() ([]*Attribute, error) {
	return o.f.attributes(o.hdr, o.path)
}
func (o *object) Attr(name string) (*Attribute, error) {
	as, err := o.Attrs()
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a.Name == name {
			return a, nil
		}
	}
	return nil, o.f.errf(o.path, -1, fmt.Errorf("attribute %q: %w", name, neurotab.ErrNotFound))
}

// Group is an HDF5 group.
type Group struct {
	object
}

// NamedType is a committed (named) datatype stored as an object.
type NamedType struct {
	object
	// Type is the committed datatype.
	Type *Datatype
}

// Root returns the root group.
func (f *File) Root() (*Group, error) {
	o, err := f.objectAt(f.rootAddr, "/")
	if err != nil {
		return nil, err
	}
	g, ok := o.(*Group)
	if !ok {
		return nil, f.errf("/", f.base+int64(f.rootAddr), fmt.Errorf("root object is not a group: %w", neurotab.ErrMalformed))
	}
	return g, nil
}

// objectAt opens the object whose header is at addr.
func (f *File) objectAt(addr uint64, path string) (Object, error) {
	h, err := f.header(addr, path)
	if err != nil {
		return nil, err
	}
	base := object{f: f, path: path, addr: addr, hdr: h}
	if h.find(msgLayout) != nil || (h.find(msgDataspace) != nil && h.find(msgDatatype) != nil) {
		return f.newDataset(base)
	}
	if m := h.find(msgDatatype); m != nil && h.find(msgDataspace) == nil {
		t, err := f.datatypeOf(h, path, 0)
		if err != nil {
			return nil, err
		}
		return &NamedType{object: base, Type: t}, nil
	}
	return &Group{object: base}, nil
}

// Links returns the group's links sorted by name (byte order).
func (g *Group) Links() ([]Link, error) {
	cached, err := g.f.links(g.hdr, g.path)
	if err != nil {
		return nil, err
	}
	links := append([]Link(nil), cached...)
	sort.Slice(links, func(i, j int) bool { return links[i].Name < links[j].Name })
	return links, nil
}

// Members returns the link names sorted by name.
func (g *Group) Members() ([]string, error) {
	ls, err := g.Links()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out, nil
}

// LinkStorage reports how the group stores its links: "symbol_table"
// (old-style group), "compact" (link messages) or "dense" (fractal heap).
func (g *Group) LinkStorage() string {
	if g.hdr.find(msgSymbolTable) != nil {
		return "symbol_table"
	}
	if m := g.hdr.find(msgLinkInfo); m != nil {
		li, err := g.f.parseLinkInfo(m, g.path)
		if err == nil && li.heap != undefAddr {
			return "dense"
		}
	}
	return "compact"
}

// Open returns the object a member link leads to (soft links resolved).
func (g *Group) Open(name string) (Object, error) {
	p := strings.TrimSuffix(g.path, "/") + "/" + name
	return g.f.Get(p)
}

func joinPath(dir, name string) string {
	if dir == "/" || dir == "" {
		return "/" + name
	}
	return dir + "/" + name
}

type linkInfo struct {
	heap, nameIdx, orderIdx uint64
	tracked                 bool
}

func (f *File) parseLinkInfo(m *message, path string) (*linkInfo, error) {
	c := f.newCursor(m.data, m.addr)
	c.u8()
	flags := c.u8()
	li := &linkInfo{tracked: flags&1 != 0}
	if flags&1 != 0 {
		c.u64()
	}
	li.heap = c.addr()
	li.nameIdx = c.addr()
	if flags&2 != 0 {
		li.orderIdx = c.addr()
	}
	if c.err != nil {
		return nil, f.errf(path, c.origin, c.err)
	}
	return li, nil
}

// links returns every link of a group header in storage order, cached per
// header; callers must not modify the result.
func (f *File) links(h *objHeader, path string) ([]Link, error) {
	f.mu.Lock()
	ls, ok := f.linkCache[h.addr]
	f.mu.Unlock()
	if ok {
		return ls, nil
	}
	ls, err := f.readLinks(h, path)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	if f.linkCache == nil || len(f.linkCache) > 1<<16 {
		f.linkCache = map[uint64][]Link{}
	}
	f.linkCache[h.addr] = ls
	f.mu.Unlock()
	return ls, nil
}

func (f *File) readLinks(h *objHeader, path string) ([]Link, error) {
	var out []Link
	if m := h.find(msgSymbolTable); m != nil {
		c := f.newCursor(m.data, m.addr)
		bt := c.addr()
		hp := c.addr()
		if c.err != nil {
			return nil, f.errf(path, c.origin, c.err)
		}
		heap, err := f.localHeap(hp, path)
		if err != nil {
			return nil, err
		}
		err = f.btree1Walk(bt, 0, 0, path, func(_ []byte, snod uint64) error {
			ls, err := f.symbolNode(snod, heap, path)
			out = append(out, ls...)
			if len(out) > 1<<22 {
				return f.errf(path, f.base+int64(snod), fmt.Errorf("too many links: %w", neurotab.ErrMalformed))
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	for _, m := range h.all(msgLink) {
		l, err := f.parseLink(m.data, m.addr, path)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if m := h.find(msgLinkInfo); m != nil {
		li, err := f.parseLinkInfo(m, path)
		if err != nil {
			return nil, err
		}
		if li.heap != undefAddr && li.nameIdx != undefAddr {
			heap, err := f.openFractalHeap(li.heap, path)
			if err != nil {
				return nil, err
			}
			bt, err := f.openBTree2(li.nameIdx, path)
			if err != nil {
				return nil, err
			}
			err = bt.walk(f, path, func(rec []byte) error {
				if len(rec) < 5 {
					return f.errf(path, f.base+int64(li.nameIdx), fmt.Errorf("link name record of %d bytes: %w", len(rec), neurotab.ErrMalformed))
				}
				obj, err := heap.get(rec[4:])
				if err != nil {
					return err
				}
				l, err := f.parseLink(obj, li.heap, path)
				if err != nil {
					return err
				}
				out = append(out, l)
				if len(out) > 1<<22 {
					return f.errf(path, f.base+int64(li.heap), fmt.Errorf("too many links: %w", neurotab.ErrMalformed))
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (f *File) symbolNode(addr uint64, heap []byte, path string) ([]Link, error) {
	c, err := f.cursorAt(addr, 8, path)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(c.bytes(4), []byte("SNOD")) {
		return nil, f.errf(path, f.base+int64(addr), fmt.Errorf("bad symbol table node signature: %w", neurotab.ErrMalformed))
	}
	c.skip(2)
	n := int(c.u16())
	entry := f.lenSz + f.offSz + 4 + 4 + 16
	c, err = f.cursorAt(addr+8, int64(n*entry), path)
	if err != nil {
		return nil, err
	}
	out := make([]Link, 0, n)
	for i := 0; i < n; i++ {
		nameOff := c.length()
		hdr := c.addr()
		cache := c.u32()
		c.skip(4)
		scratch := c.bytes(16)
		if c.err != nil {
			return nil, f.errf(path, c.origin, c.err)
		}
		name, err := heapString(heap, nameOff)
		if err != nil {
			return nil, f.errf(path, f.base+int64(addr), err)
		}
		l := Link{Name: name, Type: HardLink, Addr: hdr}
		if cache == 2 {
			off := uint64(scratch[0]) | uint64(scratch[1])<<8 | uint64(scratch[2])<<16 | uint64(scratch[3])<<24
			t, err := heapString(heap, off)
			if err != nil {
				return nil, f.errf(path, f.base+int64(addr), err)
			}
			l.Type, l.Target = SoftLink, t
		}
		out = append(out, l)
	}
	return out, nil
}

// parseLink decodes a link message (specification IV.A.2.g).
func (f *File) parseLink(b []byte, addr uint64, path string) (Link, error) {
	c := f.newCursor(b, addr)
	var l Link
	if v := c.u8(); v != 1 {
		return l, f.errf(path, c.origin, fmt.Errorf("link message version %d: %w", v, neurotab.ErrMalformed))
	}
	flags := c.u8()
	if flags&0x08 != 0 {
		l.Type = LinkType(c.u8())
	}
	if flags&0x04 != 0 {
		l.CreationOrder = int64(c.u64())
		l.HasCreationOrder = true
	}
	if flags&0x10 != 0 {
		c.u8()
	}
	n := int(c.uN(1 << (flags & 3)))
	l.Name = string(c.bytes(n))
	switch l.Type {
	case HardLink:
		l.Addr = c.addr()
	case SoftLink:
		m := int(c.u16())
		l.Target = string(c.bytes(m))
	case ExternalLink:
		m := int(c.u16())
		v := c.bytes(m)
		if len(v) > 1 {
			parts := bytes.SplitN(v[1:], []byte{0}, 3)
			l.File = string(parts[0])
			if len(parts) > 1 {
				l.Target = string(parts[1])
			}
		}
	default:
		return l, f.errf(path, c.origin, fmt.Errorf("link type %d: %w", l.Type, neurotab.ErrUnsupported))
	}
	if c.err != nil {
		return l, f.errf(path, c.origin, c.err)
	}
	if n == 0 {
		return l, f.errf(path, c.origin, fmt.Errorf("empty link name: %w", neurotab.ErrMalformed))
	}
	return l, nil
}

const maxLinkHops = 40

// Get returns the object at an absolute path such as "/a/b/c", following
// soft links. Paths crossing an external link return ErrExternalLink.
func (f *File) Get(path string) (Object, error) {
	hops := 0
	return f.resolve(path, &hops)
}

func (f *File) resolve(path string, hops *int) (Object, error) {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	parts := strings.Split(path, "/")
	addr := f.rootAddr
	cur := "/"
	for _, p := range parts {
		if p == "" || p == "." {
			continue
		}
		h, err := f.header(addr, cur)
		if err != nil {
			return nil, err
		}
		ls, err := f.links(h, cur)
		if err != nil {
			return nil, err
		}
		var found *Link
		for i := range ls {
			if ls[i].Name == p {
				found = &ls[i]
				break
			}
		}
		if found == nil {
			return nil, f.errf(joinPath(cur, p), -1, neurotab.ErrNotFound)
		}
		next := joinPath(cur, p)
		switch found.Type {
		case HardLink:
			addr = found.Addr
		case SoftLink:
			*hops++
			if *hops > maxLinkHops {
				return nil, f.errf(next, -1, fmt.Errorf("more than %d soft link hops: %w", maxLinkHops, neurotab.ErrMalformed))
			}
			target := found.Target
			if !strings.HasPrefix(target, "/") {
				target = joinPath(cur, target)
			}
			o, err := f.resolve(target, hops)
			if err != nil {
				return nil, err
			}
			addr = o.Addr()
		case ExternalLink:
			return nil, f.errf(next, -1, fmt.Errorf("link to %s:%s: %w", found.File, found.Target, ErrExternalLink))
		}
		cur = next
	}
	return f.objectAt(addr, cur)
}

// Walk visits every object reachable through hard links, depth first with
// members in name order, each object once (the first path reaching it).
// The root is visited first with path "/". Returning an error stops the walk.
func (f *File) Walk(fn func(path string, obj Object) error) error {
	seen := map[uint64]bool{}
	var visit func(addr uint64, path string, depth int) error
	visit = func(addr uint64, path string, depth int) error {
		if seen[addr] {
			return nil
		}
		seen[addr] = true
		if depth > 256 {
			return f.errf(path, -1, fmt.Errorf("groups nested deeper than 256: %w", neurotab.ErrMalformed))
		}
		o, err := f.objectAt(addr, path)
		if err != nil {
			return err
		}
		if err := fn(path, o); err != nil {
			return err
		}
		g, ok := o.(*Group)
		if !ok {
			return nil
		}
		ls, err := g.Links()
		if err != nil {
			return err
		}
		for _, l := range ls {
			if l.Type != HardLink {
				continue
			}
			if err := visit(l.Addr, joinPath(path, l.Name), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return visit(f.rootAddr, "/", 0)
}

// Reference is an HDF5 object reference: the address of the target's object
// header.
type Reference uint64

// IsNull reports whether the reference points nowhere.
func (r Reference) IsNull() bool { return r == 0 || uint64(r) == undefAddr }

// Deref returns the object a reference points to. Its Path is the first
// path reaching it in Walk order, or "" when no hard link path exists.
func (f *File) Deref(ref Reference) (Object, error) {
	if ref.IsNull() {
		return nil, f.errf("", -1, fmt.Errorf("null reference: %w", neurotab.ErrNotFound))
	}
	f.mu.Lock()
	idx := f.pathIdx
	f.mu.Unlock()
	if idx == nil {
		idx = map[uint64]string{}
		err := f.Walk(func(p string, o Object) error {
			idx[o.Addr()] = p
			return nil
		})
		if err != nil && !errors.Is(err, ErrExternalLink) {
			return nil, err
		}
		f.mu.Lock()
		f.pathIdx = idx
		f.mu.Unlock()
	}
	return f.objectAt(uint64(ref), idx[uint64(ref)])
}
