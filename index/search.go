package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/facet"
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
// ComplaintsOnly), Sources, Langs, [From, To) on created_at, ComplaintsOnly.
// Facets "services", "sources" and "langs" hold the top 10 terms of all hits.
// Step > 0 asks for a histogram from From to To (both required), zeros included.
// Newest (and an empty query) sorts by created_at descending, otherwise by relevance. Highlights are the
// byte spans of Post.Text that matched.
//
// Bounds: Limit 0 means 20 and is capped at 1000; Offset+Limit over 10,000, negative
// values, a malformed query, an unknown field, a leading wildcard, a pattern longer
// than 64 bytes or expanding to more than 4096 terms are errors wrapping
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
	q, err := ix.buildSearchQuery(r)
	if err != nil {
		return outcry.SearchResult{}, err
	}
	facets := map[string]search.FacetBuilder{
		"services": facet.NewTermsFacetBuilder(fieldServices, facetSize),
		"sources":  facet.NewTermsFacetBuilder(fieldSource, facetSize),
		"langs":    facet.NewTermsFacetBuilder(fieldLang, facetSize),
	}
	if hist != nil {
		facets["histogram"] = hist
	}
	opts := runOptions{size: limit, skip: r.Offset, facets: facets, vectors: true}
	if r.Newest || strings.TrimSpace(r.Query) == "" || strings.TrimSpace(r.Query) == "*" {
		opts.sort = newestFirst()
		opts.score = "none"
	}
	rd, err := ix.reader()
	if err != nil {
		return outcry.SearchResult{}, err
	}
	defer rd.Close()
	res, err := ix.run(ctx, rd, q, opts)
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
		out.Hits = append(out.Hits, outcry.Hit{Post: p, Score: score, Highlights: spans(h, len(p.Text))})
	}
	for _, name := range []string{"services", "sources", "langs"} {
		out.Facets[name] = facetCounts(res.facets[name])
	}
	if hist != nil {
		out.Histogram = hist.result()
	}
	out.Took = time.Since(start)
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

func newestFirst() search.SortOrder {
	return search.SortOrder{
		&search.SortField{Field: fieldTS, Desc: true, Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast},
		&search.SortDocID{Desc: true},
	}
}

// buildSearchQuery turns a request into one Bleve query: the user's query string
// and the filters, all required.
func (ix *Index) buildSearchQuery(r outcry.SearchRequest) (query.Query, error) {
	langs := make([]string, 0, len(r.Langs))
	for _, l := range r.Langs {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			langs = append(langs, l)
		}
	}
	uq, err := ix.parseQuery(r.Query, langs)
	if err != nil {
		return nil, err
	}
	var filters []query.Query
	svcField := fieldServices
	if r.ComplaintsOnly {
		svcField = fieldAffected
		filters = append(filters, flagQuery(fieldComplaint))
	}
	for _, f := range []struct {
		field  string
		values []string
		lower  bool
	}{
		{svcField, r.Services, true},
		{fieldSource, r.Sources, false},
		{fieldLang, langs, true},
	} {
		q, err := anyTerm(f.field, f.values, f.lower)
		if err != nil {
			return nil, err
		}
		if q != nil {
			filters = append(filters, q)
		}
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
			return nil, invalidf("to %s is not after from %s", r.To.Format(time.RFC3339), r.From.Format(time.RFC3339))
		}
		filters = append(filters, postsBetween(r.From, r.To))
	}
	return uq.combine(filters), nil
}

// flagQuery matches posts with flag (complaint, recovery, switching) set.
func flagQuery(flag string) query.Query { return termQuery(fieldFlags, flag) }

func termQuery(field, v string) query.Query {
	q := query.NewTermQuery(v)
	q.SetField(field)
	return q
}

// anyTerm matches documents whose field holds any of values; nil when values is empty.
func anyTerm(field string, values []string, lower bool) (query.Query, error) {
	if len(values) > maxFilterValues {
		return nil, invalidf("%d %s values exceed %d", len(values), field, maxFilterValues)
	}
	var qs []query.Query
	for _, v := range values {
		v = strings.TrimSpace(v)
		if lower {
			v = strings.ToLower(v)
		}
		if v != "" {
			qs = append(qs, termQuery(field, v))
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
		out := query.NewWildcardQuery(pat)
		out.SetField(field)
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
		out := query.NewRegexpQuery(q.Regexp)
		out.SetField(field)
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
	if fuzz > 0 {
		q := query.NewFuzzyQuery(v)
		q.SetFuzziness(fuzz)
		q.SetField(field)
		return q, nil
	}
	return termQuery(field, v), nil
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
	size, skip int
	sort       search.SortOrder // nil: by score
	score      string           // "none" skips scoring
	facets     map[string]search.FacetBuilder
	vectors    bool // term locations, for highlights
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
	coll := collector.NewTopNCollector(o.size, o.skip, sort)
	if len(o.facets) > 0 {
		fb := search.NewFacetsBuilder(r)
		for name, b := range o.facets {
			fb.Add(name, b)
		}
		coll.SetFacetsBuilder(fb)
	}
	if err := coll.Collect(ctx, s, r); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return runResult{}, fmt.Errorf("index: search: %w", err)
		}
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
func spans(h *search.DocumentMatch, textLen int) []outcry.Span {
	var out []outcry.Span
	for _, locs := range h.Locations[fieldText] {
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

func facetCounts(fr *search.FacetResult) []outcry.FacetCount {
	out := []outcry.FacetCount{}
	if fr == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, outcry.FacetCount{Term: t.Term, Count: t.Count})
	}
	slices.SortStableFunc(out, func(a, b outcry.FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Term, b.Term)
	})
	return out
}

// histogram is a facet builder counting hits per fixed step of created_at, reading
// each hit's second from fieldTS docvalues: O(1) per hit whatever the bucket count.
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

func (h *histogram) StartDoc()     {}
func (h *histogram) EndDoc()       {}
func (h *histogram) Field() string { return fieldTS }
func (h *histogram) Size() int     { return 64 + 8*len(h.counts) }
func (h *histogram) Result() *search.FacetResult {
	return &search.FacetResult{Field: fieldTS}
}

func (h *histogram) UpdateVisitor(term []byte) {
	sec, ok := decodeTS(term)
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
