package sim

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// Behaviour constants. They describe people, not a detector: how fast a crowd notices,
// how long it keeps posting, how many switch, how many say "it's back".
const (
	dayMinutes = 24 * 60

	reactionDelay = 0.5  // minutes before the first user posts about a failure
	reactionTau   = 3.0  // minutes for the crowd to ramp up (63 % of the plateau)
	fatigueFloor  = 0.5  // share of the plateau still posting after hours of outage
	fatigueTau    = 100  // minutes for attention to fade to the floor
	tailTau       = 5.0  // minutes over which complaints stop after recovery
	precursorSpan = 12.0 // minutes of "it's slow" before a load-induced failure

	recoveryShare = 0.3  // recovery posts at their peak, as a share of the complaint peak
	recoveryTau   = 12.0 // minutes over which "it's back" posts fade
	switchShare   = 0.07 // complaints that also say where the author goes instead
	spillTalk     = 0.05 // extra ordinary talk about the alternatives, per complaint
	usageDrop     = 0.4  // share of ordinary "I used it for..." posts lost while it is down
	multiShare    = 0.05 // posts naming several failing services, per complaint
	causeShare    = 0.18 // complaints blaming the shared dependency, when there is one
	preackShare   = 0.06 // complaints pointing at a green status page, before it turns red

	newsDelay = 6.0  // minutes from acknowledgement to the first articles
	newsRate  = 0.5  // articles per minute at first, scale 1
	newsTau   = 40.0 // minutes over which coverage fades

	hardNegRate  = 1.2  // hard-negative posts per minute at mean activity, scale 1
	retweetShare = 0.10 // hashtagged posts the retweet bot picks up
	viralTau     = 25.0 // minutes over which a viral post's retweets fade

	urlShare     = 0.12 // posts carrying a link
	noLangShare  = 0.02 // posts whose source gives no language
	lowerShare   = 0.08 // English posts typed all lowercase
	shoutShare   = 0.02 // English posts typed in capitals
	regularShare = 0.3  // ordinary posts written by regulars
	regularCompl = 0.03 // complaints written by regulars (most complainers are one-off)
)

// retweetBot is the one account that retweets hashtagged posts all day.
const retweetBot = "trending_ai_rt"

// incState is an outage during generation: its timeline in minutes of the day and its
// per-minute fluctuation (a crowd's volume wobbles even on a plateau).
type incState struct {
	spec      *incidentSpec
	svc       int
	cause     int // catalog index of the shared dependency, -1 if none
	start     float64
	end       float64
	ack       float64 // minute the vendor acknowledged it, +Inf if never
	fluctFrom int
	fluct     []float64

	// per minute, filled by rates()
	rate, recovery, pre, news float64
	down                      bool
}

// blip is a tiny cluster of genuine complaints (a regional ISP, a bad deploy that hit a
// few people): real, but not an outage, and not in the truth.
type blip struct {
	svc      int
	from, to int
	rate     float64 // complaints per minute at scale 1
}

// postKey orders a minute's posts by time, then by generation order.
type postKey struct {
	at  int64
	idx int32
}

// generator holds one Generate call's state; it is not safe for concurrent use.
type generator struct {
	scale     float64
	start     time.Time
	minutes   int
	sc        *scenarioSpec
	svcs      []*serviceSpec
	svcIdx    map[string]int
	peers     [][]int // same-category services, for "X vs Y" posts
	rh        *rhythm
	pb        *phrasebook
	au        *authors
	r         *rng
	mood      [][]float64 // per service, per minute: slow mood swings (mean 1)
	boost     [][]float64 // per service, per minute: announcement bursts (nil: none)
	incs      []*incState
	blips     []blip
	spill     []float64   // per service, this minute: extra talk from users switching to it
	downLevel []float64   // per service, this minute: how hard it is down (0..1)
	downSvcs  []*incState // this minute: outages the crowd is complaining about
	others    []int       // scratch

	cur, prev []outcry.Post
	keys      []postKey
	sb        strings.Builder
	idPrefix  string
	idBuf     []byte
	seq       int64
}

