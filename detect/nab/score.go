package nab

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/outcry/outcry"
)

// noDetection is the first candidate threshold of the sweep: above every valid score, so
// nothing is detected and every window is a miss.
const noDetection = 1.1

// Result is the score of a detector on a set of files under one profile.
type Result struct {
	// Score is the normalised score, 100·(Raw − null)/(perfect − null): 100 for the perfect
	// detector, 0 for the null detector. It is 0 when the set has no windows (the
	// normalisation is undefined there; Windows == 0 tells that case apart).
	Score     float64
	Raw       float64 // NAB's raw score: Σ window contributions + Σ false-positive weights
	Threshold float64 // a row is a detection when its anomaly score >= Threshold
	// Row counts after probation, as in NAB's *_scores.csv (rows, not windows).
	TP, FP, FN, TN int
	Windows        int // windows of the set (as listed in the windows file)
	Hits           int // windows with at least one detected row
}

// Report is the outcome of Score. Maps are keyed by profile name (Profile.Name) at the
// innermost level.
type Report struct {
	// Detector names the scored detector. Score leaves it empty; callers set it.
	Detector string
	// Profiles lists the profile names in the order they were given to Score.
	Profiles []string
	// Overall holds the corpus score, with one threshold per profile optimised over the
	// whole corpus, as on NAB's board.
	Overall map[string]Result
	// Categories holds, per category (e.g. "realTweets"), the score of that subset scored
	// alone: its own threshold optimisation and its own normalisation. Categories without
	// any window (artificialNoAnomaly) are absent, their normalisation being undefined.
	Categories map[string]map[string]Result
	// AtCorpusThreshold holds, per category (all of them), the sum of the per-file results
	// at the corpus threshold of Overall, normalised with the category's windows. Its
	// Raw shows what a window-less category costs.
	AtCorpusThreshold map[string]map[string]Result
	// Files holds the per-file results at the corpus threshold: the rows of NAB's
	// results/<det>/<det>_<profile>_scores.csv.
	Files map[string]map[string]Result
}

// sigmoid is the logistic function.
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// scaledSigmoid is NAB's weight curve: 2·sigmoid(−5y) − 1, and exactly −1 beyond y > 3.
func scaledSigmoid(y float64) float64 {
	if y > 3 {
		return -1
	}
	return 2*sigmoid(-5*y) - 1
}

// ksum is a Neumaier-compensated sum, so incremental sweeps do not drift.
type ksum struct{ s, c float64 }

func (k *ksum) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

func (k *ksum) value() float64 { return k.s + k.c }

// ranked is one scorable row in the pool's score order.
type ranked struct {
	score float64
	row   int32
}

// pool holds every row after probation of a corpus, with its profile-independent
// unweighted NAB weight and window, so that all profiles and subsets reuse one sort.
type pool struct {
	c      *Corpus
	score  []float64             // anomaly score
	sig    []float64             // scaled sigmoid of the row's position (unweighted weight)
	win    []int32               // window id (pool-wide), -1 outside every window
	start  []int                 // rows of file i are [start[i], start[i+1])
	nWin   []int                 // per file: windows with at least one row after probation
	winCnt int                   // window ids allocated
	order  []ranked              // all rows, highest score first
	allDet map[Profile][]float64 // per profile, per file: raw score when every row is detected
}

