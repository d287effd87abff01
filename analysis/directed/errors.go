package directed

import (
	"fmt"

	"github.com/neurotab/neurotab"
)

// unfitted is the error of a result method called before a Fit.
func unfitted(method string) error {
	return fmt.Errorf("directed: %s before Fit: %w", method, neurotab.ErrNotFitted)
}

// checkLag validates a lag order p (a configuration, so ErrParam).
func checkLag(what string, p int) error {
	if p <= 0 {
		return fmt.Errorf("directed: %s %d, want ≥ 1: %w", what, p, neurotab.ErrParam)
	}
	return nil
}
