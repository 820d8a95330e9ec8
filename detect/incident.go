package detect

import (
	"context"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"sort"
	"time"

	"github.com/outcry/outcry"
)

// incTrack is an incident and the bookkeeping that decides its next step.
type incTrack struct {
	inc outcry.Incident
	// lastAnom is the last minute that was anomalous and had more complaining authors than
	// the baseline: the incident's end if it resolves.
	lastAnom     time.Time
	openedAt     time.Time // end of the minute the incident was opened in
	lastSummary  time.Time
	lastOfficial time.Time
	// Counts from the buckets, since the start (no Summarizer) or since the last summary.
	complaints, authors, recoveries int
	sumComplaints, sumRecoveries    int
	// What the last notification said, to tell material updates from routine ones.
	nSev, nPeak, nOff int
	nEvent            string
	// resume, for an incident adopted by Restore, is the first minute the stored
	// incident has not seen: warming minutes before it must not update it again.
	resume time.Time
}

// snapshot returns a deep copy that shares nothing with the tracker.
func (tr *incTrack) snapshot() outcry.Incident { return cloneIncident(tr.inc) }

func cloneIncident(in outcry.Incident) outcry.Incident {
	out := in
	if in.End != nil {
		end := *in.End
		out.End = &end
	}
	if in.LeadSeconds != nil {
		l := *in.LeadSeconds
		out.LeadSeconds = &l
	}
	out.Languages = maps.Clone(in.Languages)
	out.Sources = maps.Clone(in.Sources)
	out.Problems = slices.Clone(in.Problems)
	out.Official = slices.Clone(in.Official)
	if out.Languages == nil {
		out.Languages = map[string]int{}
	}
	if out.Sources == nil {
		out.Sources = map[string]int{}
	}
	if out.Problems == nil {
		out.Problems = []outcry.ProblemCount{}
	}
	if out.Official == nil {
		out.Official = []outcry.OfficialRef{}
	}
	return out
}

// incidentID names an incident by service and start minute, e.g. "chatgpt-20240604-0649".
func incidentID(service string, start time.Time) string {
	return service + "-" + start.UTC().Format("20060102-1504")
}

// stepService runs one minute of one service: detector, history, incident lifecycle.
func (e *monEngine) stepService(ctx context.Context, s *monService, b *outcry.Bucket, warming bool) {
	p := s.det.Step(b.T, b.Complaints, b.Authors)
	s.ring.push(p)
	s.started = true
	s.pushRecent(b.Complaints, b.Recoveries)
	if tr := s.open; tr != nil {
		if b.T.Before(tr.resume) {
			return // folded into the adopted incident before the restart
		}
		e.updateOpen(ctx, s, tr, p, b, warming)
		return
	}
	if warming || p.Status == outcry.StatusOK {
		s.pending = time.Time{}
		return
	}
	onset := s.det.Onset()
	if s.pending.IsZero() {
		s.pending = p.T
	}
	now := p.T.Add(time.Minute)
	authors, confirmed := e.confirm(ctx, s, onset, now)
	fast := max(float64(e.cfg.FastAuthors), e.cfg.FastHours*60*s.det.Baseline())
	if confirmed && float64(authors) < fast {
		// A small anomaly must last: a handful of people hit by a local glitch for a few
		// minutes is not an outage. It opens once it has gone on for MinDuration and its
		// last five minutes are still anomalous on their own.
		confirmed = now.Sub(onset) >= e.cfg.MinDuration && s.det.RecentScore(5) >= e.cfg.Detector.DegradedScore
	}
	switch {
	case confirmed && s.last != nil && s.last.inc.End != nil && onset.Sub(*s.last.inc.End) <= e.cfg.ReopenWithin:
		e.reopen(ctx, s, s.last, now)
	case confirmed:
		e.open(ctx, s, onset, now)
	case authors < e.cfg.MinAuthors && now.Sub(s.pending) >= e.cfg.ConfirmWithin:
		e.log.Info("anomaly absorbed as nuisance", "service", s.id, "onset", onset, "authors", authors)
		s.det.Absorb()
		s.pending = time.Time{}
	}
}

