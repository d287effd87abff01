package figure

import (
	"errors"
	"testing"

	"github.com/neurotab/neurotab"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"a.png", "png"}, {"dir/A.SVG", "svg"}, {"w.pdf", "pdf"}, {"w.jpg", "jpg"}, {"w.jpeg", "jpeg"},
		{"w.tiff", "tiff"}, {"w.tif", "tif"},
	} {
		if got, err := Format(c.path); err != nil || got != c.want {
			t.Errorf("Format(%q) = %q, %v; want %q", c.path, got, err, c.want)
		}
	}
	for _, bad := range []string{"w.txt", "w", "w.png.bak", "w.eps"} {
		if _, err := Format(bad); !errors.Is(err, neurotab.ErrParam) {
			t.Errorf("Format(%q): %v, want ErrParam", bad, err)
		}
	}
}
