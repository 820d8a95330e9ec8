package ingest

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Min: 5 * time.Second, Max: time.Minute, Jitter: 0.2}
	tests := []struct {
		failures int
		r        float64
		want     time.Duration
	}{
		{0, 0, 0},
		{1, 0, 5 * time.Second},
		{2, 0, 10 * time.Second},
		{3, 0, 20 * time.Second},
		{4, 0, 40 * time.Second},
		{5, 0, time.Minute}, // capped
		{500, 0, time.Minute},
		{1, 1, 4 * time.Second},    // shortened by the full 20%
		{5, 0.5, 54 * time.Second}, // 10% off the cap
	}
	for _, tt := range tests {
		if got := b.Delay(tt.failures, tt.r); got != tt.want {
			t.Errorf("Delay(%d, %v) = %v, want %v", tt.failures, tt.r, got, tt.want)
		}
	}
	if got := (Backoff{}).Delay(3, 0.5); got != 0 {
		t.Errorf("zero Backoff waited %v", got)
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	b := Backoff{Min: time.Second, Max: 10 * time.Minute, Jitter: 0.3}
	rng := rand.New(rand.NewPCG(1, 2))
	for failures := 1; failures <= 20; failures++ {
		base := min(time.Second<<(failures-1), 10*time.Minute)
		lo := time.Duration(float64(base) * 0.7)
		for range 200 {
			d := b.Delay(failures, rng.Float64())
			if d < lo || d > base {
				t.Fatalf("failures=%d: delay %v outside [%v, %v]", failures, d, lo, base)
			}
		}
	}
}
