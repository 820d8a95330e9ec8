package index

import (
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/outcry/outcry"
)

// facetCounter is one Bleve facet builder over fieldFacets that counts the terms of
// the wanted prefixes and feeds the histogram, from a single docvalues read per hit.
// Not safe for concurrent use; one per search.
type facetCounter struct {
	counts [128]map[string]*int // by prefix letter
	hist   *histogram           // nil: none asked for
}

func newFacetCounter(hist *histogram, prefixes ...string) *facetCounter {
	f := &facetCounter{hist: hist}
	for _, p := range prefixes {
		f.counts[p[0]] = map[string]*int{}
	}
	return f
}

func (f *facetCounter) Field() string { return fieldFacets }
func (f *facetCounter) StartDoc()     {}
func (f *facetCounter) EndDoc()       {}
func (f *facetCounter) Size() int     { return 1024 }

// Result is unused: the counts are read with top.
func (f *facetCounter) Result() *search.FacetResult { return &search.FacetResult{Field: fieldFacets} }

func (f *facetCounter) UpdateVisitor(term []byte) {
	if len(term) == 0 {
		return
	}
	if term[0] == pfxTS[0] {
		if f.hist != nil {
			f.hist.add(term[1:])
		}
		return
	}
	if len(term) < 3 || term[0] >= 128 || term[1] != ':' {
		return
	}
	m := f.counts[term[0]]
	if m == nil {
		return
	}
	if c, ok := m[string(term[2:])]; ok {
		*c++
		return
	}
	n := 1
	m[string(term[2:])] = &n
}

// merge adds o's counts to f's.
func (f *facetCounter) merge(o *facetCounter) {
	for p, m := range o.counts {
		if m == nil || f.counts[p] == nil {
			continue
		}
		for term, c := range m {
			if mine, ok := f.counts[p][term]; ok {
				*mine += *c
			} else {
				n := *c
				f.counts[p][term] = &n
			}
		}
	}
	if f.hist != nil && o.hist != nil {
		for i, c := range o.hist.counts {
			f.hist.counts[i] += c
		}
	}
}

// top returns the n most frequent terms of prefix (count descending, then term),
// without skip. n <= 0 means all.
func (f *facetCounter) top(prefix string, n int, skip string) []outcry.FacetCount {
	out := []outcry.FacetCount{}
	for term, c := range f.counts[prefix[0]] {
		if term != skip {
			out = append(out, outcry.FacetCount{Term: term, Count: *c})
		}
	}
	slices.SortFunc(out, func(a, b outcry.FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Term, b.Term)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// histogram counts hits per fixed step from a start time: O(1) per hit whatever the
// bucket count.
type histogram struct {
	from, step int64 // unix nanoseconds
	start      time.Time
	stepDur    time.Duration
	counts     []int
}

func newHistogram(from, to time.Time, step time.Duration) (*histogram, error) {
	if step < time.Second {
		return nil, invalidf("histogram step %s is below one second", step)
	}
	if from.IsZero() || to.IsZero() {
		return nil, invalidf("a histogram step needs both from and to")
	}
	if !to.After(from) {
		return nil, invalidf("to %s is not after from %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	span := to.Sub(from)
	n := int64(span / step)
	if span%step != 0 {
		n++
	}
	if n > maxHistogramBuckets || n < 0 {
		return nil, invalidf("histogram of %s per %s exceeds %d buckets", span, step, maxHistogramBuckets)
	}
	return &histogram{from: from.UnixNano(), step: int64(step), start: from.UTC(), stepDur: step, counts: make([]int, n)}, nil
}

// clone returns h with zero counts; nil for nil.
func (h *histogram) clone() *histogram {
	if h == nil {
		return nil
	}
	c := *h
	c.counts = make([]int, len(h.counts))
	return &c
}

// add counts one hit from its encoded ts (see encodeTS).
func (h *histogram) add(ts []byte) {
	sec, ok := decodeTS(ts)
	if !ok {
		return
	}
	v := sec * int64(time.Second)
	if v < h.from {
		return
	}
	if i := (v - h.from) / h.step; i < int64(len(h.counts)) {
		h.counts[i]++
	}
}

func (h *histogram) result() []outcry.TimeCount {
	out := make([]outcry.TimeCount, len(h.counts))
	for i, c := range h.counts {
		out[i] = outcry.TimeCount{T: h.start.Add(time.Duration(i) * h.stepDur), Count: c}
	}
	return out
}
