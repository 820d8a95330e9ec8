package sim

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

func collect(t *testing.T, cfg Config) []outcry.Post {
	t.Helper()
	var out []outcry.Post
	if err := Generate(t.Context(), cfg, func(p outcry.Post) error {
		out = append(out, p)
		return nil
	}); err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return out
}

// digest hashes the JSONL encoding of a generated day, the bytes `outcry simulate` writes.
func digest(t *testing.T, cfg Config) ([32]byte, int) {
	t.Helper()
	h := sha256.New()
	enc := json.NewEncoder(h)
	n := 0
	if err := Generate(t.Context(), cfg, func(p outcry.Post) error {
		n++
		return enc.Encode(p)
	}); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, n
}

func TestGenerateDeterministic(t *testing.T) {
	for _, name := range Scenarios() {
		cfg := Config{Scenario: name, Seed: 7, Scale: 0.3}
		a, na := digest(t, cfg)
		b, nb := digest(t, cfg)
		if a != b || na != nb {
			t.Errorf("%s: two runs differ (%d vs %d posts)", name, na, nb)
		}
	}
}

func TestGenerateSeedsDiffer(t *testing.T) {
	a, na := digest(t, Config{Scenario: "2024-06-04", Seed: 1, Scale: 0.3})
	b, nb := digest(t, Config{Scenario: "2024-06-04", Seed: 2, Scale: 0.3})
	if a == b {
		t.Fatalf("seeds 1 and 2 gave the same bytes (%d, %d posts)", na, nb)
	}
}

func TestGenerateOrderAndFields(t *testing.T) {
	cfg := Config{Scenario: "2024-06-04", Seed: -3, Scale: 0.5}
	posts := collect(t, cfg)
	day := time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC)
	langs := map[string]bool{"": true, "en": true, "fr": true, "es": true, "de": true, "pt": true, "it": true, "ja": true}
	seen := map[string]bool{}
	for i, p := range posts {
		if i > 0 && p.CreatedAt.Before(posts[i-1].CreatedAt) {
			t.Fatalf("post %d at %v is before post %d at %v", i, p.CreatedAt, i-1, posts[i-1].CreatedAt)
		}
		if p.CreatedAt.Before(day) || !p.CreatedAt.Before(day.Add(24*time.Hour)) || p.CreatedAt.Location() != time.UTC {
			t.Fatalf("post %d at %v: outside the UTC day", i, p.CreatedAt)
		}
		if p.ID != "sim:2024-06-04:-3:"+strconv.Itoa(i) || seen[p.ID] {
			t.Fatalf("post %d: bad or duplicate id %q", i, p.ID)
		}
		seen[p.ID] = true
		if p.Source != "sim" || !p.Simulated || p.Author == "" || p.Text == "" {
			t.Fatalf("post %d: bad fields %+v", i, p)
		}
		if !langs[p.Lang] {
			t.Fatalf("post %d: lang %q", i, p.Lang)
		}
		if p.URL != "" && !strings.HasPrefix(p.URL, "https://example.invalid/") && !strings.HasPrefix(p.URL, "https://status.") {
			t.Fatalf("post %d: url %q", i, p.URL)
		}
		if len(p.Services) > 0 || p.Complaint || p.Recovery {
			t.Fatalf("post %d: matcher fields set: %+v", i, p)
		}
	}
	if posts[0].ID != "sim:2024-06-04:-3:0" {
		t.Errorf("first id %q, want sim:2024-06-04:-3:0", posts[0].ID)
	}
}

