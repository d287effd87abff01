// Package figure is neurotab's plotting layer over gonum/plot: the output
// formats a figure can be written in, chosen by the file's extension, and
// the shared conventions of the figures the commands draw.
package figure

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/neurotab/neurotab"
)

// Formats are the figure formats, by file extension: the encoders gonum/plot
// has that can hold an image (PNG, SVG, PDF, JPEG, TIFF; its EPS canvas
// cannot draw the raster images heat maps use, so EPS is not offered).
var Formats = []string{"png", "svg", "pdf", "jpg", "jpeg", "tif", "tiff"}

// Format returns the gonum/plot format name of a figure path from its
// extension (".PNG" and ".png" alike). A path with another extension, or
// none, is an error wrapping neurotab.ErrParam that lists the choices.
func Format(path string) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("figure %s: the extension chooses the format: .%s: %w", path, strings.Join(Formats, ", ."), neurotab.ErrParam)
}
