package index

import (
	"context"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A post's created_at is indexed at one-second resolution as eight terms of
// fieldTime, one per level: the 4096-day, 64-day, day, hour, 10-minute, minute,
// 10-second and second it falls in ("Q4 q310 d19878 h477088 t286252 m2862528 ...").
// Each level's unit is a multiple of the next, so any range of seconds is covered by
// a few whole units per level: full units in the middle, finer ones at the edges.
// A 24 h window with unaligned ends takes at most 23 hour terms and 28 per end; the
// widest range (1900-2200) about 400. Building a term searcher costs a dictionary
// lookup per segment, so the intermediate 10-unit levels pay for themselves.
var timeLevels = [...]struct {
	prefix byte
	size   int64 // seconds
}{
	{'Q', 4096 * 86400}, {'q', 64 * 86400}, {'d', 86400}, {'h', 3600},
	{'t', 600}, {'m', 60}, {'u', 10}, {'s', 1},
}

func timeTerm(level int, unit int64) string {
	return string(timeLevels[level].prefix) + strconv.FormatInt(unit, 10)
}

// timeTerms returns the value of fieldTime for a post created at unix second sec.
func timeTerms(sec int64) []byte {
	b := make([]byte, 0, 64)
	for i, l := range timeLevels {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, l.prefix)
		b = strconv.AppendInt(b, floorDiv(sec, l.size), 10)
	}
	return b
}

// tsOffset makes every representable second positive, so that fixed-width decimal
// order is time order.
const (
	tsOffset = 3_000_000_000
	tsWidth  = 11
)

// encodeTS returns the sortable fieldTS value of unix second sec.
func encodeTS(sec int64) []byte {
	v := strconv.AppendInt(nil, sec+tsOffset, 10)
	for len(v) < tsWidth {
		v = append([]byte{'0'}, v...)
	}
	return v
}

// decodeTS is the inverse of encodeTS; ok is false for anything else.
func decodeTS(b []byte) (sec int64, ok bool) {
	if len(b) != tsWidth {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v - tsOffset, true
}

// coverTerms returns the fieldTime terms whose union is exactly the seconds [a, b).
func coverTerms(a, b int64) []string {
	var out []string
	var rec func(a, b int64, level int)
	rec = func(a, b int64, level int) {
		if a >= b {
			return
		}
		u := timeLevels[level].size
		if u == 1 {
			for s := a; s < b; s++ {
				out = append(out, timeTerm(level, s))
			}
			return
		}
		first := -floorDiv(-a, u) * u // a rounded up to a unit
		last := floorDiv(b, u) * u    // b rounded down to a unit
		if first >= last {
			rec(a, b, level+1)
			return
		}
		rec(a, first, level+1)
		for x := first; x < last; x += u {
			out = append(out, timeTerm(level, x/u))
		}
		rec(last, b, level+1)
	}
	rec(a, b, 0)
	return out
}

var (
	minPostSecond = minPostTime.Unix()
	maxPostSecond = maxPostTime.Unix()
)

// timeQuery matches the posts created in the seconds [from, to). It is a filter: its
// hits score 0 and it is executed as one bitmap (Bleve's unadorned disjunction), so
// inside a conjunction it skips cheaply to the next post in the window.
type timeQuery struct {
	from, to int64 // unix seconds
}

// postsBetween matches posts created in [from, to) at second resolution (a partial
// second counts from the next one); a zero bound is open.
func postsBetween(from, to time.Time) *timeQuery {
	q := &timeQuery{from: minPostSecond, to: maxPostSecond}
	if !from.IsZero() {
		q.from = ceilSecond(from)
	}
	if !to.IsZero() {
		q.to = ceilSecond(to)
	}
	return q
}

// allPosts matches every post (and no other document).
func allPosts() *timeQuery { return &timeQuery{from: minPostSecond, to: maxPostSecond} }

func ceilSecond(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

func (q *timeQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	from, to := max(q.from, minPostSecond), min(q.to, maxPostSecond)
	terms := coverTerms(from, to)
	if len(terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	opts := search.SearcherOptions{Score: "none"}
	ss := make([]search.Searcher, 0, len(terms))
	for _, t := range terms {
		s, err := searcher.NewTermSearcher(ctx, r, t, fieldTime, 1, opts)
		if err != nil {
			for _, s := range ss {
				_ = s.Close()
			}
			return nil, err
		}
		ss = append(ss, s)
	}
	if len(ss) == 1 {
		return filterSearcher{ss[0]}, nil
	}
	ds, err := searcher.NewDisjunctionSearcher(ctx, r, ss, 0, opts)
	if err != nil {
		return nil, err
	}
	return filterSearcher{ds}, nil
}

// filterSearcher hides a filter from scoring: weight 0 keeps Bleve's query norm, and
// so every score, what it would be without the filter (its hits score 0). Scores
// must not depend on the window: a search run in parts merges hits by score. It
// passes Bleve's conjunction optimizations (bitmap intersections) through.
type filterSearcher struct{ search.Searcher }

func (filterSearcher) Weight() float64      { return 0 }
func (filterSearcher) SetQueryNorm(float64) {}

func (f filterSearcher) Optimize(kind string, octx bindex.OptimizableContext) (bindex.OptimizableContext, error) {
	if o, ok := f.Searcher.(bindex.Optimizable); ok {
		return o.Optimize(kind, octx)
	}
	return nil, nil
}
