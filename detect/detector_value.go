package detect

import (
	"math"
	"time"
)

// ValueConfig tunes Detector.Value, the scorer for generic real-valued series (CPU
// percentages, latencies, tweet volumes every five minutes): series whose scale, spacing
// and rhythm are unknown in advance. One configuration serves every series; nothing in
// it depends on a series' length, range or labels.
type ValueConfig struct {
	// Warmup is how many points are only learned from before any score is given.
	Warmup int
	// Slow is the memory, in points, of the level and spread estimates.
	Slow int
	// Season is the memory, in observations per cell, of the hour-of-day profile (0: off).
	Season int
	// SeasonFloor is the least spread of an hour cell, as a fraction of the overall
	// spread: an hour that happened to see only quiet values must not make an ordinary
	// spike look like a record.
	SeasonFloor float64
	// History is the memory, in points, of each feature's distribution (the tail
	// probabilities are measured against it).
	History int
	// RecordMargin: a value outside the range of every value seen so far, by more than
	// RecordMargin of that range, is a record. Among n exchangeable points the last is the
	// largest (or the smallest) with probability 1/n, so a record's tail probability is at
	// most 1/n whatever the features say: people reading a chart see a value beyond
	// anything before as an anomaly (the idea of the "spatial anomaly" rule in NAB's
	// numenta detectors). 0 turns the rule off.
	RecordMargin float64
	// Refractory: a point scores only if its raw score beats every raw score of the same
	// direction (above or below normal) in the Refractory points before it (otherwise 0),
	// so one anomaly makes one alert, not a burst of them, whatever threshold is later
	// applied; a drop right after a surge is a new event and is not masked by it.
	Refractory int
	// AgeExponent and Horizon raise the evidence asked of a point as the series grows
	// older: the tail probability is multiplied by (min(n, Horizon)/1000)^AgeExponent
	// after n points. Over a long history ever rarer values occur by chance alone, so a
	// fixed per-point level would alarm at a rate proportional to the length watched;
	// the factor (a partial correction for testing every point) keeps old series from
	// crying wolf while young ones still report. Horizon bounds it for endless streams.
	AgeExponent float64
	Horizon     int
}

// DefaultValueConfig returns the configuration used for NAB (and by `outcry eval nab`).
func DefaultValueConfig() ValueConfig {
	return ValueConfig{
		Warmup:       150,
		Slow:         1000,
		Season:       300,
		SeasonFloor:  0.1,
		History:      4000,
		RecordMargin: 0.03,
		Refractory:   150,
		AgeExponent:  0.5,
		Horizon:      20000,
	}
}

// valFeat is the number of features: above and below the level, above and below the
// hour-of-day profile. Even features point up, odd ones down.
const valFeat = 4

// detValue is the state of Detector.Value.
type detValue struct {
	cfg    ValueConfig
	n      int
	level  float64
	dev    float64 // EWMA of |v - level|
	lo, hi float64 // range of every value seen
	cells  [24]valCell
	hist   [valFeat]valHist
	peaks  [2]valPeak // raw scores of the recent points, per direction (0 up, 1 down)
}

// valCell is one hour of the day: mean and mean absolute deviation of the values seen.
type valCell struct{ n, mean, dev float64 }

func (c *valCell) update(v, dev0, memory float64) {
	if c.n < memory {
		c.n++
	}
	if c.n == 1 {
		c.mean, c.dev = v, dev0
	}
	c.dev += (math.Abs(v-c.mean) - c.dev) / c.n
	c.mean += (v - c.mean) / c.n
	if !valFiniteAll(c.mean, c.dev) {
		*c = valCell{}
	}
}

func newDetValue(cfg ValueConfig) *detValue {
	cfg.Warmup = max(cfg.Warmup, 0)
	cfg.Slow = max(cfg.Slow, 1)
	cfg.Season = max(cfg.Season, 0)
	cfg.History = max(cfg.History, 1)
	cfg.Refractory = max(cfg.Refractory, 0)
	cfg.Horizon = max(cfg.Horizon, 1)
	for _, f := range []*float64{&cfg.AgeExponent, &cfg.SeasonFloor, &cfg.RecordMargin} {
		if !(*f >= 0) || math.IsInf(*f, 1) { // also NaN
			*f = 0
		}
	}
	return &detValue{cfg: cfg}
}

