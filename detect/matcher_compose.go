package detect

import (
	"fmt"
	"slices"
)

// Composed cues. The phrase tables of lexicon.go list fixed expressions; the rules here
// build a cue from parts that people inflect, reorder and pad with clitics and adverbs,
// so that one verb list and one negator list cover "no me carga", "non si carica più",
// "não tá carregando", "can't even load", "ne se lance plus", "marche pas chez moi" and
// "lädt seit einer Stunde keine Stories" (lexicon_verbs.go):
//
//   - a negator followed, within its clause and over clitics and adverbs only, by an
//     availability verb of its language is a complaint; followed by a word that says a
//     service works ("me funciona", "back") it is a complaint too ("still not back"); a
//     denying negator before a complaint word makes it a denial ("kein Ausfall");
//   - a verb followed by a post-verbal negator of its language ("marche pas", German
//     verb-second "geht ChatGPT seit heute nicht") is a complaint; followed by "again"
//     ("carga de nuevo", "lädt wieder") a recovery;
//   - an error noun after a frame that reports it happening ("getting an error", "me
//     sale un error", "kommt nur noch eine Fehlermeldung", "dá erro") is a complaint;
//     followed by a code ("error 1015") a symptom. Alone it is not: "error" is as often
//     a mistake ("ChatGPT made an error") as a failure.
//
// A composed cue is attached like a lexicon cue spanning its parts: its subject is
// looked for left of its first part and right of its last.

// Languages of composable parts.
const (
	lexEN uint8 = 1 << iota
	lexFR
	lexES
	lexDE
	lexPT
	lexIT
)

// lexLang returns the language bit of a table flag, 0 if the flag is no language.
func lexLang(flag string) uint8 {
	switch flag {
	case "en":
		return lexEN
	case "fr":
		return lexFR
	case "es":
		return lexES
	case "de":
		return lexDE
	case "pt":
		return lexPT
	case "it":
		return lexIT
	}
	return 0
}

// probErrors is the "errors" problem bit.
var probErrors = uint8(1) << slices.Index(matchProblemNames[:], "errors")

