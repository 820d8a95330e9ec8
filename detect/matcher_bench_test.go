package detect

import (
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/outcry/outcry"
)

// benchChatter is everyday text that names no service or names one without
// complaining: most of what a firehose delivers.
var benchChatter = []string{
	"Just finished my morning run, 10k in under 50 minutes 🏃‍♂️ feeling great today",
	"Anyone have recommendations for a good pizza place near the station? Visiting this weekend",
	"The new season of that show is so good, I binged the whole thing last night lol",
	"Reminder: the team meeting moved to 3pm, bring your laptops and the Q3 numbers",
	"I asked ChatGPT for a lasagna recipe and honestly it was better than my grandma's, don't tell her",
	"Hot take: tabs are better than spaces and I will die on this hill #coding",
	"Le match de ce soir était incroyable, quel but à la dernière minute ! Allez les bleus",
	"Hoy hace un calor terrible en Madrid, no se puede ni salir a la calle 🥵",
	"Heute endlich den Umzug geschafft, jetzt nur noch 40 Kartons auspacken 😅",
	"Que dia lindo em Lisboa, café na praça e um pastel de nata, perfeito",
	"Stasera pizza e film con gli amici, qualcuno ha consigli su cosa guardare?",
	"今日は天気がいいので散歩に行ってきました。桜がきれいだった",
	"Using Claude to refactor a 2,000 line legacy module, this is wild #ai #programming",
	"GitHub Copilot just autocompleted my entire test file. I'm not sure how I feel about this",
	"Our quarterly report shows revenue up 12% year over year, a great result for the team",
	"Can't believe it's already December, where did this year go??",
	"Breaking: city council approves the new bike lane plan for downtown after a long debate",
	"My cat knocked my coffee onto the keyboard again. Third time this month. Send help",
	"Reading a great book about the history of the printing press, highly recommend",
	"New blog post: 10 tips for writing clean Go code, from error wrapping to small interfaces",
	"The Perplexity answer cited three sources and all of them were actually relevant, nice",
	"Watching the sunset from the pier, no filter needed 🌅 #photography #travel",
	"Is it just me or are concert tickets getting ridiculously expensive lately?",
	"Finally beat the final boss after 40 tries, my hands are shaking #gaming",
}

// benchPosts builds a realistic mix: mostly chatter, some labelled posts (complaints,
// recoveries, hard negatives) and some long posts such as feed items.
func benchPosts(tb testing.TB) []string {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var labelled []string
	for _, p := range readLabelledTB(tb, "testdata/labelled.jsonl") {
		labelled = append(labelled, p.Text)
	}
	posts := make([]string, 0, 4096)
	for len(posts) < cap(posts) {
		switch r := rng.IntN(100); {
		case r < 75:
			posts = append(posts, benchChatter[rng.IntN(len(benchChatter))])
		case r < 95:
			posts = append(posts, labelled[rng.IntN(len(labelled))])
		default:
			var b strings.Builder
			for range 8 + rng.IntN(8) {
				b.WriteString(benchChatter[rng.IntN(len(benchChatter))])
				b.WriteString(". ")
			}
			b.WriteString(labelled[rng.IntN(len(labelled))])
			posts = append(posts, b.String())
		}
	}
	return posts
}

func readLabelledTB(tb testing.TB, path string) []labelledPost {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var out []labelledPost
	for line := range strings.Lines(string(data)) {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		var lp labelledPost
		if err := json.Unmarshal([]byte(line), &lp); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, lp)
	}
	return out
}

func benchMatch(b *testing.B, posts []string) {
	m := newTestMatcher(b)
	var bytes int64
	for _, p := range posts {
		bytes += int64(len(p))
	}
	b.SetBytes(bytes / int64(len(posts)))
	b.ReportAllocs()
	b.ResetTimer()
	var p outcry.Post
	i := 0
	for b.Loop() {
		p.Text = posts[i]
		m.Match(&p)
		if i++; i == len(posts) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkMatch measures the matcher on a realistic mix (75% chatter, 20% labelled
// posts, 5% long feed items). Run with -cpu 1 for the single-core figure.
func BenchmarkMatch(b *testing.B) { benchMatch(b, benchPosts(b)) }

// BenchmarkMatchRealTweets measures it on the real ChatGPT tweets, when available.
func BenchmarkMatchRealTweets(b *testing.B) {
	f, err := os.Open("../../shared/data/real/posts_normalized.csv")
	if err != nil {
		b.Skip("shared/data/real is absent")
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	posts := make([]string, 0, len(rows))
	for _, r := range rows[1:] {
		posts = append(posts, r[7])
	}
	benchMatch(b, posts)
}

// BenchmarkNewMatcher measures compiling the catalog and lexicon.
func BenchmarkNewMatcher(b *testing.B) {
	c := DefaultCatalog()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewMatcher(c); err != nil {
			b.Fatal(err)
		}
	}
}