// newPool validates scores and computes per-row weights (SCORING.md section 5).
func newPool(c *Corpus, scores map[string][]float64) (*pool, error) {
	if len(c.Files) == 0 {
		return nil, fmt.Errorf("nab: score: empty corpus: %w", outcry.ErrInvalid)
	}
	n := 0
	for _, f := range c.Files {
		s, ok := scores[f.Name]
		if !ok {
			return nil, fmt.Errorf("nab: score: no scores for %s: %w", f.Name, outcry.ErrInvalid)
		}
		if err := checkScores(f, s); err != nil {
			return nil, fmt.Errorf("nab: score: %w", err)
		}
		n += f.Rows() - f.Probation()
	}
	p := &pool{
		c:     c,
		score: make([]float64, 0, n),
		sig:   make([]float64, 0, n),
		win:   make([]int32, 0, n),
		start: make([]int, 0, len(c.Files)+1),
		nWin:  make([]int, len(c.Files)),
		order: make([]ranked, 0, n),
	}
	for fi, f := range c.Files {
		p.start = append(p.start, len(p.score))
		s := scores[f.Name]
		prob := f.Probation()
		next := 0          // next window to enter
		cur := -1          // window we are in, -1 outside
		prevEnd := -1      // last row of the most recently ended window, -1 if none yet
		prevWidth := 0.0   // its width
		curID := int32(-1) // pool-wide id of the current window, allocated on its first scorable row
		for i := range f.Rows() {
			if cur < 0 && next < len(f.Windows) && f.Windows[next][0] == i {
				cur, next, curID = next, next+1, -1
			}
			var sig float64
			if cur >= 0 {
				b := f.Windows[cur][1]
				w := float64(b - f.Windows[cur][0] + 1)
				sig = scaledSigmoid(-float64(b-i+1) / w)
			} else if prevEnd < 0 {
				sig = -1
			} else {
				sig = scaledSigmoid(pastWindow(i, prevEnd, prevWidth))
			}
			if i >= prob {
				id := int32(-1)
				if cur >= 0 {
					if curID < 0 {
						curID = int32(p.winCnt)
						p.winCnt++
						p.nWin[fi]++
					}
					id = curID
				}
				p.order = append(p.order, ranked{s[i], int32(len(p.score))})
				p.score = append(p.score, s[i])
				p.sig = append(p.sig, sig)
				p.win = append(p.win, id)
			}
			if cur >= 0 && f.Windows[cur][1] == i {
				prevEnd, prevWidth = i, float64(f.Windows[cur][1]-f.Windows[cur][0]+1)
				cur = -1
			}
		}
	}
	p.start = append(p.start, len(p.score))
	// Highest score first; ties in row order (the order does not change any total).
	slices.SortFunc(p.order, func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.row, b.row)
	})
	return p, nil
}

// pastWindow is the relative position of row i after a window ending at row end of the
// given width. A one-row window has no defined scale; NAB would divide by zero, here the
// row counts as far away.
func pastWindow(i, end int, width float64) float64 {
	if width <= 1 {
		return math.Inf(1)
	}
	return math.Abs(float64(i-end)) / (width - 1)
}

// weight is the profile-weighted NAB weight of pool row r.
func (p *pool) weight(r int32, pr Profile, maxTP float64) float64 {
	if p.win[r] >= 0 {
		return p.sig[r] * pr.TP / maxTP
	}
	return p.sig[r] * pr.FP
}

// optimize sweeps the candidate thresholds from high to low over the rows of order (which
// must all belong to files holding nWin scorable windows) and returns the threshold with
// the highest raw score; ties go to the higher threshold (SCORING.md section 8).
func (p *pool) optimize(order []ranked, nWin int, pr Profile) (thr, raw float64) {
	maxTP := scaledSigmoid(-1)
	best := make([]float64, p.winCnt)
	for i := range best {
		best[i] = -pr.FN
	}
	var fp, wins ksum
	wins.add(-pr.FN * float64(nWin))
	thr, raw = noDetection, wins.value()
	for i := 0; i < len(order); {
		s := order[i].score
		for ; i < len(order) && order[i].score == s; i++ {
			r := order[i].row
			v := p.weight(r, pr, maxTP)
			if w := p.win[r]; w < 0 {
				fp.add(v)
			} else if v > best[w] {
				wins.add(v - best[w])
				best[w] = v
			}
		}
		if total := fp.value() + wins.value(); total > raw {
			thr, raw = s, total
		}
	}
	return thr, raw
}

