package detect

import (
	"math"
	"time"

	"github.com/outcry/outcry"
)

// DetectorConfig tunes a Detector. The zero value is not useful: start from
// DefaultDetectorConfig and change what you need.
//
// The detector models the number of distinct complaining authors per minute as a
// negative-binomial count whose mean (the baseline) follows the hour of the week. Every
// minute it asks how surprising the last few minutes are under that baseline, summed over
// several window lengths, and turns the smallest tail probability into a score:
//
//	score = clamp((-log10(p) - 1) / 10, 0, 1)   // p = 0.1 -> 0, p = 1e-11 -> 1
//
// so DegradedScore 0.5 means p <= 1e-6 and OutageScore 0.7 means p <= 1e-8.
type DetectorConfig struct {
	// PriorRate is the expected number of complaining authors per minute on a cold start,
	// before any history; PriorWeight is how many minutes of history the prior is worth.
	PriorRate   float64
	PriorWeight float64
	// Warmup is how long a new detector only learns: every minute teaches the baseline and
	// the status stays ok, so a prior far from the service's real level settles instead
	// of reading as an outage. An outage during the warm-up is missed unless it reaches
	// YoungBurst.
	Warmup time.Duration
	// YoungBurst is the exception to the warm-up: that many distinct complaining authors
	// within 5 minutes are an outage for any service a prior could be wrong about, so
	// they are judged (against the prior) even while warming up, and minutes at that
	// rate do not teach the baseline. 0 turns it off. Without it, an outage that began
	// in the first hour after install went unseen and became the baseline.
	YoungBurst int
	// MinRate floors the baseline (authors per minute): a service that never had a
	// complaint is not infinitely surprised by the first one.
	MinRate float64
	// LevelMemory, DailyMemory and WeeklyMemory are the horizons of the three baseline
	// layers: the recent level (short, so a change through the day is followed while the
	// hour cells are still young), one cell per hour of the day and one per hour of the
	// week. A cell remembers about that much wall-clock time of its own hour.
	LevelMemory  time.Duration
	DailyMemory  time.Duration
	WeeklyMemory time.Duration
	// Shrink is how many minutes of a cell's own history weigh as much as its parent
	// layer's estimate (hour of week shrinks to hour of day, which shrinks to the level).
	Shrink float64
	// Windows are the window lengths in minutes over which counts are summed and tested
	// (at most 60 each, at most 16 of them). Short windows catch sudden bursts, long ones
	// slow ramps.
	Windows []int
	// Overdispersion is 1/size of the negative binomial: the variance of a window sum with
	// mean m is m + od·m². The detector estimates od online for each window length from
	// ordinary minutes (method of moments over DispersionMemory); Overdispersion is the
	// prior and the floor of that estimate, MaxOverdispersion its ceiling.
	Overdispersion    float64
	MaxOverdispersion float64
	DispersionMemory  time.Duration
	// MinCount is the least number of complaining authors (summed over a window) that can
	// make that window anomalous at all.
	MinCount int
	// DegradedScore and OutageScore are the scores at which the status rises to degraded
	// and outage. The status falls back one level only after ClearMinutes consecutive
	// minutes below the lower threshold (ClearScore to reach ok, DegradedScore to step
	// down from outage), which is the hysteresis that keeps a flapping series from
	// opening and closing incidents every minute.
	DegradedScore float64
	OutageScore   float64
	ClearScore    float64
	ClearMinutes  int
	// Winsor caps the value a minute contributes to the baseline at mean + Winsor·sd + 1,
	// so single bursts cannot drag it up.
	Winsor float64
	// LearnDelay is how long a minute waits before it teaches the baseline (at least the
	// longest window, at most 60 minutes minus it); it is learned only if no minute since
	// looked anomalous, so a slowly rising anomaly is judged before it can hide itself.
	LearnDelay time.Duration
	// MaxAnomalyRun bounds how long the baseline stops learning during a non-ok run. After
	// that long the change is taken as the new normal and learning resumes (winsorised).
	MaxAnomalyRun time.Duration
	// AbsorbHalfLife is how fast a level declared a nuisance by Absorb decays once it
	// stops.
	AbsorbHalfLife time.Duration
	// MaxGap bounds how many missing minutes before a Step are replayed as zeros; a longer
	// gap is taken as missing data: the recent window is cleared but the baseline kept.
	MaxGap time.Duration

	// Value: knobs of the generic real-valued scorer (see Detector.Value).
	Value ValueConfig
}