// confirm decides whether the anomaly of s since onset is an incident: at least
// MinAuthors distinct complaining authors in [onset, to), and, counted over that whole
// window (at most the last hour), still anomalous against the baseline. With a
// Summarizer the authors are distinct over the window, so one account repeating itself
// counts once; without one the per-minute counts are summed, which cannot tell.
func (e *monEngine) confirm(ctx context.Context, s *monService, onset, to time.Time) (authors int, ok bool) {
	from := maxTime(onset, to.Add(-time.Hour))
	minutes := int(to.Sub(from) / time.Minute)
	if e.deps.Summarizer == nil {
		for back := 0; back < s.ring.n; back++ {
			pt := s.ring.at(back)
			if pt.T.Before(onset) {
				break
			}
			authors += pt.Authors
		}
		return authors, authors >= e.cfg.MinAuthors
	}
	sum, err := e.deps.Summarizer.Summarize(ctx, s.id, from, to, 0)
	if err != nil {
		e.log.Warn("summarize failed", "service", s.id, "err", err)
		return 0, false
	}
	authors = sum.Authors
	return authors, authors >= e.cfg.MinAuthors && s.det.WindowScore(authors, minutes) >= e.cfg.Detector.DegradedScore
}

// open starts an incident for s at onset; now is the end of the current minute.
func (e *monEngine) open(ctx context.Context, s *monService, onset, now time.Time) {
	id := incidentID(s.id, onset)
	for i := 2; e.ids[id]; i++ {
		id = fmt.Sprintf("%s-%d", incidentID(s.id, onset), i)
	}
	tr := &incTrack{inc: outcry.Incident{
		ID:        id,
		Service:   s.id,
		State:     outcry.StateOpen,
		Status:    outcry.StatusDegraded,
		Start:     onset,
		Languages: map[string]int{},
		Sources:   map[string]int{},
		Problems:  []outcry.ProblemCount{},
		Official:  []outcry.OfficialRef{},
	}}
	// The minutes since the onset are already in the history: fold them in.
	for back := s.ring.n - 1; back >= 0; back-- {
		pt := s.ring.at(back)
		if pt.T.Before(onset) {
			continue
		}
		tr.fold(pt)
		tr.complaints += pt.Count
		tr.authors += pt.Authors
	}
	tr.lastAnom = now.Add(-time.Minute)
	tr.openedAt = now
	e.refresh(ctx, s, tr, now)
	tr.inc.UpdatedAt = now
	e.ids[id] = true
	e.incidents = append(e.incidents, tr)
	s.open, s.last, s.pending = tr, tr, time.Time{}
	e.dirty[tr], e.regroup = true, true
	e.note(tr, ChangeOpened)
}

// reopen resumes a resolved incident of s: complaints coming back soon after the end are
// the same outage (a relapse or its lingering tail), not a new one.
func (e *monEngine) reopen(ctx context.Context, s *monService, tr *incTrack, now time.Time) {
	inc := &tr.inc
	for back := s.ring.n - 1; back >= 0; back-- {
		if pt := s.ring.at(back); !pt.T.Before(*inc.End) {
			tr.fold(pt)
		}
	}
	inc.End, inc.State = nil, outcry.StateOpen
	tr.lastAnom = now.Add(-time.Minute)
	e.refresh(ctx, s, tr, now)
	inc.UpdatedAt = now
	s.open, s.pending = tr, time.Time{}
	e.dirty[tr], e.regroup = true, true
	e.note(tr, ChangeOpened)
}

// fold takes one reading into the incident's peak, score and status.
func (tr *incTrack) fold(p outcry.Point) {
	inc := &tr.inc
	if p.Count > inc.Peak || inc.PeakAt.IsZero() {
		inc.Peak, inc.PeakAt = p.Count, p.T
	}
	inc.Score = max(inc.Score, p.Score)
	if p.Status.Severity() > inc.Status.Severity() {
		inc.Status = p.Status
	}
}

