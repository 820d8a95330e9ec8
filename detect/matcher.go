package detect

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/outcry/outcry"
)

// Matcher decides which catalog services a post names and whether it complains about
// them. It is built once from a Catalog (NewMatcher) and is safe for concurrent use; a
// Match call allocates only the slices it returns.
//
// How it decides, in order:
//
//  1. The text is normalised: lowercase, accents and full-width forms folded, links
//     dropped, separators collapsed to word, clause and sentence breaks.
//  2. Aho–Corasick automata compiled in NewMatcher find, in one pass over the text (a
//     second, small one runs only over text with non-ASCII bytes), every service alias,
//     context keyword and lexicon phrase: complaints, recoveries, negations, "works
//     fine", switching, instrument, pronoun, conditional, past, filler and idiom phrases
//     in English, French, Spanish, German, Portuguese, Italian and Japanese (lexicon.go).
//     Matches must sit on word boundaries, where a change of script (Latin to Japanese)
//     counts as one; inside hashtags and handles ("#ChatGPTdown", "@AnthropicAI") they
//     must instead tile the tag, with camel case and letter/digit changes as free cut
//     points. Idioms win any overlap ("Claude Monet", "down to earth", "went down the
//     rabbit hole"); otherwise the leftmost, then longest match stays, so "not working
//     again" is a complaint. A pattern written without accents does not match an
//     accented word ("Stück" is not "stuck", "metà" is not "Meta"); hashtags are tiled
//     by whole words and phrases only, never by the parts that composed cues use.
//  3. Composed cues (matcher_compose.go, lexicon_verbs.go) are built from parts that
//     people inflect and reorder: a negator with an availability verb of the same
//     language ("no me carga", "não tá carregando", "can't even load", "non si apre
//     più"), a verb with a post-verbal negation ("marche pas", "lädt seit einer Stunde
//     keine Stories", the subject in between in German), a German separable verb of
//     failure with its particle ("bricht immer wieder ab"), an error noun after a frame
//     ("me sale un error", "kommt nur noch eine Fehlermeldung"). A composed cue is then
//     attached like a lexicon cue that spans its parts. A negator after "I", "we" or
//     "might", or a verb with an object ("isn't open source"), composes nothing.
//  4. A rule layer attaches each cue to services. A predicate cue ("down", "en panne",
//     "落ちてる") attaches to the service right before it (through fillers such as "is",
//     "totally", "servers", "が"), to the antecedent of a pronoun in subject position
//     ("it's down", "sont tous en panne"; not "shut it down"), or to a service right
//     after it ("se cayó ChatGPT"). Weak cues ("down", "slow", "broken") tolerate no
//     unknown word in between, others one. A subjectless non-weak cue ("not working
//     again #chatgpt") applies to every service of the post, and so does a cue that
//     opens a clause of known words only in a long post ("I was writing my thesis
//     with ChatGPT, ..., and then suddenly, impossible to send anything"); a cue
//     followed by a colon applies to the list after it
//     ("Down right now: ChatGPT, Claude, Perplexity"); a symptom cue ("outage",
//     "502", "at capacity") to the nearest services of its sentence, else of the post.
//     Services being used ("asked ChatGPT to write an outage report") or switched to
//     ("switching to Claude") receive only cues attached to them directly. Cues after a
//     conditional in the same clause ("if ChatGPT goes down", "every time it's down"),
//     complaint cues in a past sentence ("yesterday"), cues followed by a percentage
//     ("down 3%") and cues inside a run of three or more hashtags are ignored. A service
//     named with "too"/"tampoco"/"so is" shares a complaint made about another. For each
//     service the last direct cue wins, else the last indirect one.
//  5. Weak aliases ("x", "meta", "slack", "zoom") count only with context: a strong
//     alias or keyword of the same service, a hashtag or handle form, a cue attached
//     directly, a capitalised use in mid-sentence (two letters or more) or after "on"
//     ("posted on X"). A homonym context ("Gemini" with "zodiac") or a naming verb ("my
//     cat is called Claude") removes the service.
//
// Decisions documented here and tested: a question "is ChatGPT down?" is a (weak)
// complaint, as Downdetector counts it, but "is Discord back up yet?" is no recovery
// unless a later sentence answers that it works; a present complaint after a recovery
// in the same post ("back up ... down again") is a complaint; a denial ("isn't down for
// me", "works for me") is a recovery signal, never a complaint; a service the post
// clears ("no es Netflix, es Movistar", "not Netflix's fault") gets no complaint; a post is either a complaint (Affected = the
// services complained about) or a recovery (Affected = the services said to work again),
// never both: a complaint about any service wins. Switching is set on a complaint that
// names a service the author moves to.
type Matcher struct {
	ids []string
	// Two automata: one for the patterns in ASCII (after folding, nearly all of them)
	// and one for the rest (Japanese), run only on text that has non-ASCII bytes. Split,
	// the ASCII table is a third of the size and stays in cache.
	auto, autoU *matchAutomaton
	pats        []matchPat
	pool        sync.Pool // *matchScratch
}

// Pattern kinds (bit set: one normalised string may play several roles).
const (
	kAlias uint32 = 1 << iota
	kKeyword
	kCue
	kSwitchTo
	kSwitchAfter
	kInstrBefore
	kInstrAfter
	kPron
	kConj
	kFiller
	kCond
	kPast
	kBlock
	kProblem
	kVerb    // availability verb (lexVerbs)
	kNegPost // negation after its verb (lexNegsPost)
	kAnti
	kArticle
	kClause
	kName
	kAgain
	kPercent
	kAlsoAfter
	kAlsoBefore
	kNeg      // negation before its verb (lexNegators)
	kErrNoun  // "error" and its translations
	kErrFrame // words that frame an error as happening now ("getting", "me sale")
	kNegPad   // clitics and adverbs between a negator and its verb ("no me", "not even")
	kSubj     // the speaker as a subject ("I", "je", "ich"): a cue after it is not about a service
	kYear     // a dated year ("in 2021", "2021年"): past when before the post's own year
	kOwn      // the poster's own thing as a subject ("my router", "mi personaje"): a cue about it is not about a service
	kBlame    // the post reports no outage: the poster's own fault ("my bad"), a job ad ("hiring")
)

// kSkip are kinds a walk from a cue to its service passes over.
const kSkip = kFiller | kConj | kProblem | kCue | kVerb | kNegPost | kErrFrame | kAgain

// kComposed are the kinds that only build composed cues (matcher_compose.go).
const kComposed = kNeg | kVerb | kNegPost | kErrNoun | kErrFrame | kNegPad | kSubj

// kStop are kinds that end a walk: the service beyond them is not the subject.
const kStop = kSwitchTo | kSwitchAfter | kInstrBefore | kInstrAfter | kCond | kPast

// Cue kinds.
const (
	cueComplaint uint8 = iota + 1
	cueRecovery
	cueNegation
	cueOK
)

// Cue strengths.
const (
	strNormal uint8 = iota
	strWeak
	strSymptom
)

// Problem categories, in output order.
var matchProblemNames = [...]string{"login", "errors", "capacity", "slow", "app", "api", "website", "network"}

// matchPat is what the matcher knows about one normalised pattern string.
type matchPat struct {
	kinds  uint32
	svc    int16 // service named by the alias, -1 when not an alias
	weak   bool  // the alias is weak
	single bool  // one-letter alias: must be uppercase in the post ("X")
	cue    uint8
	str    uint8
	right  bool // object cue: the service may follow ("issues with X")
	num    bool // not when a number follows
	aux    bool // not when an unknown word follows
	subj   bool // pronoun form that includes its verb ("it's")
	soft   bool // switch marker that does not shield its target
	probs  uint8
	year   int16   // kYear: the year named
	keys   []int16 // services this keyword gives context to
	anti   []int16 // services this word says are homonyms
	acc    bool    // some source of the pattern is written with an accent ("tombé")
	// Composition (matcher_compose.go).
	lang  uint8 // languages of a negator, verb or post-verbal negator (lexLang bits)
	deny  bool  // negator that denies a complaint word ("kein Ausfall")
	negv  bool  // negator that negates a verb ("no carga")
	modal bool  // negator whose subject may be the speaker ("can't", "no puedo")
	// plainNeg: complaint phrase opening with a plain negator ("don't work").
	plainNeg bool
	vaux     bool // auxiliary verb ("va", "geht"): nothing unknown may follow
	vobj     bool // often transitive verb: no unknown word may follow
	nx       bool // post-verbal negator that must be followed by a known word or a break
	far      bool // post-verbal negator that may stand four words after its verb
	particle bool // separable verb of failure ("bricht") or its particle ("ab")
}

type matchHit struct{ pat, start, end int32 }

type matchItem struct {
	start, end, pat, sent int32
	done                  bool // consumed by a composed cue (matcher_compose.go)
}

// matchGap describes the text between two kept items: how many unknown words it holds
// in all, before its first break (lead), after its last sentence break (trail) and
// after its last break of any kind (ctrail); whether it holds a colon.
type matchGap struct {
	words, lead, trail, ctrail int32
	newline, comma, colon      bool
}