// DefaultDetectorConfig returns the configuration used by Outcry: a cold-start prior of
// one complaining author every 20 minutes, windows of 1, 3, 5, 10 and 15 minutes, an
// over-dispersion of at least 0.25 (complaints come in bursts even on quiet days), and a
// status that needs p <= 1e-6 to leave ok (about one false trigger per service in two
// years if the model held).
func DefaultDetectorConfig() DetectorConfig {
	return DetectorConfig{
		PriorRate:         0.05,
		PriorWeight:       60,
		Warmup:            time.Hour,
		YoungBurst:        50,
		MinRate:           0.01,
		LevelMemory:       4 * time.Hour,
		DailyMemory:       7 * 24 * time.Hour,
		WeeklyMemory:      28 * 24 * time.Hour,
		Shrink:            120,
		Windows:           []int{1, 3, 5, 10, 15},
		Overdispersion:    0.25,
		MaxOverdispersion: 1,
		DispersionMemory:  3 * 24 * time.Hour,
		MinCount:          3,
		DegradedScore:     0.5,
		OutageScore:       0.7,
		ClearScore:        0.3,
		ClearMinutes:      5,
		Winsor:            4,
		LearnDelay:        30 * time.Minute,
		MaxAnomalyRun:     24 * time.Hour,
		AbsorbHalfLife:    30 * time.Minute,
		MaxGap:            7 * 24 * time.Hour,
		Value:             DefaultValueConfig(),
	}
}

// detRing is the number of recent minutes a detector keeps; it bounds Windows, of which
// the first detMaxWindows are used.
const (
	detRing       = 64
	detMaxWindows = 16
)

// detSums are the sums of one window.
type detSums struct{ x, mu, base float64 }

// detCell is one EWMA cell of the baseline.
type detCell struct {
	mean float64
	n    float64 // minutes of evidence, capped by the layer's memory
}

func (c *detCell) update(x, cap float64) {
	if c.n < cap {
		c.n++
	}
	c.mean += (x - c.mean) / c.n
}

// Detector scores one service's per-minute complaint series online. Memory and work per
// minute are fixed (168 hour-of-week cells, 24 hour-of-day cells, a 64-minute ring), so a
// thousand services cost a few megabytes. A Detector is not safe for concurrent use.
type Detector struct {
	cfg     DetectorConfig
	windows []int

	level  detCell
	daily  [24]detCell
	weekly [168]detCell

	// ring holds the last detRing minutes: authors and the expectation used for them.
	ringX    [detRing]float64
	ringMu   [detRing]float64
	ringBase [detRing]float64 // ringMu without the absorbed nuisance
	pos      int              // index of the most recent minute
	last     time.Time
	started  bool
	age      int       // minutes processed
	lastBad  time.Time // last minute with a non-ok status or a score above ClearScore

	status      outcry.Status
	belowClear  int
	belowDegr   int
	runStart    time.Time // first minute of the current non-ok run
	onset       time.Time
	absorb      float64 // nuisance level added to the expectation (authors/minute)
	absorbDecay float64

	// Per window: EWMAs of (S-m)²-m and m² over ordinary minutes, whose ratio estimates
	// the over-dispersion of that window's sums.
	odNum, odDen []detCell
	// Per window: running sums of authors, expectations and baselines over the window
	// ending now (cur) and the one ending LearnDelay ago (lag), kept in step with the ring
	// and recomputed exactly now and then against rounding drift.
	cur, lagged []detSums
	lag         int

	val *detValue // lazily built by Value
}

// NewDetector returns a detector in the ok state with a cold-start baseline.
// Windows longer than 60 minutes are clamped; an empty Windows list means {1, 5, 15}.
func NewDetector(cfg DetectorConfig) *Detector {
	d := &Detector{cfg: cfg, status: outcry.StatusOK}
	for _, w := range cfg.Windows {
		if len(d.windows) < detMaxWindows {
			d.windows = append(d.windows, min(max(w, 1), detRing-4))
		}
	}
	if len(d.windows) == 0 {
		d.windows = []int{1, 5, 15}
	}
	d.cur = make([]detSums, len(d.windows))
	d.lagged = make([]detSums, len(d.windows))
	d.lag = d.learnLag()
	d.odNum = make([]detCell, len(d.windows))
	d.odDen = make([]detCell, len(d.windows))
	for i, w := range d.windows {
		// Prior: the configured over-dispersion at the prior rate, worth PriorWeight minutes.
		m := max(cfg.PriorRate, 1e-3) * float64(w)
		d.odDen[i] = detCell{mean: m * m, n: max(cfg.PriorWeight, 1)}
		d.odNum[i] = detCell{mean: max(cfg.Overdispersion, 0) * m * m, n: max(cfg.PriorWeight, 1)}
	}
	d.level = detCell{mean: max(cfg.PriorRate, 0), n: max(cfg.PriorWeight, 0)}
	if h := cfg.AbsorbHalfLife.Minutes(); h > 0 {
		d.absorbDecay = math.Exp2(-1 / h)
	}
	return d
}

