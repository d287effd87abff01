package events

// Batch is a columnar run of events. All four slices have the same length.
// A decoder appends to a Batch; callers reuse one Batch across Next calls
// (call Reset between them) so decoding allocates nothing per event.
type Batch struct {
	T []int64  // timestamp, µs
	X []uint16 // column (or channel for 1-D sensors)
	Y []uint16 // row (0 for 1-D sensors)
	P []int8   // polarity: 1 on, 0 off
}

// Len returns the number of events in the batch.
func (b *Batch) Len() int { return len(b.T) }

// Reset empties the batch, keeping its capacity.
func (b *Batch) Reset() {
	b.T, b.X, b.Y, b.P = b.T[:0], b.X[:0], b.Y[:0], b.P[:0]
}

// Append adds one event.
func (b *Batch) Append(t int64, x, y uint16, p int8) {
	b.T = append(b.T, t)
	b.X = append(b.X, x)
	b.Y = append(b.Y, y)
	b.P = append(b.P, p)
}

// Grow ensures room for n more events without reallocation. Capacity at
// least doubles, so appending in many small steps stays linear.
func (b *Batch) Grow(n int) {
	if cap(b.T)-len(b.T) >= n && cap(b.X)-len(b.X) >= n && cap(b.Y)-len(b.Y) >= n && cap(b.P)-len(b.P) >= n {
		return
	}
	l := len(b.T)
	c := max(l+n, 2*cap(b.T))
	t := make([]int64, l, c)
	copy(t, b.T)
	x := make([]uint16, l, c)
	copy(x, b.X)
	y := make([]uint16, l, c)
	copy(y, b.Y)
	p := make([]int8, l, c)
	copy(p, b.P)
	b.T, b.X, b.Y, b.P = t, x, y, p
}

// Geometry describes the sensor and the stream: what the events table records
// in its schema metadata.
type Geometry struct {
	Width, Height int    // sensor size in pixels (0 when unknown); Height 1 for 1-D sensors
	Format        string // e.g. "evt2", "evt3", "dat", "nmnist", "aedat4"
	TimeOrigin    int64  // absolute time of t = 0 in µs since the Unix epoch, 0 when unknown
	// TimeBase says what t counts from: "unix" (µs since the Unix epoch, as
	// AEDAT 4 stores it), "device" (the sensor's own clock: EVT, DAT, AEDAT
	// 2/3.1), "sample" (the start of each sample: N-MNIST, SHD) or "as-given"
	// (a generic list's own column); "" when unknown.
	TimeBase string
}

// Slots makes room for n more events and returns the columns of the n
// slots past the batch's end, for a decoder to fill in place; Commit(k)
// then adds the first k of them to the batch. Until Commit the batch's
// length is unchanged.
func (b *Batch) Slots(n int) (t []int64, x, y []uint16, p []int8) {
	b.Grow(n)
	l := len(b.T)
	return b.T[l : l+n], b.X[l : l+n], b.Y[l : l+n], b.P[l : l+n]
}

// Commit adds the first k slots returned by Slots to the batch.
func (b *Batch) Commit(k int) {
	l := len(b.T) + k
	b.T, b.X, b.Y, b.P = b.T[:l], b.X[:l], b.Y[:l], b.P[:l]
}
