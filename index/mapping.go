package index

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/outcry/outcry"
)

// Index fields of a post document (queryFields maps query-string names to them).
const (
	fieldText     = "text"
	fieldAffected = "affected"
	fieldAuthor   = "author"
	// fieldFlags holds the words complaint, recovery and switching for the flags a
	// post has set; queries on complaint:true|false use it.
	fieldFlags = "flags"
	// fieldTime holds the post's created_at second at eight resolutions (see
	// timeTerms); time ranges become a handful of its terms. Only posts have it.
	fieldTime = "t"
	// fieldFacets holds, as prefixed terms, everything facets, the histogram and
	// the Newest sort read: services ("s:chatgpt"), source ("o:bsky"), lang
	// ("l:fr"), problems ("p:login") and created_at as a sortable second
	// ("!03717509600", see encodeTS). One field means one docvalues read per hit
	// instead of five; it is also what queries on services, source, lang and
	// problems use. The ts term sorts before every other, so it is each
	// document's first docvalue, which is what Bleve's field sort takes.
	fieldFacets = "fx"
	// fieldKind names the kind of the documents that are not posts (counts,
	// incidents, ...).
	fieldKind = "kind"
	// fieldPost holds the compact JSON of the whole Post; stored, not indexed.
	fieldPost = "post"
	// fieldBlob holds the payload of a non-post document; stored, not indexed.
	fieldBlob = "blob"
)

// Prefixes of the fieldFacets terms.
const (
	pfxService = "s:"
	pfxSource  = "o:"
	pfxLang    = "l:"
	pfxProblem = "p:"
	pfxTS      = "!"
)

// Query-string names of the fields kept in fieldFacets, of the flags and of the time.
const (
	fieldServices  = "services"
	fieldSource    = "source"
	fieldLang      = "lang"
	fieldProblems  = "problems"
	fieldComplaint = "complaint"
	fieldRecovery  = "recovery"
	fieldSwitching = "switching"
	fieldCreatedAt = "created_at"
)

// Kinds of the documents that are not posts.
const (
	kindCounts   = "counts"
	kindAuthors  = "authors"
	kindIncident = "incident"
	kindEvent    = "event"
	kindOfficial = "official"
	kindState    = "state"
)

// internalPrefix starts the id of every document that is not a post. Post ids
// containing it are refused, so the two spaces cannot collide.
const internalPrefix = "\x00"

// Analyzer names. analyzerPlain is the analyzer of posts in other languages and the
// base of every per-language analyzer: Unicode word segmentation, full-width
// normalisation, lowercase, CJK bigrams, and NO stop-word filter, so "down", "not",
// "no", "en", "pas" stay searchable.
const analyzerPlain = "outcry"

// langFilters lists, per language Bleve has a stemmer for, the token filters of its
// analyzer: Bleve's own language analyzer minus its stop-word filter.
var langFilters = map[string][]string{
	"en": {cjk.WidthName, en.PossessiveName, lowercase.Name, porter.Name, cjk.BigramName},
	"fr": {cjk.WidthName, fr.ElisionName, lowercase.Name, fr.LightStemmerName, cjk.BigramName},
	"es": {cjk.WidthName, lowercase.Name, es.NormalizeName, es.LightStemmerName, cjk.BigramName},
	"de": {cjk.WidthName, lowercase.Name, de.NormalizeName, de.LightStemmerName, cjk.BigramName},
	"pt": {cjk.WidthName, lowercase.Name, pt.LightStemmerName, cjk.BigramName},
	"it": {cjk.WidthName, it.ElisionName, lowercase.Name, it.LightStemmerName, cjk.BigramName},
}

func analyzerFor(lang string) string {
	if _, ok := langFilters[lang]; ok {
		return analyzerPlain + "_" + lang
	}
	return analyzerPlain
}

