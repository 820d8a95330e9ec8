package twitter

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outcry/outcry"
)

// DefaultMaxQueryLen is the recent-search query limit of X's self-serve plans (v2 Basic
// and the v1.1 standard search allow 512 and 500 characters; Pro allows 4096).
const DefaultMaxQueryLen = 500

// DefaultTerms returns complaint terms in the languages Outcry matches, most telling
// first, for BuildQuery when the caller has none.
func DefaultTerms() []string {
	return []string{
		"down", "outage", "not working", "error",
		"en panne", "ne marche pas", "no funciona", "caído",
		"störung", "geht nicht", "fora do ar", "non funziona",
		"落ちてる", "障害",
	}
}

// BuildQuery returns a recent-search query that finds posts naming a catalog service and
// a complaint term: `(chatgpt OR claude OR "le chat") (down OR outage OR "not working")`.
// Disabled services and weak aliases (too ambiguous to search for alone) are left out;
// aliases and terms are lowercased and deduplicated, and multi-word or punctuated ones
// quoted. The result stays within maxLen characters (DefaultMaxQueryLen when maxLen <= 0):
// terms are dropped from the end until one alias fits beside them, then aliases are added
// round-robin (every service's first alias, then every second alias, ...) while they fit,
// so each service is searched for before any gets a second name. With no complaint terms
// the query matches any mention; with no alias that fits it is "".
func BuildQuery(services []outcry.Service, complaintTerms []string, maxLen int) string {
	if maxLen <= 0 {
		maxLen = DefaultMaxQueryLen
	}
	seen := map[string]bool{}
	var perService [][]string
	for _, svc := range services {
		if svc.Disabled {
			continue
		}
		var as []string
		for _, a := range svc.Aliases {
			if q := queryTerm(a); q != "" && !seen[q] {
				seen[q] = true
				as = append(as, q)
			}
		}
		if len(as) > 0 {
			perService = append(perService, as)
		}
	}
	if len(perService) == 0 {
		return ""
	}
	seenTerm := map[string]bool{}
	var terms []string
	for _, t := range complaintTerms {
		if q := queryTerm(t); q != "" && !seenTerm[q] {
			seenTerm[q] = true
			terms = append(terms, q)
		}
	}
	fits := func(aliases []string) bool { return utf8.RuneCountInString(joinQuery(aliases, terms)) <= maxLen }
	// The shortest first alias decides whether any alias can fit beside the terms.
	shortest := perService[0][0]
	for _, as := range perService {
		if utf8.RuneCountInString(as[0]) < utf8.RuneCountInString(shortest) {
			shortest = as[0]
		}
	}
	for len(terms) > 0 && !fits([]string{shortest}) {
		terms = terms[:len(terms)-1]
	}
	if !fits([]string{shortest}) {
		return ""
	}
	var chosen []string
	for round := 0; ; round++ {
		more := false
		for _, as := range perService {
			if round >= len(as) {
				continue
			}
			more = true
			if cand := append(chosen[:len(chosen):len(chosen)], as[round]); fits(cand) {
				chosen = cand
			}
		}
		if !more {
			break
		}
	}
	return joinQuery(chosen, terms)
}

func joinQuery(aliases, terms []string) string {
	if len(terms) == 0 {
		return group(aliases)
	}
	return group(aliases) + " " + group(terms)
}

func group(ts []string) string {
	if len(ts) == 1 {
		return ts[0]
	}
	return "(" + strings.Join(ts, " OR ") + ")"
}

// queryTerm normalises one search term: lowercase, single spaces, quoted unless it is a
// single word of letters, digits and underscores (X reads "-", ":", "#", "@" and "$" as
// operators).
func queryTerm(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, `"`, " "))), " ")
	if s == "" {
		return ""
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_') {
			return `"` + s + `"`
		}
	}
	return s
}
