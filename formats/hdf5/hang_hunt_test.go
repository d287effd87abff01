package hdf5_test

import (
	"math/rand"
	"os"
	"testing"
	"time"
)

func TestHangHunt(t *testing.T) {
	seeds := []string{"generic_sb1_istorek.h5", "corrupt_fletcher32.h5", "generic_latest.h5", "generic_earliest.h5", "generic_v108.h5"}
	r := rand.New(rand.NewSource(1))
	for it := 0; it < 1500; it++ {
		b, _ := os.ReadFile("/work/shared/data/reference-made/hdf5/" + seeds[it%len(seeds)])
		for k := 0; k < 1+r.Intn(8); k++ {
			switch r.Intn(5) {
			case 0:
				b[r.Intn(len(b))] = byte(r.Intn(256))
			case 1:
				p := r.Intn(len(b) - 8)
				for j := 0; j < 8; j++ {
					b[p+j] = 0xff
				}
			case 2:
				p := r.Intn(len(b) - 8)
				for j := 0; j < 1+r.Intn(8); j++ {
					b[p+j] = 0
				}
			case 3:
				p := r.Intn(len(b))
				b = append(b[:p], b[p+1+r.Intn(16):]...)
			case 4:
				p := r.Intn(len(b) - 8)
				b[p+r.Intn(4)] = byte(1 << r.Intn(8))
			}
		}
		done := make(chan bool)
		go func() { exercise(b); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.h5", b, 0o644)
			t.Fatalf("hang at iteration %d", it)
		}
	}
}
