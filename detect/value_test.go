package detect

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// valSeries returns n points every five minutes of a daily cycle (amplitude amp) plus
// Gaussian noise (sd 5) around 100, with the given values added at the given indexes.
func valSeries(seed uint64, n int, amp float64, add map[int]float64) ([]time.Time, []float64) {
	r := rand.New(rand.NewPCG(seed, seed))
	ts := make([]time.Time, n)
	vs := make([]float64, n)
	for i := range n {
		ts[i] = detT0.Add(time.Duration(i) * 5 * time.Minute)
		day := float64(i%288) / 288
		vs[i] = 100 + amp*math.Sin(2*math.Pi*day) + 5*r.NormFloat64() + add[i]
	}
	return ts, vs
}

// valAlerts runs a fresh detector over the series and returns the indexes scoring at
// least thr.
func valAlerts(cfg ValueConfig, ts []time.Time, vs []float64, thr float64) []int {
	dc := DefaultDetectorConfig()
	dc.Value = cfg
	d := NewDetector(dc)
	var out []int
	for i := range vs {
		if d.Value(ts[i], vs[i]) >= thr {
			out = append(out, i)
		}
	}
	return out
}

func TestValueAlerts(t *testing.T) {
	// Over 3000 points of Gaussian noise the largest score is 0.15 to 0.21 (seeds 1 to 7);
	// a spike of 30 standard deviations scores 0.25 or more. (The scale is a tail probability
	// measured against the series' own past, extrapolated past its record by a power law,
	// so a spike's score grows with the log of its size.)
	const thr = 0.22
	tests := []struct {
		name string
		amp  float64
		add  map[int]float64
		want []int
	}{
		{"noise only", 0, nil, nil},
		{"daily cycle only", 40, nil, nil},
		{"one spike", 0, map[int]float64{1500: 150}, []int{1500}},
		{"one dip", 0, map[int]float64{1500: -150}, []int{1500}},
		// 60 above the mean is within the cycle's range, but not at its lowest hour.
		{"spike at the quiet hour of a cycle", 40, map[int]float64{1716: 60}, []int{1716}},
		// The refractory period: one alert for a burst...
		{"burst", 0, map[int]float64{1500: 150, 1501: 160, 1502: 150, 1510: 150}, []int{1500}},
		// ...but a drop right after a surge is a different event, even a weaker one.
		{"spike then dip", 0, map[int]float64{1500: 1000, 1540: -100}, []int{1500, 1540}},
		// Nothing is reported while warming up.
		{"spike in the warm-up", 0, map[int]float64{100: 300}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, vs := valSeries(7, 3000, tt.amp, tt.add)
			got := valAlerts(DefaultValueConfig(), ts, vs, thr)
			if !slices.Equal(got, tt.want) {
				t.Errorf("alerts at %v, want %v", got, tt.want)
			}
		})
	}
}

// A weaker spike soon after a stronger one is masked (scores 0); after the refractory
// period the same spike scores again.
func TestValueRefractory(t *testing.T) {
	ts, vs := valSeries(7, 2000, 0, map[int]float64{1500: 250, 1560: 150, 1800: 150})
	d := NewDetector(DefaultDetectorConfig())
	out := make([]float64, len(vs))
	for i := range vs {
		out[i] = d.Value(ts[i], vs[i])
	}
	if out[1560] != 0 {
		t.Errorf("spike 60 points after a stronger one scores %.3f, want 0", out[1560])
	}
	if !(out[1800] > 0.1 && out[1800] < out[1500]) {
		t.Errorf("the same spike 300 points later scores %.3f (the first %.3f), want in (0.1, first)", out[1800], out[1500])
	}
}

