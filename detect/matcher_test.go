package detect

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// idIndex returns the index of service id.
func (m *Matcher) idIndex(id string) (int, bool) {
	return slices.BinarySearch(m.ids, id)
}

// states reports the automaton's size.
func (a *matchAutomaton) states() int { return len(a.out) }

// matchCase is the projection of a matched post that a table test compares.
type matchCase struct {
	text      string
	services  []string
	complaint []string // Affected when Complaint
	recovery  []string // Affected when Recovery
}

func (c matchCase) check(t *testing.T, m *Matcher) {
	t.Helper()
	p := outcry.Post{Text: c.text}
	m.Match(&p)
	var gotC, gotR []string
	if p.Complaint {
		gotC = p.Affected
	}
	if p.Recovery {
		gotR = p.Affected
	}
	if !slices.Equal(p.Services, c.services) || !slices.Equal(gotC, c.complaint) || !slices.Equal(gotR, c.recovery) {
		t.Errorf("%q:\n got services=%v complaint=%v recovery=%v\nwant services=%v complaint=%v recovery=%v",
			c.text, p.Services, gotC, gotR, c.services, c.complaint, c.recovery)
	}
}

func l(s ...string) []string { return s }

func TestMatchServiceNames(t *testing.T) {
	m := newTestMatcher(t)
	for _, c := range []matchCase{
		{"claude is great", l("claude"), nil, nil},
		{"my cat Claudette", nil, nil, nil},
		{"Claude Monet painted water lilies", nil, nil, nil},
		{"Claude Debussy: Clair de lune", nil, nil, nil},
		{"Jean-Claude Van Damme does the splits", nil, nil, nil},
		{"chat gpt wrote this", l("chatgpt"), nil, nil},
		{"Chat-GPT wrote this", l("chatgpt"), nil, nil},
		{"ＣｈａｔＧＰＴ wrote this", l("chatgpt"), nil, nil},
		{"try claude.ai or chatgpt.com", l("chatgpt", "claude"), nil, nil},
		{"thanks @AnthropicAI and @OpenAI", l("chatgpt", "claude"), nil, nil},
		{"@ChatGPTapp hello", l("chatgpt"), nil, nil},
		{"#ClaudeAI is neat", l("claude"), nil, nil},
		{"#gptzero detects essays", nil, nil, nil},
		{"GPT-4o and GPT4 and gpt 5", l("chatgpt"), nil, nil},
		{"ChatGPTで調べた", l("chatgpt"), nil, nil},
		{"Google Bard vs Bing Chat", l("copilot", "gemini"), nil, nil},
		{"the bard of Avon", nil, nil, nil},
		{"X marks the spot", nil, nil, nil},
		{"posted it on X", l("x"), nil, nil},
		{"tweet drafted by ChatGPT, posted on X", l("chatgpt", "x"), nil, nil},
		{"Meta is buying another startup", nil, nil, nil},
		{"Meta AI in WhatsApp", l("meta-ai", "whatsapp"), nil, nil},
		{"Gemini season ♊ happy birthday twins", nil, nil, nil},
		{"Gemini, le signe du zodiaque", nil, nil, nil},
		{"running out of steam", nil, nil, nil},
		{"The Steam summer sale", l("steam"), nil, nil},
		{"I love Slack huddles", l("slack"), nil, nil},
		{"cut me some slack", nil, nil, nil},
		{"Disney+ and Disney movies", l("disney-plus"), nil, nil},
		{"GitHub Copilot and GitHub", l("github", "github-copilot"), nil, nil},
	} {
		c.check(t, m)
	}
}

