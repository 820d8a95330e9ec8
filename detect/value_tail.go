package detect

import "math"

// valBins is the number of histogram bins per feature, over log2(1+f) in quarters: fine
// enough to rank, coarse enough that a few hundred points fill the bins that matter.
const (
	valBins    = 80
	valBinStep = 4
)

// valHist is an exponentially decayed histogram of one non-negative feature's values.
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
// It is never 0 and is 1 before anything was added.
func (h *valHist) tail(f float64) float64 {
	if h.total <= 0 {
		return 1
	}
	if f > h.max {
		p := 1 / (h.total + 1)
		if h.max > 0 {
			p *= (h.max / f) * (h.max / f)
		} else {
			p *= 1e-3 // anything at all after a run of exact zeros
		}
		return max(p, math.SmallestNonzeroFloat64)
	}
	b := valBin(f)
	var s float64
	for i := b + 1; i < valBins; i++ {
		s += h.c[i]
	}
	s += h.c[b] * 0.5
	return max(s, 0.5) / (h.total + 1)
}

// add records f, after decaying the past by decay (in (0,1]).
func (h *valHist) add(f, decay float64) {
	for i := range h.c {
		h.c[i] *= decay
	}
	h.total = h.total*decay + 1
	h.max *= 1 - (1-decay)*0.1 // the record fades ten times slower than the counts
	h.max = max(h.max, f)
	h.c[valBin(f)]++
}

// valPeak holds the raw scores of the recent points as a monotone deque (decreasing
// scores), so the maximum over a sliding window is known in O(1) amortised and the memory
// is bounded by the window.
type valPeak struct {
	recent []valScored
	head   int
}

type valScored struct {
	n     int
	score float64
}

// beat reports whether score (of point n) beats every score recorded for the r points
// before n, and records it. Points must come in increasing n.
func (q *valPeak) beat(n int, score float64, r int) bool {
	for q.head < len(q.recent) && q.recent[q.head].n <= n-r-1 {
		q.head++
	}
	best := 0.0
	if q.head < len(q.recent) {
		best = q.recent[q.head].score
	}
	for len(q.recent) > q.head && q.recent[len(q.recent)-1].score <= score {
		q.recent = q.recent[:len(q.recent)-1]
	}
	if q.head > 0 && q.head == len(q.recent) {
		q.recent, q.head = q.recent[:0], 0
	}
	q.recent = append(q.recent, valScored{n, score})
	if q.head > 1024 {
		q.recent = append(q.recent[:0], q.recent[q.head:]...)
		q.head = 0
	}
	return score > best
}
