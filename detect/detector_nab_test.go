package detect

import (
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/outcry/outcry/detect/nab"
)

const detNABDir = "../../shared/data/nab"

// detNABScores runs Detector.Value over every file of the corpus with the default
// configuration (one configuration for all files; no labels are read).
func detNABScores(t testing.TB, c *nab.Corpus) map[string][]float64 {
	t.Helper()
	cfg := DefaultDetectorConfig()
	scores, err := nab.Run(c, func(f *nab.File) []float64 {
		d := NewDetector(cfg)
		out := make([]float64, f.Rows())
		for i := range out {
			out[i] = d.Value(f.Times[i], f.Values[i])
		}
		return out
	}, 2)
	if err != nil {
		t.Fatal(err)
	}
	return scores
}

// TestNAB scores Detector.Value on the NAB corpus with the NAB scorer and logs the
// normalised scores overall, per category and on realTweets. It fails if the detector
// falls below Twitter ADVec's published figures (standard profile).
func TestNAB(t *testing.T) {
	if _, err := os.Stat(detNABDir); err != nil {
		t.Skip("NAB corpus not present:", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	c, err := nab.LoadCorpus(detNABDir)
	if err != nil {
		t.Fatal(err)
	}
	profiles, err := nab.LoadProfiles(detNABDir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := nab.Score(c, detNABScores(t, c), profiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Profiles {
		r := rep.Overall[p]
		t.Logf("overall %-20s %6.2f (thr %.4f, hits %d/%d, FP rows %d)", p, r.Score, r.Threshold, r.Hits, r.Windows, r.FP)
	}
	var cats []string
	for c := range rep.Categories {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		line := ""
		for _, p := range rep.Profiles {
			r := rep.Categories[c][p]
			line += " " + p + "=" + ftoa(r.Score)
		}
		at := rep.AtCorpusThreshold[c][rep.Profiles[0]]
		t.Logf("%-22s own thr:%s | corpus thr standard %.2f (hits %d/%d, FP %d)", c, line, at.Score, at.Hits, at.Windows, at.FP)
	}
	if os.Getenv("DET_NAB_FILES") != "" {
		var names []string
		for n := range rep.Files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			r := rep.Files[n][rep.Profiles[0]]
			t.Logf("%-60s raw %7.2f hits %d/%d FP %d", n, r.Raw, r.Hits, r.Windows, r.FP)
		}
	}
	// Twitter ADVec's published figures: 47.1 overall, 59.6 on realTweets (standard).
	if s := rep.Overall[rep.Profiles[0]].Score; s < 47.1 {
		t.Errorf("NAB standard score %.2f is below Twitter ADVec (47.1)", s)
	}
	if s := rep.Categories["realTweets"][rep.Profiles[0]].Score; s < 59.6 {
		t.Errorf("NAB realTweets standard score %.2f is below Twitter ADVec (59.6)", s)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
