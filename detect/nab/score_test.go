package nab

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/outcry/outcry"
)

func TestScaledSigmoidReferenceValues(t *testing.T) {
	// SCORING.md section 5, reference values with A = 1.
	maxTP := scaledSigmoid(-1)
	if math.Abs(maxTP-0.9866142981514305) > 1e-15 {
		t.Fatalf("maxTP = %.16f, want 0.9866142981514305", maxTP)
	}
	inWindow := []struct{ pos, want float64 }{
		{-1, 1}, {-0.75, 0.9670}, {-0.5, 0.8598}, {-0.25, 0.5621}, {-0.1, 0.2482},
	}
	for _, tc := range inWindow {
		if got := scaledSigmoid(tc.pos) / maxTP; math.Abs(got-tc.want) > 5e-5 {
			t.Errorf("TP weight at %v = %.5f, want %.4f", tc.pos, got, tc.want)
		}
	}
	after := []struct{ pos, want float64 }{
		{1.0 / 396, -0.0063}, {0.1, -0.2449}, {0.25, -0.5546}, {0.5, -0.8483}, {1, -0.9866}, {3.0001, -1}, {100, -1},
	}
	for _, tc := range after {
		if got := scaledSigmoid(tc.pos); math.Abs(got-tc.want) > 5e-5 {
			t.Errorf("FP weight at %v = %.5f, want %.4f", tc.pos, got, tc.want)
		}
	}
	if got := scaledSigmoid(3); got == -1 {
		t.Errorf("scaledSigmoid(3) = -1, want the curve value (only y > 3 is clamped)")
	}
}

func TestProbation(t *testing.T) {
	tests := []struct{ rows, want int }{
		{1, 0}, {20, 3}, {100, 15}, {4032, 604}, {4999, 749}, {5000, 750}, {15902, 750}, {22695, 750},
	}
	for _, tc := range tests {
		if got := probation(tc.rows); got != tc.want {
			t.Errorf("probation(%d) = %d, want %d", tc.rows, got, tc.want)
		}
	}
}

func TestScoreAtHandComputed(t *testing.T) {
	// 100 rows: probation 15; window [40, 49] (width 10).
	c := synthCorpus(fileSpec{name: "cat/a.csv", rows: 100, windows: [][2]int{{40, 49}}})
	maxTP := 2/(1+math.Exp(-5)) - 1
	std := DefaultProfiles()[0]
	tests := []struct {
		name     string
		detect   []int
		wantRaw  float64
		tp, fp   int
		hits     int
		wantNorm float64 // NaN: do not check
	}{
		{"nothing", nil, -1, 0, 0, 0, 0},
		{"window start", []int{40}, 1, 1, 0, 1, 100},
		{"probation rows are ignored", []int{3, 14, 40}, 1, 1, 0, 1, 100},
		{"before any window costs A_FP", []int{20, 40}, 1 - 0.11, 1, 1, 1, math.NaN()},
		{"middle of window", []int{45}, (2/(1+math.Exp(-2.5)) - 1) / maxTP, 1, 0, 1, math.NaN()},
		{"earliest detection counts once", []int{44, 45, 49}, (2/(1+math.Exp(-3)) - 1) / maxTP, 3, 0, 1, math.NaN()},
		{"after window", []int{40, 70}, 1 + 0.11*(2/(1+math.Exp(5*21.0/9))-1), 1, 1, 1, math.NaN()},
		{"far after window", []int{99}, -1 - 0.11, 0, 1, 0, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := constScores(c, 0)
			for _, i := range tc.detect {
				s["cat/a.csv"][i] = 1
			}
			tot, files, err := ScoreAt(c, s, std, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(tot.Raw-tc.wantRaw) > 1e-12 {
				t.Errorf("raw = %.15f, want %.15f", tot.Raw, tc.wantRaw)
			}
			if tot.TP != tc.tp || tot.FP != tc.fp || tot.Hits != tc.hits {
				t.Errorf("TP, FP, hits = %d, %d, %d; want %d, %d, %d", tot.TP, tot.FP, tot.Hits, tc.tp, tc.fp, tc.hits)
			}
			if rows := tot.TP + tot.FP + tot.FN + tot.TN; rows != 85 {
				t.Errorf("counted %d rows, want 85 after probation", rows)
			}
			if tot.FN != 10-tot.TP {
				t.Errorf("FN = %d, want %d", tot.FN, 10-tot.TP)
			}
			if !math.IsNaN(tc.wantNorm) && math.Abs(tot.Score-tc.wantNorm) > 1e-9 {
				t.Errorf("score = %v, want %v", tot.Score, tc.wantNorm)
			}
			if want := 100 * (tot.Raw + 1) / 2; math.Abs(tot.Score-want) > 1e-9 {
				t.Errorf("normalised %v, want %v", tot.Score, want)
			}
			if files["cat/a.csv"].Raw != tot.Raw {
				t.Errorf("file raw %v != total %v", files["cat/a.csv"].Raw, tot.Raw)
			}
		})
	}
}

