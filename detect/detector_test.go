package detect

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

var detT0 = time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)

// detSpan is a projection of a detector run: a run of non-ok minutes [start, end) in
// bucket indexes (end -1 = still anomalous at the end) and the peak count in it.
type detSpan struct{ start, end, peak int }

// detSpans runs a fresh detector over warm (learning prefix, not reported) and counts
// (complaints = authors) and returns the non-ok spans of counts.
func detSpans(cfg DetectorConfig, warm, counts []int) []detSpan {
	d := NewDetector(cfg)
	for i, c := range warm {
		d.Step(detT0.Add(time.Duration(i)*time.Minute), c, c)
	}
	base := detT0.Add(time.Duration(len(warm)) * time.Minute)
	var spans []detSpan
	cur := -1
	for i, c := range counts {
		p := d.Step(base.Add(time.Duration(i)*time.Minute), c, c)
		switch {
		case p.Status != outcry.StatusOK && cur < 0:
			spans = append(spans, detSpan{start: i, end: -1, peak: c})
			cur = len(spans) - 1
		case p.Status != outcry.StatusOK:
			spans[cur].peak = max(spans[cur].peak, c)
		case cur >= 0:
			spans[cur].end = i
			cur = -1
		}
	}
	return spans
}

// detBackground is a quiet service: one complaining author every 40 minutes or so.
func detBackground(n int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]int, n)
	for i := range out {
		if r.Float64() < 0.025 {
			out[i] = 1
		}
	}
	return out
}

func detRepeat(v, n int) []int { return slices.Repeat([]int{v}, n) }

