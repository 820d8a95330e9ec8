package detect

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/outcry/outcry"
)

// A small synthetic day of matched posts, standing in for the scenario simulator: it
// models what people post (a daily rhythm of mentions, a trickle of unrelated complaints,
// bursts that ramp up and fade during incidents, recoveries afterwards, switching posts,
// multi-service complaints, one spammer, hard negatives) with the match fields filled in
// as the matcher would. It knows nothing about the detector.

type evalSimIncident struct {
	service    string
	start, end string // "15:04" on the scenario day
}

type evalSimScenario struct {
	name      string
	incidents []evalSimIncident
	// switchTo: while the first service is down, some of its complaints say they move to
	// one of these services.
	switchFrom string
	switchTo   []string
	// multi: [from, to) when some complaints name all services down at that moment.
	spammer evalSimIncident // service and hours of one account repeating a complaint
}

// Popularity: ordinary mentions per minute at the daily peak, scale 1.
var evalSimServices = map[string]float64{
	"chatgpt": 20, "claude": 6, "perplexity": 3, "gemini": 5, "copilot": 3, "github": 4, "discord": 6,
}

var evalScenario0604 = evalSimScenario{
	name: "2024-06-04",
	incidents: []evalSimIncident{
		{"chatgpt", "06:49", "11:10"},
		{"chatgpt", "14:14", "17:07"},
		{"perplexity", "14:30", "16:30"},
		{"claude", "14:53", "16:45"},
	},
	switchFrom: "chatgpt",
	switchTo:   []string{"claude", "perplexity", "gemini"},
	spammer:    evalSimIncident{"discord", "19:00", "23:00"},
}

var evalScenarioShared = evalSimScenario{
	name: "shared",
	incidents: []evalSimIncident{
		{"discord", "12:00", "12:50"},
		{"github", "12:00", "12:45"},
		{"chatgpt", "12:01", "12:40"},
	},
	spammer: evalSimIncident{"copilot", "02:00", "05:00"},
}

func (sc evalSimScenario) day() time.Time { return time.Date(2024, 6, 4, 0, 0, 0, 0, time.UTC) }

func (sc evalSimScenario) at(hhmm string) time.Time {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		panic(err)
	}
	return sc.day().Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
}

func (sc evalSimScenario) truth() []Truth {
	var out []Truth
	for _, in := range sc.incidents {
		out = append(out, Truth{Service: in.service, Start: sc.at(in.start), End: sc.at(in.end), Source: "sim", Title: in.service + " outage"})
	}
	return out
}

var evalSimLangs = []struct {
	lang string
	w    float64
}{{"en", 0.55}, {"fr", 0.1}, {"es", 0.1}, {"de", 0.07}, {"pt", 0.07}, {"it", 0.05}, {"ja", 0.06}}

var evalSimProblems = []string{"errors", "login", "capacity", "slow", "app", "api", "website", "network"}