// lexCompose adds the composition tables to the patterns being built.
func lexCompose(b *matchBuilder) error {
	tables := []struct {
		text string
		kind uint32
	}{
		{lexNegators, kNeg},
		{lexVerbs, kVerb},
		{lexNegsPost, kNegPost},
		{lexErrNouns, kErrNoun},
		{lexErrFrames, kErrFrame},
		{lexNegPads, kNegPad},
		{lexSubjects, kSubj},
	}
	for _, t := range tables {
		err := lexEach(t.text, func(flags []string, phrase string) error {
			var lang uint8
			var deny, modal, x, obj, far, particle bool
			for _, f := range flags {
				if l := lexLang(f); l != 0 {
					lang |= l
					continue
				}
				switch {
				case f == "deny" && t.kind == kNeg:
					deny = true
				case f == "m" && t.kind == kNeg:
					modal = true
				case f == "x" && (t.kind == kVerb || t.kind == kNegPost):
					x = true
				case f == "t" && t.kind == kVerb:
					obj = true
				case f == "far" && t.kind == kNegPost:
					far = true
				case f == "p" && (t.kind == kVerb || t.kind == kNegPost):
					particle = true
				default:
					return fmt.Errorf("unknown flag %q", f)
				}
			}
			if lang == 0 && t.kind&(kNeg|kVerb|kNegPost) != 0 {
				return fmt.Errorf("no language")
			}
			for _, v := range lexVariants(phrase, false) {
				p := b.pat(v)
				p.kinds |= t.kind
				p.lang |= lang
				p.acc = p.acc || matchHasAccent(phrase)
				switch t.kind {
				case kNeg:
					p.deny = p.deny || deny
					p.negv = p.negv || !deny
					p.modal = p.modal || modal
				case kVerb:
					p.vaux, p.vobj = p.vaux || x, p.vobj || obj
					p.particle = p.particle || particle
				case kNegPost:
					p.nx, p.far = p.nx || x, p.far || far
					p.particle = p.particle || particle
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// A complaint phrase that opens with a plain negator ("don't work") is a negation
	// like a composed one: "I also don't work in music" is not about a service.
	for id, str := range b.strings {
		p := &b.pats[id]
		if p.kinds&kCue == 0 || p.cue != cueComplaint {
			continue
		}
		for i := range len(str) { // "don t work" opens with "don t"
			if str[i] != ' ' {
				continue
			}
			if n, ok := b.index[str[:i]]; ok && b.pats[n].negv && !b.pats[n].modal {
				p.plainNeg = true
				break
			}
		}
	}
	return nil
}

// compose tries the composition rules that start at item k and attaches the cue they
// build. It reports whether k was used.
func (m *Matcher) compose(sc *matchScratch, k int) bool {
	pt := &m.pats[sc.items[k].pat]
	if t := &sc.text; len(t.tags) > 0 && t.inTag(sc.items[k].start, sc.items[k].end) >= 0 {
		return false // "#innovation" is not "no va": tags compose nothing
	}
	if pt.kinds&kNeg != 0 && m.negate(sc, k) {
		return true
	}
	if pt.kinds&kErrFrame != 0 && m.errorFrame(sc, k) {
		return true
	}
	if pt.kinds&kVerb != 0 && (m.splitNegation(sc, k) || m.verbAgain(sc, k)) {
		return true
	}
	if pt.kinds&kErrNoun != 0 && pt.kinds&kCue == 0 && sc.text.codeAfter(int(sc.items[k].end)) {
		m.cue(sc, k, k, cueComplaint, strSymptom, false, false, probErrors) // "error 1015"
		return true
	}
	return false
}

// padding reports whether a pattern may stand inside a composition: fillers and
// articles ("nur noch eine"), never a name, a marker, a cue or a verb.
func (m *Matcher) padding(pt *matchPat) bool {
	return pt.kinds&(kFiller|kArticle) != 0 && pt.kinds&(kAlias|kStop|kClause|kCue|kVerb) == 0
}

// lexNotSubjects before a negator show that what is negated is not a service: a person
// ("I don't work in music") or a hypothesis ("it might not work").
var lexNotSubjects = []string{"i", "we", "you", "he", "she", "might", "may", "could", "would", "should", "must"}

// lexInfinitives right before a negator make it an infinitive: "asked them to not
// launch it", "de ne pas répondre".
var lexInfinitives = []string{"to", "de", "di", "para"}

// objectAfter reports whether a word other than padding, a name or a cue follows item
// j in its clause: the verb or negation has an object ("isn't open source", "no va a
// reemplazar", "es geht nicht um ChatGPT", "non si va da nessuna parte").
func (m *Matcher) objectAfter(sc *matchScratch, j int) bool {
	for i := j + 1; ; i++ {
		g := sc.gaps[i]
		if g.lead > 0 {
			return true
		}
		if g.newline || g.comma || i >= len(sc.items) {
			return false
		}
		pt := &m.pats[sc.items[i].pat]
		if !m.padding(pt) {
			return pt.kinds&(kAlias|kCue|kConj|kClause|kStop) == 0
		}
	}
}

// personBefore reports whether the word before item k, or the one before it ("I also
// don't work"), makes a person or a hypothesis the subject of a negation.
func (m *Matcher) personBefore(sc *matchScratch, k int) bool {
	start := int(sc.items[k].start)
	w := sc.text.wordBefore(start)
	if w == "" {
		return false
	}
	return slices.Contains(lexNotSubjects, w) || slices.Contains(lexInfinitives, w) ||
		slices.Contains(lexNotSubjects, sc.text.wordBefore(start-len(w)-1))
}

// negate composes negator k with the verb or cue that follows it.
func (m *Matcher) negate(sc *matchScratch, k int) bool {
	items := sc.items
	neg := &m.pats[items[k].pat]
	if !neg.modal && m.personBefore(sc, k) {
		return false
	}
	for j := k + 1; j < len(items) && j <= k+4; j++ {
		if g := sc.gaps[j]; g.newline || g.comma || g.colon || g.words > 0 || items[j].done {
			return false
		}
		pt := &m.pats[items[j].pat]
		switch {
		case pt.kinds&kVerb != 0 && pt.lang&neg.lang != 0:
			if !neg.negv || (pt.vaux || pt.vobj) && m.objectAfter(sc, j) {
				return false // "sin entrar", "no va a reemplazar", "didn't start the essay"
			}
			items[j].done = true
			m.cue(sc, k, j, cueComplaint, strNormal, false, false, pt.probs)
			return true
		case pt.kinds&kCue != 0:
			kind := pt.cue
			switch {
			case kind == cueComplaint && neg.deny:
				kind = cueNegation // "kein Ausfall", "sin caídas"
			case kind == cueOK || kind == cueRecovery || kind == cueNegation:
				kind = cueComplaint // "no me funciona", "still not back"
			default:
				return false
			}
			items[j].done = true
			probs := pt.probs
			if kind != cueComplaint {
				probs = 0
			}
			m.cue(sc, k, j, kind, strNormal, false, false, probs)
			return true
		case pt.kinds&kNegPad != 0 && pt.kinds&(kAlias|kStop|kClause) == 0:
		default:
			return false
		}
	}
	return false
}

// splitNegation composes verb k with a negation after it in its clause: French "marche
// pas", German verb-second "geht ChatGPT seit einer Stunde nicht" (the subject may stand
// in between) and "lädt keine Stories"; and a German separable verb of failure with
// its particle ("bricht immer wieder ab").
func (m *Matcher) splitNegation(sc *matchScratch, k int) bool {
	items := sc.items
	verb := &m.pats[items[k].pat]
	words := int32(0)
	svc := -1
	for i := k + 1; i < len(items); i++ {
		g := sc.gaps[i]
		if words += g.words; g.newline || g.comma || g.colon || words > 4 {
			return false
		}
		pt := &m.pats[items[i].pat]
		switch {
		case pt.kinds&kNegPost != 0 && pt.lang&verb.lang != 0 && !items[i].done && pt.particle == verb.particle:
			if words > 0 && !pt.far {
				return false
			}
			if pt.nx && sc.gaps[i+1].lead > 0 || (verb.vaux || verb.vobj) && m.objectAfter(sc, i) {
				return false // "marche plus vite", "es geht nicht um ChatGPT"
			}
			items[i].done = true
			if svc < 0 {
				m.cue(sc, k, i, cueComplaint, strNormal, false, false, 0)
			} else if !m.outOfContext(sc, k, cueComplaint) {
				m.attach(sc, m.groupAt(sc, svc, false, true), cueComplaint, true)
				m.complaintAt(sc, items[k].sent, 0)
			}
			return true
		case pt.kinds&kAlias != 0:
			if svc >= 0 {
				return false
			}
			svc = i
		case pt.kinds&kCue != 0 && pt.kinds&kVerb == 0:
			return false
		case pt.kinds&kSkip == 0:
			words++
		}
	}
	return false
}

// verbAgain reads verb k right before "again" as a recovery: "Claude ya responde de
// nuevo", "Discord lädt wieder".
func (m *Matcher) verbAgain(sc *matchScratch, k int) bool {
	j := k + 1
	for j < len(sc.items) && j <= k+2 && m.pats[sc.items[j].pat].kinds&(kAgain|kFiller) == kFiller &&
		sc.text.padBetween(sc.items[k].end, sc.items[j].end) {
		j++ // "bei mir" may be a word of the lexicon
	}
	if j >= len(sc.items) {
		return false
	}
	g := sc.gaps[j]
	if g.newline || g.comma || m.pats[sc.items[j].pat].kinds&kAgain == 0 {
		return false
	}
	if (g.words > 0 || j > k+1) && !sc.text.padBetween(sc.items[k].end, sc.items[j].start) {
		return false
	}
	m.cue(sc, k, j, cueRecovery, strNormal, false, false, 0)
	return true
}

// matchAgainPads may stand between a verb and its "again": "funktioniert bei mir
// wieder", "marche chez moi à nouveau", "funciona para mí de nuevo".
var matchAgainPads = []string{
	"bei mir", "bei uns", "bei euch", "hier", "jetzt", "endlich", "auch", "inzwischen", "mittlerweile", "zum gluck",
	"chez moi", "enfin", "ici", "para mi", "aqui", "ya", "por fin", "pra mim", "aqui", "finalmente", "per me", "qui", "ora",
	"for me", "now", "finally", "here", "bij mij", "hier", "eindelijk",
}

// padBetween reports whether the text in [start, end) is one pad of matchAgainPads.
func (t *matchText) padBetween(start, end int32) bool {
	for start < end && matchIsSep(t.b[start]) {
		start++
	}
	for end > start && matchIsSep(t.b[end-1]) {
		end--
	}
	return slices.Contains(matchAgainPads, unsafeString(t.b[start:end]))
}

// errorFrame composes frame k with the error noun that follows it ("me sale un error").
func (m *Matcher) errorFrame(sc *matchScratch, k int) bool {
	items := sc.items
	for j := k + 1; j < len(items) && j <= k+4; j++ {
		if g := sc.gaps[j]; g.newline || g.comma || g.words > 0 || items[j].done {
			return false
		}
		pt := &m.pats[items[j].pat]
		switch {
		case pt.kinds&kErrNoun != 0:
			items[j].done = true
			m.cue(sc, k, j, cueComplaint, strNormal, false, false, probErrors)
			return true
		case pt.kinds&(kErrFrame|kSubj) != 0 || m.padding(pt): // "bekomme ich nur noch Fehler"
		default:
			return false
		}
	}
	return false
}

// codeAfter reports whether an error code follows position i: digits right after, or
// after "code" ("error 1015", "erreur code 500").
func (t *matchText) codeAfter(i int) bool {
	for w := 0; w < 2; w++ {
		for i < len(t.b) && t.b[i] == sepSpace {
			i++
		}
		if i >= len(t.b) {
			return false
		}
		if t.b[i]-'0' < 10 {
			return true
		}
		j := i
		for j < len(t.b) && matchIsAlnum(t.b[j]) {
			j++
		}
		if s := unsafeString(t.b[i:j]); s != "code" && s != "codigo" && s != "codice" {
			return false
		}
		i = j
	}
	return false
}

// colonAfter returns the first service of a list that a colon introduces right after
// cue k ("Down right now: ChatGPT, Claude, Perplexity", "今落ちてるの：ChatGPT、Claude"),
// or -1.
func (m *Matcher) colonAfter(sc *matchScratch, k int) int {
	colon := false
	for i := k + 1; i < len(sc.items); i++ {
		g := sc.gaps[i]
		switch {
		case g.words > 0:
			return -1
		case g.colon:
			if colon {
				return -1
			}
			colon = true
		case g.newline || g.comma:
			return -1
		}
		pt := &m.pats[sc.items[i].pat]
		if pt.kinds&kAlias != 0 {
			if colon {
				return i
			}
			return -1
		}
		if !m.padding(pt) {
			return -1
		}
	}
	return -1
}