// updateOpen advances an open incident by one minute and resolves it when it is over.
func (e *monEngine) updateOpen(ctx context.Context, s *monService, tr *incTrack, p outcry.Point, b *outcry.Bucket, warming bool) {
	inc := &tr.inc
	tr.fold(p)
	tr.complaints += b.Complaints
	tr.authors += b.Authors
	tr.recoveries += b.Recoveries
	if p.Status != outcry.StatusOK && float64(p.Authors) > p.Baseline {
		tr.lastAnom = p.T
	}
	now := p.T.Add(time.Minute)
	inc.UpdatedAt = now
	e.dirty[tr] = true

	quiet := p.Status == outcry.StatusOK && p.T.Sub(tr.lastAnom) >= e.cfg.QuietPeriod &&
		s.det.RecentScore(int(e.cfg.QuietPeriod/time.Minute)) < e.cfg.SettledScore
	c, r := s.recent()
	recovered := r >= e.cfg.MinRecoveries && r > c && p.Score < e.cfg.Detector.ClearScore
	if quiet || recovered {
		end := tr.lastAnom.Add(time.Minute)
		inc.End, inc.State = &end, outcry.StateResolved
		s.open = nil
		if recovered {
			// The posts say it is over: end the detector's run too, so complaints that
			// come back make a new incident instead of being swallowed by this one.
			s.det.toOK()
		}
		if !warming {
			e.refresh(ctx, s, tr, now)
		} else {
			tr.countsOnly(e.deps.Summarizer == nil)
		}
		e.regroup = true
		e.note(tr, ChangeResolved)
		return
	}
	tr.countsOnly(e.deps.Summarizer == nil)
	if !warming && (now.Sub(tr.lastSummary) >= e.cfg.SummaryEvery || now.Sub(tr.lastOfficial) >= e.cfg.SummaryEvery) {
		e.refresh(ctx, s, tr, now)
		e.regroup = true
	}
	e.note(tr, ChangeUpdated)
}

// countsOnly sets the incident's counts from the buckets: all of them without a
// Summarizer, else the last summary plus what came since.
func (tr *incTrack) countsOnly(noSummary bool) {
	inc := &tr.inc
	if noSummary {
		inc.Complaints, inc.Authors, inc.Recoveries = tr.complaints, tr.authors, tr.recoveries
		return
	}
	inc.Complaints = tr.sumComplaints + tr.complaints
	inc.Recoveries = tr.sumRecoveries + tr.recoveries
}

// refresh re-reads the incident's summary and official links.
func (e *monEngine) refresh(ctx context.Context, s *monService, tr *incTrack, now time.Time) {
	inc := &tr.inc
	// Up to now, also once resolved: the recovery posts that ended it come after End.
	to := now
	tr.countsOnly(e.deps.Summarizer == nil)
	if e.deps.Summarizer != nil {
		sum, err := e.deps.Summarizer.Summarize(ctx, s.id, inc.Start, to, e.cfg.Samples)
		if err != nil {
			e.log.Warn("summarize failed", "service", s.id, "incident", inc.ID, "err", err)
		} else {
			tr.sumComplaints, tr.sumRecoveries = sum.Complaints, sum.Recoveries
			tr.complaints, tr.authors, tr.recoveries = 0, 0, 0
			inc.Complaints, inc.Authors, inc.Recoveries = sum.Complaints, sum.Authors, sum.Recoveries
			inc.Languages = orEmpty(maps.Clone(sum.Languages))
			inc.Sources = orEmpty(maps.Clone(sum.Sources))
			inc.Problems = slices.Clone(sum.Problems)
			if inc.Problems == nil {
				inc.Problems = []outcry.ProblemCount{}
			}
		}
		tr.lastSummary = now
	}
	e.linkOfficial(ctx, tr, now)
}