func newGenerator(cfg Config, sc *scenarioSpec) *generator {
	g := &generator{
		scale:    cfg.Scale,
		start:    dayStart(cfg, sc),
		minutes:  dayMinutes,
		sc:       sc,
		svcs:     catalog(),
		svcIdx:   map[string]int{},
		pb:       newPhrasebook(),
		au:       newAuthors(cfg.Scale),
		r:        newRNG(sc.name, cfg.Seed, "posts"),
		idPrefix: "sim:" + sc.name + ":" + strconv.FormatInt(cfg.Seed, 10) + ":",
	}
	for i, s := range g.svcs {
		g.svcIdx[s.id] = i
	}
	g.peers = make([][]int, len(g.svcs))
	for i, s := range g.svcs {
		for j, o := range g.svcs {
			if i != j && o.category == s.category {
				g.peers[i] = append(g.peers[i], j)
			}
		}
	}
	g.rh = newRhythm(g.svcs, g.minutes)
	g.spill = make([]float64, len(g.svcs))
	g.downLevel = make([]float64, len(g.svcs))
	g.plan(newRNG(sc.name, cfg.Seed, "plan"))
	return g
}

// plan draws the day's slow-moving randomness (moods, announcements, glitches, how each
// outage fluctuates) from its own stream, so it is the same at every scale.
func (g *generator) plan(p *rng) {
	const moodSigma = 0.2
	phi := math.Exp(-1.0 / 45)
	g.mood = make([][]float64, len(g.svcs))
	for s := range g.svcs {
		row := make([]float64, g.minutes)
		x := moodSigma * p.normal()
		for m := range row {
			row[m] = math.Exp(x - moodSigma*moodSigma/2)
			x = phi*x + math.Sqrt(1-phi*phi)*moodSigma*p.normal()
		}
		g.mood[s] = row
	}

	g.boost = make([][]float64, len(g.svcs))
	addNews := func(s int, at, amp, decay float64) {
		if g.boost[s] == nil {
			g.boost[s] = make([]float64, g.minutes)
		}
		for m := max(0, int(at)); m < g.minutes && float64(m) < at+6*decay; m++ {
			x := float64(m) + 0.5 - at
			g.boost[s][m] += amp * (1 - math.Exp(-x/4)) * math.Exp(-x/decay)
		}
	}
	for _, n := range g.sc.news {
		if s, ok := g.svcIdx[n.service]; ok {
			addNews(s, n.at.Minutes(), n.amplitude, n.decay.Minutes())
		}
	}
	newsW := make([]float64, len(g.svcs))
	blipW := make([]float64, len(g.svcs))
	for i, s := range g.svcs {
		newsW[i] = s.base
		if s.category == "ai" {
			newsW[i] *= 3
		}
		blipW[i] = s.base
	}
	newsTable, blipTable := newWeighted(newsW), newWeighted(blipW)
	for range p.poisson(g.sc.randomNews) {
		s := newsTable.pick(p)
		addNews(s, p.between(0, float64(g.minutes)), p.between(0.8, 3), p.between(20, 70))
	}

	for i := range g.sc.incidents {
		spec := &g.sc.incidents[i]
		inc := &incState{spec: spec, svc: g.svcIdx[spec.service], cause: -1,
			start: spec.start.Minutes(), end: spec.end.Minutes(), ack: math.Inf(1)}
		if c, ok := g.svcIdx[spec.cause]; ok {
			inc.cause = c
		}
		for _, o := range g.sc.officials {
			if o.service == spec.service && o.start >= spec.start-30*time.Minute && o.start <= spec.end {
				inc.ack = o.start.Minutes()
				break
			}
		}
		const fluctSigma = 0.25
		phiF := 0.85
		inc.fluctFrom = int(inc.start - precursorSpan - 1)
		n := int(inc.end+120) - inc.fluctFrom
		inc.fluct = make([]float64, n)
		x := fluctSigma * p.normal()
		for m := range inc.fluct {
			inc.fluct[m] = math.Exp(x - fluctSigma*fluctSigma/2)
			x = phiF*x + math.Sqrt(1-phiF*phiF)*fluctSigma*p.normal()
		}
		g.incs = append(g.incs, inc)
	}

	for range p.poisson(g.sc.randomBlips) {
		s := blipTable.pick(p)
		from := p.intn(g.minutes)
		to := from + 5 + p.intn(11)
		total := p.between(2, 5)
		clash := false
		for _, inc := range g.incs {
			if inc.svc == s && float64(to) > inc.start-60 && float64(from) < inc.end+60 {
				clash = true
			}
		}
		if !clash {
			g.blips = append(g.blips, blip{svc: s, from: from, to: to, rate: total / float64(to-from)})
		}
	}
}