// Status returns the status after the last Step.
func (d *Detector) Status() outcry.Status { return d.status }

// Baseline returns the expected complaining authors per minute for the last minute
// stepped (without any absorbed nuisance).
func (d *Detector) Baseline() float64 { return d.ringBase[d.pos] }

// Onset returns the estimated first minute of the current anomaly: when the status left
// ok, the start of the window that made it leave, moved forward to the first minute in
// that window whose count exceeded its baseline. It is the zero time while the status is
// ok.
func (d *Detector) Onset() time.Time {
	if d.status == outcry.StatusOK {
		return time.Time{}
	}
	return d.onset
}

// Absorb declares the current anomaly a nuisance (for example one account repeating a
// complaint every minute): the excess rate of the last 15 minutes becomes part of the
// expectation, decaying with AbsorbHalfLife once the excess stops, and the status returns
// to ok at once. The baseline cells never learn from it. A real outage on top of the
// nuisance is still detected as an excess over the raised expectation.
func (d *Detector) Absorb() {
	const w = 15
	var sx, smu float64
	for i := range w {
		j := (d.pos - i + detRing) % detRing
		sx += d.ringX[j]
		smu += d.ringMu[j]
	}
	excess := max(0, (sx-smu)/w)
	if excess > 0 {
		d.absorb += excess
		// The recent minutes were judged against the old expectation; re-judge them
		// against the new one so the windows do not keep the nuisance alive.
		for i := range detRing {
			d.ringMu[i] += excess
		}
		d.resum()
	}
	d.status = outcry.StatusOK
	d.belowClear, d.belowDegr = 0, 0
	d.runStart, d.onset = time.Time{}, time.Time{}
}

// Step consumes the next minute (t strictly increasing; gaps are allowed and mean zero
// counts) and returns the reading for that minute. complaints is the number of complaint
// posts, authors the number of distinct complaining authors: the statistic uses authors,
// so one loud account counts once per minute. A t that is not after the previous one is
// taken as the minute after it.
func (d *Detector) Step(t time.Time, complaints, authors int) outcry.Point {
	t = outcry.Minute(t)
	if d.started {
		next := d.last.Add(time.Minute)
		if t.Before(next) {
			t = next
		}
		gap := int(t.Sub(next) / time.Minute)
		if maxGap := int(d.cfg.MaxGap / time.Minute); gap > maxGap {
			// Missing data, not zeros: forget the recent window, keep the baseline.
			d.ringX, d.ringMu, d.ringBase = [detRing]float64{}, [detRing]float64{}, [detRing]float64{}
			d.resum()
			gap = 0
		}
		for i := range gap {
			d.step(next.Add(time.Duration(i)*time.Minute), 0)
		}
	}
	d.started = true
	mu, score := d.step(t, max(authors, 0))
	return outcry.Point{
		T:        t,
		Count:    max(complaints, 0),
		Authors:  max(authors, 0),
		Baseline: mu,
		Score:    score,
		Status:   d.status,
	}
}

// expected returns the baseline (authors per minute) for minute t.
func (d *Detector) expected(t time.Time) float64 {
	cfg := &d.cfg
	h := t.Hour()
	how := int(t.Weekday())*24 + h
	lvl := d.level.mean
	dc := &d.daily[h]
	day := (dc.n*dc.mean + cfg.Shrink*lvl) / (dc.n + cfg.Shrink)
	wc := &d.weekly[how]
	week := (wc.n*wc.mean + cfg.Shrink*day) / (wc.n + cfg.Shrink)
	if !(week >= cfg.MinRate) { // also catches NaN
		week = cfg.MinRate
	}
	return week
}

