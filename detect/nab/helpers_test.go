package nab

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// nabDir is the shared NAB corpus, relative to this package (CI clones the repo next to
// shared/).
const nabDir = "../../../shared/data/nab"

// realCorpus loads the shared corpus once per test, skipping when it is absent.
func realCorpus(tb testing.TB) *Corpus {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(nabDir, "labels", "combined_windows.json")); err != nil {
		tb.Skipf("NAB corpus not available at %s: %v", nabDir, err)
	}
	c, err := LoadCorpus(nabDir)
	if err != nil {
		tb.Fatalf("LoadCorpus: %v", err)
	}
	return c
}

// fileSpec describes a synthetic file.
type fileSpec struct {
	name    string
	rows    int
	windows [][2]int
}

// synthCorpus builds a corpus in memory: 5-minute rows, values = row index.
func synthCorpus(specs ...fileSpec) *Corpus {
	c := &Corpus{Dir: "synthetic"}
	t0 := time.Date(2015, 2, 26, 0, 0, 0, 0, time.UTC)
	for _, s := range specs {
		f := &File{Name: s.name, Windows: s.windows}
		f.Category, _, _ = strings.Cut(s.name, "/")
		for i := range s.rows {
			f.Times = append(f.Times, t0.Add(time.Duration(i)*5*time.Minute))
			f.Values = append(f.Values, float64(i))
		}
		c.Files = append(c.Files, f)
	}
	slices.SortFunc(c.Files, func(a, b *File) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return c
}

// constScores gives every row of every file the same score.
func constScores(c *Corpus, v float64) map[string][]float64 {
	out := map[string][]float64{}
	for _, f := range c.Files {
		s := make([]float64, f.Rows())
		for i := range s {
			s[i] = v
		}
		out[f.Name] = s
	}
	return out
}

// perfectScores is 1 at the first row of every window and 0 elsewhere.
func perfectScores(c *Corpus) map[string][]float64 {
	out := constScores(c, 0)
	for _, f := range c.Files {
		for _, w := range f.Windows {
			out[f.Name][w[0]] = 1
		}
	}
	return out
}

// naiveRaw is an independent, deliberately direct reading of SCORING.md sections 3, 5 and
// 6 for one file at one threshold. It shares no code with the scorer.
func naiveRaw(f *File, s []float64, thr float64, p Profile) float64 {
	ss := func(y float64) float64 {
		if y > 3 {
			return -1
		}
		return 2/(1+math.Exp(5*y)) - 1
	}
	maxTP := 2/(1+math.Exp(-5)) - 1
	prob := int(math.Min(math.Floor(0.15*float64(len(s))), 750))
	raw := 0.0
	for _, w := range f.Windows {
		if w[1] < prob {
			continue // no scorable row: the window is not scored
		}
		best := -p.FN
		width := float64(w[1] - w[0] + 1)
		for i := max(w[0], prob); i <= w[1]; i++ {
			if s[i] >= thr {
				best = max(best, p.TP*ss(-float64(w[1]-i+1)/width)/maxTP)
			}
		}
		raw += best
	}
	for i := prob; i < len(s); i++ {
		if s[i] < thr || f.InWindow(i) {
			continue
		}
		prevEnd, prevW := -1, 0
		for _, w := range f.Windows {
			if w[1] < i {
				prevEnd, prevW = w[1], w[1]-w[0]+1
			}
		}
		if prevEnd < 0 {
			raw -= p.FP
		} else {
			raw += p.FP * ss(float64(i-prevEnd)/float64(prevW-1))
		}
	}
	return raw
}

// naiveCorpusRaw sums naiveRaw over the corpus.
func naiveCorpusRaw(c *Corpus, scores map[string][]float64, thr float64, p Profile) float64 {
	raw := 0.0
	for _, f := range c.Files {
		raw += naiveRaw(f, scores[f.Name], thr, p)
	}
	return raw
}

// candidates returns 1.1 and every distinct score after probation, high to low.
func candidates(c *Corpus, scores map[string][]float64) []float64 {
	var out []float64
	for _, f := range c.Files {
		out = append(out, scores[f.Name][f.Probation():]...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	slices.Reverse(out)
	return append([]float64{1.1}, out...)
}