func dayStart(cfg Config, sc *scenarioSpec) time.Time {
	if cfg.Start.IsZero() {
		return sc.day
	}
	return cfg.Start.UTC()
}

// level is an outage's complaint intensity at minute t, relative to its plateau: the
// crowd ramps up within minutes, tires over hours, and stops soon after recovery.
func (inc *incState) level(t float64) float64 {
	shape := func(x float64) float64 {
		if x < reactionDelay {
			return 0
		}
		return (1 - math.Exp(-(x-reactionDelay)/reactionTau)) *
			(fatigueFloor + (1-fatigueFloor)*math.Exp(-x/fatigueTau))
	}
	switch {
	case t < inc.start:
		return 0
	case t < inc.end:
		return shape(t - inc.start)
	case t < inc.end+8*tailTau:
		return shape(inc.end-inc.start) * math.Exp(-(t-inc.end)/tailTau)
	}
	return 0
}

func (inc *incState) fluctAt(m int) float64 {
	i := m - inc.fluctFrom
	if i < 0 || i >= len(inc.fluct) {
		return 1
	}
	return inc.fluct[i]
}

// rates fills every incident's expected counts for minute m and the spillover talk.
func (g *generator) rates(m int) {
	t := float64(m) + 0.5
	clear(g.spill)
	clear(g.downLevel)
	g.downSvcs = g.downSvcs[:0]
	for _, inc := range g.incs {
		act := g.rh.act[inc.svc][m]
		peak := inc.spec.peak * act * g.scale
		lvl := inc.level(t)
		inc.rate = peak * lvl * inc.fluctAt(m)
		inc.down = t >= inc.start && t < inc.end && lvl >= 0.3
		inc.pre, inc.recovery, inc.news = 0, 0, 0
		if x := inc.start - t; inc.spec.precursor > 0 && x > 0 && x <= precursorSpan {
			inc.pre = peak * inc.spec.precursor * (1 - x/precursorSpan) * inc.fluctAt(m)
		}
		if x := t - inc.end; x >= 0 && x < 8*recoveryTau {
			inc.recovery = peak * recoveryShare * (1 - math.Exp(-(x+0.5)/1.5)) * math.Exp(-x/recoveryTau)
		}
		from := inc.ack + newsDelay
		if math.IsInf(inc.ack, 1) {
			from = inc.start + 40
		}
		if x := t - from; x >= 0 && t < inc.end+30 {
			inc.news = newsRate * g.scale * math.Exp(-x/newsTau)
		}
		if inc.down {
			g.downSvcs = append(g.downSvcs, inc)
			g.downLevel[inc.svc] = max(g.downLevel[inc.svc], min(1, lvl))
			if alts := g.svcs[inc.svc].alts; len(alts) > 0 {
				tw := g.svcs[inc.svc].altTable.cum[len(alts)-1]
				for k, id := range alts {
					if j, ok := g.svcIdx[id]; ok {
						g.spill[j] += inc.rate * spillTalk * g.svcs[inc.svc].altW[k] / tw
					}
				}
			}
		}
	}
}

