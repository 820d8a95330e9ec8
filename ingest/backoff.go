package ingest

import (
	"math"
	"time"
)

// Backoff computes the wait after consecutive failures: exponential from Min, capped at
// Max, with jitter that only ever shortens the wait so that the cap is a hard bound. The
// zero value waits nothing.
type Backoff struct {
	Min, Max time.Duration
	// Jitter is the fraction in [0, 1] by which a wait may be shortened at random, so that
	// sources failing together do not retry in lockstep.
	Jitter float64
}

// Delay returns the wait after the given number of consecutive failures (1 = the first),
// given r drawn uniformly from [0, 1). With base = min(Min·2^(failures-1), Max), the result
// lies in [base·(1-Jitter), base]. failures < 1 returns 0.
func (b Backoff) Delay(failures int, r float64) time.Duration {
	if failures < 1 || b.Min <= 0 {
		return 0
	}
	hi := b.Max
	if hi < b.Min {
		hi = b.Min
	}
	base := float64(b.Min) * math.Pow(2, float64(failures-1))
	if base > float64(hi) || math.IsInf(base, 0) {
		base = float64(hi)
	}
	j := min(max(b.Jitter, 0), 1)
	r = min(max(r, 0), 1)
	return time.Duration(base * (1 - j*r))
}