// matchSvc is one service's state while matching a post.
type matchSvc struct {
	strong, weak, key, anti, tag, capital, direct bool
	role                                          uint8
	explicit, implicit                            uint8 // cue kind, 0 none
	past                                          bool  // the explicit complaint followed a past copula
	expAt, expEnd                                 int32 // where the last explicit cue starts and ends
}

const (
	roleInstr      uint8 = 1 << iota
	roleSwitch           // shielded switch target
	roleSwitchSoft       // named after a soft switch marker ("using Claude")
)

// roleShield are the roles that keep indirect cues away from a service.
const roleShield = roleInstr | roleSwitch

type matchScratch struct {
	text    matchText
	hits    []matchHit
	tagHits []matchHit
	cands   []matchHit
	items   []matchItem
	gaps    []matchGap
	svcs    []matchSvc
	touched []int16
	group   []int32
	pos     []int32
	posR    []int32
	sents   []int32 // sentences holding an attached complaint cue
	probs   uint8
	pastCue bool      // the cue being attached follows a past copula ("was down")
	cueAt   int32     // where the cue being attached starts
	cueEnd  int32     // and ends
	when    time.Time // the post's time: a dated year before its year is past
}

// matchMaxText caps how much of a post is scanned; longer texts (feed items with whole
// articles) are matched on their first part.
const matchMaxText = 16 << 10

