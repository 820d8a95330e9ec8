package sim

import "time"

// incidentSpec is one outage of one service inside a scenario. Times are offsets from
// the start of the scenario day.
type incidentSpec struct {
	service    string
	start, end time.Duration
	// peak is complaint posts per minute once the crowd has noticed, at the service's
	// mean activity and scale 1. The real rate follows who is awake.
	peak float64
	// precursor is the share of peak reported as slowness in the 12 minutes before the
	// start, when load builds up on a service about to fail (0: none).
	precursor float64
	// cause is the catalog id of a shared dependency the crowd blames ("cloudflare").
	cause  string
	title  string
	source string
}

// officialSpec is the vendor's status-page incident for an outage: later than the crowd.
type officialSpec struct {
	service, id, url, title, impact string
	start, end                      time.Duration
	updates                         []updateSpec
}

type updateSpec struct {
	at           time.Duration
	status, body string
}

// scriptedPost is a post that happens at a fixed time whatever the seed and scale.
type scriptedPost struct {
	at                      time.Duration
	author, lang, text, url string
	// retweets is how many people retweet it over the following hour or so, at scale 1.
	retweets float64
}

// spamSpec is one account posting the same complaint every minute, outside any incident.
type spamSpec struct {
	author, lang, text string
	start, end         time.Duration
}

// newsSpec is a scheduled burst of ordinary mentions (an announcement), no complaints.
type newsSpec struct {
	service   string
	at        time.Duration
	amplitude float64 // extra mentions as a multiple of the ordinary rate at the peak
	decay     time.Duration
}

// scenarioSpec is one simulated day.
type scenarioSpec struct {
	name        string
	day         time.Time
	incidents   []incidentSpec
	officials   []officialSpec
	scripted    []scriptedPost
	spam        []spamSpec
	news        []newsSpec
	randomNews  float64 // expected unscheduled announcement bursts per day, all services
	randomBlips float64 // expected tiny complaint clusters per day (a regional ISP, a bad deploy)
}

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

func hms(h, m, s int) time.Duration { return hm(h, m) + time.Duration(s)*time.Second }

// The post quoted in the press about 4 June 2024.
const quotedPost = "ChatGPT, Claude, et Perplexity — trois services d'IA totalement différents — sont tous en panne en ce moment. Mais que se passe-t-il ?"

// scenarios returns every scenario by name, in the order Scenarios lists them.
func scenarios() []*scenarioSpec {
	return []*scenarioSpec{june4(), quiet(), cdnOutage()}
}

func lookupScenario(name string) *scenarioSpec {
	for _, s := range scenarios() {
		if s.name == name {
			return s
		}
	}
	return nil
}

// june4 models 4 June 2024 (a Tuesday). Outage windows are the ones the crowd saw;
// status-page incidents are the vendors' real ones (OpenAI 07:21 and 14:33, Anthropic
// 14:53, from ../shared/data/real/incidents.csv). Perplexity's status history for that
// day is not in our data: its official incident below is modelled, with a typical lag.
func june4() *scenarioSpec {
	const openai = "https://status.openai.com/incidents/"
	return &scenarioSpec{
		name: "2024-06-04",
		day:  time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC),
		incidents: []incidentSpec{
			{service: "chatgpt", start: hm(6, 49), end: hm(11, 10), peak: 30,
				title: "ChatGPT unavailable (overnight US, morning Europe)", source: openai + "rs49lmsh6xxw"},
			{service: "chatgpt", start: hm(14, 14), end: hm(17, 7), peak: 32,
				title: "ChatGPT unavailable (second outage)", source: openai + "qvp3rhvc3vwk"},
			{service: "perplexity", start: hm(14, 30), end: hm(16, 30), peak: 6, precursor: 0.08,
				title: "Perplexity failing while ChatGPT is down", source: "modelled on press reports of 4 June 2024"},
			{service: "claude", start: hm(14, 53), end: hm(16, 45), peak: 12, precursor: 0.08,
				title: "Partial outage on claude.ai and console.anthropic.com", source: "https://status.anthropic.com/incidents/gm6vlw4gc377"},
		},
		officials: []officialSpec{
			{service: "chatgpt", id: "rs49lmsh6xxw", url: openai + "rs49lmsh6xxw", title: "ChatGPT is unavailable for some users.",
				impact: "major", start: hm(7, 21), end: hm(11, 45), updates: []updateSpec{
					{hm(7, 21), "investigating", "We are investigating reports of ChatGPT being unavailable for some users."},
					{hm(9, 2), "identified", "We have identified the issue and are working on a fix."},
					{hm(11, 14), "monitoring", "A fix has been implemented and we are monitoring the results."},
					{hm(11, 45), "resolved", "This incident has been resolved."}}},
			{service: "chatgpt", id: "qvp3rhvc3vwk", url: openai + "qvp3rhvc3vwk", title: "ChatGPT is unavailable for some users.",
				impact: "major", start: hm(14, 33), end: hm(17, 17), updates: []updateSpec{
					{hm(14, 33), "investigating", "We are investigating reports of ChatGPT being unavailable for some users."},
					{hm(15, 40), "identified", "We have identified the issue and are working on a fix."},
					{hm(17, 9), "monitoring", "A fix has been implemented and we are monitoring the results."},
					{hm(17, 17), "resolved", "This incident has been resolved."}}},
			{service: "claude", id: "gm6vlw4gc377", url: "https://status.anthropic.com/incidents/gm6vlw4gc377",
				title: "Partial Outage on claude.ai and console.anthropic.com", impact: "major", start: hm(14, 53), end: hm(16, 45),
				updates: []updateSpec{
					{hm(14, 53), "investigating", "We are currently investigating this issue."},
					{hm(15, 31), "identified", "The issue has been identified and a fix is being implemented."},
					{hm(16, 21), "monitoring", "A fix has been implemented and we are monitoring the results."},
					{hm(16, 45), "resolved", "This incident has been resolved."}}},
			{service: "perplexity", id: "modelled-2024-06-04", url: "https://status.perplexity.com/",
				title: "Degraded performance on perplexity.ai", impact: "minor", start: hm(15, 2), end: hm(16, 41),
				updates: []updateSpec{
					{hm(15, 2), "investigating", "We are seeing elevated error rates and are investigating."},
					{hm(16, 41), "resolved", "Error rates are back to normal."}}},
		},
		scripted: []scriptedPost{{at: hms(15, 7, 23), author: "juliette_ia", lang: "fr", text: quotedPost,
			url: "https://example.invalid/juliette_ia/status/1798026541207413102", retweets: 40}},
		spam: []spamSpec{{author: "gpt_refund_now", lang: "en", start: hm(1, 5), end: hm(5, 35),
			text: "@OpenAI ChatGPT is NOT WORKING for me AGAIN. Fix it or refund me!!! #ChatGPTdown"}},
		randomNews:  4,
		randomBlips: 6,
	}
}

