package detect

import (
	"math"
	"time"
)

// ValueConfig tunes Detector.Value, the scorer for generic real-valued series (CPU
// percentages, latencies, tweet volumes every five minutes): series whose scale, spacing
// and rhythm are unknown in advance. One configuration serves every series.
type ValueConfig struct {
	// Warmup is how many points are only learned from before any score is given.
	Warmup int
	// Slow is the memory, in points, of the level and spread estimates; Fast is the length
	// of the short mean that reveals level shifts.
	Slow int
	Fast int
	// History is the memory, in points, of each feature's distribution (the tail
	// probabilities are measured against it).
	History int
	// Refractory: a point scores only if its raw score beats every raw score of the
	// Refractory points before it (otherwise 0), so one anomaly makes one alert, not a
	// burst of them, whatever threshold is later applied.
	Refractory int
	// Season is the memory, in observations per cell, of the hour-of-day profile (0: off).
	Season int
}

// DefaultValueConfig returns the configuration used for NAB.
func DefaultValueConfig() ValueConfig {
	return ValueConfig{
		Warmup:     150,
		Slow:       1000,
		Fast:       6,
		History:    8000,
		Refractory: 150,
		Season:     300,
	}
}

// valBins is the number of histogram bins per feature, over log2(1+f) in eighths.
const (
	valBins    = 160
	valBinStep = 8
	valFeat    = 5
	valFastMax = 32
)

// valHist is an exponentially decayed histogram of one feature's values.
type valHist struct {
	c     [valBins]float64
	total float64
	max   float64
}

func valBin(f float64) int {
	b := int(math.Log2(1+f) * valBinStep)
	return min(max(b, 0), valBins-1)
}

// tail returns the decayed share of past values at or above f, with a power-law
// extrapolation past the largest value seen so a new record is rarer the further it goes.
func (h *valHist) tail(f float64) float64 {
	if h.total <= 0 {
		return 1
	}
	if f > h.max {
		p := 1 / (h.total + 1)
		if h.max > 0 {
			p *= (h.max / f) * (h.max / f)
		} else {
			p *= 1e-3
		}
		return p
	}
	b := valBin(f)
	var s float64
	for i := b + 1; i < valBins; i++ {
		s += h.c[i]
	}
	s += h.c[b] * 0.5
	return max(s, 0.5) / (h.total + 1)
}

func (h *valHist) add(f, decay float64) {
	for i := range h.c {
		h.c[i] *= decay
	}
	h.total = h.total*decay + 1
	h.max *= 1 - (1-decay)*0.1 // the record fades ten times slower than the counts
	h.max = max(h.max, f)
	h.c[valBin(f)]++
}

// detValue is the state of Detector.Value.
type detValue struct {
	cfg   ValueConfig
	n     int
	level float64
	dev   float64 // EWMA of |v - level|
	diff  float64 // EWMA of |v - prev|
	prev  float64
	fast  [valFastMax]float64
	hist  [valFeat]valHist
	// recent holds the raw scores of the last Refractory points as a monotone deque
	// (decreasing scores), so their maximum is known in O(1) amortised.
	recent []valScored
	head   int
	cells  [24]valCell
	resid  [valFastMax]float64 // recent seasonal residuals over their cell's deviation
}

// valCell is one hour of the day: mean and mean absolute deviation of the values seen.
type valCell struct{ n, mean, dev float64 }

type valScored struct {
	n     int
	score float64
}

// peak reports whether score beats every raw score of the previous Refractory points,
// and records it.
func (s *detValue) peak(score float64) bool {
	r := max(s.cfg.Refractory, 0)
	for s.head < len(s.recent) && s.recent[s.head].n <= s.n-r-1 {
		s.head++
	}
	best := 0.0
	if s.head < len(s.recent) {
		best = s.recent[s.head].score
	}
	for len(s.recent) > s.head && s.recent[len(s.recent)-1].score <= score {
		s.recent = s.recent[:len(s.recent)-1]
	}
	if s.head > 0 && s.head == len(s.recent) {
		s.recent, s.head = s.recent[:0], 0
	}
	s.recent = append(s.recent, valScored{s.n, score})
	if s.head > 1024 {
		s.recent = append(s.recent[:0], s.recent[s.head:]...)
		s.head = 0
	}
	return score > best
}

