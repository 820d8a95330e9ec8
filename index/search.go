package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/outcry/outcry"
)

// Bounds on the work one search may do.
const (
	defaultLimit        = 20
	maxLimit            = 1000
	maxWindow           = 10_000 // Offset+Limit
	maxQueryLen         = 1024   // bytes of query string
	maxQueryClauses     = 64     // leaf clauses in a query string
	maxFilterValues     = 100    // values per filter list
	maxPatternLen       = 64     // bytes of a wildcard or regexp
	minPatternLiteral   = 2      // literal characters a wildcard or regexp must start with
	maxFuzziness        = 2
	maxTermSearchers    = 4096 // terms a query may expand to (wildcards, fuzzy, regexps)
	maxHistogramBuckets = 10_000
	facetSize           = 10
	searchTimeout       = 10 * time.Second
)

// queryFields maps the field names a query string may use to index fields.
var queryFields = map[string]string{
	fieldText:      fieldText,
	fieldServices:  fieldServices,
	"service":      fieldServices,
	fieldAffected:  fieldAffected,
	fieldSource:    fieldSource,
	fieldLang:      fieldLang,
	fieldAuthor:    fieldAuthor,
	fieldProblems:  fieldProblems,
	"problem":      fieldProblems,
	fieldComplaint: fieldComplaint,
	fieldRecovery:  fieldRecovery,
	fieldSwitching: fieldSwitching,
	fieldCreatedAt: fieldCreatedAt,
}

// lowercased keyword fields hold lowercase slugs; query values are lowercased to match.
var lowercased = map[string]bool{fieldServices: true, fieldAffected: true, fieldLang: true, fieldProblems: true}

// facetPrefix gives, for the query fields kept in fieldFacets, their term prefix.
var facetPrefix = map[string]string{
	fieldServices: pfxService, fieldSource: pfxSource, fieldLang: pfxLang, fieldProblems: pfxProblem,
}

// indexField returns the index field and term prefix behind a query field.
func indexField(field string) (string, string) {
	if p, ok := facetPrefix[field]; ok {
		return fieldFacets, p
	}
	return field, ""
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("index: "+format+": %w", append(args, outcry.ErrInvalid)...)
}