// fileResult scores file fi at a threshold (SCORING.md section 6). Score is not set.
func (p *pool) fileResult(fi int, thr float64, pr Profile) Result {
	maxTP := scaledSigmoid(-1)
	res := Result{Threshold: thr, Windows: len(p.c.Files[fi].Windows)}
	best := make(map[int32]float64, p.nWin[fi])
	var fp ksum
	for r := int32(p.start[fi]); r < int32(p.start[fi+1]); r++ {
		det := p.score[r] >= thr
		w := p.win[r]
		switch {
		case w >= 0 && det:
			res.TP++
			v := p.weight(r, pr, maxTP)
			if b, ok := best[w]; !ok || v > b {
				best[w] = v
			}
		case w >= 0:
			res.FN++
			if _, ok := best[w]; !ok {
				best[w] = math.Inf(-1)
			}
		case det:
			res.FP++
			fp.add(p.weight(r, pr, maxTP))
		default:
			res.TN++
		}
	}
	raw := fp
	ids := make([]int32, 0, len(best))
	for id := range best {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		raw.add(max(-pr.FN, best[id]))
		if !math.IsInf(best[id], -1) {
			res.Hits++
		}
	}
	res.Raw = raw.value()
	return res
}

// allDetected is the raw score of file fi when every row is a detection (memoised).
func (p *pool) allDetected(fi int, pr Profile) float64 {
	if p.allDet == nil {
		p.allDet = map[Profile][]float64{}
	}
	v, ok := p.allDet[pr]
	if !ok {
		v = make([]float64, len(p.c.Files))
		for i := range v {
			v[i] = p.fileResult(i, math.Inf(-1), pr).Raw
		}
		p.allDet[pr] = v
	}
	return v[fi]
}

// sumResults adds per-file results of the files fis and normalises the total.
func (p *pool) sumResults(fis []int, per []Result, thr float64, pr Profile) Result {
	var raw ksum
	tot := Result{Threshold: thr}
	nWin := 0
	for _, fi := range fis {
		r := per[fi]
		raw.add(r.Raw)
		tot.TP += r.TP
		tot.FP += r.FP
		tot.FN += r.FN
		tot.TN += r.TN
		tot.Windows += r.Windows
		tot.Hits += r.Hits
		nWin += p.nWin[fi]
	}
	tot.Raw = raw.value()
	tot.Score = p.normalise(fis, nWin, tot.Raw, pr)
	return tot
}

// normalise maps raw onto 0 (null detector) .. 100 (perfect detector) for the files fis,
// which hold nWin scorable windows (SCORING.md section 9). The null detector emits a
// constant 0.5; its raw score is that of its optimal threshold (nothing detected, or
// everything), which on NAB's data is always −A_FN · windows.
func (p *pool) normalise(fis []int, nWin int, raw float64, pr Profile) float64 {
	perfect := 0.0
	var all ksum
	for _, fi := range fis {
		perfect += pr.TP * float64(len(p.c.Files[fi].Windows))
		all.add(p.allDetected(fi, pr))
	}
	null := -pr.FN * float64(nWin)
	if a := all.value(); a > null {
		null = a
	}
	if perfect == null {
		return 0
	}
	return 100 * (raw - null) / (perfect - null)
}

// Optimize returns the threshold NAB's sweep optimiser picks for the detector's scores on
// the whole of c under profile pr, and the corpus raw score at that threshold.
func Optimize(c *Corpus, scores map[string][]float64, pr Profile) (threshold, raw float64, err error) {
	if err := pr.validate(); err != nil {
		return 0, 0, fmt.Errorf("nab: optimize: %w", err)
	}
	p, err := newPool(c, scores)
	if err != nil {
		return 0, 0, err
	}
	total := 0
	for _, n := range p.nWin {
		total += n
	}
	threshold, raw = p.optimize(p.order, total, pr)
	return threshold, raw, nil
}

// ScoreAt scores every file of c at a fixed threshold (a row is a detection when its score
// is >= threshold), as NAB's scoring step does with the thresholds of
// config/thresholds.json. It returns the normalised corpus total and the per-file results
// keyed by File.Name (their Score is normalised with the file's own windows).
func ScoreAt(c *Corpus, scores map[string][]float64, pr Profile, threshold float64) (Result, map[string]Result, error) {
	if err := pr.validate(); err != nil {
		return Result{}, nil, fmt.Errorf("nab: score: %w", err)
	}
	if math.IsNaN(threshold) {
		return Result{}, nil, fmt.Errorf("nab: score: threshold is NaN: %w", outcry.ErrInvalid)
	}
	p, err := newPool(c, scores)
	if err != nil {
		return Result{}, nil, err
	}
	per, byName := p.perFile(threshold, pr)
	return p.sumResults(allIndexes(len(c.Files)), per, threshold, pr), byName, nil
}