func TestWindowInsideProbationStillSetsPreviousWindow(t *testing.T) {
	// 100 rows, probation 15; window [5, 9] lies in probation, so it is not scored, but a
	// false positive at row 20 is weighted relative to it: position (20-9)/(5-1).
	c := synthCorpus(fileSpec{name: "cat/a.csv", rows: 100, windows: [][2]int{{5, 9}, {60, 69}}})
	s := constScores(c, 0)
	s["cat/a.csv"][20] = 1
	std := DefaultProfiles()[0]
	tot, _, err := ScoreAt(c, s, std, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.11*(2/(1+math.Exp(5*11.0/4))-1) - 1 // the FP, and the second window missed
	if math.Abs(tot.Raw-want) > 1e-12 {
		t.Fatalf("raw = %v, want %v", tot.Raw, want)
	}
	if got := naiveRaw(c.Files[0], s["cat/a.csv"], 1, std); math.Abs(got-want) > 1e-12 {
		t.Fatalf("naive raw = %v, want %v", got, want)
	}
}

func TestTiesGoToTheHighestThreshold(t *testing.T) {
	c := synthCorpus(fileSpec{name: "cat/a.csv", rows: 100, windows: [][2]int{{40, 49}}})
	s := constScores(c, 0)
	s["cat/a.csv"][40] = 0.9 // the window start: the best possible detection
	s["cat/a.csv"][45] = 0.8 // later in the same window: adds nothing
	for _, pr := range DefaultProfiles() {
		thr, raw, err := Optimize(c, s, pr)
		if err != nil {
			t.Fatal(err)
		}
		if thr != 0.9 || math.Abs(raw-pr.TP) > 1e-12 {
			t.Errorf("%s: threshold %v raw %v, want 0.9 and %v", pr.Name, thr, raw, pr.TP)
		}
	}
}

func TestOptimizeMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		c := randomCorpus(rng)
		scores := map[string][]float64{}
		levels := 2 + rng.IntN(30) // few levels: many ties
		for _, f := range c.Files {
			s := make([]float64, f.Rows())
			for i := range s {
				if rng.Float64() < 0.7 {
					s[i] = 0
				} else {
					s[i] = float64(rng.IntN(levels+1)) / float64(levels)
				}
			}
			// Make some windows easy to hit.
			for _, w := range f.Windows {
				if rng.IntN(2) == 0 {
					s[w[0]+rng.IntN(w[1]-w[0]+1)] = 1
				}
			}
			scores[f.Name] = s
		}
		for _, pr := range DefaultProfiles() {
			checkOptimum(t, c, scores, pr, trial)
		}
	}
}

// checkOptimum compares Optimize with an exhaustive search over naiveCorpusRaw.
func checkOptimum(t *testing.T, c *Corpus, scores map[string][]float64, pr Profile, trial int) {
	t.Helper()
	thr, raw, err := Optimize(c, scores, pr)
	if err != nil {
		t.Fatal(err)
	}
	cands := candidates(c, scores)
	raws := make([]float64, len(cands))
	best := math.Inf(-1)
	for i, th := range cands {
		raws[i] = naiveCorpusRaw(c, scores, th, pr)
		best = max(best, raws[i])
	}
	const eps = 1e-9
	if math.Abs(raw-best) > eps {
		t.Fatalf("trial %d %s: optimum raw %v, brute force %v", trial, pr.Name, raw, best)
	}
	if got := naiveCorpusRaw(c, scores, thr, pr); math.Abs(got-best) > eps {
		t.Fatalf("trial %d %s: threshold %v scores %v, brute force best %v", trial, pr.Name, thr, got, best)
	}
	for i, th := range cands {
		if th > thr && raws[i] > best-eps {
			t.Fatalf("trial %d %s: higher threshold %v also reaches the optimum %v (picked %v)", trial, pr.Name, th, best, thr)
		}
	}
	// The per-file scoring at the chosen threshold sums to the optimiser's raw score.
	tot, _, err := ScoreAt(c, scores, pr, thr)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(tot.Raw-raw) > eps {
		t.Fatalf("trial %d %s: ScoreAt raw %v != Optimize raw %v", trial, pr.Name, tot.Raw, raw)
	}
}

// randomCorpus makes 1-4 files with 0-3 disjoint windows each, some before probation ends.
func randomCorpus(rng *rand.Rand) *Corpus {
	var specs []fileSpec
	for i := range 1 + rng.IntN(4) {
		rows := 20 + rng.IntN(200)
		var wins [][2]int
		at := 0
		for range rng.IntN(4) {
			start := at + 1 + rng.IntN(rows/3)
			end := start + 1 + rng.IntN(rows/6+1)
			if end >= rows {
				break
			}
			wins = append(wins, [2]int{start, end})
			at = end + 1
		}
		specs = append(specs, fileSpec{name: []string{"a/", "b/"}[i%2] + string(rune('p'+i)) + ".csv", rows: rows, windows: wins})
	}
	return synthCorpus(specs...)
}