// Value scores a generic real-valued series point and returns a score in [0,1]. The
// detector learns online the series' level and spread (over Slow points), its usual step
// size and an hour-of-day profile (from t), and measures five features: distance from the
// level, jump from the previous point, shift of the mean of the last Fast points,
// distance from the hour's profile, and shift of the last Fast residuals from it. Each
// feature is judged against the decayed distribution of its own past values (History
// points; a value past the largest seen is rarer the further it goes), the smallest tail
// probability p wins, and the score is p on a log scale (p 0.1 -> 0, 1e-11 -> 1). A point
// scores only when it beats every raw score of the previous Refractory points (else 0),
// so one anomaly raises one alert. The first Warmup points score 0. NaN and infinite
// values score 0 and are not learned. Use a Detector either with Step or with Value, not
// both; the work per point is fixed (a few hundred operations), the memory a few KB.
func (d *Detector) Value(t time.Time, v float64) float64 {
	if d.val == nil {
		d.val = &detValue{cfg: d.cfg.Value}
		if d.val.cfg.Fast > valFastMax {
			d.val.cfg.Fast = valFastMax
		}
		d.val.cfg.Fast = max(d.val.cfg.Fast, 1)
	}
	s := d.val
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	cfg := &s.cfg
	s.n++
	s.fast[s.n%valFastMax] = v
	if s.n == 1 {
		s.level, s.prev = v, v
		return 0
	}
	slow := 1 / math.Min(float64(s.n), float64(max(cfg.Slow, 1)))
	var fm float64
	k := min(cfg.Fast, s.n)
	for i := range k {
		fm += s.fast[(s.n-i+valFastMax)%valFastMax]
	}
	fm /= float64(k)

	eps := 1e-9 * (1 + math.Abs(s.level))
	feats := [valFeat]float64{
		math.Abs(v-s.level) / (s.dev + eps),
		math.Abs(v-s.prev) / (s.diff + eps),
		math.Abs(fm-s.level) / (s.dev/math.Sqrt(float64(k)) + eps),
		0, 0,
	}
	c := &s.cells[t.UTC().Hour()]
	s.resid[s.n%valFastMax] = 0
	if cfg.Season > 0 && c.n >= 3 {
		r := (v - c.mean) / (c.dev + eps)
		feats[3] = math.Abs(r)
		s.resid[s.n%valFastMax] = r
		var rm float64
		for i := range k {
			rm += s.resid[(s.n-i+valFastMax)%valFastMax]
		}
		feats[4] = math.Abs(rm) / math.Sqrt(float64(k))
	}
	if cfg.Season > 0 {
		if c.n < float64(cfg.Season) {
			c.n++
		}
		if c.n == 1 {
			c.mean, c.dev = v, s.dev
		}
		c.dev += (math.Abs(v-c.mean) - c.dev) / c.n
		c.mean += (v - c.mean) / c.n
	}
	p := 1.0
	if s.n > cfg.Warmup {
		for i := range feats {
			p = math.Min(p, s.hist[i].tail(feats[i]))
		}
		p = math.Min(1, p*valFeat)
	}
	decay := 1 - 1/float64(max(cfg.History, 1))
	for i := range feats {
		s.hist[i].add(feats[i], decay)
	}
	s.dev += (math.Abs(v-s.level) - s.dev) * slow
	s.diff += (math.Abs(v-s.prev) - s.diff) * slow
	s.level += (v - s.level) * slow
	s.prev = v

	score := detScore(math.Log(p))
	if !s.peak(score) {
		return 0 // the same anomaly as a stronger recent point
	}
	return score
}
