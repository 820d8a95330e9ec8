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
	// Refractory is how many points after an alert stay silent unless a clearly stronger
	// anomaly comes: one anomaly makes one alert, not a burst of them.
	Refractory int
	// AlertP is the tail probability that counts as an alert and starts the refractory
	// period.
	AlertP float64
}

// DefaultValueConfig returns the configuration used for NAB.
func DefaultValueConfig() ValueConfig {
	return ValueConfig{
		Warmup:     150,
		Slow:       200,
		Fast:       6,
		History:    3000,
		Refractory: 150,
		AlertP:     1e-3,
	}
}

// valBins is the number of histogram bins per feature, over log2(1+f) in eighths.
const (
	valBins    = 160
	valBinStep = 8
	valFeat    = 3
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
			p *= math.Pow(h.max/f, 2)
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
	h.max *= 1 - (1-decay)*0.1
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
	quiet int // points left in the refractory period
	alert float64
}

// Value scores a generic real-valued series point and returns a score in [0,1]: the
// detector learns the series' level, spread and step size online and measures three
// features (distance from the level, jump from the previous point, shift of the short
// mean), each against the distribution of its own past values. The score is the
// resulting tail probability on a log scale (score 1 ≈ p 1e-10). After an alert (p ≤
// AlertP) the detector stays silent for Refractory points unless a stronger anomaly comes.
// t is accepted for symmetry with Step and is not used: points are taken as evenly
// spaced. Use a Detector either with Step or with Value, not both.
func (d *Detector) Value(t time.Time, v float64) float64 {
	_ = t
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
	if s.quiet > 0 {
		s.quiet--
		if p >= s.alert/100 {
			return 0
		}
	}
	if p <= cfg.AlertP {
		s.quiet = cfg.Refractory
		s.alert = p
	}
	return score
}