// Search runs r over the posts.
//
// The query string uses Bleve's syntax over the post text (default field text):
// words, "phrases", field:value (services, service, affected, source, lang, author,
// problems, complaint, recovery, switching), created_at:>"RFC 3339 time", -excluded,
// +required, wildcards (ch*t), /regexps/ and fuzzy terms (term~1). One deviation:
// when no clause carries "+", every clause is required, so `chatgpt down` means both
// words and `lang:fr panne` means French posts saying panne; a "+" anywhere gives
// Bleve's semantics back (+ required, bare clauses optional and boosting). An empty
// query or "*" matches every post. Each text word also matches its stemmed forms in
// the supported languages (en, fr, es, de, pt, it).
//
// Filters: Services (any of, on named services; on affected services when
// ComplaintsOnly), Sources, Langs, [From, To) on created_at at one-second
// resolution, ComplaintsOnly. Facets "services", "sources" and "langs" hold the top
// 10 terms of all hits. Step (at least 1 s) asks for a histogram from From to To
// (both required), zeros included. Newest, and an empty query, sort by created_at
// descending, otherwise hits sort by relevance. Highlights are the byte spans of
// Post.Text that matched. Only durable posts are searched.
//
// Bounds: Limit 0 means 20 and is capped at 1000; Offset+Limit over 10,000, negative
// values, a malformed query, an unknown field, a leading wildcard, a pattern longer
// than 64 bytes, too costly to compile (checkAutomaton) or expanding to more than
// 4096 terms are errors wrapping
// outcry.ErrInvalid. A search runs at most 10 s.
func (ix *Index) Search(ctx context.Context, r outcry.SearchRequest) (outcry.SearchResult, error) {
	start := time.Now()
	if err := ix.checkOpen(); err != nil {
		return outcry.SearchResult{}, err
	}
	limit, err := checkPage(r.Limit, r.Offset)
	if err != nil {
		return outcry.SearchResult{}, err
	}
	var hist *histogram
	if r.Step != 0 {
		if hist, err = newHistogram(r.From, r.To, r.Step); err != nil {
			return outcry.SearchResult{}, err
		}
	}
	uq, filters, window, err := ix.searchQuery(r)
	if err != nil {
		return outcry.SearchResult{}, err
	}
	opts := runOptions{size: r.Offset + limit}
	if r.Newest || uq.empty() {
		opts.sort = newestFirst()
		opts.score = "none"
	}
	rd, err := ix.reader()
	if err != nil {
		return outcry.SearchResult{}, err
	}
	defer rd.Close()
	// The window is searched in parts on separate goroutines, each with its own
	// facet counts, then merged: same results, about half the latency on two idle
	// cores for large windows.
	parts := ix.partition(window)
	type partResult struct {
		res runResult
		fc  *facetCounter
		err error
	}
	results := make([]partResult, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		fc := newFacetCounter(hist.clone(), pfxService, pfxSource, pfxLang)
		o := opts
		o.facets = map[string]search.FacetBuilder{"fx": fc}
		if opts.sort != nil {
			o.sort = opts.sort.Copy() // sort fields hold per-search state
		}
		fs := filters
		if part != nil {
			fs = append(slices.Clone(filters), part)
		}
		wg.Go(func() {
			res, err := ix.run(ctx, rd, uq.combine(fs), o)
			results[i] = partResult{res, fc, err}
		})
	}
	wg.Wait()
	res := runResult{}
	fc := results[0].fc
	for i, pr := range results {
		if pr.err != nil {
			return outcry.SearchResult{}, pr.err
		}
		res.total += pr.res.total
		res.hits = append(res.hits, pr.res.hits...)
		if i > 0 {
			fc.merge(pr.fc)
		}
	}
	sortHits(res.hits, opts.sort != nil)
	res.hits = res.hits[min(r.Offset, len(res.hits)):]
	res.hits = res.hits[:min(limit, len(res.hits))]
	highlights, err := ix.highlights(ctx, rd, uq, res.hits)
	if err != nil {
		return outcry.SearchResult{}, err
	}
	out := outcry.SearchResult{
		Total:  res.total,
		Hits:   make([]outcry.Hit, 0, len(res.hits)),
		Facets: map[string][]outcry.FacetCount{},
	}
	for _, h := range res.hits {
		p, err := ix.loadPost(rd, h.ID)
		if err != nil {
			return outcry.SearchResult{}, err
		}
		score := h.Score
		if opts.score == "none" || math.IsNaN(score) || math.IsInf(score, 0) {
			score = 0
		}
		out.Hits = append(out.Hits, outcry.Hit{Post: p, Score: score, Highlights: spans(highlights[h.ID], len(p.Text))})
	}
	out.Facets["services"] = fc.top(pfxService, facetSize, "")
	out.Facets["sources"] = fc.top(pfxSource, facetSize, "")
	out.Facets["langs"] = fc.top(pfxLang, facetSize, "")
	if fc.hist != nil {
		out.Histogram = fc.hist.result()
	}
	out.Took = time.Since(start)
	return out, nil
}

// highlights finds where the page's hits matched: the user's query alone, restricted
// to those documents, run again with term locations. Asking for locations in the main
// search would read them for every hit, not just the page.
func (ix *Index) highlights(ctx context.Context, r bindex.IndexReader, uq userQuery, hits search.DocumentMatchCollection) (map[string]search.FieldTermLocationMap, error) {
	if len(hits) == 0 || len(uq.must)+len(uq.should) == 0 {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), uq.combine(nil)})
	res, err := ix.run(ctx, r, q, runOptions{size: len(ids), score: "none", vectors: true})
	if err != nil {
		return nil, err
	}
	out := make(map[string]search.FieldTermLocationMap, len(res.hits))
	for _, h := range res.hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

func checkPage(limit, offset int) (int, error) {
	switch {
	case limit < 0:
		return 0, invalidf("negative limit %d", limit)
	case offset < 0:
		return 0, invalidf("negative offset %d", offset)
	case limit == 0:
		limit = defaultLimit
	case limit > maxLimit:
		limit = maxLimit
	}
	if offset > maxWindow-limit {
		return 0, invalidf("offset %d + limit %d exceeds %d", offset, limit, maxWindow)
	}
	return limit, nil
}