// minute generates every post of minute m into g.cur.
func (g *generator) minute(m int) {
	g.rates(m)

	// The retweet bot works on what was posted in the previous minute.
	for i := range g.prev {
		p := &g.prev[i]
		if strings.IndexByte(p.Text, '#') >= 0 && !strings.HasPrefix(p.Text, "RT @") && g.r.chance(retweetShare) {
			g.add(m, -1, retweetBot, p.Lang, "RT @"+p.Author+": "+p.Text, "")
		}
	}

	for s, svc := range g.svcs {
		act := g.rh.act[s][m]
		boost := 0.0
		if g.boost[s] != nil {
			boost = g.boost[s][m]
		}
		// People who cannot use a service post less about using it.
		lambda := svc.base*act*g.mood[s][m]*(1+boost)*g.scale*(1-usageDrop*g.downLevel[s]) + g.spill[s]
		for range g.r.overdispersed(lambda, 12) {
			g.ordinary(m, s, boost/(1+boost))
		}
		for range g.r.poisson(svc.background / 60 * act * g.scale) {
			g.complaint(m, s, nil, g.r.chance(0.5))
		}
	}

	for range g.r.poisson(hardNegRate * g.rh.act[0][m] * g.scale) {
		li := g.rh.lang(g.r, 0, m)
		tp, li := g.pb.hardNeg.pick(g.r, li)
		g.sb.Reset()
		g.pb.expand(&g.sb, g.r, tp, &fill{li: li})
		g.addText(m, g.au.pick(g.r, li, regularShare), li, g.sb.String())
	}

	for _, b := range g.blips {
		if m >= b.from && m < b.to {
			for range g.r.poisson(b.rate * g.scale) {
				g.complaint(m, b.svc, nil, g.r.chance(0.6))
			}
		}
	}

	for _, inc := range g.incs {
		for range g.r.overdispersed(inc.rate, 20) {
			g.complaint(m, inc.svc, inc, false)
		}
		for range g.r.poisson(inc.pre) {
			g.slow(m, inc.svc)
		}
		for range g.r.poisson(inc.recovery) {
			g.recovery(m, inc.svc)
		}
		for range g.r.poisson(inc.news) {
			g.outageNews(m, inc)
		}
		if inc.down && len(g.svcs[inc.svc].alts) > 0 {
			for range g.r.poisson(inc.rate * switchShare) {
				g.switching(m, inc)
			}
		}
	}

	if len(g.downSvcs) >= 2 {
		total := 0.0
		for _, inc := range g.downSvcs {
			total += inc.rate
		}
		for range g.r.poisson(total * multiShare) {
			g.multi(m, total)
		}
	}

	minStart := time.Duration(m) * time.Minute
	for _, sp := range g.sc.spam {
		if minStart >= sp.start && minStart < sp.end {
			at := 7*time.Second + time.Duration(g.r.intn(3000))*time.Millisecond
			g.add(m, at, sp.author, sp.lang, sp.text, "")
		}
	}
	for _, sp := range g.sc.scripted {
		if sp.at >= minStart && sp.at < minStart+time.Minute {
			g.add(m, sp.at-minStart, sp.author, sp.lang, sp.text, sp.url)
		}
		// Retweets start the minute after the post and fade over viralTau minutes.
		if x := float64(m) - math.Floor(sp.at.Minutes()) - 1; x >= 0 && sp.retweets > 0 {
			lambda := sp.retweets * (math.Exp(-x/viralTau) - math.Exp(-(x+1)/viralTau)) * g.scale
			for range g.r.poisson(lambda) {
				li := langIndex(sp.lang)
				g.add(m, -1, g.au.pick(g.r, li, regularShare), sp.lang, "RT @"+sp.author+": "+sp.text, "")
			}
		}
	}
}

// form draws how the author writes the service's name.
func (g *generator) form(s *serviceSpec) string { return s.forms[s.formTable.pick(g.r)] }

func (g *generator) ordinary(m, s int, newsShare float64) {
	svc := g.svcs[s]
	li := g.rh.lang(g.r, s, m)
	f := fill{s: svc, sName: g.form(svc), li: li}
	var tp tmpl
	if newsShare > 0 && g.r.chance(newsShare*0.6) {
		tp, f.li = g.pb.productNews.pick(g.r, li)
		f.sName = svc.forms[0] // announcements spell the name properly
	} else {
		tp, f.li = g.pb.ordinaryFor(g.r, svc.category, li)
	}
	if p := g.peers[s]; len(p) > 0 {
		f.b = g.svcs[p[g.r.intn(len(p))]]
		f.bName = g.form(f.b)
	}
	g.sb.Reset()
	g.pb.expand(&g.sb, g.r, tp, &f)
	g.addText(m, g.au.pick(g.r, f.li, regularShare), f.li, g.sb.String())
}