// step processes one minute and returns its expectation and score.
func (d *Detector) step(t time.Time, authors int) (mu, score float64) {
	cfg := &d.cfg
	d.last = t
	d.age++
	young := float64(d.age) <= cfg.Warmup.Minutes()
	base := d.expected(t)
	if d.absorb > 0 {
		d.absorb *= d.absorbDecay
		if d.absorb < 1e-3 {
			d.absorb = 0
		}
	}
	mu = base + d.absorb
	x := float64(authors)
	d.pos = (d.pos + 1) % detRing
	d.ringX[d.pos] = x
	d.ringMu[d.pos] = mu
	d.ringBase[d.pos] = base
	if d.age%4096 == 0 {
		d.resum()
	} else {
		d.slide()
	}
	if d.absorb > 0 && x-base >= d.absorb {
		// The nuisance goes on: hold its level instead of letting it decay.
		d.absorb /= d.absorbDecay
	}

	logp, best := 0.0, 0
	for k := range d.windows {
		w := d.windows[k]
		sx, smu, sb := d.cur[k].x, d.cur[k].mu, d.cur[k].base
		// An absorbed nuisance is a known offset, not part of the random variation.
		sx -= smu - sb
		if sx+1e-9 < float64(cfg.MinCount) || sx <= sb {
			continue
		}
		od := d.od(k)
		if z := (sx - sb) / math.Sqrt(sb*(1+od*sb)); z < 1.5 {
			// Within 1.5 sd the tail is above 5 %: no score after the Bonferroni
			// correction, so skip the exact sum (most minutes of a busy series).
			continue
		}
		if lp := detLogTailNB(int(sx+0.5), sb, od); lp < logp {
			logp, best = lp, w
		}
	}
	if best > 0 {
		logp += math.Log(float64(len(d.windows))) // Bonferroni over the windows
	}
	score = detScore(logp)
	if young {
		if burst := cfg.YoungBurst > 0 && d.recentSum(5) >= float64(cfg.YoungBurst); burst || d.status != outcry.StatusOK {
			d.transition(t, score, best)
			if d.status != outcry.StatusOK || score >= cfg.ClearScore {
				d.lastBad = t
			}
		}
		if cfg.YoungBurst > 0 && x*5 >= float64(cfg.YoungBurst) {
			return mu, score // a burst minute does not teach the baseline
		}
		// Unwinsorised and at once: the prior may be far off and must not cap what it learns.
		d.learn(t, x)
		return mu, score
	}
	d.transition(t, score, best)
	if d.status != outcry.StatusOK || score >= cfg.ClearScore {
		d.lastBad = t
	}

	// Learn the minute that left the detection windows LearnDelay ago, if nothing looked
	// anomalous since: an anomaly is judged before it can teach the baseline, and outages
	// never inflate it. After MaxAnomalyRun of continuous anomaly the change is accepted
	// as the new normal.
	lag := d.lag
	if float64(d.age-lag) <= cfg.Warmup.Minutes() {
		return mu, score
	}
	ok := t.Sub(d.lastBad) > time.Duration(lag)*time.Minute
	if !ok && !d.runStart.IsZero() && t.Sub(d.runStart) >= cfg.MaxAnomalyRun {
		ok = true
	}
	if !ok {
		return mu, score
	}
	j := (d.pos - lag + detRing) % detRing
	bj := d.ringBase[j]
	v := bj * (1 + d.od(0)*bj)
	xl := min(max(d.ringX[j]-(d.ringMu[j]-bj), 0), bj+cfg.Winsor*math.Sqrt(v)+1)
	d.learn(t.Add(-time.Duration(lag)*time.Minute), xl)
	// Over-dispersion from the windows ending at that minute, where their mean is large
	// enough for the moment estimate to mean something.
	odMem := max(cfg.DispersionMemory.Minutes(), 1)
	for k := range d.windows {
		sx, mu, m := d.lagged[k].x, d.lagged[k].mu, d.lagged[k].base
		sx -= mu - m
		if m < 1 {
			continue
		}
		sd := math.Sqrt(m * (1 + d.od(k)*m))
		sx = min(sx, m+6*sd+2)
		d.odNum[k].update((sx-m)*(sx-m)-m, odMem)
		d.odDen[k].update(m*m, odMem)
	}
	return mu, score
}

// recentSum is the sum of the last n minutes (n <= detRing).
func (d *Detector) recentSum(n int) float64 {
	sum := 0.0
	for i := 0; i < n && i < d.age; i++ {
		sum += d.ringX[(d.pos-i+detRing)%detRing]
	}
	return sum
}

