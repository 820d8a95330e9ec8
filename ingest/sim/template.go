package sim

import (
	"strconv"
	"strings"
)

// segment is a literal run of text or a slot ({S}, {B}, ...) of a template.
type segment struct {
	slot byte // 0 for a literal
	lit  string
}

// tmpl is a parsed template.
type tmpl []segment

// parseTemplate splits s at its slots. A brace that does not open a known slot is
// kept as text.
func parseTemplate(s string) tmpl {
	var t tmpl
	lit := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '{' || s[i+2] != '}' || !strings.ContainsRune("SBCDEFHVT@N", rune(s[i+1])) {
			continue
		}
		if i > lit {
			t = append(t, segment{lit: s[lit:i]})
		}
		t = append(t, segment{slot: s[i+1]})
		lit = i + 3
		i += 2
	}
	if lit < len(s) {
		t = append(t, segment{lit: s[lit:]})
	}
	return t
}

// phraseSet holds parsed templates per language index.
type phraseSet [numLangs][]tmpl

func newPhraseSet(d phraseData) *phraseSet {
	var p phraseSet
	for code, list := range d {
		li := langIndex(code)
		for _, s := range list {
			p[li] = append(p[li], parseTemplate(s))
		}
	}
	return &p
}

// pick draws a template in language li, falling back to English when the language has
// none; it returns the language actually used.
func (p *phraseSet) pick(r *rng, li int) (tmpl, int) {
	if len(p[li]) == 0 {
		li = 0
	}
	list := p[li]
	if len(list) == 0 {
		return nil, li
	}
	return list[r.intn(len(list))], li
}

// phrasebook is every phrase set the generator uses, parsed once per Generate call.
type phrasebook struct {
	complaint, preack, slow, personal         *phraseSet
	openers, closers                          *phraseSet
	recovery, switching, switchDown           *phraseSet
	multi2, multi3, cause, cause2, outageNews *phraseSet
	productNews, topics, hardNeg              *phraseSet
	ordinary                                  map[string]*phraseSet // by category
	genericOrdinary                           *phraseSet
}

func newPhrasebook() *phrasebook {
	pb := &phrasebook{
		complaint: newPhraseSet(complaintCores()), preack: newPhraseSet(preackCores()),
		slow: newPhraseSet(slowCores()), personal: newPhraseSet(personalCores()),
		openers: newPhraseSet(openers()), closers: newPhraseSet(closers()),
		recovery: newPhraseSet(recoveryCores()), switching: newPhraseSet(switchCores()),
		switchDown: newPhraseSet(switchDownCores()), multi2: newPhraseSet(multi2Cores()),
		multi3: newPhraseSet(multi3Cores()), cause: newPhraseSet(causeCores()), cause2: newPhraseSet(cause2Cores()),
		outageNews: newPhraseSet(outageNewsCores()), productNews: newPhraseSet(productNewsCores()),
		topics: newPhraseSet(topics()), hardNeg: newPhraseSet(hardNegatives()),
		ordinary: map[string]*phraseSet{},
	}
	for cat, d := range ordinaryCores() {
		if cat == "generic" {
			pb.genericOrdinary = newPhraseSet(d)
			continue
		}
		pb.ordinary[cat] = newPhraseSet(d)
	}
	return pb
}

// ordinaryFor draws an ordinary post template for a category and language: the
// category's own phrasing in English, the language's generic phrasing otherwise.
func (pb *phrasebook) ordinaryFor(r *rng, cat string, li int) (tmpl, int) {
	set := pb.ordinary[cat]
	if set != nil && len(set[li]) > 0 {
		return set.pick(r, li)
	}
	if li != 0 && len(pb.genericOrdinary[li]) > 0 {
		return pb.genericOrdinary.pick(r, li)
	}
	if set == nil {
		set = pb.ordinary["ai"]
	}
	return set.pick(r, 0)
}

// fill is what a post's slots expand to. Names are drawn once per post so a template
// that repeats {S} repeats the same spelling.
type fill struct {
	s, b, c, d                 *serviceSpec
	sName, bName, cName, dName string
	li                         int
}

// expand appends template t to sb with f's values; topics and numbers are drawn from r.
func (pb *phrasebook) expand(sb *strings.Builder, r *rng, t tmpl, f *fill) {
	for _, seg := range t {
		switch seg.slot {
		case 0:
			sb.WriteString(seg.lit)
		case 'S':
			sb.WriteString(f.sName)
		case 'B':
			sb.WriteString(f.bName)
		case 'C':
			sb.WriteString(f.cName)
		case 'D':
			sb.WriteString(f.dName)
		case 'E':
			if f.s != nil && len(f.s.errors) > 0 {
				sb.WriteString(f.s.errors[r.intn(len(f.s.errors))])
			} else {
				sb.WriteString("Something went wrong")
			}
		case 'F':
			if f.d != nil && len(f.d.errors) > 0 {
				sb.WriteString(f.d.errors[r.intn(len(f.d.errors))])
			}
		case 'H':
			if f.s != nil && len(f.s.hashtags) > 0 {
				sb.WriteString(f.s.hashtags[r.intn(len(f.s.hashtags))])
			}
		case 'V':
			if f.s != nil {
				sb.WriteString(f.s.vendor)
			}
		case '@':
			if f.s != nil {
				sb.WriteString(f.s.handle)
			}
		case 'T':
			tt, _ := pb.topics.pick(r, f.li)
			pb.expand(sb, r, tt, f)
		case 'N':
			sb.WriteString(strconv.Itoa(2 + r.intn(8)))
		}
	}
}
