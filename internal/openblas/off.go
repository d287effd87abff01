//go:build !openblas

package openblas

const enabled = false