// learnLag is how many minutes back the learned minute is: past the longest window.
func (d *Detector) learnLag() int {
	w := 0
	for _, x := range d.windows {
		w = max(w, x)
	}
	return min(max(int(d.cfg.LearnDelay/time.Minute), w), detRing-w-1)
}

// slide moves the running window sums one minute forward (the ring already holds the new
// minute at pos).
func (d *Detector) slide() {
	at := func(back int) int { return (d.pos - back + 2*detRing) % detRing }
	for k, w := range d.windows {
		in, out := at(0), at(w)
		c := &d.cur[k]
		c.x += d.ringX[in] - d.ringX[out]
		c.mu += d.ringMu[in] - d.ringMu[out]
		c.base += d.ringBase[in] - d.ringBase[out]
		in, out = at(d.lag), at(d.lag+w)
		l := &d.lagged[k]
		l.x += d.ringX[in] - d.ringX[out]
		l.mu += d.ringMu[in] - d.ringMu[out]
		l.base += d.ringBase[in] - d.ringBase[out]
	}
}

// resum recomputes the running window sums from the ring.
func (d *Detector) resum() {
	for k, w := range d.windows {
		x, mu, b := d.window(0, w)
		d.cur[k] = detSums{x, mu, b}
		x, mu, b = d.window(d.lag, w)
		d.lagged[k] = detSums{x, mu, b}
	}
}

// window sums the authors, expectations and baselines (expectations without the absorbed
// nuisance) of the w minutes ending back minutes ago.
func (d *Detector) window(back, w int) (sx, smu, sb float64) {
	for i := range w {
		j := (d.pos - back - i + 2*detRing) % detRing
		sx += d.ringX[j]
		smu += d.ringMu[j]
		sb += d.ringBase[j]
	}
	return sx, smu, sb
}

// learn teaches the baseline cells of minute t the value x.
func (d *Detector) learn(t time.Time, x float64) {
	cfg := &d.cfg
	x = max(x, 0)
	d.level.update(x, max(cfg.LevelMemory.Minutes(), 1))
	d.daily[t.Hour()].update(x, max(cfg.DailyMemory.Hours()/24*60, 1))
	d.weekly[int(t.Weekday())*24+t.Hour()].update(x, max(cfg.WeeklyMemory.Hours()/(24*7)*60, 1))
}

// od returns the current over-dispersion estimate of window k.
func (d *Detector) od(k int) float64 {
	od := d.cfg.Overdispersion
	if den := d.odDen[k].mean; den > 0 {
		od = max(od, d.odNum[k].mean/den)
	}
	if !(od <= d.cfg.MaxOverdispersion) { // also NaN
		od = max(d.cfg.MaxOverdispersion, 0)
	}
	return max(od, 0)
}

// WindowScore scores authors distinct complaining authors over the last minutes minutes
// (at most 60) against the baseline the detector used for them (without any absorbed
// nuisance: a repeating account counts once among distinct authors), with the same
// statistic and scale as Step. The monitor uses it to confirm an anomaly with distinct authors
// counted over the whole window, which one account repeating itself cannot inflate.
func (d *Detector) WindowScore(authors, minutes int) float64 {
	minutes = min(max(minutes, 1), detRing-4)
	_, _, sb := d.window(0, minutes)
	if authors < d.cfg.MinCount || float64(authors) <= sb {
		return 0
	}
	// The dispersion of the closest window length at or above minutes.
	k := len(d.windows) - 1
	for i, w := range d.windows {
		if w >= minutes && (k == len(d.windows)-1 || w < d.windows[k]) {
			k = i
		}
	}
	return detScore(detLogTailNB(authors, sb, d.od(k)) + math.Log(float64(len(d.windows))))
}

// RecentScore scores the complaining authors of the last minutes minutes (at most 60
// minus the longest window) against their baseline, with the same statistic and scale as
// Step but without MinCount: how elevated the recent complaints still are.
func (d *Detector) RecentScore(minutes int) float64 {
	minutes = min(max(minutes, 1), detRing-4)
	sx, smu, sb := d.window(0, minutes)
	sx -= smu - sb
	if sx <= sb {
		return 0
	}
	k := len(d.windows) - 1
	return detScore(detLogTailNB(int(sx+0.5), sb, d.od(k)))
}