// A record beyond the range of everything seen scores at least as a tail probability of
// 1/n would, even when the features, judged on their own past, find it ordinary: here
// the series got noisier after an early spike, so a new record is only 4 spreads out.
func TestValueRecord(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 21))
	const at = 2900
	vs := make([]float64, at+1)
	for i := range vs {
		sd := 1.0
		if i >= 1000 {
			sd = 10
		}
		vs[i] = 100 + sd*r.NormFloat64()
	}
	vs[500] += 30
	hi := slices.Max(vs[:at])
	vs[at] = hi + 0.05*(hi-slices.Min(vs[:at]))
	run := func(cfg ValueConfig) float64 {
		dc := DefaultDetectorConfig()
		dc.Value = cfg
		d := NewDetector(dc)
		var s float64
		for i, v := range vs {
			s = d.Value(detT0.Add(time.Duration(i)*time.Hour), v)
		}
		return s
	}
	cfg := DefaultValueConfig()
	with := run(cfg)
	cfg.RecordMargin = 0
	without := run(cfg)
	// p <= 1/n, times 4 features, times the age factor sqrt(n/1000).
	n := float64(len(vs))
	bound := detScore(math.Log(valFeat / n * math.Sqrt(n/1000)))
	if with < bound-1e-9 || !(with > without) {
		t.Errorf("record scores %.3f (%.3f without the record rule), want >= %.3f and above", with, without, bound)
	}
}

// A level shift is reported once when it happens, not at every point of the new level.
func TestValueLevelShift(t *testing.T) {
	add := map[int]float64{}
	for i := 2000; i < 3000; i++ {
		add[i] = 60
	}
	ts, vs := valSeries(3, 3000, 0, add)
	got := valAlerts(DefaultValueConfig(), ts, vs, 0.2)
	if len(got) == 0 || got[0] != 2000 {
		t.Fatalf("alerts at %v, want the first at 2000", got)
	}
	if len(got) > 3 {
		t.Errorf("alerts at %v: a level shift should alert a few times at most", got)
	}
}

// The same surprise asks for more evidence in an older series (AgeExponent), and the
// factor stops growing at Horizon.
func TestValueAgeExponent(t *testing.T) {
	score := func(cfg ValueConfig, at int) float64 {
		ts, vs := valSeries(11, at+1, 0, map[int]float64{at: 45})
		dc := DefaultDetectorConfig()
		dc.Value = cfg
		d := NewDetector(dc)
		var s float64
		for i := range vs {
			s = d.Value(ts[i], vs[i])
		}
		return s
	}
	cfg := DefaultValueConfig()
	flat := cfg
	flat.AgeExponent = 0
	capped := cfg
	capped.Horizon = 1000
	// After 1000 points the factor is 1: the age changes nothing yet.
	if a, b := score(cfg, 1000), score(flat, 1000); math.Abs(a-b) > 1e-3 {
		t.Errorf("after 1000 points: %.4f with AgeExponent, %.4f without: want equal", a, b)
	}
	// After 8000 points it is sqrt(8): the score drops by log10(sqrt(8))/10 = 0.045.
	aged, fresh := score(cfg, 8000), score(flat, 8000)
	if d := fresh - aged; math.Abs(d-0.045) > 0.002 {
		t.Errorf("after 8000 points: %.4f with AgeExponent, %.4f without: want 0.045 lower", aged, fresh)
	}
	if c := score(capped, 8000); c != fresh {
		t.Errorf("after 8000 points with Horizon 1000: %.4f, want %.4f (no age factor)", c, fresh)
	}
}

// NaN and infinite values score 0 and leave the state alone; a flat line that moves is
// an anomaly; the output is a function of the input only.
func TestValueEdgeCases(t *testing.T) {
	ts, vs := valSeries(5, 2000, 10, map[int]float64{1700: 70})
	dc := DefaultDetectorConfig()
	a, b := NewDetector(dc), NewDetector(dc)
	for i := range vs {
		sa := a.Value(ts[i], vs[i])
		if i%97 == 0 {
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				if s := b.Value(ts[i], bad); s != 0 {
					t.Fatalf("Value(%v) = %v, want 0", bad, s)
				}
			}
		}
		if sb := b.Value(ts[i], vs[i]); sb != sa {
			t.Fatalf("point %d: %v with invalid values interleaved, %v without", i, sb, sa)
		}
	}

	d := NewDetector(dc)
	var last float64
	for i := range 1000 {
		v := 45.0
		if i == 900 {
			v = 45.5
		}
		s := d.Value(detT0.Add(time.Duration(i)*time.Minute), v)
		if i < 900 && s != 0 {
			t.Fatalf("flat line: point %d scores %v", i, s)
		}
		if i == 900 {
			last = s
		}
	}
	if last < 0.4 {
		t.Errorf("a flat line that moves scores %.3f, want >= 0.4", last)
	}
}