// NewMatcher compiles the catalog's aliases and the lexicon into one automaton.
func NewMatcher(c *Catalog) (*Matcher, error) {
	if c == nil || len(c.services) == 0 {
		return nil, fmt.Errorf("matcher: empty catalog: %w", outcry.ErrInvalid)
	}
	b := &matchBuilder{index: make(map[string]int32)}
	m := &Matcher{ids: c.IDs()}
	for i, s := range c.services {
		svc := int16(i)
		for _, list := range []struct {
			names []string
			weak  bool
		}{{s.Aliases, false}, {s.Weak, true}} {
			for _, a := range list.names {
				for _, v := range matchAliasVariants(a) {
					p := b.pat(v)
					p.acc = p.acc || matchHasAccent(a)
					if p.kinds&kAlias != 0 && p.svc != svc {
						return nil, fmt.Errorf("matcher: alias %q names both %q and %q: %w", a, m.ids[p.svc], s.ID, outcry.ErrInvalid)
					}
					if p.kinds&kAlias == 0 || !list.weak {
						p.weak = list.weak
					}
					p.kinds |= kAlias
					p.svc = svc
					p.single = len(v) == 1
				}
			}
		}
		for _, k := range s.Keywords {
			for _, v := range matchAliasVariants(k) {
				p := b.pat(v)
				p.kinds |= kKeyword
				p.acc = p.acc || matchHasAccent(k)
				if !slices.Contains(p.keys, svc) {
					p.keys = append(p.keys, svc)
				}
			}
		}
	}
	tables := []struct {
		text string
		kind uint32
		cue  uint8
	}{
		{lexComplaints, kCue, cueComplaint},
		{lexRecoveries, kCue, cueRecovery},
		{lexNegations, kCue, cueNegation},
		{lexOKs, kCue, cueOK},
		{lexSwitchTo, kSwitchTo, 0},
		{lexSwitchAfter, kSwitchAfter, 0},
		{lexInstrBefore, kInstrBefore, 0},
		{lexInstrAfter, kInstrAfter, 0},
		{lexProns, kPron, 0},
		{lexConjs, kConj, 0},
		{lexFillers, kFiller, 0},
		{lexConds, kCond, 0},
		{lexPasts, kPast, 0},
		{lexMarkets, kPast, 0},
		{lexOwn, kOwn, 0},
		{lexNoReports, kBlame, 0},
		{lexBlocks, kBlock, 0},
		{lexProblems, kProblem, 0},
		{lexArticles, kArticle, 0},
		{lexClauses, kClause, 0},
		{lexNamings, kName, 0},
		{lexAgains, kAgain, 0},
		{lexPercents, kPercent, 0},
		{lexAlsoAfter, kAlsoAfter, 0},
		{lexAlsoBefore, kAlsoBefore, 0},
	}
	for _, t := range tables {
		err := lexEach(t.text, func(flags []string, phrase string) error {
			var probs uint8
			str, right, num, aux := strNormal, false, false, false
			for _, f := range flags {
				switch f {
				case "w":
					str = strWeak
				case "y":
					str = strSymptom
				case "r":
					right = true
				case "n":
					num = true
				case "x":
					aux = true
				case "s":
					if t.kind != kPron {
						return fmt.Errorf("flag s is for pronouns")
					}
				case "soft":
					if t.kind != kSwitchTo {
						return fmt.Errorf("flag soft is for switch markers")
					}
				default:
					i := slices.Index(matchProblemNames[:], f)
					if i < 0 {
						return fmt.Errorf("unknown flag %q", f)
					}
					probs |= 1 << i
				}
			}
			subj := t.kind == kPron && slices.Contains(flags, "s")
			soft := slices.Contains(flags, "soft")
			for _, v := range lexVariants(phrase, t.kind == kCue && t.cue != cueOK) {
				p := b.pat(v)
				p.acc = p.acc || matchHasAccent(phrase)
				p.kinds |= t.kind
				p.subj = p.subj || subj
				p.soft = p.soft || soft
				p.probs |= probs
				if t.kind == kCue && p.cue == 0 {
					p.cue, p.str, p.right, p.num, p.aux = t.cue, str, right, num, aux
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("matcher: lexicon: %w", err)
		}
	}
	if err := lexCompose(b); err != nil {
		return nil, fmt.Errorf("matcher: lexicon: %w", err)
	}
	for y := matchYearMin; y <= matchYearMax; y++ {
		for _, f := range matchYearForms {
			p := b.pat(fmt.Sprintf(f, y))
			p.kinds |= kYear
			p.year = int16(y)
		}
	}
	err := lexEach(lexNotService, func(flags []string, phrase string) error {
		if len(flags) != 1 {
			return fmt.Errorf("homonym line for %q: want one service id", phrase)
		}
		i, ok := c.byID[flags[0]]
		if !ok {
			return nil // the user disabled or renamed the service
		}
		p := b.pat(matchNormalizeString(phrase))
		p.kinds |= kAnti
		p.anti = append(p.anti, int16(i))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("matcher: lexicon: %w", err)
	}
	m.pats = b.pats
	var ascii, other []string
	var asciiIDs, otherIDs []int32
	for id, p := range b.strings {
		if strings.IndexFunc(p, func(r rune) bool { return r >= 0x80 }) < 0 {
			ascii, asciiIDs = append(ascii, p), append(asciiIDs, int32(id))
		} else {
			other, otherIDs = append(other, p), append(otherIDs, int32(id))
		}
	}
	if m.auto, err = newMatchAutomaton(ascii, asciiIDs); err != nil {
		return nil, err
	}
	if len(other) > 0 {
		if m.autoU, err = newMatchAutomaton(other, otherIDs); err != nil {
			return nil, err
		}
	}
	n := len(c.services)
	m.pool.New = func() any { return &matchScratch{svcs: make([]matchSvc, n)} }
	return m, nil
}

// Dated years: a complaint in a sentence that dates itself to an earlier year than the
// post's is history ("la caída de WhatsApp en 2021 fue legendaria"). Only a year after a
// preposition or with 年 counts: a bare number may be an error code or a count.
const matchYearMin, matchYearMax = 1995, 2099

var matchYearForms = []string{
	"in %d", "back in %d", "of %d", "en %d", "em %d", "de %d", "del %d", "du %d",
	"nel %d", "im %d", "im jahr %d", "no ano de %d", "%d年",
	"tahun %d", "w %d", "в %d", "%d년", "عام %d",
}

type matchBuilder struct {
	strings []string
	pats    []matchPat
	index   map[string]int32
}

func (b *matchBuilder) pat(norm string) *matchPat {
	id, ok := b.index[norm]
	if !ok {
		id = int32(len(b.pats))
		b.index[norm] = id
		b.strings = append(b.strings, norm)
		b.pats = append(b.pats, matchPat{svc: -1})
	}
	return &b.pats[id]
}

// lexEach calls fn for every phrase of a lexicon table.
func lexEach(text string, fn func(flags []string, phrase string) error) error {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var flags []string
		if f, rest, ok := strings.Cut(line, "|"); ok {
			flags, line = strings.Fields(f), rest
		}
		for phrase := range strings.SplitSeq(line, ",") {
			if phrase = strings.TrimSpace(phrase); phrase == "" {
				continue
			}
			if matchNormalizeString(phrase) == "" {
				return fmt.Errorf("phrase %q normalises to nothing", phrase)
			}
			if err := fn(flags, phrase); err != nil {
				return fmt.Errorf("%q: %w", line, err)
			}
		}
	}
	return nil
}

// lexVariants returns the normalised forms of a lexicon phrase: as written, without
// apostrophes ("cant", "isnt"), with umlauts spelt out ("stoerung") and, for cues, with
// spaces removed so hashtags match ("enpanne").
func lexVariants(phrase string, compact bool) []string {
	forms := []string{phrase}
	if strings.ContainsAny(phrase, "'’") {
		forms = append(forms, strings.NewReplacer("'", "", "’", "").Replace(phrase))
	}
	if strings.ContainsAny(phrase, "äöüÄÖÜ") {
		r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue")
		for _, f := range forms {
			forms = append(forms, r.Replace(f))
		}
	}
	var out []string
	for _, f := range forms {
		n := matchNormalizeString(f)
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
		if compact && strings.Contains(n, " ") {
			if c := strings.ReplaceAll(n, " ", ""); len(c) >= 5 && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// matchAliasVariants returns the normalised forms of a service name: as written and,
// when the name joins parts with '-' or carries a version number ("chat-gpt", "GPT-4o",
// "Llama 3"), also run together ("chatgpt", "gpt4o", "llama3").
func matchAliasVariants(alias string) []string {
	n := matchNormalizeString(alias)
	if n == "" {
		return nil
	}
	out := []string{n}
	if !strings.Contains(n, " ") {
		return out
	}
	join := strings.Contains(alias, "-")
	for part := range strings.SplitSeq(n, " ") {
		if part != "" && part[0] >= '0' && part[0] <= '9' {
			join = true
		}
	}
	if join {
		if c := strings.ReplaceAll(n, " ", ""); c != n {
			out = append(out, c)
		}
	}
	return out
}

// Match fills p.Services, p.Affected, p.Complaint, p.Recovery, p.Problems and
// p.Switching from p.Text, replacing whatever they held. It is safe to call from many
// goroutines at once.
func (m *Matcher) Match(p *outcry.Post) {
	p.Services, p.Affected, p.Problems = nil, nil, nil
	p.Complaint, p.Recovery, p.Switching = false, false, false
	sc := m.pool.Get().(*matchScratch)
	sc.when = p.CreatedAt
	m.scan(sc, p.Text)
	if len(sc.items) > 0 {
		m.rules(sc)
		m.decide(sc, p)
	}
	for _, s := range sc.touched {
		sc.svcs[s] = matchSvc{}
	}
	sc.touched = sc.touched[:0]
	m.pool.Put(sc)
}

// scan normalises text, runs the automaton and keeps the matches that stand: on word
// boundaries or tiling a hashtag, leftmost-longest among overlaps.
func (m *Matcher) scan(sc *matchScratch, text string) {
	if len(text) > matchMaxText {
		text = text[:matchMaxText]
	}
	t := &sc.text
	t.normalize(text)
	sc.hits = m.auto.scanAll(t.b, sc.hits[:0], t.tags)
	if t.nonASCII && m.autoU != nil {
		sc.hits = m.autoU.scanAll(t.b, sc.hits, t.tags)
	}
	sc.cands, sc.tagHits, sc.items = sc.cands[:0], sc.tagHits[:0], sc.items[:0]
	named := false // any service name at all? Most posts have none: stop early.
	for _, h := range sc.hits {
		pt := &m.pats[h.pat]
		if pt.single && !t.isUpper(int(h.start)) {
			continue
		}
		if len(t.tags) > 0 {
			if ti := t.inTag(h.start, h.end); ti >= 0 {
				if g := t.tags[ti]; h.start == g.start && h.end == g.end {
					sc.cands = append(sc.cands, h) // the whole tag: "#ChatGPT"
				} else if pt.kinds&^kComposed != 0 {
					// Only whole words and phrases tile a tag: "#innovation" must not
					// read as in+no+va+ti+on.
					sc.tagHits = append(sc.tagHits, h)
				}
				named = named || pt.kinds&kAlias != 0
				continue
			}
		}
		if t.bounded(int(h.start), int(h.end)) {
			sc.cands = append(sc.cands, h)
			named = named || pt.kinds&kAlias != 0
		}
	}
	if !named {
		return
	}
	if len(sc.tagHits) > 0 {
		m.segmentTags(sc)
	}
	slices.SortFunc(sc.cands, func(a, b matchHit) int {
		if a.start != b.start {
			return int(a.start - b.start)
		}
		return int(b.end - a.end)
	})
	// Idioms win any overlap ("went down the rabbit hole", "Claude Monet"); the rest
	// keep the leftmost, then longest, match.
	blocks := sc.pos[:0]
	last := int32(-1)
	for _, h := range sc.cands {
		if m.pats[h.pat].kinds&kBlock != 0 && h.start >= last {
			blocks = append(blocks, h.start, h.end)
			last = h.end
		}
	}
	sc.pos = blocks
	last, bi := -1, 0
	for _, h := range sc.cands {
		if h.start < last {
			continue
		}
		for bi < len(blocks) && blocks[bi+1] <= h.start {
			bi += 2
		}
		if bi < len(blocks) && blocks[bi] < h.end && m.pats[h.pat].kinds&kBlock == 0 {
			continue // overlaps an idiom
		}
		pt := &m.pats[h.pat]
		if len(t.accents) > 0 && !pt.acc && (pt.kinds&kAlias == 0 || pt.weak) && t.accented(h.start, h.end) {
			continue // "Stück" is not "stuck", "marché" not "marche", "metà" not "Meta"
		}
		last = h.end
		if pt.kinds&kAlias != 0 && m.named(sc, h) {
			continue // "mon frère s'appelle Claude": a person, not the service
		}
		if pt.kinds&(kAnti|kKeyword|kAlias) != 0 {
			m.note(sc, h, pt)
		}
		if pt.kinds == kBlock {
			continue // an idiom: its words count as ordinary words
		}
		sc.items = append(sc.items, matchItem{start: h.start, end: h.end, pat: h.pat})
	}
	m.gapsOf(sc)
}

// named reports whether alias hit h directly follows a naming word ("called", "se
// llama").
func (m *Matcher) named(sc *matchScratch, h matchHit) bool {
	n := len(sc.items)
	if n == 0 || m.pats[sc.items[n-1].pat].kinds&kName == 0 {
		return false
	}
	for _, c := range sc.text.b[sc.items[n-1].end:h.start] {
		if c != sepSpace {
			return false
		}
	}
	return true
}

// note records what a kept match says about services: mentions, context, homonyms.
func (m *Matcher) note(sc *matchScratch, h matchHit, pt *matchPat) {
	for _, s := range pt.anti {
		m.touch(sc, s).anti = true
	}
	for _, s := range pt.keys {
		m.touch(sc, s).key = true
	}
	if pt.kinds&kAlias == 0 {
		return
	}
	st := m.touch(sc, pt.svc)
	if !pt.weak {
		st.strong = true
		return
	}
	st.weak = true
	t := &sc.text
	start := int(h.start)
	if c := t.b[start-1]; c == '#' || c == '@' || t.inTag(h.start, h.end) >= 0 {
		st.tag = true
	}
	if !pt.single && t.isUpper(start) && (h.end-h.start <= 3 || !t.isUpper(start+1)) && !t.sentenceInitial(start) {
		st.capital = true
	}
	if t.isUpper(start) && slices.Contains(lexPlatformPreps, t.wordBefore(start)) {
		st.capital = true // "not working on X"
	}
}

func (m *Matcher) touch(sc *matchScratch, s int16) *matchSvc {
	st := &sc.svcs[s]
	if *st == (matchSvc{}) && !slices.Contains(sc.touched, s) {
		sc.touched = append(sc.touched, s)
	}
	return st
}

// inTag returns the index of the hashtag or handle containing [start, end), or -1.
func (t *matchText) inTag(start, end int32) int {
	for i, g := range t.tags {
		if start >= g.start && end <= g.end {
			return i
		}
	}
	return -1
}

// stuffed reports whether item it lies in a hashtag that is part of a run of three or
// more hashtags: such lists are written for reach, not to report anything.
func (t *matchText) stuffed(it matchItem) bool {
	ti := t.inTag(it.start, it.end)
	if ti < 0 || t.b[t.tags[ti].start-1] != '#' {
		return false
	}
	run := 1
	joined := func(a, b matchSpan) bool { // b follows a with only spaces between
		if t.b[b.start-1] != '#' {
			return false
		}
		for i := a.end; i < b.start-1; i++ {
			if t.b[i] != sepSpace {
				return false
			}
		}
		return true
	}
	for i := ti; i > 0 && joined(t.tags[i-1], t.tags[i]); i-- {
		run++
	}
	for i := ti; i+1 < len(t.tags) && joined(t.tags[i], t.tags[i+1]); i++ {
		run++
	}
	return run >= 3
}

// wordBefore returns the word just before position i in its sentence, or "".
func (t *matchText) wordBefore(i int) string {
	j := i
	for j > 0 && t.b[j-1] == sepSpace {
		j--
	}
	e := j
	for j > 0 && matchIsAlnum(t.b[j-1]) {
		j--
	}
	if j == e || j == i {
		return ""
	}
	return unsafeString(t.b[j:e])
}

// sentenceInitial reports whether the word at i is the first of its sentence.
func (t *matchText) sentenceInitial(i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch t.b[j] {
		case sepSentence:
			return true
		case sepSpace, sepClause, '#', '@', '+':
			continue
		}
		return false
	}
	return true
}

// segmentTags keeps the matches inside hashtags and handles that tile their tag: each
// must start where the tag, a camel-case or letter/digit change, or a kept match to its
// left ends, and end where one to its right starts ("#chatgptisdown" = chatgpt+is+down;
// "#claudette" keeps nothing).
func (m *Matcher) segmentTags(sc *matchScratch) {
	t := &sc.text
	hs := sc.tagHits
	slices.SortFunc(hs, func(a, b matchHit) int {
		if a.start != b.start {
			return int(a.start - b.start)
		}
		return int(a.end - b.end)
	})
	for ti, g := range t.tags {
		lo := slices.IndexFunc(hs, func(h matchHit) bool { return h.start >= g.start && h.end <= g.end })
		if lo < 0 {
			continue
		}
		hi := lo
		for hi < len(hs) && hs[hi].start < g.end && t.inTag(hs[hi].start, hs[hi].end) == ti {
			hi++
		}
		in := hs[lo:hi]
		free := t.cuts(g, sc.pos[:0])
		left := append(sc.posR[:0], free...)
		for _, h := range in { // by start: extend what is reachable from the left
			if slices.Contains(left, h.start) && !slices.Contains(left, h.end) {
				left = append(left, h.end)
			}
		}
		right := free
		for i := len(in) - 1; i >= 0; i-- { // by start descending; ends sorted enough for tags
			h := in[i]
			if slices.Contains(right, h.end) && !slices.Contains(right, h.start) {
				right = append(right, h.start)
			}
		}
		for i := len(in) - 1; i >= 0; i-- { // second sweep: chains found late
			h := in[i]
			if slices.Contains(right, h.end) && !slices.Contains(right, h.start) {
				right = append(right, h.start)
			}
		}
		for _, h := range in {
			if slices.Contains(left, h.start) && slices.Contains(right, h.end) {
				sc.cands = append(sc.cands, h)
			}
		}
		sc.pos, sc.posR = right[:0], left[:0]
	}
}

// cuts appends the free cut points of tag g: its edges, camel-case changes
// ("ChatGPT|Is|Down", "Open|AI|Devs") and letter/digit changes.
func (t *matchText) cuts(g matchSpan, dst []int32) []int32 {
	dst = append(dst, g.start, g.end)
	b := t.b
	isDigit := func(c byte) bool { return c-'0' < 10 }
	for q := int(g.start) + 1; q < int(g.end); q++ {
		c, pc := b[q], b[q-1]
		switch {
		case isDigit(c) != isDigit(pc) && c < 0x80 && pc < 0x80:
			dst = append(dst, int32(q))
		case t.isUpper(q) && !t.isUpper(q-1) && !isDigit(pc):
			dst = append(dst, int32(q))
		case !t.isUpper(q) && !isDigit(c) && q-2 >= int(g.start) && t.isUpper(q-1) && t.isUpper(q-2):
			dst = append(dst, int32(q-1))
		}
	}
	return dst
}

// gapsOf measures the text between kept items: unknown words (one-letter Latin words
// such as "a", "e", "y", "I" do not count), clause and sentence breaks.
func (m *Matcher) gapsOf(sc *matchScratch) {
	t := &sc.text
	n := len(sc.items)
	if cap(sc.gaps) < n+1 {
		sc.gaps = make([]matchGap, n+1)
	}
	sc.gaps = sc.gaps[:n+1]
	sent := int32(0)
	from := 0
	colons := t.colons
	for k := 0; k <= n; k++ {
		to := len(t.b)
		if k < n {
			to = int(sc.items[k].start)
		}
		g := matchGap{}
		for len(colons) > 0 && int(colons[0]) < to {
			g.colon = g.colon || int(colons[0]) >= from
			colons = colons[1:]
		}
		for i := from; i < to; {
			c := t.b[i]
			if c < 0x80 && !matchIsAlnum(c) {
				switch c {
				case sepSentence:
					g.newline = true
					g.trail, g.ctrail = 0, 0
				case sepClause:
					g.comma = true
					g.ctrail = 0
				}
				i++
				continue
			}
			cls := t.classAt(i)
			j, runes := i, 0
			for j < to {
				c := t.b[j]
				if c < 0x80 {
					if int(matchASCIIClass[c]) != cls {
						break
					}
					j++
				} else {
					if t.classAt(j) != cls {
						break
					}
					j += matchRuneLen(c)
				}
				runes++
			}
			// A short Hangul run glued to the item before it is that word's ending or
			// particle ("안 나와요", "ChatGPT에서"), not a word of its own.
			tail := cls == clsHangul && i == from && k > 0 && runes <= 3
			if (cls != clsLatin || runes > 1) && !tail {
				g.words++
				g.trail++
				g.ctrail++
				if !g.newline && !g.comma {
					g.lead++
				}
			}
			i = j
		}
		sc.gaps[k] = g
		if g.newline && k > 0 {
			sent++
		}
		if k < n {
			sc.items[k].sent = sent
			from = int(sc.items[k].end)
		}
	}
}

func matchRuneLen(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c < 0xE0:
		return 2
	case c < 0xF0:
		return 3
	}
	return 4
}

// Walk results.
const (
	walkBlocked = iota
	walkFound
	walkPron
	walkStart  // reached the start (or end) of the sentence over known words only
	walkOwn    // reached the poster's own thing ("my router"): the cue is about it
	walkClause // blocked, but the cue's own clause holds known words only
)

// walkLeft looks for the subject of cue k to its left. It crosses commas ("ChatGPT,
// Claude and Perplexity, all down"), but when it is blocked beyond the cue's own clause
// and that clause holds only known words ("..., et là d'un coup plus rien : message
// d'erreur, impossible de relancer"), the cue is the subjectless start of its clause
// (walkClause) rather than blocked.
func (m *Matcher) walkLeft(sc *matchScratch, k int, tol int32) (int, int) {
	unknown := int32(0)
	crossed, clean := false, false
	blocked := func() (int, int) {
		if clean {
			return walkClause, -1
		}
		return walkBlocked, -1
	}
	for i := k - 1; ; i-- {
		g := sc.gaps[i+1]
		if !crossed && g.comma && !g.newline {
			crossed, clean = true, unknown+g.ctrail == 0
		}
		if g.newline {
			unknown += g.trail
		} else {
			unknown += g.words
		}
		if g.newline || i < 0 {
			if unknown == 0 {
				return walkStart, -1
			}
			return blocked()
		}
		if unknown > tol {
			return blocked()
		}
		pt := &m.pats[sc.items[i].pat]
		switch {
		case pt.kinds&kOwn != 0:
			return walkOwn, -1
		case pt.kinds&kAlias != 0:
			if m.ownedBy(sc, i) {
				return walkOwn, -1 // "mi personaje de Fortnite se cayó": the service names the thing
			}
			return walkFound, i
		case pt.kinds&kPron != 0 && (pt.kinds&kArticle == 0 || unknown == 0):
			return walkPron, i // an article-pronoun ("il") is a pronoun only right before its verb
		case pt.kinds&kPron != 0:
		case pt.kinds&kClause != 0: // "..., but not working now": a new clause starts
			if unknown == 0 {
				return walkStart, -1
			}
			return blocked()
		case pt.kinds&kStop != 0 && pt.kinds&kFiller == 0:
			return blocked()
		case pt.kinds&kSubj != 0: // "... I can't access it": the speaker's own clause
			if unknown == 0 {
				return walkStart, -1
			}
			return blocked()
		case pt.kinds&kSkip != 0, sc.items[i].end-sc.items[i].start == 1:
		default:
			unknown++
		}
	}
}

// topicCue reaches further left in Japanese, Chinese and Korean, where the service
// opens the sentence as its topic and the failure ends it, with objects and adverbs in
// between ("Perplexity 답변 생성하다가 멈춤", "ChatGPTの回答生成が途中で止まる",
// "Claude今天回答一直报错"): a cue in those scripts that ends its clause reaches a
// service that opens the sentence over up to four unknown words (three for a weak cue). It returns
// the service's item, or -1.
func (m *Matcher) topicCue(sc *matchScratch, kl, kr int, str uint8) int {
	items := sc.items
	if sc.text.b[items[kl].start] < 0x80 {
		return -1
	}
	for i := kr + 1; ; i++ { // the cue ends its clause, but for fillers ("よ", "了")
		g := sc.gaps[i]
		if g.lead > 0 {
			return -1
		}
		if g.newline || g.comma || i == len(items) {
			break
		}
		if m.pats[items[i].pat].kinds&kFiller == 0 {
			return -1
		}
	}
	tol := int32(4)
	if str == strWeak {
		tol = 3
	}
	res, j := m.walkLeft(sc, kl, tol)
	if res != walkFound {
		return -1
	}
	kind := m.pats[items[kl].pat].cue
	for i := j + 1; i < kl; i++ {
		p := &m.pats[items[i].pat]
		if p.kinds&kKeyword != 0 && p.svc != m.pats[items[j].pat].svc || p.kinds&kCue != 0 && p.cue != kind {
			// "ChatGPT他のAI活用が全く進まない": the cue is about the other thing;
			// "ChatGPT落ちてないよ、こっちは普通に使える": the service has its own cue.
			return -1
		}
	}
	for i := j; ; i-- { // the service opens its sentence, but for fillers ("今日")
		g := sc.gaps[i]
		if g.newline {
			if g.trail == 0 {
				return j
			}
			return -1
		}
		if g.words > 0 || i == 0 || m.pats[items[i-1].pat].kinds&kFiller == 0 {
			return -1
		}
	}
}

// ownedBy reports whether the service named by item j only qualifies the poster's own
// thing just before it: "mon perso Roblox", "meu personagem no Fortnite", "minha streak
// de 500 dias no Snapchat" (up to four words between, same clause).
func (m *Matcher) ownedBy(sc *matchScratch, j int) bool {
	words := int32(0)
	for i := j - 1; i >= 0; i-- {
		g := sc.gaps[i+1]
		if g.newline || g.comma {
			return false
		}
		words += g.words
		if words > 4 {
			return false
		}
		pt := &m.pats[sc.items[i].pat]
		switch {
		case pt.kinds&kOwn != 0:
			return true
		case pt.kinds&kAlias != 0, pt.kinds&kCue != 0:
			return false
		}
		words++
	}
	return false
}

// walkRight looks for the subject (or, for an object cue, the object) of cue k to its
// right, within its clause. Only articles may stand before a subject ("se cayó el
// ChatGPT"); an object may follow any filler ("can't connect to ChatGPT").
func (m *Matcher) walkRight(sc *matchScratch, k int, tol int32, object bool) (int, int) {
	skip := kArticle
	if object {
		skip |= kSkip
	}
	unknown := int32(0)
	n := len(sc.items)
	for i := k + 1; ; i++ {
		g := sc.gaps[i]
		unknown += g.lead
		if g.newline || g.comma || i >= n {
			if unknown == 0 {
				return walkStart, -1
			}
			return walkBlocked, -1
		}
		if unknown > tol {
			return walkBlocked, -1
		}
		pt := &m.pats[sc.items[i].pat]
		switch {
		case pt.kinds&kOwn != 0:
			return walkOwn, -1
		case pt.kinds&kAlias != 0:
			return walkFound, i
		case pt.kinds&(kStop|kClause) != 0 && pt.kinds&kFiller == 0:
			return walkBlocked, -1
		case pt.kinds&skip != 0, sc.items[i].end-sc.items[i].start == 1:
		default:
			unknown++
		}
	}
}

// groupAt collects the services listed together with item j ("ChatGPT, Claude et
// Perplexity"), extending left, right or both.
func (m *Matcher) groupAt(sc *matchScratch, j int, left, right bool) []int32 {
	g := append(sc.group[:0], int32(j))
	linked := func(i, next int) bool { // item i joins the list through gap `next`
		gp := sc.gaps[next]
		return !gp.newline && gp.words == 0
	}
	if left {
		for i := j - 1; i >= 0 && linked(i, i+1); i-- {
			pt := &m.pats[sc.items[i].pat]
			if pt.kinds&kAlias != 0 {
				g = append(g, int32(i))
			} else if pt.kinds&kConj == 0 {
				break
			}
		}
	}
	if right {
		for i := j + 1; i < len(sc.items) && linked(i, i); i++ {
			pt := &m.pats[sc.items[i].pat]
			if pt.kinds&kAlias != 0 {
				g = append(g, int32(i))
			} else if pt.kinds&kConj == 0 {
				break
			}
		}
	}
	sc.group = g
	return g
}

// rules assigns roles and attaches every cue.
func (m *Matcher) rules(sc *matchScratch) {
	items := sc.items
	sc.sents, sc.probs = sc.sents[:0], 0
	// Roles: services being used or switched to.
	for k := range items {
		pt := &m.pats[items[k].pat]
		if pt.kinds&(kInstrBefore|kSwitchTo) != 0 {
			if j := m.adjacent(sc, k, +1); j >= 0 {
				var role uint8
				if pt.kinds&kInstrBefore != 0 {
					role |= roleInstr
				}
				if pt.kinds&kSwitchTo != 0 && pt.soft {
					role |= roleSwitchSoft
				} else if pt.kinds&kSwitchTo != 0 {
					role |= roleSwitch
				}
				for _, i := range m.groupAt(sc, j, false, true) {
					m.touch(sc, m.pats[items[i].pat].svc).role |= role
				}
			}
		}
		if pt.kinds&(kInstrAfter|kSwitchAfter) != 0 {
			if j := m.adjacent(sc, k, -1); j >= 0 {
				var role uint8
				if pt.kinds&kInstrAfter != 0 {
					role |= roleInstr
				}
				if pt.kinds&kSwitchAfter != 0 {
					role |= roleSwitch
				}
				for _, i := range m.groupAt(sc, j, true, false) {
					m.touch(sc, m.pats[items[i].pat].svc).role |= role
				}
			}
		}
	}
	for k := range items {
		pt := &m.pats[items[k].pat]
		if items[k].done {
			continue // part of a composed cue attached earlier
		}
		if pt.kinds&(kNeg|kErrFrame|kVerb|kErrNoun) != 0 && m.compose(sc, k) {
			continue
		}
		if pt.kinds&kCue == 0 {
			continue
		}
		if pt.aux && m.objectAfter(sc, k) {
			continue // "non va sottovalutato": an auxiliary, not a complaint
		}
		if sc.text.stuffed(sc.items[k]) {
			continue // "#ai #chatgpt #chatgptdown #gpt4": tags listed for reach
		}
		if pt.plainNeg && m.personBefore(sc, k) {
			continue // "I also don't work in music", "it might not work"
		}
		kind := pt.cue
		if kind == cueOK && k+1 < len(items) && sc.gaps[k+1].words == 0 && !sc.gaps[k+1].newline &&
			m.pats[items[k+1].pat].kinds&kAgain != 0 {
			kind = cueRecovery // "funcionando normal de novo"
		}
		if kind == cueComplaint && pt.str != strSymptom && m.percentAfter(sc, k) {
			continue // "caiu 4% na bolsa": a market move
		}
		m.cue(sc, k, k, kind, pt.str, pt.right, pt.num, pt.probs)
	}
	m.also(sc)
	m.answers(sc)
	m.exonerate(sc)
}

// matchExonerations are the words right before a service that say it is not the one
// failing: "no es Netflix, es Movistar", "it's not Netflix", "não é o Netflix",
// "pas la faute de Netflix". A bare "not"/"nicht" counts only with a fault word after
// the name ("not Netflix's fault", "nicht Netflix' Schuld").
var matchExonerations = []string{
	"it s not", "its not", "it isn t", "it is not", "that s not", "thats not", "problem is not", "problem isn t",
	"no es", "no es el", "no es la", "no es culpa de", "no es culpa del", "no es cosa de",
	"nao e", "nao e o", "nao e a", "nao eh", "nao e culpa do", "nao e culpa da",
	"ce n est pas", "c est pas", "n est pas", "pas la faute de", "pas la faute a",
	"non e", "non e il", "non e colpa di", "non e colpa del",
	"liegt nicht an", "es liegt nicht an", "ist nicht", "het is niet", "ligt niet aan",
}

// matchFaults follow a name in "not Netflix's fault", "nicht Netflix' Schuld".
var matchFaults = []string{"s fault", "fault", "schuld", "s schuld"}

// exonerate clears the complaint about a service the post says is not at fault; the
// post still names it. Japanese says it after the name ("ネトフリは悪くない").
func (m *Matcher) exonerate(sc *matchScratch) {
	t := &sc.text
	for _, it := range sc.items {
		pt := &m.pats[it.pat]
		if pt.kinds&kAlias == 0 {
			continue
		}
		st := &sc.svcs[pt.svc]
		if st.explicit != cueComplaint && st.implicit != cueComplaint {
			continue
		}
		ok := false
		for _, e := range matchExonerations {
			ok = ok || t.phraseBefore(int(it.start), e)
		}
		after := t.afterSpaces(int(it.end))
		if !ok && (t.phraseBefore(int(it.start), "not") || t.phraseBefore(int(it.start), "nicht")) {
			for _, f := range matchFaults {
				ok = ok || t.wordAt(after, f)
			}
		}
		for _, f := range []string{"は悪くない", "のせいじゃない", "のせいではない", "が悪いわけじゃない", "는 잘못 없", "没问题"} {
			ok = ok || t.hasAt(after, f)
		}
		if !ok {
			continue
		}
		if st.explicit == cueComplaint {
			st.explicit = 0
		}
		if st.implicit == cueComplaint {
			st.implicit = 0
		}
	}
}

// phraseBefore reports whether phrase (words separated by single spaces) ends right
// before byte i, at a word start.
func (t *matchText) phraseBefore(i int, phrase string) bool {
	for i > 0 && t.b[i-1] == sepSpace {
		i--
	}
	j := i - len(phrase)
	return j >= 0 && string(t.b[j:i]) == phrase && (j == 0 || matchIsSep(t.b[j-1]))
}

// afterSpaces is the first byte after i that is not a space.
func (t *matchText) afterSpaces(i int) int {
	for i < len(t.b) && t.b[i] == sepSpace {
		i++
	}
	return i
}

// hasAt reports whether s starts at byte i.
func (t *matchText) hasAt(i int, s string) bool {
	return i+len(s) <= len(t.b) && string(t.b[i:i+len(s)]) == s
}

// wordAt reports whether the words s start at byte i and end at a word boundary.
func (t *matchText) wordAt(i int, s string) bool {
	return t.hasAt(i, s) && (i+len(s) == len(t.b) || matchIsSep(t.b[i+len(s)]))
}

// answers turns a question's complaint into a denial when the next sentence answers it
// with a bare "works for me": "is Discord down? nah, works fine here", "¿Se cayó
// WhatsApp? A mí me funciona". The answer must name no service and hold no complaint,
// negation or conjunction of its own ("works on mobile but not on the web" is no
// answer), no complaint may follow it, and the service must not be named again after
// the question.
func (m *Matcher) answers(sc *matchScratch) {
	if len(sc.text.qs) == 0 {
		return
	}
	items := sc.items
	for k := range items {
		pt := &m.pats[items[k].pat]
		if pt.kinds&kCue == 0 || pt.cue == cueComplaint {
			continue // an answer says it works: ok, negation ("not down for me") or recovery
		}
		s := items[k].sent
		first := k
		for first > 0 && items[first-1].sent == s {
			first--
		}
		if first == 0 || items[first-1].sent != s-1 || !sc.text.questionIn(items[first-1].end, items[first].start) {
			continue
		}
		last := first
		for ; last < len(items) && items[last].sent == s; last++ {
			p := &m.pats[items[last].pat]
			if p.kinds&(kAlias|kNeg|kNegPost|kConj) != 0 || p.kinds&kCue != 0 && p.cue == cueComplaint {
				break
			}
		}
		if last < len(items) && items[last].sent == s {
			continue // not a bare answer
		}
		later := false // "works for me. oh wait, now it's down"
		for i := last; i < len(items) && !later; i++ {
			p := &m.pats[items[i].pat]
			later = p.kinds&kCue != 0 && p.cue == cueComplaint
		}
		if later || sc.text.elseIn(items[first-1].end, items[last-1].end) {
			continue
		}
		for i := first - 1; i >= 0 && items[i].sent == s-1; i-- {
			p := &m.pats[items[i].pat]
			if p.kinds&kAlias == 0 || m.namedFrom(sc, p.svc, first) {
				continue
			}
			if st := &sc.svcs[p.svc]; st.explicit == cueComplaint {
				st.explicit = cueRecovery
			}
		}
	}
}

// matchStills say a failure goes on: after a question whether a service works again,
// "still ..." answers that it does not.
var matchStills = []string{
	"still", "immer noch", "noch immer", "toujours", "todavia", "aun", "sigue", "siguen", "ainda",
	"ancora", "nog steeds", "nog altijd", "wciaz", "nadal", "hala", "masih", "vse eshche",
	"まだ", "还是", "仍然", "還是", "아직", "여전히", "لسه", "ما زال", "لا يزال",
}

// stillAfter reports whether a later sentence than item k's goes on with a "still"
// word, before another service is named ("Is Discord back? Slack still down" is about
// Slack).
func (m *Matcher) stillAfter(sc *matchScratch, k int) bool {
	items := sc.items
	end := int32(len(sc.text.b))
	svc := int16(-1)
	for i := range items {
		p := &m.pats[items[i].pat]
		if p.kinds&kAlias == 0 {
			continue
		}
		if svc < 0 {
			svc = p.svc
		} else if p.svc != svc && i > k {
			end = items[i].start
			break
		}
	}
	start := items[k].end
	for start < end && sc.text.b[start] != sepSentence {
		start++
	}
	if start >= end {
		return false
	}
	seg := unsafeString(sc.text.b[start:end])
	for _, w := range matchStills {
		for off := 0; off < len(seg); {
			k := strings.Index(seg[off:], w)
			if k < 0 {
				break
			}
			a, b := off+k, off+k+len(w)
			if w[0] >= 0x80 || (a == 0 || matchIsSep(seg[a-1])) && (b == len(seg) || matchIsSep(seg[b])) {
				return true
			}
			off = a + 1
		}
	}
	return false
}

// answeredAfter reports whether a later sentence answers the question holding item k
// with a cue that it works, before any service is named: "ChatGPT直った？復活した",
// "Cloudflare fixed? sites load again".
func (m *Matcher) answeredAfter(sc *matchScratch, k int) bool {
	items := sc.items
	for i := k + 1; i < len(items); i++ {
		p := &m.pats[items[i].pat]
		if items[i].sent == items[k].sent {
			continue
		}
		if p.kinds&kAlias != 0 {
			return false
		}
		if p.kinds&kCue != 0 && p.cue != cueComplaint || p.kinds&kAgain != 0 {
			return true
		}
	}
	return false
}

// matchElse are the words of "everything else works": a remark about other things, not
// an answer about the service.
var matchElse = []string{"else", "other", "others", "reste", "autres", "demas", "otros", "otras",
	"resto", "outros", "outras", "altri", "altro", "andere", "anderen", "anderes", "rest", "他", "ほか", "他の"}

// elseIn reports whether a word of matchElse occurs from start to the end of the
// sentence that holds end.
func (t *matchText) elseIn(start, end int32) bool {
	stop := int(end)
	for stop < len(t.b) && t.b[stop] != sepSentence {
		stop++
	}
	for i := int(start); i < stop; {
		for i < stop && matchIsSep(t.b[i]) {
			i++
		}
		j := i
		for j < stop && !matchIsSep(t.b[j]) {
			j++
		}
		if w := string(t.b[i:j]); slices.Contains(matchElse, w) || strings.HasPrefix(w, "他") {
			return true
		}
		i = j
	}
	return false
}

// namedFrom reports whether service svc is named by an item at index from or later.
func (m *Matcher) namedFrom(sc *matchScratch, svc int16, from int) bool {
	for i := from; i < len(sc.items); i++ {
		if p := &m.pats[sc.items[i].pat]; p.kinds&kAlias != 0 && p.svc == svc {
			return true
		}
	}
	return false
}

// also extends a complaint to a service named with an additive marker and no cue of its
// own: "Claude no funciona y Gemini tampoco", "GitHub down, so is npm".
func (m *Matcher) also(sc *matchScratch) {
	complained := false
	for _, s := range sc.touched {
		complained = complained || sc.svcs[s].explicit == cueComplaint
	}
	if !complained {
		return
	}
	for k := range sc.items {
		pt := &m.pats[sc.items[k].pat]
		var j int
		switch {
		case pt.kinds&kAlsoAfter != 0:
			j = m.adjacent(sc, k, -1)
		case pt.kinds&kAlsoBefore != 0:
			j = m.adjacent(sc, k, +1)
		default:
			continue
		}
		if j < 0 {
			continue
		}
		if st := m.touch(sc, m.pats[sc.items[j].pat].svc); st.explicit == 0 {
			st.explicit = cueComplaint
			st.direct = true // "le chat de Mistral aussi": the marker sits next to the name
			m.complaintAt(sc, sc.items[k].sent, 0)
		}
	}
}

// adjacent returns the alias item next to marker k in direction dir (+1 right, -1 left)
// with only fillers between, or -1.
func (m *Matcher) adjacent(sc *matchScratch, k, dir int) int {
	for i := k + dir; i >= 0 && i < len(sc.items); i += dir {
		gap := sc.gaps[i]
		if dir < 0 {
			gap = sc.gaps[i+1]
		}
		if gap.newline || gap.comma || gap.words > 0 {
			return -1
		}
		pt := &m.pats[sc.items[i].pat]
		if pt.kinds&kAlias != 0 {
			return i
		}
		if pt.kinds&kFiller == 0 {
			return -1
		}
	}
	return -1
}

// postYear is the year of the post, or the current year for a post without a time.
func (sc *matchScratch) postYear() int {
	if sc.when.IsZero() {
		return time.Now().UTC().Year()
	}
	return sc.when.UTC().Year()
}

// outOfContext reports whether cue k is hypothetical ("if ChatGPT goes down", "every
// time it's down": a conditional earlier in the sentence) or, for a complaint, in the
// past ("Twitter was down yesterday").
func (m *Matcher) outOfContext(sc *matchScratch, k int, kind uint8) bool {
	items := sc.items
	sent := items[k].sent
	if kind != cueOK {
		for i := k - 1; i >= 0 && items[i].sent == sent && !sc.gaps[i+1].comma; i-- {
			if m.pats[items[i].pat].kinds&kCond != 0 {
				return true
			}
		}
	}
	if kind == cueComplaint {
		for i := range items {
			if items[i].sent != sent {
				continue
			}
			if p := &m.pats[items[i].pat]; p.kinds&kPast != 0 || p.kinds&kYear != 0 && int(p.year) < sc.postYear() {
				return true
			}
		}
	}
	return false
}

// cue attaches a cue of the given kind and strength that spans items kl..kr (one item,
// or a composition such as "no me" + "carga"): its subject is looked for left of kl and
// right of kr.
func (m *Matcher) cue(sc *matchScratch, kl, kr int, kind, str uint8, right, num bool, probs uint8) {
	sc.pastCue = kind == cueComplaint && sc.text.pastCopulaBefore(int(sc.items[kl].start)) &&
		!sc.text.hasAgain(sc.items[kl].start, sc.items[kr].end)
	sc.cueAt, sc.cueEnd = sc.items[kl].start, sc.items[kr].end
	items := sc.items
	sent := items[kl].sent
	if m.outOfContext(sc, kl, kind) {
		return
	}
	if num && sc.text.numberAfter(int(items[kr].end)) {
		return // "down 3%"
	}
	if sc.text.hangulIfAfter(items[kr].end) {
		return // "ChatGPT 웹사이트 안 들어가도": "even if", "접속이 안 되면": "if"
	}
	if kind == cueRecovery && (sc.text.questionAfter(items[kr].end) || sc.text.auxQuestion(items[kl].start)) && !m.answeredAfter(sc, kr) {
		if !m.stillAfter(sc, kr) {
			return // "is Discord back up yet?": asks, does not say it works
		}
		// "Geht Outlook bei euch wieder? Bei mir immer noch keine Mails": still down.
		kind, str = cueComplaint, strNormal
	}
	if str == strSymptom {
		if kind == cueOK {
			return
		}
		m.symptom(sc, kl, kind)
		if kind == cueComplaint {
			m.relapse(sc, relapseImplicit|relapseContrast)
			m.complaintAt(sc, sent, probs)
		}
		return
	}
	tol := int32(1)
	if str == strWeak {
		tol = 0
	}
	direct := func(j int, left, rightward bool) {
		m.attach(sc, m.groupAt(sc, j, left, rightward), kind, true)
		if kind == cueComplaint {
			m.complaintAt(sc, sent, probs)
		}
	}
	ltol := tol
	if right {
		ltol = 0 // "legal issues with ChatGPT": an object cue needs a clean left side
	}
	res, j := m.walkLeft(sc, kl, ltol)
	if res == walkBlocked {
		if t := m.topicCue(sc, kl, kr, str); t >= 0 {
			res, j = walkFound, t
		}
	}
	switch res {
	case walkFound:
		direct(j, true, false)
		if j := m.colonAfter(sc, kr); j >= 0 {
			direct(j, false, true) // "Meta is down again: Facebook, Instagram, WhatsApp"
		}
		return
	case walkPron:
		if j == kl-1 && sc.gaps[kl].words == 0 && !m.pats[sc.items[j].pat].subj && !m.subjectPosition(sc, j) {
			return // "shut it down", "narrow it down": the pronoun is an object
		}
		for i := j - 1; i >= 0; i-- {
			if m.pats[items[i].pat].kinds&kAlias != 0 {
				m.attach(sc, m.groupAt(sc, i, true, false), kind, false)
				if kind == cueComplaint {
					m.complaintAt(sc, sent, probs)
				}
				return
			}
		}
		return
	case walkBlocked:
		if j := m.colonAfter(sc, kr); j >= 0 {
			direct(j, false, true) // "Ahora mismo caídos: ChatGPT, Claude y Perplexity"
		} else if kind == cueComplaint && m.relapse(sc, relapseContrast) {
			m.complaintAt(sc, sent, probs) // "Telegram volvió pero los archivos no bajan"
		}
		return
	case walkOwn:
		return // "my router died"
	}
	// The cue opens its sentence or clause (walkStart, walkClause).
	if j := m.colonAfter(sc, kr); j >= 0 {
		direct(j, false, true)
		return
	}
	rtol := tol
	if kl != kr {
		rtol = 0 // composed: "no longer works with GPT-4" is not about GPT-4 being down
	}
	res, j = m.walkRight(sc, kr, rtol, right)
	switch res {
	case walkFound:
		direct(j, false, true)
		return
	case walkOwn:
		return // "se cayó mi router"
	}
	// A subjectless cue applies to the post's services; an object cue too when its
	// clause ends right after it ("..., can't log in").
	if str == strNormal && kind != cueOK && (!right || res == walkStart) {
		m.implicit(sc, kind) // subjectless: "not working again #chatgpt"
		if kind == cueComplaint {
			m.relapse(sc, relapseAny)
			m.complaintAt(sc, sent, probs)
		}
	} else if kind == cueComplaint && m.relapse(sc, relapseAny) {
		m.complaintAt(sc, sent, probs) // "ChatGPT復活したと思ったらまた落ちた"
	}
}

// How far relapse reaches: every service said to work earlier in the post
// (relapseAny), or only those the cue just reached indirectly (relapseImplicit: a
// symptom's nearest services) and/or those with a contrast word ("but", "still",
// "aber", "けど") between (relapseContrast: a cue whose walk to a service was blocked
// by unknown words, "volvió pero los archivos no bajan"; a symptom, which without one
// usually describes the outage just over: "back up after an hour of 500s").
const (
	relapseAny      = 0
	relapseImplicit = 1
	relapseContrast = 2
)

// relapse lets a present complaint cue that found no service of its own override a
// recovery or "works" said earlier in the post: "ChatGPT is back up. nope, down
// again", "est revenu puis de nouveau en panne", "works on my phone but the TV app
// says 'an error occurred'". The later word stands. It reports whether a service
// changed.
func (m *Matcher) relapse(sc *matchScratch, reach int) bool {
	if sc.pastCue {
		return false
	}
	changed := false
	for _, s := range sc.touched {
		st := &sc.svcs[s]
		if reach&relapseImplicit != 0 && st.implicit != cueComplaint ||
			reach&relapseContrast != 0 && !sc.text.contrastIn(st.expEnd, sc.text.clauseEnd(sc.cueAt)) {
			continue
		}
		if (st.explicit == cueRecovery || st.explicit == cueOK) && st.expAt < sc.cueAt && st.role&roleShield == 0 {
			st.explicit, st.past = cueComplaint, false
			changed = true
		}
	}
	return changed
}

// attach records a direct cue on the services of group g. Direct attachments (next to
// the name) also confirm weak names; anaphoric ones ("it's down") do not.
func (m *Matcher) attach(sc *matchScratch, g []int32, kind uint8, near bool) {
	for _, i := range g {
		st := m.touch(sc, m.pats[sc.items[i].pat].svc)
		if kind == cueComplaint && sc.pastCue && st.explicit == cueRecovery {
			continue // "fine now, it was down for an hour": the past complaint is history
		}
		if kind == cueOK && st.explicit == cueComplaint && st.expAt < sc.cueAt && m.featureBetween(sc, i) {
			continue // "Instagram DMs won't load, stories work fine": one feature still fails
		}
		st.explicit = kind
		st.past = kind == cueComplaint && sc.pastCue
		st.expAt, st.expEnd = sc.cueAt, sc.cueEnd
		if near {
			st.direct = true
		}
	}
}

// featureBetween reports whether a keyword (a feature: "stories", "search", "voice")
// stands between alias item i and the cue being attached, after the alias's last cue:
// the cue is about that feature, not the whole service.
func (m *Matcher) featureBetween(sc *matchScratch, i int32) bool {
	from := sc.svcs[m.pats[sc.items[i].pat].svc].expEnd
	for _, it := range sc.items {
		if it.start >= from && it.end <= sc.cueAt && m.pats[it.pat].kinds&kKeyword != 0 {
			return true
		}
	}
	return false
}

// implicit records an indirect cue on every service of the post that is not being used
// or switched to (a subjectless "not working again #chatgpt").
func (m *Matcher) implicit(sc *matchScratch, kind uint8) {
	for i := range sc.items {
		pt := &m.pats[sc.items[i].pat]
		if pt.kinds&kAlias == 0 {
			continue
		}
		if st := m.touch(sc, pt.svc); st.role&roleShield == 0 {
			st.implicit = kind
			if kind == cueRecovery && st.explicit == cueComplaint && st.past {
				st.explicit = cueRecovery // "ChatGPT was down earlier but works now"
			}
		}
	}
}

// subjectPosition reports whether pronoun item j can be a subject: it opens its clause
// or follows a known word ("is it down?"), not a verb ("shut it down").
func (m *Matcher) subjectPosition(sc *matchScratch, j int) bool {
	g := sc.gaps[j]
	if g.newline {
		return g.trail == 0
	}
	if g.comma && g.ctrail == 0 {
		return true // "..., il mouline": it opens its clause
	}
	if g.words > 0 {
		return false
	}
	if g.comma || j == 0 {
		return true
	}
	return m.pats[sc.items[j-1].pat].kinds&(kSkip|kAlias|kClause) != 0
}

// symptom attaches a cue that names a failure by itself ("outage", "502") to the
// nearest services of its sentence that are not being used or switched to: the list
// before it, else the list after it; with none in the sentence, to the post's.
func (m *Matcher) symptom(sc *matchScratch, k int, kind uint8) {
	items := sc.items
	sent := items[k].sent
	for i := k - 1; i >= 0 && items[i].sent == sent && !sc.gaps[i+1].comma; i-- {
		if m.pats[items[i].pat].kinds&kOwn != 0 {
			return // "my brain has been returning 502 since monday"
		}
	}
	eligible := func(i int) bool {
		pt := &m.pats[items[i].pat]
		return pt.kinds&kAlias != 0 && sc.svcs[pt.svc].role&roleShield == 0
	}
	for i := k - 1; i >= 0 && items[i].sent == sent; i-- {
		if eligible(i) {
			m.implicitGroup(sc, m.groupAt(sc, i, true, false), kind)
			return
		}
	}
	for i := k + 1; i < len(items) && items[i].sent == sent; i++ {
		if eligible(i) {
			m.implicitGroup(sc, m.groupAt(sc, i, false, true), kind)
			return
		}
	}
	m.implicit(sc, kind)
}

func (m *Matcher) implicitGroup(sc *matchScratch, g []int32, kind uint8) {
	for _, i := range g {
		if st := m.touch(sc, m.pats[sc.items[i].pat].svc); st.role&roleShield == 0 {
			st.implicit = kind
		}
	}
}

// complaintAt notes a complaint cue in sentence sent with problem bits probs.
func (m *Matcher) complaintAt(sc *matchScratch, sent int32, probs uint8) {
	sc.probs |= probs
	if !slices.Contains(sc.sents, sent) {
		sc.sents = append(sc.sents, sent)
	}
}

// percentAfter reports whether cue k is followed by a percentage ("down 3%", "caiu
// 4%", "cayó un 3 por ciento"), possibly after a short word.
func (m *Matcher) percentAfter(sc *matchScratch, k int) bool {
	b := sc.text.b
	i := int(sc.items[k].end)
	skip := func() {
		for i < len(b) && b[i] == sepSpace {
			i++
		}
	}
	for w := 0; w < 3; w++ {
		skip()
		if i >= len(b) {
			return false
		}
		if b[i]-'0' < 10 {
			for i < len(b) && (b[i]-'0' < 10 || b[i] == sepSpace && i+1 < len(b) && b[i+1]-'0' < 10) {
				i++
			}
			skip()
			if i < len(b) && b[i] == '%' {
				return true
			}
			j, ok := slices.BinarySearchFunc(sc.items, int32(i), func(it matchItem, pos int32) int { return int(it.start - pos) })
			return ok && m.pats[sc.items[j].pat].kinds&kPercent != 0
		}
		j := i
		for j < len(b) && matchIsAlnum(b[j]) {
			j++
		}
		if j-i > 4 || j == i {
			return false // a real word: "down for 2 hours" is not a share
		}
		i = j
	}
	return false
}

// matchPastCopulas are the verbs that put the complaint right after them in the past:
// "it was down", "c'était en panne", "estaba caído".
var matchPastCopulas = []string{"was", "were", "wasnt", "werent", "war", "waren", "etait", "estaba", "estuvo", "estava", "esteve", "stato", "stata"}

// hasAgain reports whether [start, end) says "again": "it was down again" is news.
func (t *matchText) hasAgain(start, end int32) bool {
	s := string(t.b[start:end])
	for _, w := range []string{"again", "encore", "otra vez", "de novo", "di nuovo", "wieder", "de nuevo"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// matchContrasts are the words that set a later clause against an earlier one: "works
// on the web but ...", "... still ...", "back ... down again", "... nope, ...".
// Non-ASCII ones are found inside words too.
var matchContrasts = []string{
	"but", "though", "still", "except", "mais", "toujours", "encore", "sauf", "pero", "sigue", "siguen",
	"todavia", "aun", "aber", "noch", "immer", "ma", "ancora", "mas", "ainda", "continua",
	"maar", "nog", "ale", "wciaz", "nadal", "ama", "hala", "tapi", "masih",
	"但是", "但", "还是", "還是", "하지만", "근데", "아직", "لكن", "けど", "でも", "まだ", "のに", "と思ったら",
	// "again": back, then down again
	"again", "nouveau", "nuevo", "otra", "wieder", "nuovo", "novo", "novamente", "weer", "alweer",
	"nope", "nee", "non", "nein", "又", "再次", "また", "다시", "또",
}

// clauseEnd is where the clause holding byte i ends ("... died again, ..." keeps its
// "again").
func (t *matchText) clauseEnd(i int32) int32 {
	for int(i) < len(t.b) && t.b[i] != sepSentence && t.b[i] != sepClause {
		i++
	}
	return i
}

// contrastIn reports whether a contrast word stands in [start, end).
func (t *matchText) contrastIn(start, end int32) bool {
	if start < 0 || end > int32(len(t.b)) || start >= end {
		return false
	}
	seg := t.b[start:end]
	for i := 0; i < len(seg); {
		for i < len(seg) && matchIsSep(seg[i]) {
			i++
		}
		j := i
		for j < len(seg) && !matchIsSep(seg[j]) {
			j++
		}
		if w := unsafeString(seg[i:j]); slices.Contains(matchContrasts, w) {
			return true
		}
		i = j
	}
	for _, w := range matchContrasts {
		if w[0] >= 0x80 && strings.Contains(unsafeString(seg), w) {
			return true
		}
	}
	return false
}

// pastCopulaBefore reports whether the word right before byte i is a past copula.
func (t *matchText) pastCopulaBefore(i int) bool {
	w := t.wordBefore(i)
	return w != "" && slices.Contains(matchPastCopulas, w)
}

// numberAfter reports whether the next word after i, or the one after a short
// preposition ("down by 3%", "giù del 5%"), is a number.
func (t *matchText) numberAfter(i int) bool {
	for w := 0; w < 2; w++ {
		for i < len(t.b) && (t.b[i] == sepSpace) {
			i++
		}
		if i >= len(t.b) {
			return false
		}
		if c := t.b[i]; c-'0' < 10 {
			return true
		}
		j := i
		for j < len(t.b) && matchIsAlnum(t.b[j]) {
			j++
		}
		switch string(t.b[i:j]) {
		case "by", "de", "del", "di", "um", "of", "du", "da", "do", "von", "about", "around", "nearly", "almost", "over", "more", "than", "mas", "quasi", "em", "en", "in", "im", "at":
			i = j
		default:
			return false
		}
	}
	return false
}

// decide turns the per-service states into the post's fields.
func (m *Matcher) decide(sc *matchScratch, p *outcry.Post) {
	slices.Sort(sc.touched)
	for _, it := range sc.items {
		if m.pats[it.pat].kinds&kBlame != 0 {
			// "… error 500 because I forgot the env var. My bad": the poster's own fault.
			for _, s := range sc.touched {
				st := &sc.svcs[s]
				if st.explicit == cueComplaint {
					st.explicit = 0
				}
				if st.implicit == cueComplaint {
					st.implicit = 0
				}
			}
			break
		}
	}
	var nServices, nComplaint, nRecovery int
	switching := false
	final := func(st *matchSvc) uint8 {
		if st.explicit != 0 {
			return st.explicit
		}
		return st.implicit
	}
	mentioned := func(st *matchSvc) bool {
		if st.anti {
			return false
		}
		return st.strong || st.weak && (st.key || st.tag || st.capital || st.direct)
	}
	for _, s := range sc.touched {
		st := &sc.svcs[s]
		if !mentioned(st) {
			continue
		}
		nServices++
		switch final(st) {
		case cueComplaint:
			nComplaint++
		case cueRecovery, cueNegation:
			nRecovery++
		}
	}
	if nServices == 0 {
		return
	}
	p.Services = make([]string, 0, nServices)
	affectedKind := cueComplaint
	nAffected := nComplaint
	if nComplaint == 0 {
		affectedKind, nAffected = cueRecovery, nRecovery
	}
	if nAffected > 0 {
		p.Affected = make([]string, 0, nAffected)
	}
	for _, s := range sc.touched {
		st := &sc.svcs[s]
		if !mentioned(st) {
			continue
		}
		p.Services = append(p.Services, m.ids[s])
		f := final(st)
		if f == cueNegation {
			f = cueRecovery
		}
		if nAffected > 0 && f == affectedKind {
			p.Affected = append(p.Affected, m.ids[s])
		}
		if st.role&(roleSwitch|roleSwitchSoft) != 0 && f != cueComplaint {
			switching = true
		}
	}
	if nComplaint > 0 {
		p.Complaint = true
		p.Switching = switching
		probs := sc.probs
		for _, it := range sc.items {
			if pt := &m.pats[it.pat]; pt.kinds&kProblem != 0 && slices.Contains(sc.sents, it.sent) {
				probs |= pt.probs
			}
		}
		if probs != 0 {
			p.Problems = make([]string, 0, bits.OnesCount8(probs))
			for i, name := range matchProblemNames {
				if probs&(1<<i) != 0 {
					p.Problems = append(p.Problems, name)
				}
			}
		}
	} else if nRecovery > 0 {
		p.Recovery = true
	}
}

// matchHasAccent reports whether s has a letter that normalisation folds to plain
// ASCII ("é", "ü"; not "ß", which is spelt "ss").
func matchHasAccent(s string) bool {
	for _, r := range s {
		if r >= 0xC0 && r <= 0x17F && r != 0xDF && r != 0xD7 && r != 0xF7 {
			return true
		}
	}
	return false
}

// unsafeString views b as a string for comparisons that do not keep it.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