// transition applies the hysteresis rules to the minute's score.
func (d *Detector) transition(t time.Time, score float64, window int) {
	cfg := &d.cfg
	if score < cfg.ClearScore {
		d.belowClear++
	} else {
		d.belowClear = 0
	}
	if score < cfg.DegradedScore {
		d.belowDegr++
	} else {
		d.belowDegr = 0
	}
	switch d.status {
	case outcry.StatusOK:
		if score >= cfg.DegradedScore {
			d.status = outcry.StatusDegraded
			if score >= cfg.OutageScore {
				d.status = outcry.StatusOutage
			}
			d.runStart = t
			d.onset = d.estimateOnset(t, window)
		}
	case outcry.StatusDegraded:
		switch {
		case score >= cfg.OutageScore:
			d.status = outcry.StatusOutage
		case d.belowClear >= cfg.ClearMinutes:
			d.toOK()
		}
	case outcry.StatusOutage:
		switch {
		case d.belowClear >= cfg.ClearMinutes:
			d.toOK()
		case d.belowDegr >= cfg.ClearMinutes:
			d.status = outcry.StatusDegraded
		}
	}
}

func (d *Detector) toOK() {
	d.status = outcry.StatusOK
	d.runStart, d.onset = time.Time{}, time.Time{}
}

// estimateOnset returns the maximum-likelihood start of the anomaly that triggered at
// t: with r the rate ratio of the triggering window (observed over expected), the start s
// within the last 30 minutes that maximises the Poisson log-likelihood ratio of "rate r
// times the baseline since s" against "baseline throughout",
//
//	LLR(s) = sum over minutes i from s to t of  x_i·ln r − (r − 1)·m_i,
//
// among minutes that had a complaint above the absorbed nuisance (a change starts with
// one). Ties go to the latest start.
func (d *Detector) estimateOnset(t time.Time, window int) time.Time {
	window = max(window, 1)
	sx, smu, sb := d.window(0, window)
	sx -= smu - sb
	r := max(sx/max(sb, 1e-9), 1.5)
	lr := math.Log(r)
	const back = 30
	best, bestAt := math.Inf(-1), 0
	var llr float64
	for i := range min(back, d.age) {
		j := (d.pos - i + detRing) % detRing
		x := d.ringX[j] - (d.ringMu[j] - d.ringBase[j])
		llr += x*lr - (r-1)*d.ringBase[j]
		if x > 0 && llr > best {
			best, bestAt = llr, i
		}
	}
	return t.Add(-time.Duration(bestAt) * time.Minute)
}

// detScore maps a log tail probability to [0,1]: p = 0.1 gives 0, p = 1e-11 gives 1.
func detScore(logp float64) float64 {
	s := (-logp/math.Ln10 - 1) / 10
	switch {
	case !(s > 0): // also NaN
		return 0
	case s > 1:
		return 1
	}
	return s
}

// detLogTailNB returns log P(X >= k) for a negative binomial X with mean mu and variance
// mu + od·mu² (Poisson when od is 0), for k above the mean. It sums the upper tail from k
// in log space, with a geometric bound for the rest, so it neither underflows nor costs
// more than a few dozen terms.
func detLogTailNB(k int, mu, od float64) float64 {
	if k <= 0 || !(mu > 0) {
		if k <= 0 {
			return 0
		}
		return math.Inf(-1)
	}
	fk := float64(k)
	var logpmf float64
	poisson := !(od > 1e-9)
	var r, q float64
	if poisson {
		lg, _ := math.Lgamma(fk + 1)
		logpmf = fk*math.Log(mu) - mu - lg
	} else {
		r = 1 / od
		q = mu / (r + mu)
		a, _ := math.Lgamma(fk + r)
		b, _ := math.Lgamma(r)
		c, _ := math.Lgamma(fk + 1)
		logpmf = a - b - c + r*math.Log(r/(r+mu)) + fk*math.Log(q)
	}
	sum, term := 1.0, 1.0
	for i := fk; i < fk+200; i++ {
		var ratio float64
		if poisson {
			ratio = mu / (i + 1)
		} else {
			ratio = (i + r) / (i + 1) * q
		}
		term *= ratio
		sum += term
		if term < 1e-12*sum {
			break
		}
		if ratio < 1 && i == fk+199 {
			sum += term * ratio / (1 - ratio)
		}
	}
	lp := logpmf + math.Log(sum)
	return min(lp, 0)
}