func FuzzOptimize(f *testing.F) {
	c := synthCorpus(
		fileSpec{name: "a/one.csv", rows: 60, windows: [][2]int{{20, 27}, {40, 44}}},
		fileSpec{name: "a/two.csv", rows: 30, windows: [][2]int{{10, 19}}},
		fileSpec{name: "b/flat.csv", rows: 40},
	)
	f.Add([]byte{0, 8, 3, 3, 1})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, repeatedly, to fill rows"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		scores := map[string][]float64{}
		k := 0
		for _, fl := range c.Files {
			s := make([]float64, fl.Rows())
			for i := range s {
				s[i] = float64(data[k%len(data)]%9) / 8
				k++
			}
			scores[fl.Name] = s
		}
		for _, pr := range DefaultProfiles() {
			checkOptimum(t, c, scores, pr, 0)
		}
	})
}

func TestAllZeroAndPerfectSynthetic(t *testing.T) {
	c := synthCorpus(
		fileSpec{name: "a/one.csv", rows: 300, windows: [][2]int{{100, 129}, {200, 219}}},
		fileSpec{name: "a/two.csv", rows: 120, windows: [][2]int{{60, 71}}},
		fileSpec{name: "b/flat.csv", rows: 200},
	)
	for _, tc := range []struct {
		name   string
		scores map[string][]float64
		want   float64
	}{
		{"zero", constScores(c, 0), 0},
		{"null 0.5", constScores(c, 0.5), 0},
		{"perfect", perfectScores(c), 100},
	} {
		rep, err := Score(c, tc.scores, DefaultProfiles())
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range rep.Profiles {
			if got := rep.Overall[pr].Score; math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s %s: overall %v, want %v", tc.name, pr, got, tc.want)
			}
			if got := rep.Categories["a"][pr].Score; math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s %s: category a %v, want %v", tc.name, pr, got, tc.want)
			}
		}
		if _, ok := rep.Categories["b"]; ok {
			t.Errorf("%s: window-less category b has an own-threshold score", tc.name)
		}
		if got := rep.AtCorpusThreshold["b"][Standard]; got.Windows != 0 || got.Raw != 0 {
			t.Errorf("%s: category b at corpus threshold = %+v, want no windows and raw 0", tc.name, got)
		}
	}
}

func TestScoreRejectsBadScores(t *testing.T) {
	c := synthCorpus(fileSpec{name: "a/one.csv", rows: 50, windows: [][2]int{{20, 29}}})
	ok := constScores(c, 0)
	tests := map[string]func(map[string][]float64){
		"missing file": func(s map[string][]float64) { delete(s, "a/one.csv") },
		"short":        func(s map[string][]float64) { s["a/one.csv"] = s["a/one.csv"][:49] },
		"above 1":      func(s map[string][]float64) { s["a/one.csv"][30] = 1.5 },
		"negative":     func(s map[string][]float64) { s["a/one.csv"][30] = -0.1 },
		"NaN":          func(s map[string][]float64) { s["a/one.csv"][30] = math.NaN() },
	}
	for name, mutate := range tests {
		s := map[string][]float64{"a/one.csv": append([]float64(nil), ok["a/one.csv"]...)}
		mutate(s)
		if _, err := Score(c, s, DefaultProfiles()); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := Score(c, ok, nil); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("no profiles: err = %v, want ErrInvalid", err)
	}
	bad := Profile{Name: "neg", TP: 1, FP: -1, FN: 1}
	if _, err := Score(c, ok, []Profile{bad}); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("negative weight: err = %v, want ErrInvalid", err)
	}
}

func TestReportJSONShape(t *testing.T) {
	c := synthCorpus(
		fileSpec{name: "a/one.csv", rows: 300, windows: [][2]int{{100, 129}}},
		fileSpec{name: "b/flat.csv", rows: 200},
	)
	rep, err := Score(c, perfectScores(c), DefaultProfiles())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := rep.JSON().(map[string]any)
	if !ok {
		t.Fatalf("JSON() = %T, want map", rep.JSON())
	}
	for _, k := range []string{"standard", "reward_low_FP", "reward_low_FN"} {
		if v, ok := got[k].(float64); !ok || math.Abs(v-100) > 1e-9 {
			t.Errorf("%s = %v, want 100", k, got[k])
		}
	}
	cats := got["categories"].(map[string]any)
	if len(cats) != 1 {
		t.Fatalf("categories = %v, want only a", cats)
	}
	a := cats["a"].(map[string]float64)
	if len(a) != 3 || math.Abs(a["reward_low_FN"]-100) > 1e-9 {
		t.Errorf("category a = %v", a)
	}
}
