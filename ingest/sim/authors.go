package sim

import (
	"math"
	"strconv"
)

// authors is the population that posts. Like every social network it is heavy-tailed: a
// few hundred regulars per language write a large share of the posts (drawn from a Zipf
// law), and a long tail of people post once or twice a day.
type authors struct {
	firsts, lasts [numLangs][]string
	regulars      [numLangs][]string
	regularTable  [numLangs]weighted
	tailSize      int
	outlets       [numLangs][]string
}

// regularsPerLang and tailPerLang are the population sizes at scale 1; the tail grows
// with scale so that ten times the posts means (about) ten times the people.
const (
	regularsPerLang = 200
	tailPerLang     = 40000
)

func newAuthors(scale float64) *authors {
	a := &authors{tailSize: max(1000, int(math.Round(tailPerLang*scale)))}
	names := map[string][2][]string{
		"en": {{"jess", "mike", "sarah", "dan", "emily", "chris", "alex", "priya", "kevin", "megan", "josh", "tyler", "ashley", "raj", "hannah", "matt", "lauren", "sam", "nick", "olivia", "ben", "chloe", "aj", "kayla", "ryan", "zoe", "jake", "anya", "tom", "maya"},
			{"codes", "smith", "j", "writes", "lee", "dev", "patel", "music", "kim", "tweets", "xo", "fan", "brown", "nyc", "la", "uk", "jones", "art", "ok", "irl", "gg"}},
		"fr": {{"julie", "thomas", "camille", "lucas", "manon", "hugo", "lea", "antoine", "chloe", "maxime", "sarah", "nico", "ines", "theo", "clara", "romain"},
			{"martin", "dubois", "bernard", "petit", "durand", "leroy", "moreau", "paris", "lyon", "off", "tv", "pro", "_fr"}},
		"es": {{"maria", "jose", "lucia", "pablo", "sofia", "diego", "carmen", "javi", "ana", "alejandro", "paula", "sergio", "vale", "mateo"},
			{"garcia", "lopez", "martinez", "sanchez", "perez", "gomez", "mx", "ok", "madrid", "bcn", "cdmx", "real"}},
		"de": {{"lukas", "anna", "felix", "lena", "jonas", "laura", "max", "marie", "paul", "sophie", "tim", "julia", "niklas"},
			{"mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "berlin", "hh", "muc", "_de", "xyz"}},
		"pt": {{"joao", "ana", "pedro", "mariana", "lucas", "beatriz", "gabriel", "julia", "rafa", "larissa", "thiago", "bia"},
			{"silva", "santos", "oliveira", "souza", "lima", "costa", "sp", "rj", "br", "oficial"}},
		"it": {{"marco", "giulia", "luca", "chiara", "andrea", "francesca", "matteo", "sara", "ale", "fede", "simone", "elena"},
			{"rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "mi", "roma", "_it", "tw"}},
		"ja": {{"yuki", "haruto", "sakura", "ren", "aoi", "sota", "hina", "kenji", "mio", "takumi", "yui", "daiki"},
			{"tanaka", "sato", "suzuki", "takahashi", "ito", "watanabe", "jp", "tokyo", "osaka", "nya", "0w0"}},
	}
	suffixes := []string{"ai", "tech", "news", "builds", "hq", "talks", "thoughts", "lab", "online", "daily"}
	outlets := map[string][]string{
		"en": {"technewsdaily", "ai_news_wire", "downwatch_alerts", "the_byte_report", "startup_ledger"},
		"fr": {"actu_numerique", "lesnews_tech", "journal_du_web"},
		"es": {"noticias_tec", "diario_digital_es"},
		"de": {"technik_ticker", "netzwelt_news"},
		"pt": {"tecnofeed_br", "mundo_digital_pt"},
		"it": {"notizie_tech", "digitale_oggi"},
		"ja": {"tech_news_jp", "it_sokuhou"},
	}
	codes := langCodes()
	for li, code := range codes {
		n := names[code]
		a.firsts[li], a.lasts[li] = n[0], n[1]
		a.outlets[li] = outlets[code]
		weights := make([]float64, regularsPerLang)
		regs := make([]string, regularsPerLang)
		for k := range regularsPerLang {
			weights[k] = 1 / math.Pow(float64(k+1), 1.1)
			first := n[0][k%len(n[0])]
			suf := suffixes[(k/len(n[0]))%len(suffixes)]
			regs[k] = first + suf
			if round := k / (len(n[0]) * len(suffixes)); round > 0 {
				regs[k] += strconv.Itoa(round + 1)
			}
		}
		a.regulars[li] = regs
		a.regularTable[li] = newWeighted(weights)
	}
	return a
}

// pick draws an author who writes in language li; regular is the probability that the
// post comes from a regular rather than the long tail.
func (a *authors) pick(r *rng, li int, regular float64) string {
	if r.chance(regular) {
		return a.regulars[li][a.regularTable[li].pick(r)]
	}
	return a.tail(li, r.intn(a.tailSize))
}

// tail builds the handle of tail member i; distinct i give distinct handles.
func (a *authors) tail(li, i int) string {
	f, l := a.firsts[li], a.lasts[li]
	var buf [48]byte
	b := append(buf[:0], f[i%len(f)]...)
	i /= len(f)
	if i%2 == 1 {
		b = append(b, '_')
	}
	i /= 2
	b = append(b, l[i%len(l)]...)
	if i /= len(l); i > 0 {
		b = strconv.AppendInt(b, int64(i), 10)
	}
	return string(b)
}

// outlet draws a news account writing in language li.
func (a *authors) outlet(r *rng, li int) string {
	o := a.outlets[li]
	return o[r.intn(len(o))]
}