func TestDetectorSpans(t *testing.T) {
	warm := detBackground(3*1440, 1)
	quiet := detBackground(120, 2)
	cat := func(parts ...[]int) []int { return slices.Concat(parts...) }
	tests := []struct {
		name   string
		counts []int
		want   []detSpan
	}{
		{"flat zeros", detRepeat(0, 120), nil},
		{"quiet background", quiet, nil},
		{"two in one minute is not an outage", cat(detRepeat(0, 30), []int{2}, detRepeat(0, 30)), nil},
		{"single spike", cat(detRepeat(0, 30), []int{40}, detRepeat(0, 40)), []detSpan{{30, 49, 40}}},
		// The 15-minute window keeps a spike in view for 15 minutes, then ClearMinutes (5)
		// below ClearScore bring the status back to ok.
		{"burst", cat(detRepeat(0, 30), detRepeat(6, 20), detRepeat(0, 60)), []detSpan{{30, 67, 6}}},
		{"slow ramp", cat(detRepeat(0, 30), []int{1, 0, 1, 1, 2, 1, 2, 3, 3, 4}, detRepeat(5, 30), detRepeat(0, 60)), []detSpan{{36, 87, 5}}},
		// Flapping every other minute stays one span thanks to the hysteresis.
		{"flapping", cat(detRepeat(0, 30), slices.Repeat([]int{4, 0}, 20), detRepeat(0, 60)), []detSpan{{30, 85, 4}}},
		{"ongoing", cat(detRepeat(0, 30), detRepeat(8, 30)), []detSpan{{30, -1, 8}}},
	}
	cfg := DefaultDetectorConfig()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := detSpans(cfg, warm, tc.counts)
			if !slices.Equal(got, tc.want) {
				t.Errorf("spans = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDetectorColdStartUsesPrior(t *testing.T) {
	cfg := DefaultDetectorConfig()
	d := NewDetector(cfg)
	p := d.Step(detT0, 0, 0)
	if math.Abs(p.Baseline-cfg.PriorRate) > 1e-9 {
		t.Errorf("cold baseline = %v, want the prior %v", p.Baseline, cfg.PriorRate)
	}
	if p.Status != outcry.StatusOK || p.Score != 0 {
		t.Errorf("cold quiet minute = %+v, want ok with score 0", p)
	}
	// Without a warm-up, a burst on a cold start is an anomaly against the prior; with the
	// default warm-up the first hour only learns.
	cold := d
	cfg.Warmup = 0
	d = NewDetector(cfg)
	d.Step(detT0, 0, 0)
	var last outcry.Point
	for i := 1; i <= 5; i++ {
		if p := cold.Step(detT0.Add(time.Duration(i)*time.Minute), 4, 4); p.Status != outcry.StatusOK {
			t.Errorf("minute %d of the warm-up reported %s", i, p.Status)
		}
	}
	for i := 1; i <= 5; i++ {
		last = d.Step(detT0.Add(time.Duration(i)*time.Minute), 4, 4)
	}
	if last.Status == outcry.StatusOK {
		t.Errorf("burst on a cold start not detected: %+v", last)
	}
}

// The baseline learns the daily rhythm: the same count is an anomaly at night and not
// in the busy hours.
func TestDetectorDailyRhythm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	rate := func(t time.Time) float64 {
		// A busy service: a complaining author every two minutes at night, two a minute in
		// the afternoon, with two-hour ramps in between.
		h := float64(t.Hour()) + float64(t.Minute())/60
		switch {
		case h >= 12 && h < 20:
			return 2
		case h >= 10 && h < 12:
			return 0.5 + 1.5*(h-10)/2
		case h >= 20 && h < 22:
			return 2 - 1.5*(h-20)/2
		}
		return 0.5
	}
	d := NewDetector(DefaultDetectorConfig())
	t0 := detT0
	var i int
	for ; i < 14*1440; i++ {
		tt := t0.Add(time.Duration(i) * time.Minute)
		n := detPoisson(r, rate(tt))
		d.Step(tt, n, n)
	}
	at := func(hour int) outcry.Point {
		dd := *d // the same learned state for both probes
		base := t0.Add(time.Duration(i) * time.Minute).Truncate(24 * time.Hour).Add(24*time.Hour + time.Duration(hour)*time.Hour)
		var p outcry.Point
		for k := range 10 {
			p = dd.Step(base.Add(time.Duration(k)*time.Minute), 4, 4)
		}
		return p
	}
	night, day := at(3), at(15)
	if night.Status == outcry.StatusOK {
		t.Errorf("4 authors/min at night not flagged: %+v", night)
	}
	if day.Status != outcry.StatusOK {
		t.Errorf("4 authors/min in the busy afternoon flagged: %+v", day)
	}
	if day.Baseline < 2.5*night.Baseline {
		t.Errorf("baselines day %.3f night %.3f: rhythm not learned", day.Baseline, night.Baseline)
	}
}

// A past outage must not inflate the baseline: the same hour the next day expects about
// what it expected before.
func TestDetectorRobustToPastOutage(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	d := NewDetector(DefaultDetectorConfig())
	var before, after float64
	for i := range 10 * 1440 {
		tt := detT0.Add(time.Duration(i) * time.Minute)
		n := detPoisson(r, 0.1)
		day := i / 1440
		if day == 7 && tt.Hour() >= 10 && tt.Hour() < 14 {
			n += 30 // a four-hour outage
		}
		p := d.Step(tt, n, n)
		if tt.Hour() == 11 && tt.Minute() == 0 {
			switch day {
			case 6:
				before = p.Baseline
			case 8:
				after = p.Baseline
			}
		}
	}
	if after > 1.5*before {
		t.Errorf("baseline at 11:00 rose from %.3f to %.3f after the outage", before, after)
	}
}

func TestDetectorOnset(t *testing.T) {
	d := NewDetector(DefaultDetectorConfig())
	for i, c := range detBackground(2*1440, 5) {
		d.Step(detT0.Add(time.Duration(i)*time.Minute), c, c)
	}
	start := detT0.Add(2 * 24 * time.Hour)
	ramp := []int{0, 0, 1, 1, 2, 2, 3, 4, 5, 6}
	var onset time.Time
	for i, c := range ramp {
		p := d.Step(start.Add(time.Duration(i)*time.Minute), c, c)
		if p.Status != outcry.StatusOK && onset.IsZero() {
			onset = d.Onset()
		}
	}
	if want := start.Add(2 * time.Minute); !onset.Equal(want) {
		t.Errorf("onset = %s, want the first minute with a complaint, %s", onset, want)
	}
}

// One account repeating itself looks like an anomaly to the counts; once the monitor
// declares it a nuisance the detector returns to ok, stays ok while it goes on, and still
// sees a real outage on top of it.
func TestDetectorAbsorb(t *testing.T) {
	d := NewDetector(DefaultDetectorConfig())
	for i, c := range detBackground(2*1440, 6) {
		d.Step(detT0.Add(time.Duration(i)*time.Minute), c, c)
	}
	t0 := detT0.Add(2 * 24 * time.Hour)
	step := func(i, n int) outcry.Point { return d.Step(t0.Add(time.Duration(i)*time.Minute), n, n) }
	var p outcry.Point
	for i := range 15 {
		p = step(i, 1)
	}
	if p.Status == outcry.StatusOK {
		t.Fatalf("a new author every minute for 15 minutes should look anomalous: %+v", p)
	}
	d.Absorb()
	for i := 15; i < 180; i++ {
		if p = step(i, 1); p.Status != outcry.StatusOK {
			t.Fatalf("minute %d: spam flagged again after Absorb: %+v", i, p)
		}
	}
	for i := 180; i < 190; i++ {
		p = step(i, 1+5)
	}
	if p.Status == outcry.StatusOK {
		t.Errorf("an outage on top of the nuisance was not detected: %+v", p)
	}
}

func TestDetectorGapsAreZeros(t *testing.T) {
	d := NewDetector(DefaultDetectorConfig())
	p0 := d.Step(detT0, 0, 0)
	// A week later: the empty minutes were learned as zeros.
	p1 := d.Step(detT0.Add(7*24*time.Hour), 0, 0)
	if !(p1.Baseline < p0.Baseline) {
		t.Errorf("baseline %.4f after a week of zeros, want below the prior %.4f", p1.Baseline, p0.Baseline)
	}
	// A t that goes backwards is taken as the next minute.
	p2 := d.Step(detT0, 0, 0)
	if want := detT0.Add(7*24*time.Hour + time.Minute); !p2.T.Equal(want) {
		t.Errorf("backwards t read as %s, want %s", p2.T, want)
	}
	// A gap beyond MaxGap is missing data and costs nothing.
	d.Step(detT0.Add(100*365*24*time.Hour), 0, 0)
}

func detPoisson(r *rand.Rand, lambda float64) int {
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func TestDetLogTailNB(t *testing.T) {
	// Poisson(2): P(X>=5) = 1 - sum_{k<5} e^-2 2^k/k! = 0.052653.
	if got := math.Exp(detLogTailNB(5, 2, 0)); math.Abs(got-0.0526530173) > 1e-6 {
		t.Errorf("Poisson tail = %v", got)
	}
	// Negative binomial, mean 2, size 4 (od 0.25): P(X>=5) = 1 - sum_{k<5} C(k+3,k) (2/3)^4 (1/3)^k
	// = 0.0879439.
	if got := math.Exp(detLogTailNB(5, 2, 0.25)); math.Abs(got-0.0879439) > 1e-6 {
		t.Errorf("NB tail = %v", got)
	}
	// Far tails stay finite in log space.
	if lp := detLogTailNB(5000, 1, 0.05); math.IsInf(lp, 0) || math.IsNaN(lp) || lp > -1000 {
		t.Errorf("far tail log p = %v", lp)
	}
}

func FuzzDetector(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 40, 3, 0, 0}, uint8(1))
	f.Add([]byte{255, 255, 255, 0, 0, 0}, uint8(200))
	f.Add([]byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, gapEvery uint8) {
		d := NewDetector(DefaultDetectorConfig())
		v := NewDetector(DefaultDetectorConfig())
		tt := detT0
		for i, b := range data {
			tt = tt.Add(time.Minute)
			if gapEvery > 0 && i%int(gapEvery) == 0 {
				tt = tt.Add(time.Duration(b) * time.Minute) // a gap of zeros
				if b == 255 {
					tt = tt.Add(30 * 24 * time.Hour) // beyond MaxGap: missing data
				}
			}
			complaints := int(b)
			authors := int(b) / 2
			if b%7 == 0 {
				complaints, authors = -int(b), int(b)*1000 // hostile input
			}
			p := d.Step(tt, complaints, authors)
			if math.IsNaN(p.Score) || p.Score < 0 || p.Score > 1 {
				t.Fatalf("score %v out of [0,1]", p.Score)
			}
			if math.IsNaN(p.Baseline) || p.Baseline < 0 {
				t.Fatalf("baseline %v", p.Baseline)
			}
			switch p.Status {
			case outcry.StatusOK, outcry.StatusDegraded, outcry.StatusOutage:
			default:
				t.Fatalf("status %q", p.Status)
			}
			if b%11 == 0 {
				d.Absorb()
			}
			x := float64(int8(b)) * math.Pow(10, float64(b%9)-3)
			if b == 13 {
				x = math.NaN()
			}
			if s := v.Value(tt, x); math.IsNaN(s) || s < 0 || s > 1 {
				t.Fatalf("value score %v out of [0,1]", s)
			}
		}
	})
}