// perFile scores each file at thr, normalising each with its own windows.
func (p *pool) perFile(thr float64, pr Profile) ([]Result, map[string]Result) {
	per := make([]Result, len(p.c.Files))
	byName := make(map[string]Result, len(p.c.Files))
	for fi, f := range p.c.Files {
		per[fi] = p.fileResult(fi, thr, pr)
		per[fi].Score = p.normalise([]int{fi}, p.nWin[fi], per[fi].Raw, pr)
		byName[f.Name] = per[fi]
	}
	return per, byName
}

func allIndexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// Score scores the detector's anomaly scores (one per row of every file of c, keyed by
// File.Name) exactly as NAB does: for each profile it optimises one threshold over the
// whole corpus, scores every file at it and normalises the total against the null and
// perfect detectors; it also scores each category alone (its own threshold and
// normalisation) and each category at the corpus threshold. Scores outside [0,1], a
// missing file or a wrong row count are errors wrapping outcry.ErrInvalid.
func Score(c *Corpus, scores map[string][]float64, profiles []Profile) (*Report, error) {
	if len(profiles) == 0 {
		return nil, fmt.Errorf("nab: score: no profiles: %w", outcry.ErrInvalid)
	}
	seen := map[string]bool{}
	for _, pr := range profiles {
		if err := pr.validate(); err != nil {
			return nil, fmt.Errorf("nab: score: %w", err)
		}
		if seen[pr.Name] {
			return nil, fmt.Errorf("nab: score: profile %q given twice: %w", pr.Name, outcry.ErrInvalid)
		}
		seen[pr.Name] = true
	}
	p, err := newPool(c, scores)
	if err != nil {
		return nil, err
	}
	rep := &Report{
		Overall:           map[string]Result{},
		Categories:        map[string]map[string]Result{},
		AtCorpusThreshold: map[string]map[string]Result{},
		Files:             map[string]map[string]Result{},
	}
	cats := c.Categories()
	catFiles := map[string][]int{}
	for fi, f := range c.Files {
		catFiles[f.Category] = append(catFiles[f.Category], fi)
		rep.Files[f.Name] = map[string]Result{}
	}
	catOrder := map[string][]ranked{}
	for _, r := range p.order {
		cat := c.Files[p.fileOf(r.row)].Category
		catOrder[cat] = append(catOrder[cat], r)
	}
	all := allIndexes(len(c.Files))
	totalWin := 0
	for _, n := range p.nWin {
		totalWin += n
	}
	for _, pr := range profiles {
		rep.Profiles = append(rep.Profiles, pr.Name)
		thr, _ := p.optimize(p.order, totalWin, pr)
		per, byName := p.perFile(thr, pr)
		for name, r := range byName {
			rep.Files[name][pr.Name] = r
		}
		rep.Overall[pr.Name] = p.sumResults(all, per, thr, pr)
		for _, cat := range cats {
			fis := catFiles[cat]
			if rep.AtCorpusThreshold[cat] == nil {
				rep.AtCorpusThreshold[cat] = map[string]Result{}
			}
			rep.AtCorpusThreshold[cat][pr.Name] = p.sumResults(fis, per, thr, pr)
			listed, catWin := 0, 0
			for _, fi := range fis {
				listed += len(c.Files[fi].Windows)
				catWin += p.nWin[fi]
			}
			if listed == 0 {
				continue // no windows: the normalisation is undefined
			}
			cthr, _ := p.optimize(catOrder[cat], catWin, pr)
			cper := make([]Result, len(c.Files))
			for _, fi := range fis {
				cper[fi] = p.fileResult(fi, cthr, pr)
			}
			if rep.Categories[cat] == nil {
				rep.Categories[cat] = map[string]Result{}
			}
			rep.Categories[cat][pr.Name] = p.sumResults(fis, cper, cthr, pr)
		}
	}
	return rep, nil
}

// fileOf returns the index of the file holding pool row r.
func (p *pool) fileOf(r int32) int {
	// Every file has at least one row after probation, so start is strictly increasing.
	i, found := slices.BinarySearch(p.start, int(r))
	if found {
		return i
	}
	return i - 1
}