// newestFirst sorts by created_at, descending: the first docvalue of fieldFacets is
// the ts term (see fieldFacets). Ties keep index order, as Bleve does by default; a
// sort on the id would load every hit's id.
func newestFirst() search.SortOrder {
	return search.SortOrder{
		&search.SortField{Field: fieldFacets, Desc: true, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast},
	}
}

// searchQuery turns a request into the user's query, the filters and the time
// window (nil: no time filter needed), all required.
func (ix *Index) searchQuery(r outcry.SearchRequest) (userQuery, []query.Query, *timeQuery, error) {
	langs := make([]string, 0, len(r.Langs))
	for _, l := range r.Langs {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			langs = append(langs, l)
		}
	}
	uq, err := ix.parseQuery(r.Query, langs)
	if err != nil {
		return userQuery{}, nil, nil, err
	}
	var filters []query.Query
	svc := func(v string) query.Query { return facetQuery(pfxService, v) }
	if r.ComplaintsOnly {
		svc = func(v string) query.Query { return termQuery(fieldAffected, v) }
		filters = append(filters, flagQuery(fieldComplaint))
	}
	for _, f := range []struct {
		name   string
		values []string
		lower  bool
		query  func(string) query.Query
	}{
		{"services", r.Services, true, svc},
		{"sources", r.Sources, false, func(v string) query.Query { return facetQuery(pfxSource, v) }},
		{"langs", langs, true, func(v string) query.Query { return facetQuery(pfxLang, v) }},
	} {
		q, err := anyOf(f.name, f.values, f.lower, f.query)
		if err != nil {
			return userQuery{}, nil, nil, err
		}
		if q != nil {
			filters = append(filters, q)
		}
	}
	var window *timeQuery
	if !r.From.IsZero() || !r.To.IsZero() {
		if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
			return userQuery{}, nil, nil, invalidf("to %s is not after from %s", r.To.Format(time.RFC3339), r.From.Format(time.RFC3339))
		}
		if tq := postsBetween(r.From, r.To); !ix.coversAllPosts(tq) {
			window = tq
		}
	}
	return uq, filters, window, nil
}

// Searches over at least splitMinPosts stored posts run in two parts.
const splitMinPosts = 50_000

// partition splits the time window w (nil: all time) into the parts a search runs
// in parallel. One part, w itself, when the index is small or there is one CPU.
func (ix *Index) partition(w *timeQuery) []*timeQuery {
	ix.durableMu.RLock()
	posts := ix.stats.Posts
	ix.durableMu.RUnlock()
	if posts < ix.splitMin || runtime.GOMAXPROCS(0) < 2 {
		return []*timeQuery{w}
	}
	ix.visMu.Lock()
	from, to := ix.visFirst, ix.visLast+1
	ix.visMu.Unlock()
	if w != nil {
		from, to = max(from, w.from), min(to, w.to)
	}
	if to-from < 2 {
		return []*timeQuery{w}
	}
	mid := from + (to-from)/2
	return []*timeQuery{{from, mid}, {mid, to}}
}

// sortHits orders merged hits as one collector would: newest first (first sort value
// descending) or by score, ties in index order.
func sortHits(hits search.DocumentMatchCollection, newest bool) {
	slices.SortStableFunc(hits, func(a, b *search.DocumentMatch) int {
		switch {
		case newest && len(a.Sort) > 0 && len(b.Sort) > 0:
			if c := strings.Compare(b.Sort[0], a.Sort[0]); c != 0 {
				return c
			}
		case !newest && a.Score > b.Score:
			return -1
		case !newest && a.Score < b.Score:
			return 1
		}
		return bytes.Compare(a.IndexInternalID, b.IndexInternalID)
	})
}

// flagQuery matches posts with flag (complaint, recovery, switching) set.
func flagQuery(flag string) query.Query { return termQuery(fieldFlags, flag) }

func termQuery(field, v string) query.Query {
	q := query.NewTermQuery(v)
	q.SetField(field)
	return q
}

// facetQuery matches posts with value v of the fieldFacets part prefix.
func facetQuery(prefix, v string) query.Query { return termQuery(fieldFacets, prefix+v) }