// quiet is an ordinary day with no outage: a big announcement (mentions triple, nobody
// complains), the usual background complaints, a spammer and tiny local glitches.
func quiet() *scenarioSpec {
	return &scenarioSpec{
		name: "quiet",
		day:  time.Date(2024, 6, 11, 0, 0, 0, 0, time.UTC),
		spam: []spamSpec{{author: "binge_queen_88", lang: "en", start: hm(13, 0), end: hm(17, 30),
			text: "@Netflix my Netflix is not working AGAIN, error NW-2-5 every single time. FIX IT #NetflixDown"}},
		news:        []newsSpec{{service: "chatgpt", at: hm(17, 40), amplitude: 2.5, decay: time.Hour}},
		randomNews:  4,
		randomBlips: 6,
	}
}

// cdnOutage is a shared-dependency day: a CDN/edge provider fails and six services go
// down within the same minute, recovering over a few minutes of each other. Nothing here
// is a real record; the shape follows public accounts of large edge-network outages.
func cdnOutage() *scenarioSpec {
	const status = "https://example.invalid/status/"
	start := hm(11, 20)
	inc := func(svc string, peak float64, end time.Duration) incidentSpec {
		return incidentSpec{service: svc, start: start, end: end, peak: peak, cause: "cloudflare",
			title: "Unreachable behind a failing edge network", source: "simulated shared-dependency outage"}
	}
	off := func(svc, title string, at, end time.Duration) officialSpec {
		return officialSpec{service: svc, id: "cdn-" + svc, url: status + svc, title: title, impact: "major", start: at, end: end,
			updates: []updateSpec{{at, "investigating", "We are investigating elevated error rates."},
				{end, "resolved", "This incident has been resolved."}}}
	}
	cf := inc("cloudflare", 10, hm(14, 30))
	cf.cause = ""
	cf.title = "Edge network failure (the shared dependency)"
	return &scenarioSpec{
		name: "cdn-outage",
		day:  time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC),
		incidents: []incidentSpec{
			cf,
			inc("chatgpt", 24, hm(14, 22)),
			inc("x", 16, hm(14, 35)),
			inc("discord", 14, hm(14, 18)),
			inc("claude", 9, hm(14, 25)),
			inc("perplexity", 5, hm(14, 26)),
		},
		officials: []officialSpec{
			off("cloudflare", "Cloudflare Global Network experiencing issues", hm(11, 48), hm(14, 42)),
			off("chatgpt", "Elevated errors on ChatGPT", hm(12, 3), hm(14, 40)),
			off("discord", "Connectivity issues", hm(11, 55), hm(14, 30)),
			off("claude", "Elevated errors on claude.ai", hm(12, 10), hm(14, 38)),
		},
		spam: []spamSpec{{author: "merge_conflict_mike", lang: "en", start: hm(2, 0), end: hm(6, 30),
			text: "@github GitHub is down for me AGAIN, can't push anything!!! #GitHubDown"}},
		randomNews:  4,
		randomBlips: 6,
	}
}