// complaint writes one availability complaint about service s. inc is the outage it is
// about (nil for background complaints); personal selects one-person phrasing.
func (g *generator) complaint(m, s int, inc *incState, personal bool) {
	svc := g.svcs[s]
	li := g.rh.lang(g.r, s, m)
	f := fill{s: svc, sName: g.form(svc), li: li}
	t := float64(m) + 0.5
	g.sb.Reset()
	switch {
	case personal:
		tp, li := g.pb.personal.pick(g.r, li)
		f.li = li
		g.pb.expand(&g.sb, g.r, tp, &f)
	case inc != nil && t < inc.ack && g.r.chance(preackShare):
		tp, li := g.pb.preack.pick(g.r, li)
		f.li = li
		g.pb.expand(&g.sb, g.r, tp, &f)
	case inc != nil && inc.cause >= 0 && g.r.chance(causeShare):
		f.d = g.svcs[inc.cause]
		f.dName = g.form(f.d)
		set := g.pb.cause
		g.others = g.others[:0]
		for _, o := range g.downSvcs {
			if o.svc != inc.svc && o.cause == inc.cause {
				g.others = append(g.others, o.svc)
			}
		}
		if len(g.others) > 0 && g.r.chance(0.5) {
			f.b = g.svcs[g.others[g.r.intn(len(g.others))]]
			f.bName = g.form(f.b)
			set = g.pb.cause2
		}
		tp, li := set.pick(g.r, li)
		f.li = li
		g.pb.expand(&g.sb, g.r, tp, &f)
	default:
		core, li := g.pb.complaint.pick(g.r, li)
		f.li = li
		op, _ := g.pb.openers.pick(g.r, li)
		cl, _ := g.pb.closers.pick(g.r, li)
		g.pb.expand(&g.sb, g.r, op, &f)
		g.pb.expand(&g.sb, g.r, core, &f)
		g.pb.expand(&g.sb, g.r, cl, &f)
	}
	g.addText(m, g.au.pick(g.r, f.li, regularCompl), f.li, g.sb.String())
}

func (g *generator) slow(m, s int) {
	svc := g.svcs[s]
	li := g.rh.lang(g.r, s, m)
	tp, li := g.pb.slow.pick(g.r, li)
	f := fill{s: svc, sName: g.form(svc), li: li}
	g.sb.Reset()
	g.pb.expand(&g.sb, g.r, tp, &f)
	g.addText(m, g.au.pick(g.r, li, regularCompl), li, g.sb.String())
}

func (g *generator) recovery(m, s int) {
	svc := g.svcs[s]
	li := g.rh.lang(g.r, s, m)
	tp, li := g.pb.recovery.pick(g.r, li)
	f := fill{s: svc, sName: g.form(svc), li: li}
	g.sb.Reset()
	g.pb.expand(&g.sb, g.r, tp, &f)
	g.addText(m, g.au.pick(g.r, li, regularCompl), li, g.sb.String())
}

func (g *generator) outageNews(m int, inc *incState) {
	svc := g.svcs[inc.svc]
	li := g.rh.lang(g.r, inc.svc, m)
	tp, li := g.pb.outageNews.pick(g.r, li)
	f := fill{s: svc, sName: svc.forms[0], li: li}
	g.sb.Reset()
	g.pb.expand(&g.sb, g.r, tp, &f)
	author := g.au.outlet(g.r, li)
	url := "https://example.invalid/" + author + "/" + strconv.FormatUint(g.r.u64()>>20, 36)
	g.add(m, -1, author, langCodes()[li], g.sb.String(), url)
}

// switching writes "{S} is down, I'm using {B}"; when {B} is down as well the author
// says so, which is how the crowd tells a spillover story.
func (g *generator) switching(m int, inc *incState) {
	svc := g.svcs[inc.svc]
	alt, ok := g.svcIdx[svc.alts[svc.altTable.pick(g.r)]]
	if !ok {
		return
	}
	li := g.rh.lang(g.r, inc.svc, m)
	f := fill{s: svc, sName: g.form(svc), b: g.svcs[alt], bName: g.form(g.svcs[alt])}
	set := g.pb.switching
	for _, o := range g.downSvcs {
		if o.svc == alt {
			set = g.pb.switchDown
		}
	}
	tp, li := set.pick(g.r, li)
	f.li = li
	g.sb.Reset()
	g.pb.expand(&g.sb, g.r, tp, &f)
	g.addText(m, g.au.pick(g.r, li, regularCompl), li, g.sb.String())
}