// posts generates the day, ordered by time, deterministic per (seed, scale).
func (sc evalSimScenario) posts(seed uint64, scale float64) []outcry.Post {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	day := sc.day()
	var out []outcry.Post
	n := 0
	authorPool := int(40000 * scale)
	author := func() string {
		// Power law: a few prolific accounts, many one-off ones.
		return fmt.Sprintf("u%d", int(float64(authorPool)*math.Pow(r.Float64(), 3)))
	}
	lang := func() string {
		u := r.Float64()
		for _, l := range evalSimLangs {
			if u < l.w {
				return l.lang
			}
			u -= l.w
		}
		return "en"
	}
	emit := func(t time.Time, p outcry.Post) {
		n++
		p.ID = fmt.Sprintf("sim:%s:%d:%d", sc.name, seed, n)
		p.Source = "sim"
		p.CreatedAt = t.Add(time.Duration(r.Float64() * float64(time.Minute)))
		p.Simulated = true
		if p.Author == "" {
			p.Author = author()
		}
		if p.Lang == "" {
			p.Lang = lang()
		}
		out = append(out, p)
	}
	type burst struct {
		evalSimIncident
		from, to        time.Time
		peak, tau, fade float64
		level           float64 // slow random walk of the plateau
	}
	var bursts []*burst
	for _, in := range sc.incidents {
		b := &burst{evalSimIncident: in, from: sc.at(in.start), to: sc.at(in.end)}
		// People complain a few times more than they usually mention the service.
		b.peak = evalSimServices[in.service] * (1 + r.Float64()) * scale
		b.tau = 1 + 3*r.Float64()   // minutes for the crowd to react
		b.fade = 5 + 10*r.Float64() // minutes for complaints to fade after the fix
		b.level = 1
		bursts = append(bursts, b)
	}
	down := func(svc string, t time.Time) bool {
		for _, b := range bursts {
			if b.service == svc && !t.Before(b.from) && t.Before(b.to) {
				return true
			}
		}
		return false
	}
	// Over-dispersion: the mention rate of each service wanders in 10-minute blocks.
	block := map[string]float64{}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range evalSimServices {
			if !yield(id) {
				return
			}
		}
	})
	for m := range 24 * 60 {
		t := day.Add(time.Duration(m) * time.Minute)
		h := float64(m) / 60
		rhythm := 0.35 + 0.65*(0.5+0.5*math.Cos(2*math.Pi*(h-15)/24))
		for _, svc := range ids {
			if m%10 == 0 {
				block[svc] = math.Exp(0.45*r.NormFloat64() - 0.1) // mean 1, sd ~0.45
			}
			rate := evalSimServices[svc] * rhythm * scale * block[svc]
			for range evalPoisson(r, rate) {
				u := r.Float64()
				switch {
				case u < 0.012: // somebody's wifi, a one-off error
					emit(t, outcry.Post{Services: []string{svc}, Affected: []string{svc}, Complaint: true,
						Problems: []string{evalSimProblems[r.IntN(len(evalSimProblems))]}})
				case u < 0.02: // "is X down?" asked and answered "works for me"
					emit(t, outcry.Post{Services: []string{svc}, Affected: []string{svc}, Recovery: true})
				case u < 0.1: // hard negatives: "feeling down", "shutdown script", "Claude Monet"
					emit(t, outcry.Post{Services: []string{svc}})
				default:
					others := []string{svc}
					if r.Float64() < 0.05 {
						others = append(others, ids[r.IntN(len(ids))])
					}
					slices.Sort(others)
					emit(t, outcry.Post{Services: slices.Compact(others)})
				}
			}
		}
		for _, b := range bursts {
			since := t.Sub(b.from).Minutes()
			after := t.Sub(b.to).Minutes()
			var rate float64
			switch {
			case since < 0:
				continue
			case after < 0:
				b.level = math.Max(0.3, math.Min(2, b.level*math.Exp(0.08*r.NormFloat64())))
				rate = b.peak * b.level * (1 - math.Exp(-(since+0.5)/b.tau))
			default:
				rate = b.peak * b.level * math.Exp(-after/b.fade)
				// Recoveries after the fix, fading over half an hour.
				if after < 30 {
					for range evalPoisson(r, b.peak*0.3*math.Exp(-after/10)) {
						emit(t, outcry.Post{Services: []string{b.service}, Affected: []string{b.service}, Recovery: true})
					}
				}
				if after > 60 {
					continue
				}
			}
			for range evalPoisson(r, rate) {
				p := outcry.Post{Services: []string{b.service}, Affected: []string{b.service}, Complaint: true}
				if r.Float64() < 0.7 {
					p.Problems = []string{evalSimProblems[r.IntN(len(evalSimProblems))]}
				}
				u := r.Float64()
				switch {
				case b.service == sc.switchFrom && u < 0.12 && after < 0:
					// "ChatGPT down, guess I'm using Claude today"
					to := sc.switchTo[r.IntN(len(sc.switchTo))]
					p.Services = append(p.Services, to)
					p.Switching = true
				case u < 0.2:
					// "ChatGPT, Claude, et Perplexity ... sont tous en panne": every service
					// down right now, at least two.
					var all []string
					for _, svc := range ids {
						if down(svc, t) {
							all = append(all, svc)
						}
					}
					if len(all) >= 2 {
						p.Services, p.Affected = all, all
					}
				}
				slices.Sort(p.Services)
				emit(t, p)
			}
		}
		// One account repeating the same complaint every minute for hours.
		if sc.spammer.service != "" && !t.Before(sc.at(sc.spammer.start)) && t.Before(sc.at(sc.spammer.end)) {
			emit(t, outcry.Post{Author: "spammer", Services: []string{sc.spammer.service}, Affected: []string{sc.spammer.service}, Complaint: true, Lang: "en"})
		}
	}
	slices.SortStableFunc(out, func(a, b outcry.Post) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

func evalPoisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func evalSeq(posts []outcry.Post) iter.Seq2[outcry.Post, error] {
	return func(yield func(outcry.Post, error) bool) {
		for _, p := range posts {
			if !yield(p, nil) {
				return
			}
		}
	}
}