// Value scores the next point of a generic real-valued series and returns a score in
// [0,1]. The detector learns online the series' level and spread (over Slow points), an
// hour-of-day profile (from t, in UTC) and the range of the values seen, and measures
// four features: how far the value lies above and below the level (in spreads) and above
// and below its hour's mean (in that hour's spread). Each feature is judged against the
// decayed distribution of its own past values (History points; a value past the largest
// seen is rarer the further it goes); the smallest tail probability p wins, a record
// beyond the range seen caps p at 1/n (see RecordMargin), p is corrected for the four
// features and for the age n of the series (see AgeExponent), and the score is p on a
// log scale (p 0.1 -> 0, 1e-11 -> 1). A point scores only when it beats every raw score
// of the same direction in the previous Refractory points (else 0), so one anomaly raises
// one alert. The first Warmup points score 0. NaN and infinite values score 0 and are not
// learned. Use a Detector either with Step or with Value, not both. The work per point is
// fixed (a few hundred operations, no allocation) and the memory a few KB.
//
// On the Numenta Anomaly Benchmark (58 series; `outcry eval nab`) the default
// configuration scores 70.4 standard, 57.8 reward_low_FP and 77.7 reward_low_FN, online
// and with one configuration for every file. NAB's contextOSE and Numenta HTM detectors
// are handed each file's minimum and maximum before they start (their value encoders are
// sized from them); Value learns the range as it goes.
func (d *Detector) Value(t time.Time, v float64) float64 {
	if d.val == nil {
		d.val = newDetValue(d.cfg.Value)
	}
	return d.val.value(t, v)
}

func (s *detValue) value(t time.Time, v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	cfg := &s.cfg
	s.n++
	if s.n == 1 {
		s.level, s.dev, s.lo, s.hi = v, 0, v, v
		return 0
	}

	eps := 1e-9 * (1 + math.Abs(s.level))
	var feats [valFeat]float64
	feats[0] = valFeature((v - s.level) / (s.dev + eps))
	feats[1] = valFeature((s.level - v) / (s.dev + eps))
	c := &s.cells[t.UTC().Hour()]
	if cfg.Season > 0 {
		if c.n >= 3 {
			cdev := math.Max(c.dev, cfg.SeasonFloor*s.dev) + eps
			feats[2] = valFeature((v - c.mean) / cdev)
			feats[3] = valFeature((c.mean - v) / cdev)
		}
		c.update(v, s.dev, float64(cfg.Season))
	}

	p, dir := 1.0, 0
	if s.n > cfg.Warmup {
		for i := range feats {
			if q := s.hist[i].tail(feats[i]); q < p {
				p, dir = q, i%2
			}
		}
		if m := cfg.RecordMargin * (s.hi - s.lo); m > 0 && (v > s.hi+m || v < s.lo-m) {
			if q := 1 / float64(s.n); q < p {
				p, dir = q, 0
				if v < s.lo {
					dir = 1
				}
			}
		}
		age := math.Pow(float64(min(s.n, cfg.Horizon))/1000, cfg.AgeExponent)
		p = math.Min(1, p*valFeat*age)
	}
	s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
	decay := 1 - 1/float64(cfg.History)
	for i := range feats {
		s.hist[i].add(feats[i], decay)
	}
	slow := 1 / math.Min(float64(s.n), float64(cfg.Slow))
	s.dev += (math.Abs(v-s.level) - s.dev) * slow
	s.level += (v - s.level) * slow
	if !valFiniteAll(s.level, s.dev) {
		s.level, s.dev = v, 0 // values so far apart that their difference overflowed
	}

	score := detScore(math.Log(p))
	if !s.peaks[dir].beat(s.n, score, cfg.Refractory) {
		return 0 // the same anomaly as a stronger recent point
	}
	return score
}

// valFeature clamps a feature to [0, 1e300]: negative means the other direction, and NaN
// or an overflow must not reach the histograms.
func valFeature(f float64) float64 {
	switch {
	case !(f > 0): // also NaN
		return 0
	case f > 1e300:
		return 1e300
	}
	return f
}

func valFiniteAll(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
