package index

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// postGen makes realistic matched posts for tests and benchmarks: about 120 bytes of
// text in several languages, 1-2 services, about 20% complaints and 2% recoveries,
// a long tail of authors, times spread evenly over a span.
type postGen struct {
	r     *rand.Rand
	start time.Time
	step  time.Duration
	n     int
}

func newPostGen(seed uint64, start time.Time, span time.Duration, total int) *postGen {
	return &postGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), start: start, step: span / time.Duration(max(total, 1))}
}

var genServices = []struct {
	id, name string
	weight   int
}{
	{"chatgpt", "ChatGPT", 30}, {"claude", "Claude", 12}, {"gemini", "Gemini", 8},
	{"perplexity", "Perplexity", 5}, {"copilot", "Copilot", 5}, {"github", "GitHub", 6},
	{"discord", "Discord", 6}, {"slack", "Slack", 4}, {"youtube", "YouTube", 5},
	{"x", "Twitter", 4}, {"reddit", "Reddit", 3}, {"steam", "Steam", 3},
	{"mistral", "Le Chat", 2}, {"deepseek", "DeepSeek", 3}, {"grok", "Grok", 2}, {"aws", "AWS", 2},
}

var genLangs = []struct {
	lang       string
	weight     int
	complaints []string
	recoveries []string
	chatter    []string
}{
	{"en", 60,
		[]string{"%s is down again, can't log in at all", "is %s down for everyone or just me?", "%s not working, keeps saying network error", "%s down?? getting 502 bad gateway", "ugh %s outage right in the middle of my work", "%s is completely broken today, nothing loads"},
		[]string{"%s is back up, finally", "ok %s works again after the outage"},
		[]string{"just used %s to plan my whole week, pretty good", "asked %s to explain monads and it did a decent job", "%s wrote my cover letter, not sure how I feel", "hot take: %s is better at poetry than code", "the new %s update changed the sidebar again", "feeling down today but %s cheered me up a bit"}},
	{"fr", 12,
		[]string{"%s est en panne depuis ce matin, impossible de travailler", "%s ne fonctionne pas, encore une erreur réseau", "c'est moi ou %s est tombé ?"},
		[]string{"%s fonctionne à nouveau, ouf"},
		[]string{"j'ai demandé à %s de corriger mon texte, pas mal", "%s m'a aidé pour mes révisions ce soir"}},
	{"es", 8,
		[]string{"%s está caído otra vez, no funciona nada", "se cayó %s justo ahora, qué mal"},
		[]string{"%s ya funciona de nuevo"},
		[]string{"le pedí a %s una receta y salió genial", "usando %s para estudiar para el examen"}},
	{"de", 7,
		[]string{"%s funktioniert nicht, schon wieder eine Störung", "%s ist ausgefallen, kann mich nicht anmelden"},
		[]string{"%s geht wieder"},
		[]string{"habe %s gefragt, wie man Brot backt", "%s hat mir beim Code sehr geholfen"}},
	{"pt", 5,
		[]string{"%s caiu de novo, não funciona", "%s fora do ar agora"},
		[]string{"%s voltou a funcionar"},
		[]string{"pedi para o %s resumir o livro", "usei o %s para traduzir um texto"}},
	{"it", 4,
		[]string{"%s non funziona, è down da un'ora", "%s va down ancora una volta"},
		[]string{"%s funziona di nuovo"},
		[]string{"ho chiesto a %s di scrivere una poesia", "%s mi ha aiutato con la tesi"}},
	{"ja", 4,
		[]string{"%s落ちてる？ログインできない", "%sがまた障害で使えない"},
		[]string{"%s復旧した"},
		[]string{"%sに翻訳を頼んだら上手だった", "%sで勉強している"}},
}

var genFillers = []string{
	"honestly", "today", "this morning", "at work", "lol", "again", "#AI", "#tech", "right now",
	"for the third time this week", "while studying", "seriously", "https://t.co/abc123", "🙃", "😤",
	"on my phone", "in the app", "on desktop", "before the deadline", "during the meeting",
}

func pickWeighted[T any](r *rand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	n := r.IntN(total)
	for _, it := range items {
		if n -= weight(it); n < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// next returns the next post; times increase by span/total per post.
func (g *postGen) next() outcry.Post {
	r := g.r
	g.n++
	svc := pickWeighted(r, genServices, func(s struct {
		id, name string
		weight   int
	}) int {
		return s.weight
	})
	services := []string{svc.id}
	name := svc.name
	if r.IntN(5) == 0 {
		other := genServices[r.IntN(len(genServices))]
		if other.id != svc.id {
			services = append(services, other.id)
			name = svc.name + " and " + other.name
		}
	}
	l := pickWeighted(r, genLangs, func(l struct {
		lang                            string
		weight                          int
		complaints, recoveries, chatter []string
	}) int {
		return l.weight
	})
	p := outcry.Post{
		ID:        fmt.Sprintf("gen:%d:%d", g.r.Uint32(), g.n),
		Source:    []string{"bsky", "mastodon", "reddit-chatgpt", "twitter"}[r.IntN(4)],
		Lang:      l.lang,
		CreatedAt: g.start.Add(time.Duration(g.n) * g.step),
		Services:  services,
	}
	// A long tail of authors with a few loud ones.
	if r.IntN(10) == 0 {
		p.Author = fmt.Sprintf("loud%d", r.IntN(50))
	} else {
		p.Author = fmt.Sprintf("user%d", r.IntN(200_000))
	}
	var tmpl string
	switch x := r.IntN(100); {
	case x < 20:
		tmpl = l.complaints[r.IntN(len(l.complaints))]
		p.Complaint = true
		p.Affected = services[:1]
		p.Problems = [][]string{{"login"}, {"errors"}, {"capacity"}, {"slow"}, {"app", "errors"}}[r.IntN(5)]
		if len(services) > 1 && r.IntN(3) == 0 {
			p.Switching = true
		}
	case x < 22:
		tmpl = l.recoveries[r.IntN(len(l.recoveries))]
		p.Recovery = true
		p.Affected = services[:1]
	default:
		tmpl = l.chatter[r.IntN(len(l.chatter))]
	}
	var b strings.Builder
	fmt.Fprintf(&b, tmpl, name)
	for b.Len() < 100 {
		b.WriteByte(' ')
		b.WriteString(genFillers[r.IntN(len(genFillers))])
	}
	p.Text = b.String()
	p.URL = "https://example.org/p/" + p.ID
	return p
}

func (g *postGen) batch(n int) []outcry.Post {
	out := make([]outcry.Post, n)
	for i := range out {
		out[i] = g.next()
	}
	return out
}