// baseLang reduces a language tag to its primary subtag: "pt-BR" -> "pt".
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// newMapping returns the index mapping: the analyzers and the field types queries
// need. Documents are built directly (see postDocument), so the mapping's only jobs
// are query analysis and field typing; dynamic mapping and the _all field are off.
// Searches use this in-code mapping, but Bleve stores the mapping in the index when
// it is created and parses it on every Open: every analysis component named here
// must stay registered (imported) for as long as indexes made with it exist.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	base := []string{cjk.WidthName, lowercase.Name, cjk.BigramName}
	if err := im.AddCustomAnalyzer(analyzerPlain, map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name, "token_filters": base,
	}); err != nil {
		return nil, fmt.Errorf("index: analyzer %s: %w", analyzerPlain, err)
	}
	for lang, filters := range langFilters {
		name := analyzerFor(lang)
		if err := im.AddCustomAnalyzer(name, map[string]any{
			"type": custom.Name, "tokenizer": unicode.Name, "token_filters": filters,
		}); err != nil {
			return nil, fmt.Errorf("index: analyzer %s: %w", name, err)
		}
	}
	im.DefaultAnalyzer = analyzerPlain
	im.DefaultField = fieldText
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	dm := mapping.NewDocumentStaticMapping()
	text := mapping.NewTextFieldMapping()
	text.Analyzer = analyzerPlain
	text.Store, text.IncludeInAll, text.DocValues = false, false, false
	dm.AddFieldMappingsAt(fieldText, text)
	// The other fields hold exact terms built here (several per field for flags,
	// time and facets); queries on them are term queries, never analysed.
	for _, f := range []string{fieldAffected, fieldAuthor, fieldKind, fieldFlags, fieldTime, fieldFacets} {
		kw := mapping.NewKeywordFieldMapping()
		kw.Analyzer = keyword.Name
		kw.Store, kw.IncludeInAll, kw.IncludeTermVectors = false, false, false
		kw.DocValues = f == fieldFacets
		dm.AddFieldMappingsAt(f, kw)
	}
	im.DefaultMapping = dm
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	return im, nil
}

// analyzers holds the analyzer instances documents and queries use.
type analyzers struct {
	plain, plainASCII   analysis.Analyzer
	byLang, byLangASCII map[string]analysis.Analyzer // key: base language
	names               []string                     // every analyzer name, plain first
}

func newAnalyzers(im *mapping.IndexMappingImpl) (*analyzers, error) {
	a := &analyzers{
		byLang: map[string]analysis.Analyzer{}, byLangASCII: map[string]analysis.Analyzer{},
		names: []string{analyzerPlain},
	}
	a.plain = im.AnalyzerNamed(analyzerPlain)
	if a.plain == nil {
		return nil, fmt.Errorf("index: analyzer %s missing", analyzerPlain)
	}
	a.plainASCII = withoutCJK(a.plain)
	for _, lang := range sortedKeys(langFilters) {
		name := analyzerFor(lang)
		an := im.AnalyzerNamed(name)
		if an == nil {
			return nil, fmt.Errorf("index: analyzer %s missing", name)
		}
		a.byLang[lang] = an
		a.byLangASCII[lang] = withoutCJK(an)
		a.names = append(a.names, name)
	}
	return a, nil
}

// withoutCJK returns an's pipeline minus the CJK width and bigram filters, which
// change nothing in ASCII text: indexing ASCII posts with it saves their cost and
// yields the same tokens.
func withoutCJK(an analysis.Analyzer) analysis.Analyzer {
	da, ok := an.(*analysis.DefaultAnalyzer)
	if !ok {
		return an
	}
	out := &analysis.DefaultAnalyzer{CharFilters: da.CharFilters, Tokenizer: da.Tokenizer}
	for _, f := range da.TokenFilters {
		switch f.(type) {
		case *cjk.CJKWidthFilter, *cjk.CJKBigramFilter:
			continue
		}
		out.TokenFilters = append(out.TokenFilters, f)
	}
	return out
}

// forText returns the analyzer for a post's text in language lang.
func (a *analyzers) forText(lang, text string) analysis.Analyzer {
	ascii := isASCII(text)
	if l := baseLang(lang); l != "" {
		if ascii {
			if an, ok := a.byLangASCII[l]; ok {
				return an
			}
		} else if an, ok := a.byLang[l]; ok {
			return an
		}
	}
	if ascii {
		return a.plainASCII
	}
	return a.plain
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// splitAnalyzer splits on one separator byte, nothing else: the fieldTime,
// fieldFlags and fieldFacets values are built here, so Bleve's general whitespace
// tokenizer (5% of indexing CPU when it was used) is not needed.
type splitAnalyzer byte

const (
	splitWords  splitAnalyzer = ' '
	splitValues splitAnalyzer = 0 // values may contain spaces, never NUL
)

func (sep splitAnalyzer) Analyze(b []byte) analysis.TokenStream {
	var ts analysis.TokenStream
	pos, start := 1, 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] != byte(sep) {
			continue
		}
		if i > start {
			ts = append(ts, &analysis.Token{Term: b[start:i], Start: start, End: i, Position: pos, Type: analysis.AlphaNumeric})
			pos++
		}
		start = i + 1
	}
	return ts
}

