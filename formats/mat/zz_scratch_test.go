package mat

import (
	"math/rand"
	"runtime/debug"
	"os"
	"testing"
	"time"
)

func TestScratchSlow(t *testing.T) {
	files := []string{"v73_types.mat", "v73_by_hand_h5py.mat", "kato2015_like_v73.mat", "kaplan2020_like_v73.mat", "matlab_written/testhdf5_7.4_GLNX86.mat"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		b := readFixture(t, "reference-made", "mat_v73", files[i%len(files)])
		for k := 0; k < 1+r.Intn(4); k++ {
			b[512+r.Intn(len(b)-512)] = byte(r.Intn(256))
		}
		done := make(chan struct{})
		go func() {
			defer func() { if e := recover(); e != nil { t.Errorf("panic %v\n%s", e, debug.Stack()) }; close(done) }()
			decodeAll(b, "x.mat")
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/slow73.mat", b, 0o644)
			t.Fatalf("slow input %d (%s) saved", i, files[i%len(files)])
		}
	}
}