func count(t *testing.T, cfg Config) int {
	t.Helper()
	n := 0
	if err := Generate(t.Context(), cfg, func(outcry.Post) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestVolumeAndLinearScale(t *testing.T) {
	counts := map[float64]int{}
	for _, scale := range []float64{0.25, 0.5, 1} {
		counts[scale] = count(t, Config{Scenario: "2024-06-04", Seed: 11, Scale: scale})
	}
	for _, scale := range []float64{0.25, 0.5} {
		ratio := float64(counts[scale]) / float64(counts[1])
		if math.Abs(ratio/scale-1) > 0.05 {
			t.Errorf("scale %v: %d posts, %.3f× scale 1 (%d); want %v× ±5%%", scale, counts[scale], ratio, counts[1], scale)
		}
	}
	t.Logf("posts per day: scale 0.25 %d, 0.5 %d, 1 %d", counts[0.25], counts[0.5], counts[1])
	for _, name := range Scenarios() {
		n := counts[1]
		if name != "2024-06-04" {
			n = count(t, Config{Scenario: name, Seed: 11, Scale: 1})
		}
		if n < 40_000 || n > 80_000 {
			t.Errorf("%s at scale 1: %d posts, want 40k–80k", name, n)
		}
		t.Logf("%s at scale 1: %d posts", name, n)
	}
}

// The test's own complaint rule: a name and an outage word, in any of the languages.
// Deliberately simple (substrings of the lowercased text) and independent of the real
// matcher in detect/.
var (
	complaintWords = []string{" down", "not working", "isn't working", "outage", "panne", "ne marche", "ne fonctionne", "ne répond",
		"se cayó", "caído", "caídos", "no funciona", "no carga", "caiu", "fora do ar", "não funciona", "funktioniert nicht",
		"ausgefallen", "störung", "non funziona", "non va", "non risponde", "落ち", "繋がらない", "使えない", "障害",
		"502", "503", "500s", "error", "at capacity", "can't log in", "won't load", "dead"}
	recoveryWords = []string{"back up", "is back", "works again", "working again", "remarche", "ya funciona", "volvió", "voltou",
		"geht wieder", "läuft wieder", "è tornato", "復活", "直った"}
	serviceNames = map[string][]string{
		"chatgpt":    {"chatgpt", "chat gpt", "openai", "gpt-4o"},
		"claude":     {"claude", "anthropic"},
		"perplexity": {"perplexity"},
		"cloudflare": {"cloudflare", "cf "},
		"discord":    {"discord"},
		"x":          {"twitter", "x ", "x.com", "bird app", "#xdown"},
	}
)

func containsAny(lower string, subs []string) bool {
	for _, s := range subs {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}

// isComplaint applies the rule to a lowercased text.
func isComplaint(lower string) bool {
	return containsAny(" "+lower, complaintWords) && !containsAny(lower, recoveryWords)
}

// names reports whether a lowercased text names svc by the rule.
func names(svc, lower string) bool { return containsAny(" "+lower+" ", serviceNames[svc]) }

// complaintMinutes counts, per service, posts per minute of the day that the simple rule
// calls complaints. Retweets are left out, like a careful counter would.
func complaintMinutes(posts []outcry.Post, start time.Time) map[string][]int {
	out := map[string][]int{}
	for svc := range serviceNames {
		out[svc] = make([]int, dayMinutes)
	}
	for _, p := range posts {
		lower := strings.ToLower(p.Text)
		if strings.HasPrefix(p.Text, "RT @") || !isComplaint(lower) {
			continue
		}
		m := int(p.CreatedAt.Sub(start) / time.Minute)
		for svc := range serviceNames {
			if names(svc, lower) {
				out[svc][m]++
			}
		}
	}
	return out
}

func mean(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0
	for _, x := range xs {
		s += x
	}
	return float64(s) / float64(len(xs))
}

func TestTruthWindowsContainBursts(t *testing.T) {
	for _, cfg := range []Config{
		{Scenario: "2024-06-04", Seed: 1, Scale: 1},
		{Scenario: "2024-06-04", Seed: 99, Scale: 0.5},
		{Scenario: "cdn-outage", Seed: 5, Scale: 1},
	} {
		posts := collect(t, cfg)
		truth, err := Truth(cfg)
		if err != nil {
			t.Fatal(err)
		}
		start := truth[0].Start.Truncate(24 * time.Hour)
		counts := complaintMinutes(posts, start)
		for _, inc := range truth {
			series := counts[inc.Service]
			s := int(inc.Start.Sub(start) / time.Minute)
			e := int(inc.End.Sub(start) / time.Minute)
			// Outside: the same service, away from any of its windows (the spammer included).
			var outside []int
			for m := range series {
				far := true
				for _, o := range truth {
					os, oe := int(o.Start.Sub(start)/time.Minute), int(o.End.Sub(start)/time.Minute)
					if o.Service == inc.Service && m >= os-30 && m < oe+60 {
						far = false
					}
				}
				if far {
					outside = append(outside, series[m])
				}
			}
			base := mean(outside)
			inside := mean(series[s:e])
			onset := mean(series[s+3 : s+10])
			before := mean(series[s-10 : s])
			t.Logf("%s seed %d scale %v %s %s: outside %.2f/min, before %.2f, onset(+3..+10) %.2f, inside %.2f",
				cfg.Scenario, cfg.Seed, cfg.Scale, inc.Service, inc.Start.Format("15:04"), base, before, onset, inside)
			if inside < 5*base+1 {
				t.Errorf("%s %s: inside %.2f/min is no burst over %.2f/min outside", inc.Service, inc.Start.Format("15:04"), inside, base)
			}
			if onset < 3*base+1 {
				t.Errorf("%s %s: the crowd is too slow: %.2f/min in minutes 3–10 vs %.2f outside", inc.Service, inc.Start.Format("15:04"), onset, base)
			}
			if after := mean(series[e+30 : e+90]); after > 3*base+0.5 {
				t.Errorf("%s %s: complaints go on after the end: %.2f/min", inc.Service, inc.Start.Format("15:04"), after)
			}
		}
	}
}

func TestQuietDayHasNoBurst(t *testing.T) {
	cfg := Config{Scenario: "quiet", Seed: 3, Scale: 1}
	truth, err := Truth(cfg)
	if err != nil || len(truth) != 0 || truth == nil {
		t.Fatalf("quiet truth = %v, %v; want empty", truth, err)
	}
	posts := collect(t, cfg)
	// Distinct complaining authors per 15 minutes: the spammer counts once.
	day := time.Date(2024, 6, 11, 0, 0, 0, 0, time.UTC)
	authors := map[string][]map[string]bool{}
	for svc := range serviceNames {
		authors[svc] = make([]map[string]bool, dayMinutes/15)
	}
	for _, p := range posts {
		lower := strings.ToLower(p.Text)
		if strings.HasPrefix(p.Text, "RT @") || !isComplaint(lower) {
			continue
		}
		w := int(p.CreatedAt.Sub(day)/time.Minute) / 15
		for svc := range serviceNames {
			if names(svc, lower) {
				if authors[svc][w] == nil {
					authors[svc][w] = map[string]bool{}
				}
				authors[svc][w][p.Author] = true
			}
		}
	}
	for svc, windows := range authors {
		worst := 0
		for _, a := range windows {
			worst = max(worst, len(a))
		}
		// In an outage the same count is in the hundreds (TestTruthWindowsContainBursts).
		if worst > 30 {
			t.Errorf("quiet day: %s has %d complaining authors in one 15-minute window", svc, worst)
		}
		t.Logf("quiet day: %s: at most %d complaining authors per 15 min", svc, worst)
	}
}

func TestStoryElements(t *testing.T) {
	cfg := Config{Scenario: "2024-06-04", Seed: 4, Scale: 1}
	posts := collect(t, cfg)
	day := time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(hm(h, m)) }

	quoted, quotedRT := 0, 0
	switchBeforeClaude, switchEarlier := 0, 0
	langs := map[string]int{}
	recoveries := 0
	authorPosts := map[string]int{}
	spamTexts := map[string]bool{}
	for _, p := range posts {
		authorPosts[p.Author]++
		switch {
		case p.Text == quotedPost:
			quoted++
			if !p.CreatedAt.Equal(at(15, 7).Add(23 * time.Second)) {
				t.Errorf("quoted post at %v", p.CreatedAt)
			}
		case strings.Contains(p.Text, quotedPost):
			quotedRT++
		}
		// Both names, no failure word for Claude yet: users moving from ChatGPT to Claude.
		lower := strings.ToLower(p.Text)
		if names("chatgpt", lower) && names("claude", lower) {
			if !p.CreatedAt.Before(at(14, 20)) && p.CreatedAt.Before(at(14, 50)) {
				switchBeforeClaude++
			}
			if !p.CreatedAt.Before(at(12, 0)) && p.CreatedAt.Before(at(13, 30)) {
				switchEarlier++
			}
		}
		if inWindow(p.CreatedAt, at(14, 14), at(17, 7)) && names("chatgpt", lower) && isComplaint(lower) {
			langs[p.Lang]++
		}
		if inWindow(p.CreatedAt, at(17, 7), at(17, 40)) && containsAny(lower, recoveryWords) {
			recoveries++
		}
		if p.Author == "gpt_refund_now" {
			spamTexts[p.Text] = true
			if !inWindow(p.CreatedAt, at(1, 0), at(5, 40)) {
				t.Errorf("spammer posts at %v, inside an incident window", p.CreatedAt)
			}
		}
	}
	if quoted != 1 || quotedRT < 10 {
		t.Errorf("quoted post: %d originals, %d retweets; want 1 and some retweets", quoted, quotedRT)
	}
	// Co-mentions (ordinary "ChatGPT vs Claude" plus switching) per 30 minutes must jump
	// while ChatGPT is down and Claude still works.
	if perHalfHour := float64(switchEarlier) / 3; float64(switchBeforeClaude) < 3*perHalfHour+5 {
		t.Errorf("ChatGPT+Claude co-mentions 14:20–14:50: %d, vs %.1f per 30 min at 12:00–13:30: no switching", switchBeforeClaude, perHalfHour)
	}
	for _, l := range []string{"en", "fr", "es", "de", "pt", "it", "ja"} {
		if langs[l] < 10 {
			t.Errorf("only %d ChatGPT complaints in %q during the afternoon outage (all: %v)", langs[l], l, langs)
		}
	}
	if recoveries < 20 {
		t.Errorf("%d recovery posts after ChatGPT came back", recoveries)
	}
	if len(spamTexts) != 1 || authorPosts["gpt_refund_now"] < 250 {
		t.Errorf("spammer: %d posts, %d distinct texts; want ≥250 identical", authorPosts["gpt_refund_now"], len(spamTexts))
	}
	if authorPosts[retweetBot] < 100 {
		t.Errorf("retweet bot: %d posts", authorPosts[retweetBot])
	}
	// Power law: most people post once, a few post a lot.
	once, heavy := 0, 0
	for a, n := range authorPosts {
		if n == 1 {
			once++
		}
		if n >= 50 && a != retweetBot && a != "gpt_refund_now" {
			heavy++
		}
	}
	if float64(once) < 0.5*float64(len(authorPosts)) || heavy < 20 {
		t.Errorf("authors: %d of %d post once, %d post ≥50 times; want a heavy tail", once, len(authorPosts), heavy)
	}
	t.Logf("quoted RTs %d, co-mentions %d vs %d, afternoon complaint langs %v, recoveries %d, authors %d (%d once, %d heavy)",
		quotedRT, switchBeforeClaude, switchEarlier, langs, recoveries, len(authorPosts), once, heavy)
}

func inWindow(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

func TestHardNegativesPresent(t *testing.T) {
	posts := collect(t, Config{Scenario: "quiet", Seed: 1, Scale: 0.5})
	want := []string{"Claude Monet", "download", "feeling down", "shutdown script"}
	found := map[string]int{}
	for _, p := range posts {
		for _, w := range want {
			if strings.Contains(strings.ToLower(p.Text), strings.ToLower(w)) {
				found[w]++
			}
		}
	}
	for _, w := range want {
		if found[w] == 0 {
			t.Errorf("no hard negative containing %q", w)
		}
	}
}

func TestStartMovesTheDay(t *testing.T) {
	base := Config{Scenario: "cdn-outage", Seed: 8, Scale: 0.2}
	moved := base
	moved.Start = time.Date(2031, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	a, b := collect(t, base), collect(t, moved)
	if len(a) != len(b) {
		t.Fatalf("moving the day changed the volume: %d vs %d", len(a), len(b))
	}
	shift := moved.Start.Sub(time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC))
	for i := range a {
		if b[i].Text != a[i].Text || !b[i].CreatedAt.Equal(a[i].CreatedAt.Add(shift)) || b[i].CreatedAt.Location() != time.UTC {
			t.Fatalf("post %d: %v %q vs %v %q", i, a[i].CreatedAt, a[i].Text, b[i].CreatedAt, b[i].Text)
		}
	}
	ta, _ := Truth(base)
	tb, _ := Truth(moved)
	if !tb[0].Start.Equal(ta[0].Start.Add(shift)) {
		t.Errorf("truth not moved: %v vs %v", ta[0].Start, tb[0].Start)
	}
	oa, ob := Official(base), Official(moved)
	if !ob[0].Start.Equal(oa[0].Start.Add(shift)) {
		t.Errorf("official not moved: %v vs %v", oa[0].Start, ob[0].Start)
	}
}

func TestInvalidConfig(t *testing.T) {
	bad := []Config{
		{Scenario: "1999-12-31", Scale: 1},
		{Scenario: "", Scale: 1},
		{Scenario: "quiet", Scale: 0},
		{Scenario: "quiet", Scale: -1},
		{Scenario: "quiet", Scale: math.NaN()},
		{Scenario: "quiet", Scale: math.Inf(1)},
		{Scenario: "quiet", Scale: 1e6},
	}
	for _, cfg := range bad {
		called := false
		err := Generate(t.Context(), cfg, func(outcry.Post) error { called = true; return nil })
		if !errors.Is(err, outcry.ErrInvalid) || called {
			t.Errorf("Generate(%+v) = %v (emitted %v), want ErrInvalid and no posts", cfg, err, called)
		}
		if _, err := Truth(cfg); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("Truth(%+v) = %v, want ErrInvalid", cfg, err)
		}
		if o := Official(cfg); o != nil {
			t.Errorf("Official(%+v) = %v, want nil", cfg, o)
		}
	}
	if err := Generate(t.Context(), DefaultConfig(), func(outcry.Post) error { return errStop }); !errors.Is(err, errStop) {
		t.Errorf("DefaultConfig: %v", err)
	}
}

var errStop = errors.New("stop")

func TestStopping(t *testing.T) {
	n := 0
	err := Generate(t.Context(), DefaultConfig(), func(outcry.Post) error {
		if n++; n == 1000 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || n != 1000 {
		t.Errorf("emit error: got %v after %d posts", err, n)
	}
	ctx, cancel := context.WithCancel(t.Context())
	n = 0
	err = Generate(ctx, DefaultConfig(), func(outcry.Post) error {
		if n++; n == 1000 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n > 1200 {
		t.Errorf("cancel: got %v after %d posts", err, n)
	}
}

// TestStreaming checks that memory stays flat while a large day is generated.
func TestStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 330k posts")
	}
	var ms runtime.MemStats
	peak, n := uint64(0), 0
	err := Generate(t.Context(), Config{Scenario: "2024-06-04", Seed: 1, Scale: 5}, func(outcry.Post) error {
		if n++; n%100_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Holding the posts would take over 100 MB here.
	if peak > 40<<20 {
		t.Errorf("live heap reached %d MB while generating %d posts", peak>>20, n)
	}
	t.Logf("%d posts, live heap ≤ %d MB", n, peak>>20)
}

func TestTruthAndOfficial(t *testing.T) {
	cfg := DefaultConfig()
	truth, err := Truth(cfg)
	if err != nil {
		t.Fatal(err)
	}
	type window struct{ svc, start, end string }
	var got []window
	for _, inc := range truth {
		got = append(got, window{inc.Service, inc.Start.Format("15:04"), inc.End.Format("15:04")})
	}
	want := []window{{"chatgpt", "06:49", "11:10"}, {"chatgpt", "14:14", "17:07"}, {"perplexity", "14:30", "16:30"}, {"claude", "14:53", "16:45"}}
	if len(got) != len(want) {
		t.Fatalf("truth = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("truth[%d] = %v, want %v", i, got[i], want[i])
		}
	}

	var buf bytes.Buffer
	if err := WriteTruthCSV(&buf, truth); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "service,start_utc,end_utc,source,title" || len(rows) != len(truth)+1 {
		t.Fatalf("csv header/rows: %v", rows)
	}
	if rows[1][0] != "chatgpt" || rows[1][1] != "2024-06-04T06:49:00Z" || rows[1][2] != "2024-06-04T11:10:00Z" {
		t.Errorf("csv row: %v", rows[1])
	}

	official := Official(cfg)
	starts := map[string][]string{}
	for _, o := range official {
		starts[o.Service] = append(starts[o.Service], o.Start.Format("15:04"))
		if o.End == nil || !o.Resolved || len(o.Updates) == 0 || o.Source != "sim-status" || !strings.HasPrefix(o.ID, "sim-status:2024-06-04:") {
			t.Errorf("official %+v", o)
		}
		// The vendor never speaks before the crowd.
		for _, inc := range truth {
			if inc.Service == o.Service && inWindow(o.Start, inc.Start.Add(-time.Minute), inc.End) && o.Start.Before(inc.Start) {
				t.Errorf("official %s at %v before the crowd's %v", o.Service, o.Start, inc.Start)
			}
		}
	}
	if strings.Join(starts["chatgpt"], " ") != "07:21 14:33" || strings.Join(starts["claude"], " ") != "14:53" {
		t.Errorf("official starts %v, want the status pages' 07:21, 14:33 and claude 14:53", starts)
	}
	q := Official(Config{Scenario: "quiet", Scale: 1})
	if q == nil || len(q) != 0 {
		t.Errorf("quiet official = %v, want empty", q)
	}
}

func TestScenarios(t *testing.T) {
	names := Scenarios()
	if len(names) < 3 || names[0] != "2024-06-04" {
		t.Fatalf("Scenarios() = %v", names)
	}
	// The shared-dependency day: every failing service starts in the same minute.
	truth, err := Truth(Config{Scenario: "cdn-outage", Scale: 1})
	if err != nil || len(truth) < 3 {
		t.Fatalf("cdn-outage truth: %v %v", truth, err)
	}
	for _, inc := range truth {
		if !inc.Start.Equal(truth[0].Start) {
			t.Errorf("cdn-outage: %s starts at %v, not with the others", inc.Service, inc.Start)
		}
	}
}

func TestServicesCovered(t *testing.T) {
	posts := collect(t, Config{Scenario: "quiet", Seed: 2, Scale: 0.3})
	svcs := catalog()
	if len(svcs) < 15 {
		t.Fatalf("%d services", len(svcs))
	}
	for _, s := range svcs {
		n := 0
		for _, p := range posts {
			if strings.Contains(p.Text, s.forms[0]) {
				n++
			}
		}
		if n < 20 {
			t.Errorf("%s: %d posts name it as %q", s.id, n, s.forms[0])
		}
	}
}

func TestTemplates(t *testing.T) {
	tp := parseTemplate("{S} est en panne {x} {H}!{")
	var sb strings.Builder
	pb := newPhrasebook()
	svc := catalog()[0]
	pb.expand(&sb, newRNG("t", 1, "t"), tp, &fill{s: svc, sName: "ChatGPT"})
	if got := sb.String(); !strings.HasPrefix(got, "ChatGPT est en panne {x} #") || !strings.HasSuffix(got, "!{") {
		t.Errorf("expand = %q", got)
	}
	// Every template of every set expands without leftover slots.
	sets := []*phraseSet{pb.complaint, pb.preack, pb.slow, pb.personal, pb.openers, pb.closers, pb.recovery, pb.switching,
		pb.switchDown, pb.multi2, pb.multi3, pb.cause, pb.cause2, pb.outageNews, pb.productNews, pb.topics, pb.hardNeg, pb.genericOrdinary}
	for _, s := range pb.ordinary {
		sets = append(sets, s)
	}
	svcs := catalog()
	f := &fill{s: svcs[0], b: svcs[1], c: svcs[2], d: svcs[16], sName: "A", bName: "B", cName: "C", dName: "D"}
	r := newRNG("t", 2, "t")
	for _, set := range sets {
		for li := range numLangs {
			for _, tp := range set[li] {
				sb.Reset()
				f.li = li
				pb.expand(&sb, r, tp, f)
				if s := sb.String(); strings.Contains(s, "{") && !strings.Contains(s, "{x}") {
					t.Errorf("leftover slot in %q", s)
				}
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, scale := range []float64{1, 16} {
		b.Run("scale="+strconv.FormatFloat(scale, 'g', -1, 64), func(b *testing.B) {
			n := 0
			for b.Loop() {
				if err := Generate(context.Background(), Config{Scenario: "2024-06-04", Seed: 1, Scale: scale}, func(outcry.Post) error {
					n++
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
			b.ReportMetric(float64(n)/float64(b.N), "posts/op")
		})
	}
}

// BenchmarkGenerateJSONL measures what `outcry simulate` does: generate and encode JSONL.
func BenchmarkGenerateJSONL(b *testing.B) {
	n := 0
	for b.Loop() {
		w := bufio.NewWriterSize(io.Discard, 256<<10)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if err := Generate(context.Background(), Config{Scenario: "2024-06-04", Seed: 1, Scale: 16}, func(p outcry.Post) error {
			n++
			return enc.Encode(p)
		}); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
}