// Indexing options: docvalues only where a facet or a sort reads them. Keyword
// fields keep norms: a query string may score them (lang:fr), and Bleve scores a
// term without norms as NaN.
const (
	optText    = bindex.IndexField | bindex.IncludeTermVectors
	optKeyword = bindex.IndexField
	// Facet docvalues are read for every hit of a search: uncompressed and one
	// chunk per document, reading them is a slice, not a snappy block. This
	// halved search time (200k posts: 33 -> 14 ms p50) for about 20 bytes per post.
	optKeywordDV = bindex.IndexField | bindex.DocValues | bindex.SkipDVCompression | bindex.SkipDVChunking
	optStored    = bindex.StoreField
	optDate      = bindex.IndexField | bindex.DocValues
)

// postDocument builds the Bleve document of a post. A nil analyzer on a text field
// makes Bleve index the whole value as one term: that is how keyword fields are built.
//
// created_at is not a Bleve datetime field: that indexes 16 prefix-coded terms and 16
// docvalues per document and was the largest indexing cost measured (about 45 of
// 110 µs of CPU per post). Instead fieldTime holds 6 terms and fieldFacets one
// sortable value; see timeTerms and timeQuery.
func (ix *Index) postDocument(p *outcry.Post) (*document.Document, error) {
	src, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("index: encode post %q: %w", p.ID, err)
	}
	sec := p.CreatedAt.Unix()
	d := document.NewDocument(p.ID)
	d.AddField(document.NewTextFieldCustom(fieldText, nil, []byte(p.Text), optText, ix.an.forText(p.Lang, p.Text)))
	d.AddField(document.NewTextFieldCustom(fieldTime, nil, timeTerms(sec), optKeyword, splitWords))
	d.AddField(document.NewTextFieldCustom(fieldFacets, nil, facetTerms(p, sec), optKeywordDV, splitValues))
	if flags := postFlags(p); len(flags) > 0 {
		d.AddField(document.NewTextFieldCustom(fieldFlags, nil, flags, optKeyword, splitWords))
	}
	addKeywords(d, fieldAffected, p.Affected, optKeyword)
	if p.Author != "" {
		d.AddField(document.NewTextFieldCustom(fieldAuthor, nil, []byte(p.Author), optKeyword, nil))
	}
	d.AddField(document.NewTextFieldCustom(fieldPost, nil, src, optStored, nil))
	return d, nil
}

// facetTerms returns the fieldFacets value of p: its prefixed terms, NUL-separated.
func facetTerms(p *outcry.Post, sec int64) []byte {
	b := append([]byte(pfxTS), encodeTS(sec)...)
	add := func(prefix, v string) {
		if v != "" {
			b = append(append(append(b, 0), prefix...), v...)
		}
	}
	for _, s := range p.Services {
		add(pfxService, s)
	}
	add(pfxSource, p.Source)
	add(pfxLang, strings.ToLower(p.Lang))
	for _, s := range p.Problems {
		add(pfxProblem, s)
	}
	return b
}

func postFlags(p *outcry.Post) []byte {
	var b []byte
	for _, f := range []struct {
		set  bool
		name string
	}{{p.Complaint, fieldComplaint}, {p.Recovery, fieldRecovery}, {p.Switching, fieldSwitching}} {
		if f.set {
			b = append(append(b, f.name...), ' ')
		}
	}
	return b
}

func addKeywords(d *document.Document, field string, values []string, opt bindex.FieldIndexingOptions) {
	for i, v := range values {
		if v == "" {
			continue
		}
		d.AddField(document.NewTextFieldCustom(field, []uint64{uint64(i)}, []byte(v), opt, nil))
	}
}
