package events

import "testing"

// Hand-worked: times 0..9, window [3, 7) keeps 3, 4, 5, 6; an open window
// [8, 0) keeps 8, 9. Applied in place and out of place alike.
func TestTimeWindow(t *testing.T) {
	cases := []struct {
		name       string
		start, end int64
		want       []int64
	}{
		{"closed", 3, 7, []int64{3, 4, 5, 6}},
		{"open end", 8, 0, []int64{8, 9}},
		{"empty", 20, 30, nil},
	}
	for _, c := range cases {
		for _, inPlace := range []bool{false, true} {
			src := &Batch{}
			for i := int64(0); i < 10; i++ {
				src.Append(i, uint16(i), uint16(2*i), int8(i%2))
			}
			dst := &Batch{}
			if inPlace {
				dst = src
			}
			if err := (TimeWindow{c.start, c.end}).Apply(dst, src); err != nil {
				t.Fatal(err)
			}
			if dst.Len() != len(c.want) {
				t.Fatalf("%s: %v", c.name, dst.T)
			}
			for i, w := range c.want {
				if dst.T[i] != w || dst.X[i] != uint16(w) || dst.Y[i] != uint16(2*w) || dst.P[i] != int8(w%2) {
					t.Fatalf("%s: event %d = %d,%d,%d,%d", c.name, i, dst.T[i], dst.X[i], dst.Y[i], dst.P[i])
				}
			}
		}
	}
}
