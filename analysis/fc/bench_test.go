package fc

import (
	"testing"
	"time"
)

// BenchmarkFit: one recording of the Dag2023 size (146 neurons × 1444
// samples) per kind, in ordered pairs (times windows) per second.
func BenchmarkFit(b *testing.B) {
	rec := synthetic("bench", 1, 1444, 146, 1.0/3)
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"correlation", Config{}},
		{"partial_ledoit_wolf", Config{Kind: KindPartial, Estimator: "ledoit-wolf"}},
		{"lagged_10s", Config{Kind: KindLagged, MaxLag: 10 * time.Second}},
		{"granger_1s", Config{Kind: KindGranger, MaxLag: time.Second}},
		{"correlation_window_60s_step_10s", Config{Window: time.Minute, Step: 10 * time.Second}},
		{"correlation_window_60s_hann", Config{Window: time.Minute, Step: 10 * time.Second, Taper: TaperHann}},
	} {
		b.Run(c.name, func(b *testing.B) {
			res, err := Fit(rec, c.cfg)
			if err != nil {
				b.Fatal(err)
			}
			windows := max(len(res.Windows), 1)
			for b.Loop() {
				if _, err := Fit(rec, c.cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(146*145*windows*b.N)/b.Elapsed().Seconds(), "pairs/s")
		})
	}
}