// multi writes a post naming two or three of the services that are down right now.
func (g *generator) multi(m int, total float64) {
	// The first service is drawn in proportion to its complaints, the others uniformly.
	x := g.r.float() * total
	first := g.downSvcs[len(g.downSvcs)-1]
	for _, inc := range g.downSvcs {
		if x < inc.rate {
			first = inc
			break
		}
		x -= inc.rate
	}
	var others []int
	for _, inc := range g.downSvcs {
		if inc.svc != first.svc && !slices.Contains(others, inc.svc) {
			others = append(others, inc.svc)
		}
	}
	if len(others) == 0 {
		return
	}
	li := g.rh.lang(g.r, first.svc, m)
	svc := g.svcs[first.svc]
	f := fill{s: svc, sName: g.form(svc)}
	k := g.r.intn(len(others))
	f.b = g.svcs[others[k]]
	f.bName = g.form(f.b)
	set := g.pb.multi2
	if len(others) >= 2 && g.r.chance(0.4) {
		c := others[(k+1+g.r.intn(len(others)-1))%len(others)]
		f.c = g.svcs[c]
		f.cName = g.form(f.c)
		set = g.pb.multi3
	}
	tp, li := set.pick(g.r, li)
	f.li = li
	g.sb.Reset()
	g.pb.expand(&g.sb, g.r, tp, &f)
	g.addText(m, g.au.pick(g.r, li, regularCompl), li, g.sb.String())
}

// addText adds a post written by a person: it may carry a link, be typed in lowercase
// or capitals, or come without a language tag.
func (g *generator) addText(m int, author string, li int, text string) {
	if li == 0 {
		switch x := g.r.float(); {
		case x < lowerShare:
			text = strings.ToLower(text)
		case x < lowerShare+shoutShare:
			text = strings.ToUpper(text)
		}
	}
	url := ""
	if g.r.chance(urlShare) {
		url = "https://example.invalid/" + author + "/status/" + strconv.FormatUint(g.r.u64()>>2, 10)
	}
	lang := langCodes()[li]
	if g.r.chance(noLangShare) {
		lang = ""
	}
	g.add(m, -1, author, lang, text, url)
}

// add appends a post at offset at within minute m (a random offset when at < 0).
func (g *generator) add(m int, at time.Duration, author, lang, text, url string) {
	if at < 0 {
		at = time.Duration(g.r.intn(60000)) * time.Millisecond
	}
	off := time.Duration(m)*time.Minute + at
	g.keys = append(g.keys, postKey{at: int64(off), idx: int32(len(g.cur))})
	g.cur = append(g.cur, outcry.Post{
		Source: "sim", Author: author, Text: text, Lang: lang, URL: url,
		CreatedAt: g.start.Add(off), Simulated: true,
	})
}

// run generates the day minute by minute, emitting each minute's posts in time order.
// Only two minutes of posts are ever held.
func (g *generator) run(ctx context.Context, emit func(outcry.Post) error) error {
	var sorted []outcry.Post
	for m := range g.minutes {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("sim: %w", err)
		}
		g.cur, g.keys = g.cur[:0], g.keys[:0]
		g.minute(m)
		slices.SortFunc(g.keys, func(a, b postKey) int {
			return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.idx, b.idx))
		})
		sorted = sorted[:0]
		for _, k := range g.keys {
			p := g.cur[k.idx]
			g.idBuf = strconv.AppendInt(append(g.idBuf[:0], g.idPrefix...), g.seq, 10)
			p.ID = string(g.idBuf)
			g.seq++
			if err := emit(p); err != nil {
				return fmt.Errorf("sim: emit: %w", err)
			}
			sorted = append(sorted, p)
		}
		// Keep this minute (in time order) for the retweet bot; reuse the older buffer.
		g.prev, g.cur, sorted = sorted, g.prev, g.cur
	}
	return nil
}