// anyOf matches documents matching mk(v) for any of values; nil when values is empty.
func anyOf(name string, values []string, lower bool, mk func(string) query.Query) (query.Query, error) {
	if len(values) > maxFilterValues {
		return nil, invalidf("%d %s exceed %d", len(values), name, maxFilterValues)
	}
	var qs []query.Query
	for _, v := range values {
		v = strings.TrimSpace(v)
		if lower {
			v = strings.ToLower(v)
		}
		if v != "" {
			qs = append(qs, mk(v))
		}
	}
	switch len(qs) {
	case 0:
		return nil, nil
	case 1:
		return qs[0], nil
	}
	return query.NewDisjunctionQuery(qs), nil
}

// timeRange matches a datetime field in [from, to); a zero bound is open.
func timeRange(field string, from, to time.Time) query.Query {
	t, f := true, false
	q := query.NewDateRangeInclusiveQuery(from, to, &t, &f)
	q.SetField(field)
	return q
}

// userQuery is a parsed query string: required, optional and excluded clauses.
// All empty means "every post".
type userQuery struct {
	must, should, mustNot []query.Query
}

func (u userQuery) empty() bool { return len(u.must)+len(u.should)+len(u.mustNot) == 0 }

func (u userQuery) combine(filters []query.Query) query.Query {
	must := append(slices.Clone(u.must), filters...)
	if len(must) == 0 {
		must = []query.Query{allPosts()}
	}
	if len(u.should) == 0 && len(u.mustNot) == 0 {
		if len(must) == 1 {
			return must[0]
		}
		return query.NewConjunctionQuery(must)
	}
	return query.NewBooleanQuery(must, u.should, u.mustNot)
}

// plainEnds drops the '?' and ':' that end a word outside quotes, so the question
// people type ("is chatgpt down?") is not read as a one-letter wildcard ("down?"
// matches "downs", not "down") and a trailing colon ("chatgpt:") is no syntax error.
// A '?' inside a word ("ch?tgpt") stays a wildcard.
func plainEnds(qs string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(qs); i++ {
		c := qs[i]
		if c == '"' && (i == 0 || qs[i-1] != '\\') {
			quoted = !quoted
		}
		if !quoted && (c == '?' || c == ':') && (i+1 == len(qs) || qs[i+1] == ' ' || qs[i+1] == '?') && i > 0 && qs[i-1] != '\\' {
			continue
		}
		b.WriteByte(c)
	}
	return strings.TrimSpace(b.String())
}