func orEmpty(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// followUp keeps looking for official incidents of recently resolved incidents: status
// pages often post after the crowd has moved on.
func (e *monEngine) followUp(ctx context.Context, now time.Time) {
	if e.deps.Official == nil {
		return
	}
	for _, tr := range e.incidents {
		inc := &tr.inc
		if inc.End == nil || now.Sub(*inc.End) > e.cfg.OfficialWindow || now.Sub(tr.lastOfficial) < e.cfg.SummaryEvery {
			continue
		}
		if e.linkOfficial(ctx, tr, now) {
			e.dirty[tr] = true
			e.note(tr, ChangeUpdated)
		}
	}
}

// linkOfficial links the official incidents of the same service that overlap the
// incident or start within OfficialWindow after its start, and sets LeadSeconds from the
// earliest. It reports whether the links changed.
func (e *monEngine) linkOfficial(ctx context.Context, tr *incTrack, now time.Time) bool {
	if e.deps.Official == nil {
		return false
	}
	tr.lastOfficial = now
	inc := &tr.inc
	end := now
	if inc.End != nil {
		end = *inc.End
	}
	offs, err := e.deps.Official.Official(ctx, inc.Service, inc.Start.Add(-24*time.Hour), maxTime(end, inc.Start.Add(e.cfg.OfficialWindow)).Add(time.Minute))
	if err != nil {
		e.log.Warn("official incidents failed", "service", inc.Service, "err", err)
		return false
	}
	refs := LinkOfficial(*inc, offs, e.cfg.OfficialWindow, end)
	if slices.Equal(refs, inc.Official) {
		return false
	}
	inc.Official = refs
	inc.LeadSeconds = nil
	if len(refs) > 0 {
		lead := refs[0].Start.Sub(inc.Start).Seconds()
		inc.LeadSeconds = &lead
	}
	return true
}

// officialOngoing is how long an official incident without an end counts as ongoing
// after its last update: an open status-page incident posted a minute before the crowd
// noticed is the same outage (the status page was ahead), but one left open and silent
// for days is not.
const officialOngoing = time.Hour

// LinkOfficial returns references to the official incidents of inc's service that overlap
// [inc.Start, end] or start within window after inc.Start, earliest first. An official
// incident without an end lasts until officialOngoing after its last update. The
// earliest reference gives the lead time: official start minus inc.Start (negative when
// the status page was first).
func LinkOfficial(inc outcry.Incident, offs []outcry.OfficialIncident, window time.Duration, end time.Time) []outcry.OfficialRef {
	refs := []outcry.OfficialRef{}
	for _, o := range offs {
		if o.Service != "" && o.Service != inc.Service {
			continue
		}
		oEnd := o.Start
		if o.End != nil {
			oEnd = *o.End
		}
		if o.End == nil {
			for _, u := range o.Updates {
				if u.At.After(oEnd) {
					oEnd = u.At
				}
			}
			oEnd = oEnd.Add(officialOngoing)
		}
		overlaps := !o.Start.After(end) && !oEnd.Before(inc.Start)
		soonAfter := !o.Start.Before(inc.Start) && o.Start.Sub(inc.Start) <= window
		if overlaps || soonAfter {
			refs = append(refs, outcry.OfficialRef{ID: o.ID, Title: o.Title, URL: o.URL, Start: o.Start})
		}
	}
	sort.SliceStable(refs, func(i, j int) bool {
		if !refs[i].Start.Equal(refs[j].Start) {
			return refs[i].Start.Before(refs[j].Start)
		}
		return refs[i].ID < refs[j].ID
	})
	return refs
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// note queues a notification; an update is queued only when something material changed
// since the last notification: the status worsened, the peak reached a new power of two,
// an official incident was linked, or the event membership changed.
func (e *monEngine) note(tr *incTrack, kind string) {
	inc := &tr.inc
	sev, peak, off := inc.Status.Severity(), bits.Len(uint(max(inc.Peak, 0))), len(inc.Official)
	if kind == ChangeUpdated && sev <= tr.nSev && peak <= tr.nPeak && off <= tr.nOff && inc.EventID == tr.nEvent {
		return
	}
	tr.nSev, tr.nPeak, tr.nOff, tr.nEvent = sev, peak, off, inc.EventID
	c := Change{Kind: kind, Incident: tr.snapshot()}
	if ev, ok := e.events[inc.EventID]; ok {
		evc := cloneEvent(*ev)
		c.Event = &evc
	}
	e.changes = append(e.changes, c)
}

// adopt takes over an incident that was open before a restart.
func (e *monEngine) adopt(inc outcry.Incident) {
	s := e.services[inc.Service]
	if s == nil || inc.State != outcry.StateOpen || inc.End != nil {
		e.log.Warn("restored incident ignored", "incident", inc.ID, "service", inc.Service, "state", inc.State)
		return
	}
	if s.open != nil {
		e.log.Warn("restored incident ignored: service already has one open", "incident", inc.ID, "service", inc.Service)
		return
	}
	tr := &incTrack{inc: cloneIncident(inc)}
	tr.lastAnom = inc.Start
	if inc.UpdatedAt.After(tr.lastAnom) {
		tr.lastAnom = outcry.Minute(inc.UpdatedAt).Add(-time.Minute)
	}
	tr.resume = outcry.Minute(inc.UpdatedAt)
	tr.sumComplaints, tr.sumRecoveries = inc.Complaints, inc.Recoveries
	tr.nSev, tr.nPeak, tr.nOff, tr.nEvent = inc.Status.Severity(), bits.Len(uint(max(inc.Peak, 0))), len(inc.Official), inc.EventID
	e.ids[inc.ID] = true
	e.incidents = append(e.incidents, tr)
	slices.SortStableFunc(e.incidents, func(a, b *incTrack) int { return a.inc.Start.Compare(b.inc.Start) })
	s.open, s.last = tr, tr
}

// LeadSummary says, for one service, how far ahead of the official status page the crowd
// was: over the incidents linked to an official incident, the median, smallest and largest
// lead (official start minus detected start; positive = the crowd was first).
type LeadSummary struct {
	Service           string   `json:"service"`
	Incidents         int      `json:"incidents"`
	Linked            int      `json:"linked"`
	Earlier           int      `json:"earlier"` // linked incidents with a positive lead
	MedianLeadSeconds *float64 `json:"median_lead_seconds"`
	MinLeadSeconds    *float64 `json:"min_lead_seconds"`
	MaxLeadSeconds    *float64 `json:"max_lead_seconds"`
}

// LeadTimes summarises the lead times of incs per service, sorted by service. Leads are
// nil for a service with no linked incident.
func LeadTimes(incs []outcry.Incident) []LeadSummary {
	by := map[string]*LeadSummary{}
	leads := map[string][]float64{}
	for _, inc := range incs {
		ls := by[inc.Service]
		if ls == nil {
			ls = &LeadSummary{Service: inc.Service}
			by[inc.Service] = ls
		}
		ls.Incidents++
		if inc.LeadSeconds != nil {
			ls.Linked++
			if *inc.LeadSeconds > 0 {
				ls.Earlier++
			}
			leads[inc.Service] = append(leads[inc.Service], *inc.LeadSeconds)
		}
	}
	out := make([]LeadSummary, 0, len(by))
	for svc, ls := range by {
		if l := leads[svc]; len(l) > 0 {
			slices.Sort(l)
			med, lo, hi := median(l), l[0], l[len(l)-1]
			ls.MedianLeadSeconds, ls.MinLeadSeconds, ls.MaxLeadSeconds = &med, &lo, &hi
		}
		out = append(out, *ls)
	}
	slices.SortFunc(out, func(a, b LeadSummary) int { return cmpString(a.Service, b.Service) })
	return out
}

// median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