// BenchmarkDetectorStep measures one detector step: the cost per service and minute.
func BenchmarkDetectorStep(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	counts := make([]int, 1<<16)
	for i := range counts {
		counts[i] = detPoisson(r, 0.5)
		if i%5000 < 60 {
			counts[i] += 10 // an outage now and then, so the tail code runs too
		}
	}
	d := NewDetector(DefaultDetectorConfig())
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c := counts[i&(len(counts)-1)]
		d.Step(detT0.Add(time.Duration(i)*time.Minute), c, c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/service-bucket")
}

// BenchmarkDetector1000x30d runs detection for 1,000 services over 30 days of minute
// buckets (43.2 M steps) and reports the wall time of one such run.
func BenchmarkDetector1000x30d(b *testing.B) {
	const services, minutes = 1000, 30 * 1440
	r := rand.New(rand.NewPCG(2, 2))
	counts := make([]int, 1<<16)
	for i := range counts {
		counts[i] = detPoisson(r, 0.3)
	}
	cfg := DefaultDetectorConfig()
	for b.Loop() {
		for s := range services {
			d := NewDetector(cfg)
			off := s * 7919
			for m := range minutes {
				c := counts[(off+m)&(len(counts)-1)]
				d.Step(detT0.Add(time.Duration(m)*time.Minute), c, c)
			}
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(services*minutes), "ns/service-bucket")
}

// A cold start on a busy service (far above the prior) must settle quickly instead of
// reporting an outage until MaxAnomalyRun.
func TestDetectorColdStartBusyService(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	d := NewDetector(DefaultDetectorConfig())
	lastBad := -1
	for i := range 24 * 60 {
		n := detPoisson(r, 5)
		if p := d.Step(detT0.Add(time.Duration(i)*time.Minute), n, n); p.Status != outcry.StatusOK {
			lastBad = i
		}
	}
	if lastBad > 120 {
		t.Errorf("cold start on a busy service still anomalous at minute %d", lastBad)
	}
}

// TestDetectorYoungBurst: an outage in the first hour (a fresh install, a service first
// named in its outage) is seen when it is a burst no quiet service makes, is not
// learned as the baseline, and clears when it ends.
func TestDetectorYoungBurst(t *testing.T) {
	d := NewDetector(DefaultDetectorConfig())
	var p outcry.Point
	seen, cleared := -1, -1
	for i := range 60 {
		n := 0
		if i >= 10 && i < 25 {
			n = 15
		}
		p = d.Step(detT0.Add(time.Duration(i)*time.Minute), n, n)
		if p.Status != outcry.StatusOK && seen < 0 {
			seen = i
		}
		if seen >= 0 && i >= 25 && p.Status == outcry.StatusOK && cleared < 0 {
			cleared = i
		}
	}
	if seen < 0 || seen > 14 {
		t.Fatalf("burst at minute 10 of the warm-up seen at %d", seen)
	}
	if cleared < 0 || cleared > 45 {
		t.Errorf("the burst ended at 25, status ok again at %d", cleared)
	}
	if b := d.Baseline(); b > 0.5 {
		t.Errorf("the burst taught the baseline: %.2f authors/min", b)
	}
	// Half that rate stays a warm-up matter: a busy service's normal may be there.
	d = NewDetector(DefaultDetectorConfig())
	for i := range 60 {
		n := 0
		if i >= 10 {
			n = 7
		}
		if p := d.Step(detT0.Add(time.Duration(i)*time.Minute), n, n); p.Status != outcry.StatusOK {
			t.Fatalf("7 authors a minute in the warm-up reported %s at minute %d", p.Status, i)
		}
	}
}
