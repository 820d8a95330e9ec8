package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/outcry/outcry"
)

const (
	maxSamples       = 100
	sampleOversample = 5 // newest complaints read per sample wanted, to find distinct authors
	topProblems      = 8
)

// Summarize describes the complaints about service in [from, to): how many, by how
// many distinct authors (per-minute author sets, so at minute resolution), in which
// languages and sources, the top 8 problems, the other services those complaints
// name (CoServices) and, among complaints saying the author is switching, the
// services named (Switching); Recoveries counts recovery posts about service. Up to
// samples complaint posts are returned newest first, one per author while there are
// enough distinct authors. Everything comes from facets and the stored author sets,
// not from reading every post. Maps are never nil.
func (ix *Index) Summarize(ctx context.Context, service string, from, to time.Time, samples int) (outcry.Summary, error) {
	if err := ix.checkOpen(); err != nil {
		return outcry.Summary{}, err
	}
	switch {
	case service == "":
		return outcry.Summary{}, invalidf("summarize: empty service")
	case from.IsZero() || to.IsZero() || !to.After(from):
		return outcry.Summary{}, invalidf("summarize: bad window %s to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	case samples < 0:
		return outcry.Summary{}, invalidf("summarize: negative samples %d", samples)
	}
	samples = min(samples, maxSamples)
	r, err := ix.reader()
	if err != nil {
		return outcry.Summary{}, err
	}
	defer r.Close()

	about := termQuery(fieldAffected, service)
	window := postsBetween(from, to)
	complaints := []query.Query{about, flagQuery(fieldComplaint), window}
	fc := newFacetCounter(nil, pfxLang, pfxSource, pfxProblem, pfxService)
	res, err := ix.run(ctx, r, query.NewConjunctionQuery(complaints), runOptions{
		size: samples * sampleOversample, sort: newestFirst(), score: "none",
		facets: map[string]search.FacetBuilder{"fx": fc},
	})
	if err != nil {
		return outcry.Summary{}, err
	}
	sum := outcry.Summary{
		Complaints: int(res.total),
		Languages:  termMap(fc.top(pfxLang, 0, "")),
		Sources:    termMap(fc.top(pfxSource, 0, "")),
		CoServices: termMap(fc.top(pfxService, 0, service)),
		Problems:   []outcry.ProblemCount{},
		Samples:    []outcry.Post{},
	}
	for _, c := range fc.top(pfxProblem, topProblems, "") {
		sum.Problems = append(sum.Problems, outcry.ProblemCount{Problem: c.Term, Count: c.Count})
	}
	if sum.Samples, err = ix.pickSamples(r, res.hits, samples); err != nil {
		return outcry.Summary{}, err
	}

	rec, err := ix.run(ctx, r, query.NewConjunctionQuery([]query.Query{about, flagQuery(fieldRecovery), window}),
		runOptions{score: "none"})
	if err != nil {
		return outcry.Summary{}, err
	}
	sum.Recoveries = int(rec.total)

	swc := newFacetCounter(nil, pfxService)
	_, err = ix.run(ctx, r, query.NewConjunctionQuery(append(slices.Clone(complaints), flagQuery(fieldSwitching))),
		runOptions{score: "none", facets: map[string]search.FacetBuilder{"fx": swc}})
	if err != nil {
		return outcry.Summary{}, err
	}
	sum.Switching = termMap(swc.top(pfxService, 0, service))

	if sum.Authors, err = ix.distinctAuthors(ctx, r, service, from, to); err != nil {
		return outcry.Summary{}, err
	}
	return sum, nil
}

func termMap(counts []outcry.FacetCount) map[string]int {
	out := make(map[string]int, len(counts))
	for _, c := range counts {
		out[c.Term] = c.Count
	}
	return out
}

// pickSamples takes up to n of hits (newest first), one per author first, then
// fills with the newest remaining; the result is newest first.
func (ix *Index) pickSamples(r bindex.IndexReader, hits search.DocumentMatchCollection, n int) ([]outcry.Post, error) {
	posts := make([]outcry.Post, 0, len(hits))
	for _, h := range hits {
		p, err := ix.loadPost(r, h.ID)
		if err != nil {
			return nil, err
		}
		posts = append(posts, p)
	}
	picked := make([]bool, len(posts))
	out := make([]outcry.Post, 0, n)
	authors := map[string]bool{}
	for i, p := range posts {
		if len(out) == n {
			break
		}
		if p.Author != "" && authors[p.Author] {
			continue
		}
		authors[p.Author] = true
		picked[i] = true
		out = append(out, p)
	}
	for i, p := range posts {
		if len(out) == n {
			break
		}
		if !picked[i] {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b outcry.Post) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// distinctAuthors unions the stored per-minute author sets of service over the
// minutes of [from, to).
func (ix *Index) distinctAuthors(ctx context.Context, r bindex.IndexReader, service string, from, to time.Time) (int, error) {
	start, end := unixMinute(from), unixMinute(to)
	if to.After(time.Unix(end*60, 0)) {
		end++
	}
	seen := map[uint64]struct{}{}
	for hour := floorDiv(start, minutesPerHour); hour*minutesPerHour < end; hour++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		a, err := ix.counts.loadAuthors(r, hourKey{service, hour})
		if err != nil {
			return 0, fmt.Errorf("index: summarize: %w", err)
		}
		for m := range a {
			um := hour*minutesPerHour + int64(m)
			if um < start || um >= end {
				continue
			}
			for _, h := range a[m] {
				seen[h] = struct{}{}
			}
		}
	}
	return len(seen), nil
}