// Value is causal: changing the future does not change the past scores.
func TestValueCausal(t *testing.T) {
	ts, vs := valSeries(13, 3000, 25, map[int]float64{1200: 90, 2500: -90})
	alt := slices.Clone(vs)
	for i := 2000; i < len(alt); i++ {
		alt[i] = -alt[i] * 3
	}
	a, b := NewDetector(DefaultDetectorConfig()), NewDetector(DefaultDetectorConfig())
	for i := range vs {
		sa, sb := a.Value(ts[i], vs[i]), b.Value(ts[i], alt[i])
		if i < 2000 && sa != sb {
			t.Fatalf("point %d scores %v and %v: the future leaked into the past", i, sa, sb)
		}
	}
}

// Hostile configurations are clamped, not trusted.
func TestValueBadConfig(t *testing.T) {
	dc := DefaultDetectorConfig()
	dc.Value = ValueConfig{Warmup: -1, Slow: -5, Season: -1, History: 0, Refractory: -3, AgeExponent: math.NaN(), Horizon: -1}
	d := NewDetector(dc)
	ts, vs := valSeries(9, 1000, 20, map[int]float64{800: 90})
	for i := range vs {
		if s := d.Value(ts[i], vs[i]); !(s >= 0 && s <= 1) {
			t.Fatalf("point %d: score %v out of [0,1]", i, s)
		}
	}
}

// The refractory deques stay bounded however long the series.
func TestValueBoundedMemory(t *testing.T) {
	d := NewDetector(DefaultDetectorConfig())
	r := rand.New(rand.NewPCG(4, 4))
	for i := range 200000 {
		d.Value(detT0.Add(time.Duration(i)*time.Minute), r.ExpFloat64()*float64(1+i%1000))
	}
	limit := d.cfg.Value.Refractory + 1 + 1025
	for k, p := range d.val.peaks {
		if cap(p.recent) > 2*limit {
			t.Errorf("direction %d: deque capacity %d, want <= %d", k, cap(p.recent), 2*limit)
		}
	}
}

func FuzzValue(f *testing.F) {
	f.Add([]byte{1, 2, 3, 200, 4, 5, 255, 0, 0, 7}, int64(300))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 9}, int64(1))
	f.Fuzz(func(t *testing.T, data []byte, step int64) {
		dc := DefaultDetectorConfig()
		dc.Value.Warmup = 3
		d := NewDetector(dc)
		tt := detT0
		for i, b := range data {
			tt = tt.Add(time.Duration(step%86400) * time.Second)
			x := float64(int8(b)) * math.Pow(10, float64(int(b)%40)*8-150)
			switch b {
			case 13:
				x = math.NaN()
			case 17:
				x = math.MaxFloat64
			case 19:
				x = -math.MaxFloat64
			}
			if s := d.Value(tt, x); !(s >= 0 && s <= 1) {
				t.Fatalf("point %d (%v): score %v out of [0,1]", i, x, s)
			}
		}
	})
}

// BenchmarkValue measures Detector.Value per point on a noisy daily cycle.
func BenchmarkValue(b *testing.B) {
	ts, vs := valSeries(1, 1<<14, 30, map[int]float64{5000: 80, 9000: -80})
	d := NewDetector(DefaultDetectorConfig())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i & (len(vs) - 1)
		d.Value(ts[k].Add(time.Duration(i>>14)*time.Duration(len(vs))*5*time.Minute), vs[k])
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/point")
}