func TestMatchComplaints(t *testing.T) {
	m := newTestMatcher(t)
	for _, c := range []matchCase{
		// The post quoted in the press about 4 June 2024: one complaint for all three.
		{"ChatGPT, Claude, et Perplexity — trois services d'IA totalement différents — sont tous en panne en ce moment. Mais que se passe-t-il ?",
			l("chatgpt", "claude", "perplexity"), l("chatgpt", "claude", "perplexity"), nil},
		{"ChatGPT is down", l("chatgpt"), l("chatgpt"), nil},
		{"is ChatGPT down?", l("chatgpt"), l("chatgpt"), nil}, // a question counts: a weak signal
		{"#ChatGPTdown", l("chatgpt"), l("chatgpt"), nil},
		{"#ClaudeDown again", l("claude"), l("claude"), nil},
		{"#chatgptcaído", l("chatgpt"), l("chatgpt"), nil},
		{"#ChatGPTIsDown", l("chatgpt"), l("chatgpt"), nil},
		{"@AnthropicAI is claude.ai down??", l("claude"), l("claude"), nil},
		{"ChatGPTが落ちてる", l("chatgpt"), l("chatgpt"), nil},
		{"Claude繋がらない", l("claude"), l("claude"), nil},
		{"ChatGPT ne fonctionne pas", l("chatgpt"), l("chatgpt"), nil},
		{"se cayó ChatGPT", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT no funciona", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT funktioniert nicht", l("chatgpt"), l("chatgpt"), nil},
		{"Bei mir geht ChatGPT seit einer Stunde nicht", l("chatgpt"), l("chatgpt"), nil},
		{"Störung bei Claude", l("claude"), l("claude"), nil},
		{"ChatGPT fora do ar", l("chatgpt"), l("chatgpt"), nil},
		{"o ChatGPT caiu", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT non funziona", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT è giù", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT at capacity again", l("chatgpt"), l("chatgpt"), nil},
		{"claude: 502 bad gateway", l("claude"), l("claude"), nil},
		{"Something went wrong. #perplexity", l("perplexity"), l("perplexity"), nil},
		{"not working again 😤 #chatgpt", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT is down, switching to Claude", l("chatgpt", "claude"), l("chatgpt"), nil},
		{"ChatGPT is down but Claude works fine", l("chatgpt", "claude"), l("chatgpt"), nil},
		{"Both ChatGPT and Claude are down", l("chatgpt", "claude"), l("chatgpt", "claude"), nil},
		{"X is down, elon fired everyone", l("x"), l("x"), nil},
		{"Slack is down", l("slack"), l("slack"), nil},
		{"Bard is down", l("gemini"), l("gemini"), nil},
		{"ChatGPT was down but now Claude is down too", l("chatgpt", "claude"), l("chatgpt", "claude"), nil},
	} {
		c.check(t, m)
	}
}

// TestMatchComposed covers the general rules of matcher_compose.go and the clause
// rules: a negator of a language with an availability verb of that language, in any
// inflection and with clitics in between; post-verbal negation; error frames; lists
// after a colon; subjectless clauses in long posts; and what must stay negative.
func TestMatchComposed(t *testing.T) {
	m := newTestMatcher(t)
	for _, c := range []matchCase{
		// negator + verb, clitics and adverbs between
		{"Instagram no me carga el feed desde hace rato", l("instagram"), l("instagram"), nil},
		{"copilot no me funciona desde la mañana", l("copilot"), l("copilot"), nil},
		{"O WhatsApp não tá enviando mensagem", l("whatsapp"), l("whatsapp"), nil},
		{"o chatgpt não está a funcionar", l("chatgpt"), l("chatgpt"), nil},
		{"Discord non mi carica i server", l("discord"), l("discord"), nil},
		{"WhatsApp ne m'envoie plus les notifs", l("whatsapp"), l("whatsapp"), nil},
		{"the chatgpt app won't even open on my phone", l("chatgpt"), l("chatgpt"), nil},
		{"discord just refusing to load", l("discord"), l("discord"), nil},
		{"o Claude parou de responder do nada", l("claude"), l("claude"), nil},
		// post-verbal negation, German verb-second and separable verbs
		{"ChatGPT va pas chez vous ?", l("chatgpt"), l("chatgpt"), nil},
		{"Instagram lädt seit einer Stunde keine Stories", l("instagram"), l("instagram"), nil},
		{"Zoom Meeting bricht immer wieder ab", l("zoom"), l("zoom"), nil},
		// "again" after a verb is a recovery; a denying negator before a complaint word a denial
		{"Claude ya responde de nuevo", l("claude"), nil, l("claude")},
		{"Claude geht bei mir ganz normal, kein Ausfall", l("claude"), nil, l("claude")},
		// error frames, in short and long posts
		{"ChatGPT me sale un error", l("chatgpt"), l("chatgpt"), nil},
		{"Estaba haciendo la tarea con chatgpt, ya tenía casi todo el ensayo, y de repente me sale un error y ya no me deja seguir.",
			l("chatgpt"), l("chatgpt"), nil},
		{"Ich saß an meiner Arbeit und hab mit ChatGPT die Gliederung überarbeitet, alles lief super, und plötzlich kommt nur noch eine Fehlermeldung.",
			l("chatgpt"), l("chatgpt"), nil},
		{"Cloudflare error 1020 on every page", l("cloudflare"), l("cloudflare"), nil},
		// lists after a colon, in any language and with a Japanese colon
		{"Ahora mismo caídos: ChatGPT, Claude y Perplexity", l("chatgpt", "claude", "perplexity"), l("chatgpt", "claude", "perplexity"), nil},
		{"今落ちてるの：ChatGPT、Claude、Perplexity", l("chatgpt", "claude", "perplexity"), l("chatgpt", "claude", "perplexity"), nil},
		{"Meta is down again: Facebook, Instagram, WhatsApp", l("facebook", "instagram", "whatsapp"), l("facebook", "instagram", "whatsapp"), nil},
		// what must stay negative
		{"#innovation #ChatGPT", l("chatgpt"), nil, nil},                           // tags compose nothing
		{"chatgpt è crashato a metà risposta", l("chatgpt"), l("chatgpt"), nil},    // "metà" is not Meta
		{"Oh, ChatGPT, du Stück Software", l("chatgpt"), nil, nil},                 // "Stück" is not "stuck"
		{"GPT-5 is not open source", l("chatgpt"), nil, nil},                       // a verb with an object
		{"I also don't work in music production #ChatGPT", l("chatgpt"), nil, nil}, // a person is the subject
		{"the code ChatGPT wrote might not work", l("chatgpt"), nil, nil},          // a hypothesis
		{"no va a reemplazar a los programadores ChatGPT", l("chatgpt"), nil, nil}, // an auxiliary
		{"ChatGPT non c'entra nulla", l("chatgpt"), nil, nil},                      // an idiom
		{"ChatGPT made an error in the maths", l("chatgpt"), nil, nil},             // "error" alone is a mistake
		{"I don't think ChatGPT is down, check your wifi", l("chatgpt"), nil, nil}, // a doubt
		{"Remember the big ChatGPT outage in June 2024?", l("chatgpt"), nil, nil},  // the past
		{"ChatGPTに入れないようにするセキュリティソフト", l("chatgpt"), nil, nil},
	} {
		c.check(t, m)
	}
}

func TestMatchNotComplaints(t *testing.T) {
	m := newTestMatcher(t)
	for _, c := range []matchCase{
		{"just downloaded the ChatGPT app", l("chatgpt"), nil, nil},
		{"feeling down, ChatGPT cheered me up", l("chatgpt"), nil, nil},
		{"how do I get ChatGPT to write a shutdown script", l("chatgpt"), nil, nil},
		{"GitHub down-votes are a weird feature", l("github"), nil, nil},
		{"the market is down, ask ChatGPT", l("chatgpt"), nil, nil},
		{"Nvidia is down 5% on the DeepSeek news", l("deepseek"), nil, nil},
		{"breakdown of Claude's context window", l("claude"), nil, nil},
		{"countdown to GPT-5", l("chatgpt"), nil, nil},
		{"Claude is so down to earth", l("claude"), nil, nil},
		{"I let ChatGPT write my outage report template", l("chatgpt"), nil, nil},
		{"ChatGPT helped me write a post-mortem for our outage", l("chatgpt"), nil, nil},
		{"if ChatGPT goes down during the exam I'm done", l("chatgpt"), nil, nil},
		{"every time ChatGPT is down I remember I have a brain", l("chatgpt"), nil, nil},
		{"Twitter was down yesterday for two hours", l("x"), nil, nil},
		{"ask ChatGPT to break it down for you", l("chatgpt"), nil, nil},
		{"I went down the ChatGPT rabbit hole", l("chatgpt"), nil, nil},
		{"ChatGPTのアプリをダウンロードした", l("chatgpt"), nil, nil},
		{"気分が落ち込んでたけどChatGPTと話して元気出た", l("chatgpt"), nil, nil},
		{"#ai #chatgpt #chatgptdown #gpt4 #tech", l("chatgpt"), nil, nil}, // hashtag stuffing
		{"ChatGPT non va sottovalutato", l("chatgpt"), nil, nil},
		{"Le pedí a ChatGPT que me explicara la caída del imperio romano", l("chatgpt"), nil, nil},
	} {
		c.check(t, m)
	}
}

func TestMatchRecoveries(t *testing.T) {
	m := newTestMatcher(t)
	for _, c := range []matchCase{
		{"ChatGPT is back up", l("chatgpt"), nil, l("chatgpt")},
		{"claude works again", l("claude"), nil, l("claude")},
		{"ChatGPT fonctionne à nouveau", l("chatgpt"), nil, l("chatgpt")},
		{"ya funciona ChatGPT", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPT funktioniert wieder", l("chatgpt"), nil, l("chatgpt")},
		{"voltou o ChatGPT", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPT funziona di nuovo", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPT復旧した", l("chatgpt"), nil, l("chatgpt")},
		// Negations are recovery signals, never complaints (DESIGN.md).
		{"ChatGPT is not down", l("chatgpt"), nil, l("chatgpt")},
		{"chatgpt isn't down for me", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPT was down but it's back now", l("chatgpt"), nil, l("chatgpt")},
		// A complaint about any service wins over a recovery of another.
		{"Claude is back up but ChatGPT is still down", l("chatgpt", "claude"), l("chatgpt"), nil},
	} {
		c.check(t, m)
	}
}

func TestMatchSwitchingAndProblems(t *testing.T) {
	m := newTestMatcher(t)
	tests := []struct {
		text      string
		switching bool
		problems  []string
	}{
		{"ChatGPT is down, switching to Claude", true, nil},
		{"ChatGPT caído, me paso a Claude", true, nil},
		{"ChatGPT落ちてるからClaudeに乗り換えた", true, nil},
		{"ChatGPT down? use Gemini", true, nil},
		{"ChatGPT is down", false, nil},
		{"can't log in to ChatGPT, login loop", false, l("login")},
		{"ChatGPT app keeps saying network error", false, l("errors", "app", "network")},
		{"Claude API returning 529 overloaded errors", false, l("errors", "capacity", "api")},
		{"ChatGPT is so slow today", false, l("slow")},
		{"the ChatGPT website is at capacity", false, l("capacity", "website")},
	}
	for _, tc := range tests {
		p := outcry.Post{Text: tc.text}
		m.Match(&p)
		if !p.Complaint {
			t.Errorf("%q: not a complaint", tc.text)
		}
		if p.Switching != tc.switching || !slices.Equal(p.Problems, tc.problems) {
			t.Errorf("%q: switching=%v problems=%v, want %v %v", tc.text, p.Switching, p.Problems, tc.switching, tc.problems)
		}
	}
}

func TestMatchResetsFields(t *testing.T) {
	m := newTestMatcher(t)
	p := outcry.Post{Text: "ChatGPT is down, switching to Claude"}
	m.Match(&p)
	p.Text = "nice weather today"
	m.Match(&p)
	if p.Services != nil || p.Affected != nil || p.Problems != nil || p.Complaint || p.Recovery || p.Switching {
		t.Errorf("fields not reset: %+v", p)
	}
}

func TestNewMatcherErrors(t *testing.T) {
	if _, err := NewMatcher(nil); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("nil catalog: %v", err)
	}
	if _, err := NewMatcher(&Catalog{}); !errors.Is(err, outcry.ErrInvalid) {
		t.Errorf("empty catalog: %v", err)
	}
}

// TestMatchUserService checks that a service added by config is matched like a
// built-in one, with no lexicon of its own.
func TestMatchUserService(t *testing.T) {
	c, err := DefaultCatalog().Merge([]outcry.Service{{ID: "mycorp", Name: "MyCorp", Aliases: []string{"mycorp", "my corp"}}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(c)
	if err != nil {
		t.Fatal(err)
	}
	matchCase{"My Corp portal is down again", l("mycorp"), l("mycorp"), nil}.check(t, m)
	matchCase{"#MyCorpDown", l("mycorp"), l("mycorp"), nil}.check(t, m)
}

// TestLexiconConsistent checks that no phrase is filed as two different cues, that
// every lexicon phrase survives normalisation and that the automaton is compact.
func TestLexiconConsistent(t *testing.T) {
	cues := map[string]string{}
	tables := map[string]string{"complaint": lexComplaints, "recovery": lexRecoveries, "negation": lexNegations, "ok": lexOKs}
	for kind, text := range tables {
		err := lexEach(text, func(_ []string, phrase string) error {
			for _, v := range lexVariants(phrase, false) {
				if other, ok := cues[v]; ok && other != kind {
					return fmt.Errorf("%q is both %s and %s", v, other, kind)
				}
				cues[v] = kind
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	m := newTestMatcher(t)
	if n := m.auto.states(); n > 1<<16 {
		t.Errorf("automaton has %d states: the 16-bit table no longer fits", n)
	}
	t.Logf("%d patterns, %d states, %d byte classes", len(m.pats), m.auto.states()+m.autoU.states(), m.auto.nc)
}

func TestMatchAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	m := newTestMatcher(t)
	m.Match(&outcry.Post{Text: "warm up the pool"})
	for _, tc := range []struct {
		text string
		max  float64
	}{
		{"Just finished my morning run, 10k in under 50 minutes, feeling great today", 0},
		{"I asked ChatGPT for a lasagna recipe", 1},                // Services
		{"ChatGPT is down, switching to Claude, network error", 3}, // Services, Affected, Problems
	} {
		p := outcry.Post{Text: tc.text}
		if n := testing.AllocsPerRun(200, func() { m.Match(&p) }); n > tc.max {
			t.Errorf("%q: %.1f allocations per Match, want <= %.0f", tc.text, n, tc.max)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	m := newTestMatcher(t)
	posts := readLabelled(t, "testdata/labelled.jsonl")
	want := make([]outcry.Post, len(posts))
	for i, lp := range posts {
		want[i].Text = lp.Text
		m.Match(&want[i])
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range posts {
				j := (i + g*97) % len(posts)
				p := outcry.Post{Text: posts[j].Text}
				m.Match(&p)
				if !slices.Equal(p.Affected, want[j].Affected) || p.Complaint != want[j].Complaint || !slices.Equal(p.Services, want[j].Services) {
					t.Errorf("concurrent match of %q differs", p.Text)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestMatchLongAndOddInput(t *testing.T) {
	m := newTestMatcher(t)
	long := strings.Repeat("lorem ipsum dolor sit amet ", 2000) + "ChatGPT is down"
	p := outcry.Post{Text: long}
	m.Match(&p) // past the scan limit: must not panic, may miss the tail
	for _, s := range []string{"", "\xff\xfe ChatGPT \xc3 down", "#", "@", "#@#", "ChatGPT\x00down", strings.Repeat("#a", 500)} {
		p := outcry.Post{Text: s}
		m.Match(&p)
	}
	matchCase{"\xff ChatGPT is down \xfe", l("chatgpt"), l("chatgpt"), nil}.check(t, m)
}

// TestMatchDatedYear: a complaint dated to an earlier year than the post's is history;
// the post's own year, a later one and a bare number (an error code) are not.
func TestMatchDatedYear(t *testing.T) {
	m := newTestMatcher(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		text      string
		complaint bool
	}{
		{"La caída de WhatsApp en 2021 fue legendaria, 6 horas sin nada", false},
		{"remember when Discord went down in 2023 for a whole day", false},
		{"2021年にLINEとInstagramが落ちた時は大変だった", false},
		{"Discord down again, third outage in 2026 already", true},
		{"Discord is down, error 2021 on every page", true},
		{"Discord down rn", true},
	} {
		p := outcry.Post{Text: c.text, CreatedAt: at}
		m.Match(&p)
		if p.Complaint != c.complaint {
			t.Errorf("%q: complaint %v, want %v", c.text, p.Complaint, c.complaint)
		}
	}
}

// TestMatchMoreLanguages: the basic coverage beyond the seven main languages (Dutch,
// Russian, Polish, Turkish, Korean, Chinese, Indonesian, Arabic), with hard negatives.
func TestMatchMoreLanguages(t *testing.T) {
	checkCases(t, []matchCase{
		{"ChatGPT ligt eruit", l("chatgpt"), l("chatgpt"), nil},
		{"WhatsApp werkt niet meer bij mij", l("whatsapp"), l("whatsapp"), nil},
		{"YouTube не работает", l("youtube"), l("youtube"), nil},
		{"Discord nie działa od rana", l("discord"), l("discord"), nil},
		{"Instagram çöktü mü?", l("instagram"), l("instagram"), nil},
		{"Discord 접속이 안 돼", l("discord"), l("discord"), nil},
		{"ChatGPT崩了", l("chatgpt"), l("chatgpt"), nil},
		{"GitHub又挂了，打不开", l("github"), l("github"), nil},
		{"WhatsApp lagi down ya?", l("whatsapp"), l("whatsapp"), nil},
		{"ChatGPT werkt weer", l("chatgpt"), nil, l("chatgpt")},
		{"Telegram снова работает", l("telegram"), nil, l("telegram")},
		{"Instagram düzeldi", l("instagram"), nil, l("instagram")},
		{"ChatGPT恢复了", l("chatgpt"), nil, l("chatgpt")},
		{"Netflix sudah normal lagi", l("netflix"), nil, l("netflix")},
		{"WhatsApp معطل؟ الرسائل ما توصل", l("whatsapp"), l("whatsapp"), nil},
		{"WhatsApp رجع يشتغل الحمد لله", l("whatsapp"), nil, l("whatsapp")},
		{"Discord 복구됐어요", l("discord"), nil, l("discord")},
		{"Perplexity 계속 에러남", l("perplexity"), l("perplexity"), nil},
		{"Gdyby Google padł na cały dzień, połowa ludzi nie trafiłaby do domu", l("google"), nil, nil},
		{"Курс упал после новостей о Telegram", l("telegram"), nil, nil},
		{"I'm storing my files on Dropbox", l("dropbox"), nil, nil},
	})
}

// TestMatchAnswers: a question answered in the next sentence with "works for me" is a
// denial; an answer with its own complaint, negation, service or "everything else" is not.
func TestMatchAnswers(t *testing.T) {
	checkCases(t, []matchCase{
		{"is discord down? nah, works for me", l("discord"), nil, l("discord")},
		{"Is ChatGPT down? Works fine here", l("chatgpt"), nil, l("chatgpt")},
		{"¿Se cayó WhatsApp? A mí me funciona bien", l("whatsapp"), nil, l("whatsapp")},
		{"Discord en panne ? Chez moi ça marche", l("discord"), nil, l("discord")},
		{"Ist Steam down? Bei mir läuft es", l("steam"), nil, l("steam")},
		{"Instagram è giù? A me funziona", l("instagram"), nil, l("instagram")},
		{"Discord落ちてる？普通に使える", l("discord"), nil, l("discord")},
		{"Is ChatGPT down? Claude works fine", l("chatgpt", "claude"), l("chatgpt"), nil},
		{"Is Claude down?? still not loading for me", l("claude"), l("claude"), nil},
		{"GitHub down? works for me. oh wait now it is down", l("github"), l("github"), nil},
		{"c'est youtube qui rame ? tout le reste marche nickel", l("youtube"), l("youtube"), nil},
		{"ChatGPT is down. Works for me is what support says", l("chatgpt"), l("chatgpt"), nil},
	})
}

// TestMatchRecoveryQuestions: asking whether a service is back says nothing about it
// (a recovery post would help resolve an incident early), unless a later sentence
// answers that it works.
func TestMatchRecoveryQuestions(t *testing.T) {
	checkCases(t, []matchCase{
		{"Is Discord back up yet?", l("discord"), nil, nil},
		{"is claude working again?", l("claude"), nil, nil},
		{"est-ce que ChatGPT remarche ?", l("chatgpt"), nil, nil},
		{"¿ya funciona ChatGPT?", l("chatgpt"), nil, nil},
		{"Ist ChatGPT wieder online?", l("chatgpt"), nil, nil},
		{"ChatGPT復活した？", l("chatgpt"), nil, nil},
		{"Is Discord back up yet? still down for me", l("discord"), l("discord"), nil},
		{"ChatGPT直った？復活した", l("chatgpt"), nil, l("chatgpt")},
		{"Is ChatGPT back? it answers again", l("chatgpt"), nil, l("chatgpt")},
		{"Cloudflare直った？サイト普通に見れるようになった", l("cloudflare"), nil, l("cloudflare")},
		{"ChatGPT is back up. anyone else?", l("chatgpt"), nil, l("chatgpt")},
		{"Claude is back! Can you believe it?", l("claude"), nil, l("claude")},
	})
}

// TestMatchRelapse: a present complaint after a recovery in the same post is the
// newer word ("back up ... down again"); a past one is history.
func TestMatchRelapse(t *testing.T) {
	checkCases(t, []matchCase{
		{"ChatGPT is back up. down again", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT est revenu puis de nouveau en panne", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT volvió pero otra vez caído", l("chatgpt"), l("chatgpt"), nil},
		{"YouTube見れるようになったけどまた落ちた", l("youtube"), l("youtube"), nil},
		{"ChatGPT is fine. down again", l("chatgpt"), l("chatgpt"), nil},
		{"Claude is back online! Was down for like 2 hours", l("claude"), nil, l("claude")},
		{"ChatGPT is back up, my internet is down though", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPT is back, stocks down 3%", l("chatgpt"), nil, l("chatgpt")},
		{"Discord works again, feeling down today", l("discord"), nil, l("discord")},
		{"ChatGPT works again, Claude is down now", l("chatgpt", "claude"), l("claude"), nil},
	})
}

// TestMatchExonerations: a post that says the service is not the one at fault names
// it without complaining about it; a bare "not" before a name is no exoneration.
func TestMatchExonerations(t *testing.T) {
	checkCases(t, []matchCase{
		{"Se me cayó el internet en casa, no es Netflix, es Movistar", l("netflix"), nil, nil},
		{"A net caiu aqui em casa, não é o Netflix não kkkk", l("netflix"), nil, nil},
		{"Die Telekom hat eine Störung, deshalb kein Netflix heute. Nicht Netflix' Schuld.", l("netflix"), nil, nil},
		{"家のWi-Fiが死んでてネトフリ見れない。ネトフリは悪くない", l("netflix"), nil, nil},
		{"my wifi died, it's not Discord", l("discord"), nil, nil},
		{"Netflix not loading, not ChatGPT's fault", l("chatgpt", "netflix"), l("netflix"), nil},
		{"Not Discord going down again", l("discord"), l("discord"), nil},
		{"ChatGPT is down, it's not my wifi", l("chatgpt"), l("chatgpt"), nil},
	})
}

// TestMatchStillAfterQuestion: asking whether a service works again, then saying it
// still fails, is a complaint.
func TestMatchStillAfterQuestion(t *testing.T) {
	checkCases(t, []matchCase{
		{"Voltou pra alguém? o TikTok aqui ainda tá sem carregar vídeo nenhum", l("tiktok"), l("tiktok"), nil},
		{"Funziona di nuovo per qualcuno TikTok? A me ancora niente video", l("tiktok"), l("tiktok"), nil},
		{"Twitter düzeldi mi? Bende hâlâ açılmıyor", l("x"), l("x"), nil},
		{"Is Discord back? Slack still down", l("discord", "slack"), l("slack"), nil},
		{"Discord weer online... nee hoor, alweer plat.", l("discord"), l("discord"), nil},
		{"ディスコード復活した！…と思ったらまた落ちた", l("discord"), l("discord"), nil},
		{"Update: Dropbox synchronisiert wieder, Störung scheint behoben", l("dropbox"), nil, l("dropbox")},
		{"Onze teams liggen plat door de griep", nil, nil, nil},
		{"Is Discord back up yet?", l("discord"), nil, nil},
		{"ChatGPT 어제부터 안 돼", l("chatgpt"), l("chatgpt"), nil},
		{"昨天Claude宕机的复盘报告出来了，写得挺详细", l("claude"), nil, nil},
		{"어제 카카오톡 장애 기사 봤어? 인스타도 잠깐 이상했다던데", l("instagram"), nil, nil},
	})
}

// TestMatchSymptomPhrases: symptom wordings from blind10, and look-alikes that stay
// quiet.
func TestMatchSymptomPhrases(t *testing.T) {
	checkCases(t, []matchCase{
		{"whatsapp messages stuck on one tick", l("whatsapp"), l("whatsapp"), nil},
		{"Cursor just spins forever", l("cursor"), l("cursor"), nil},
		{"Perplexity keeps returning blank answers", l("perplexity"), l("perplexity"), nil},
		{"Vercel : les déploiements plantent", l("vercel"), l("vercel"), nil},
		{"Midjourney no genera nada", l("midjourney"), l("midjourney"), nil},
		{"Jira ist schon wieder weg", l("atlassian"), l("atlassian"), nil},
		{"Instagram schermata bianca", l("instagram"), l("instagram"), nil},
		{"Fortnite non fa entrare", l("fortnite"), l("fortnite"), nil},
		{"Steamのストアが重すぎて開けない", l("steam"), l("steam"), nil},
		{"Teams toujours KO", l("teams"), l("teams"), nil},
		{"Instagram chal hi nahi raha yaar", l("instagram"), l("instagram"), nil},
		{"outlook search returning zero results all morning", l("outlook"), l("outlook"), nil},
		{"anyone else's Discord voice sounding like a robot rn?", l("discord"), l("discord"), nil},
		{"Discordの通話がブツブツ切れる", l("discord"), l("discord"), nil},
		{"Insta wapas aa gaya, ab sab theek hai", l("instagram"), nil, l("instagram")},
		{"Facebook sập à? Không load được bảng tin", l("facebook"), l("facebook"), nil},
		{"Facebook vào lại được rồi mọi người ơi", l("facebook"), nil, l("facebook")},
		{"YouTube pe naya video dekha, mast hai", l("youtube"), nil, nil},
		{"Tôi thích dùng Facebook", l("facebook"), nil, nil},
		{"Instagram DMs won't load, stories work fine tho", l("instagram"), l("instagram"), nil},
		{"Slack's back for me but GitHub is still 500ing on every PR page", l("github", "slack"), l("github"), nil},
		{"is github back yet or should i just go get lunch", l("github"), nil, nil},
		{"Is Instagram down? Instagram works fine for me", l("instagram"), nil, l("instagram")},
		{"WhatsApp und Instagram gehen bei mir wieder", l("instagram", "whatsapp"), nil, l("instagram", "whatsapp")},
		{"WhatsApp funktioniert bei mir wieder", l("whatsapp"), nil, l("whatsapp")},
		{"Discord marche chez moi à nouveau", l("discord"), nil, l("discord")},
		{"Netflix funktioniert bei mir wieder nicht", l("netflix"), l("netflix"), nil},
		{"Fortnite KO in round 2 lol", l("fortnite"), nil, nil},
		{"je plante des tomates en écoutant Spotify", l("spotify"), nil, nil},
	})
}

// TestMatchTopicCue: in Japanese, Chinese and Korean the service opens the sentence
// and the failure ends it, with objects and adverbs in between; what stands between
// may also be the real subject.
func TestMatchTopicCue(t *testing.T) {
	checkCases(t, []matchCase{
		{"Perplexity 답변 생성하다가 멈춤", l("perplexity"), l("perplexity"), nil},
		{"ChatGPTの回答生成が途中で止まる", l("chatgpt"), l("chatgpt"), nil},
		{"Claude今天回答一直报错", l("claude"), l("claude"), nil},
		{"ChatGPT 회사 계정으로 로그인이 안 됨", l("chatgpt"), l("chatgpt"), nil},
		{"YouTube 동영상이 계속 안 나와요", l("youtube"), l("youtube"), nil},
		{"ChatGPT에서 갑자기 오류가 계속 떠요", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT他のAI活用が全く進まない。", l("chatgpt"), nil, nil},
		{"ChatGPT落ちてないよ、こっちは普通に使える", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPTのせいで面接に落ちた", l("chatgpt"), nil, nil},
		{"昨日ChatGPTに聞いたら私のPCが止まる原因が分かった", l("chatgpt"), nil, nil},
		{"굳이 ChatGPT 웹사이트 안들어가도 돼", l("chatgpt"), nil, nil},
		{"ChatGPT 접속이 안 되면 어떡하지", l("chatgpt"), nil, nil},
		{"ChatGPT 없으면 숙제 안 돼", l("chatgpt"), nil, nil},
	})
}

// TestMatchSymptoms: complaints that describe the symptom instead of saying "down"
// (blind6's lesson), and the ordinary phrases around the same words that must stay
// quiet.
func TestMatchSymptoms(t *testing.T) {
	checkCases(t, []matchCase{
		{"vercel builds queued 30+ min, preview deploys not going out", l("vercel"), l("vercel"), nil},
		{"mail sent from outlook to clients just isnt arriving", l("outlook"), l("outlook"), nil},
		{"npm install läuft in ETIMEDOUT gegen die Registry, npm ist kaputt", l("npm"), l("npm"), nil},
		{"Stripe tá devolvendo 500 no checkout", l("stripe"), l("stripe"), nil},
		{"la api de ChatGPT está tirando 500", l("chatgpt"), l("chatgpt"), nil},
		{"GitHub Actionsのジョブが全部Queuedのまま1時間", l("github"), l("github"), nil},
		{"Zoom me saca de la llamada cada 5 minutos", l("zoom"), l("zoom"), nil},
		{"How to fix 'Discord not loading' in 5 steps https://example.com/guide", l("discord"), nil, nil},
		{"ChatGPTはこのままでいい", l("chatgpt"), nil, nil},
		{"Claudeにエラーコードの意味を聞いた", l("claude"), nil, nil},
		{"Netflixの遅延評価について", l("netflix"), nil, nil},
		{"j'écoute Spotify en boucle", l("spotify"), nil, nil},
		{"I am not playing Fortnite anymore", l("fortnite"), nil, nil},
		{"Er bleibt bei Netflix", l("netflix"), nil, nil},
		{"mon patron me vire à cause de ChatGPT", l("chatgpt"), nil, nil},
		{"GitHub Actions stuck on this step because of my own bug", l("github"), nil, nil},
	})
}

// TestMatchPastThenRecovered: a complaint in the past ("it was down") with a recovery
// now is a recovery, in either order; "was down again" and "still is" are not past.
func TestMatchPastThenRecovered(t *testing.T) {
	checkCases(t, []matchCase{
		{"chatgpt is fine now, it was down for like an hour", l("chatgpt"), nil, l("chatgpt")},
		{"ChatGPT was down earlier but works now", l("chatgpt"), nil, l("chatgpt")},
		{"Claude is fine now", l("claude"), nil, l("claude")},
		{"Discord était en panne ce matin mais ça remarche", l("discord"), nil, l("discord")},
		{"ChatGPT was down all morning and still is", l("chatgpt"), l("chatgpt"), nil},
		{"ChatGPT back? no, it was down again 5 min later", l("chatgpt"), l("chatgpt"), nil},
	})
}

// TestMatchNativeScriptNames: the big services under their names in other scripts.
func TestMatchNativeScriptNames(t *testing.T) {
	checkCases(t, []matchCase{
		{"телеграм не работает", l("telegram"), l("telegram"), nil},
		{"유튜브 먹통이냐 ㅠㅠ", l("youtube"), l("youtube"), nil},
		{"油管又卡了，烦死", l("youtube"), l("youtube"), nil},
		{"واتساب واقف من الصبح", l("whatsapp"), l("whatsapp"), nil},
		{"디코 터졌냐", l("discord"), l("discord"), nil},
	})
}

// TestMatchNotTheService: the poster's own things, own mistakes, share prices, job ads
// and postmortems use outage words without reporting an outage.
func TestMatchNotTheService(t *testing.T) {
	checkCases(t, []matchCase{
		{"my brain has been returning 502 Bad Gateway since monday, not even Steam can reboot me", l("steam"), nil, nil},
		{"Se cayó mi router y adiós Twitch", l("twitch"), nil, nil},
		{"Mi personaje de Fortnite se cayó del mapa", l("fortnite"), nil, nil},
		{"Il mio sito su Heroku dà errore 500 perché ho dimenticato la variabile d'ambiente. Colpa mia", l("heroku"), nil, nil},
		{"Las acciones de Spotify se desploman un 12% tras los resultados, caída histórica", l("spotify"), nil, nil},
		{"Cloudflare publicó el análisis post-incidente de la caída del 18 de noviembre", l("cloudflare"), nil, nil},
		{"We're hiring an SRE: our AWS stack keeps going down at night", l("aws"), nil, nil},
		{"ChatGPT is completely broken at math", l("chatgpt"), nil, nil},
		{"Perplexity a planté ma dissert", l("perplexity"), nil, nil},
		{"my Spotify is down again, can't play anything", l("spotify"), l("spotify"), nil},
		{"Twitch is down, my stream died", l("twitch"), l("twitch"), nil},
	})
}

// TestMatchFeatureFailures: a feature of the service failing is a complaint about it
// ("discord voice stuck", "huddles not connecting on slack"); recoveries in progress.
func TestMatchFeatureFailures(t *testing.T) {
	checkCases(t, []matchCase{
		{"zoom meeting just dropped all 200 of us mid-lecture and nobody can rejoin", l("zoom"), l("zoom"), nil},
		{"ChatGPT: \"Please unblock challenges.cloudflare.com to proceed.\"", l("chatgpt"), l("chatgpt"), nil},
		{"actualización: sigue caído Slack, ya van dos horas", l("slack"), l("slack"), nil},
		{"Slack障害まだ続いてる。14時時点でも復旧せず", l("slack"), l("slack"), nil},
		{"cloudflare seems to be recovering, sites loading again here in London", l("cloudflare"), nil, l("cloudflare")},
		{"Twitter beugue à mort, le fil se recharge tout seul", l("x"), l("x"), nil},
	})
}

// checkCases checks each case against a fresh matcher.
func checkCases(t *testing.T, cases []matchCase) {
	t.Helper()
	m := newTestMatcher(t)
	for _, c := range cases {
		c.check(t, m)
	}
}