// parseQuery parses and checks a query string and rewrites it for this index:
// default AND, field names checked, text words expanded to the per-language
// analyses (langs restricts them), expensive patterns refused.
func (ix *Index) parseQuery(qs string, langs []string) (userQuery, error) {
	qs = strings.TrimSpace(qs)
	if qs == "" || qs == "*" {
		return userQuery{}, nil
	}
	if len(qs) > maxQueryLen {
		return userQuery{}, invalidf("query of %d bytes exceeds %d", len(qs), maxQueryLen)
	}
	if !utf8.ValidString(qs) {
		return userQuery{}, invalidf("query is not valid UTF-8")
	}
	qs = plainEnds(qs)
	if qs == "" {
		return userQuery{}, nil
	}
	parsed, err := query.NewQueryStringQuery(qs).Parse()
	if err != nil {
		return userQuery{}, invalidf("bad query %q: %s", qs, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	bq, ok := parsed.(*query.BooleanQuery)
	if !ok {
		return userQuery{}, invalidf("bad query %q", qs)
	}
	rw := &rewriter{ix: ix, analyzers: ix.an.names}
	if len(langs) > 0 {
		rw.analyzers = []string{analyzerPlain}
		for _, l := range langs {
			if name := analyzerFor(baseLang(l)); !slices.Contains(rw.analyzers, name) {
				rw.analyzers = append(rw.analyzers, name)
			}
		}
	}
	must, should, mustNot := clauses(bq.Must), clauses(bq.Should), clauses(bq.MustNot)
	if len(must) == 0 {
		must, should = should, nil
	}
	var u userQuery
	for _, part := range []struct {
		in  []query.Query
		out *[]query.Query
	}{{must, &u.must}, {should, &u.should}, {mustNot, &u.mustNot}} {
		for _, c := range part.in {
			q, err := rw.rewrite(c, false)
			if err != nil {
				return userQuery{}, err
			}
			if q != nil {
				*part.out = append(*part.out, q)
			}
		}
	}
	if len(u.must) == 0 && len(u.should) == 0 && len(u.mustNot) == 0 {
		// Only clauses that analyse to nothing ("!!!"): nothing can match.
		u.must = []query.Query{query.NewMatchNoneQuery()}
	}
	return u, nil
}

func clauses(q query.Query) []query.Query {
	switch q := q.(type) {
	case *query.ConjunctionQuery:
		return q.Conjuncts
	case *query.DisjunctionQuery:
		return q.Disjuncts
	case nil:
		return nil
	}
	return []query.Query{q}
}

type rewriter struct {
	ix        *Index
	analyzers []string
	leaves    int
}

func resolveField(name string) (string, error) {
	if name == "" {
		return fieldText, nil
	}
	f, ok := queryFields[strings.ToLower(name)]
	if !ok {
		return "", invalidf("unknown field %q (fields: text, services, affected, source, lang, author, problems, complaint, recovery, switching, created_at)", name)
	}
	return f, nil
}

// rewrite checks one parsed clause and returns its replacement; nil drops it (a
// word with no tokens). inNumber is set inside the disjunction Bleve builds for a
// bare number (text match OR numeric equality), whose numeric half is dropped.
func (rw *rewriter) rewrite(q query.Query, inNumber bool) (query.Query, error) {
	rw.leaves++
	if rw.leaves > maxQueryClauses {
		return nil, invalidf("query has more than %d clauses", maxQueryClauses)
	}
	switch q := q.(type) {
	case *query.MatchQuery:
		field, err := resolveField(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if q.Fuzziness > maxFuzziness {
			return nil, invalidf("fuzziness %d exceeds %d", q.Fuzziness, maxFuzziness)
		}
		return rw.value(field, q.Match, q.Fuzziness)
	case *query.MatchPhraseQuery:
		field, err := resolveField(q.FieldVal)
		if err != nil {
			return nil, err
		}
		return rw.value(field, q.MatchPhrase, 0)
	case *query.WildcardQuery:
		field, err := resolveField(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if err := checkPattern(q.Wildcard, "*?", "wildcard"); err != nil {
			return nil, err
		}
		if err := textOrKeyword(field, q.Wildcard); err != nil {
			return nil, err
		}
		pat := q.Wildcard
		if field == fieldText || lowercased[field] {
			pat = strings.ToLower(pat)
		}
		f, prefix := indexField(field)
		if err := checkAutomaton(wildcardRegexp.Replace(prefix+pat), "wildcard "+strconv.Quote(q.Wildcard)); err != nil {
			return nil, err
		}
		out := query.NewWildcardQuery(prefix + pat)
		out.SetField(f)
		return out, nil
	case *query.RegexpQuery:
		field, err := resolveField(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if err := checkPattern(q.Regexp, `\.+*?()|[]{}^$`, "regexp"); err != nil {
			return nil, err
		}
		if _, err := syntax.Parse(q.Regexp, syntax.Perl); err != nil {
			return nil, invalidf("bad regexp /%s/: %v", q.Regexp, err)
		}
		if err := textOrKeyword(field, q.Regexp); err != nil {
			return nil, err
		}
		f, prefix := indexField(field)
		if err := checkAutomaton(regexp.QuoteMeta(prefix)+q.Regexp, "regexp /"+q.Regexp+"/"); err != nil {
			return nil, err
		}
		out := query.NewRegexpQuery(regexp.QuoteMeta(prefix) + q.Regexp)
		out.SetField(f)
		return out, nil
	case *query.DateRangeQuery:
		field, err := resolveField(q.FieldVal)
		if err != nil {
			return nil, err
		}
		if field != fieldCreatedAt {
			return nil, invalidf("time ranges apply to created_at, not %s", field)
		}
		return dateRange(q), nil
	case *query.NumericRangeQuery:
		if inNumber {
			return nil, nil
		}
		return nil, invalidf("numeric ranges are not supported; for times use created_at:>\"2024-06-04T00:00:00Z\"")
	case *query.DisjunctionQuery:
		number := len(q.Disjuncts) == 2
		if number {
			_, a := q.Disjuncts[0].(*query.MatchQuery)
			_, b := q.Disjuncts[1].(*query.NumericRangeQuery)
			number = a && b
		}
		var out []query.Query
		for _, d := range q.Disjuncts {
			rq, err := rw.rewrite(d, number)
			if err != nil {
				return nil, err
			}
			if rq != nil {
				out = append(out, rq)
			}
		}
		switch len(out) {
		case 0:
			return nil, nil
		case 1:
			return out[0], nil
		}
		return query.NewDisjunctionQuery(out), nil
	case *query.ConjunctionQuery:
		var out []query.Query
		for _, c := range q.Conjuncts {
			rq, err := rw.rewrite(c, false)
			if err != nil {
				return nil, err
			}
			if rq != nil {
				out = append(out, rq)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return query.NewConjunctionQuery(out), nil
	case *query.MatchNoneQuery:
		return q, nil
	case *query.MatchAllQuery:
		return allPosts(), nil
	}
	return nil, invalidf("unsupported query clause %T", q)
}

// dateRange converts a parsed created_at range to seconds: an inclusive bound keeps
// its (partial) second, an exclusive one starts after it.
func dateRange(q *query.DateRangeQuery) query.Query {
	tq := allPosts()
	if start := q.Start.Time; !start.IsZero() {
		tq.from = ceilSecond(start)
		if q.InclusiveStart != nil && !*q.InclusiveStart {
			tq.from = floorDiv(start.UnixNano(), int64(time.Second)) + 1
		}
	}
	if end := q.End.Time; !end.IsZero() {
		tq.to = ceilSecond(end)
		if q.InclusiveEnd != nil && *q.InclusiveEnd {
			tq.to = floorDiv(end.UnixNano(), int64(time.Second)) + 1
		}
	}
	return tq
}

func textOrKeyword(field, pat string) error {
	switch field {
	case fieldComplaint, fieldRecovery, fieldSwitching, fieldCreatedAt:
		return invalidf("pattern %q cannot apply to %s", pat, field)
	}
	return nil
}

// checkPattern refuses wildcards and regexps that would scan the whole term
// dictionary: too long, or fewer than minPatternLiteral literal leading characters.
func checkPattern(p, special, what string) error {
	if len(p) > maxPatternLen {
		return invalidf("%s of %d bytes exceeds %d", what, len(p), maxPatternLen)
	}
	lit := 0
	for _, c := range p {
		if strings.ContainsRune(special, c) {
			break
		}
		lit++
	}
	if lit < minPatternLiteral {
		return invalidf("%s %q must start with at least %d literal characters", what, p, minPatternLiteral)
	}
	return nil
}

// value builds the query for field:value or field:"value".
func (rw *rewriter) value(field, v string, fuzz int) (query.Query, error) {
	switch field {
	case fieldText:
		return rw.text(v, fuzz), nil
	case fieldComplaint, fieldRecovery, fieldSwitching:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "t", "yes", "1":
			return flagQuery(field), nil
		case "false", "f", "no", "0":
			return query.NewBooleanQuery([]query.Query{allPosts()}, nil, []query.Query{flagQuery(field)}), nil
		}
		return nil, invalidf("%s takes true or false, not %q", field, v)
	case fieldCreatedAt:
		return nil, invalidf("created_at takes a range, e.g. created_at:>=\"2024-06-04T00:00:00Z\"")
	}
	if lowercased[field] {
		v = strings.ToLower(v)
	}
	f, prefix := indexField(field)
	if fuzz > 0 {
		q := query.NewFuzzyQuery(prefix + v)
		q.SetFuzziness(fuzz)
		q.SetPrefix(len(prefix)) // edits never touch the prefix
		q.SetField(f)
		return q, nil
	}
	return termQuery(f, prefix+v), nil
}

// text expands a word or phrase of the default field into its analyses by every
// analyzer in use (plain and per-language stems), deduplicated: posts are indexed
// with their own language's analyzer, so the query must meet each of them.
// Several tokens (a phrase, a CJK word, "e-mail") become a phrase query.
func (rw *rewriter) text(v string, fuzz int) query.Query {
	seen := map[string]bool{}
	var out []query.Query
	for _, name := range rw.analyzers {
		toks := rw.ix.im.AnalyzerNamed(name).Analyze([]byte(v))
		if len(toks) == 0 {
			continue
		}
		var key strings.Builder
		for _, t := range toks {
			fmt.Fprintf(&key, "%d\x00%s\x00", t.Position, t.Term)
		}
		if seen[key.String()] {
			continue
		}
		seen[key.String()] = true
		switch {
		case len(toks) > 1:
			q := query.NewMatchPhraseQuery(v)
			q.SetField(fieldText)
			q.Analyzer = name
			q.SetFuzziness(fuzz)
			out = append(out, q)
		case fuzz > 0:
			q := query.NewFuzzyQuery(string(toks[0].Term))
			q.SetFuzziness(fuzz)
			q.SetField(fieldText)
			out = append(out, q)
		default:
			out = append(out, termQuery(fieldText, string(toks[0].Term)))
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return query.NewDisjunctionQuery(out)
}

type runOptions struct {
	size    int
	sort    search.SortOrder // nil: by score
	score   string           // "none" skips scoring
	facets  map[string]search.FacetBuilder
	vectors bool // term locations, for highlights
}

type runResult struct {
	hits   search.DocumentMatchCollection
	total  uint64
	facets search.FacetResults
}

// run executes q on reader r with Bleve's top-N collector, bounded in terms and time.
func (ix *Index) run(ctx context.Context, r bindex.IndexReader, q query.Query, o runOptions) (runResult, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, searchTimeout)
		defer cancel()
	}
	ctx = context.WithValue(ctx, search.MaxTermSearchersKey, maxTermSearchers)
	ctx = search.ContextWithTermSearchersCounter(ctx)
	s, err := q.Searcher(ctx, r, ix.im, search.SearcherOptions{IncludeTermVectors: o.vectors, Score: o.score})
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return runResult{}, fmt.Errorf("index: search: %w", cerr)
		}
		// Building searchers reads only term dictionaries; what fails here is the
		// query (too many terms, a pattern the automaton refuses).
		return runResult{}, invalidf("query: %v", err)
	}
	defer s.Close()
	sort := o.sort
	if sort == nil {
		sort = search.SortOrder{&search.SortScore{Desc: true}}
	}
	coll := collector.NewTopNCollector(o.size, 0, sort)
	if len(o.facets) > 0 {
		fb := search.NewFacetsBuilder(r)
		for name, b := range o.facets {
			fb.Add(name, b)
		}
		coll.SetFacetsBuilder(fb)
	}
	if err := coll.Collect(ctx, s, r); err != nil {
		return runResult{}, fmt.Errorf("index: search: %w", err)
	}
	return runResult{hits: coll.Results(), total: coll.Total(), facets: coll.FacetResults()}, nil
}

func (ix *Index) loadPost(r bindex.IndexReader, id string) (outcry.Post, error) {
	src, err := ix.storedField(r, id, fieldPost)
	if err != nil {
		return outcry.Post{}, err
	}
	if len(src) == 0 {
		return outcry.Post{}, fmt.Errorf("index: post %q: %w", id, outcry.ErrNotFound)
	}
	var p outcry.Post
	if err := json.Unmarshal(src, &p); err != nil {
		return outcry.Post{}, fmt.Errorf("index: decode post %q: %w", id, err)
	}
	return p, nil
}

// Post returns the durable post with id; ErrNotFound when there is none.
func (ix *Index) Post(ctx context.Context, id string) (outcry.Post, error) {
	if err := ix.checkOpen(); err != nil {
		return outcry.Post{}, err
	}
	if err := ctx.Err(); err != nil {
		return outcry.Post{}, err
	}
	if id == "" || strings.HasPrefix(id, internalPrefix) {
		return outcry.Post{}, fmt.Errorf("index: post %q: %w", id, outcry.ErrNotFound)
	}
	r, err := ix.reader()
	if err != nil {
		return outcry.Post{}, err
	}
	defer r.Close()
	return ix.loadPost(r, id)
}

// spans returns the sorted, merged byte ranges of the text field a hit matched.
func spans(locations search.FieldTermLocationMap, textLen int) []outcry.Span {
	var out []outcry.Span
	for _, locs := range locations[fieldText] {
		for _, l := range locs {
			s, e := int(l.Start), int(l.End)
			if s < 0 || e > textLen || s >= e {
				continue
			}
			out = append(out, outcry.Span{Start: s, End: e})
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, func(a, b outcry.Span) int { return a.Start - b.Start })
	merged := out[:1]
	for _, s := range out[1:] {
		last := &merged[len(merged)-1]
		if s.Start <= last.End {
			last.End = max(last.End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}
