package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// maxMismatches bounds the report of Recount.
const maxMismatches = 100

// Recount recomputes the per-minute counts and the stats from the stored posts and
// compares them with what was maintained at write time. It returns one line per
// difference (at most 100, then a line saying how many more), nil when all agree.
// It reads every post: O(posts), for verification after a crash, not for serving.
func (ix *Index) Recount(ctx context.Context) ([]string, error) {
	if err := ix.checkOpen(); err != nil {
		return nil, err
	}
	// Hold the write lock so no batch lands between reading posts and counts.
	if err := ix.lockWrite(ctx); err != nil {
		return nil, err
	}
	defer ix.unlockWrite()
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()

	type minuteKey struct {
		service string
		minute  int64
	}
	want := map[dayKey]*dayCounts{}
	authors := map[minuteKey]map[string]struct{}{}
	stats := newStatsDoc()
	stored := map[dayKey]*dayCounts{}

	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("index: recount: %w", err)
	}
	defer dr.Close()
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		iid, err := dr.Next()
		if err != nil {
			return nil, fmt.Errorf("index: recount: %w", err)
		}
		if iid == nil {
			break
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return nil, fmt.Errorf("index: recount: %w", err)
		}
		if k, ok := parseCountsID(id); ok {
			blob, err := ix.storedField(r, id, fieldBlob)
			if err != nil {
				return nil, err
			}
			if stored[k], err = decodeDay(blob); err != nil {
				return nil, fmt.Errorf("index: recount %s: %w", id[1:], err)
			}
			continue
		}
		if strings.HasPrefix(id, internalPrefix) {
			continue
		}
		p, err := ix.loadPost(r, id)
		if err != nil {
			return nil, err
		}
		stats.add(&p)
		um := unixMinute(p.CreatedAt)
		day := floorDiv(um, minutesPerDay)
		for _, svc := range postServices(&p) {
			k := dayKey{svc, day}
			d := want[k]
			if d == nil {
				d = new(dayCounts)
				want[k] = d
			}
			c := &d[um-day*minutesPerDay]
			if p.Mentions(svc) {
				c.Mentions++
			}
			if p.RecoveryOf(svc) {
				c.Recoveries++
			}
			if p.ComplainsAbout(svc) {
				c.Complaints++
				mk := minuteKey{svc, um}
				set := authors[mk]
				if set == nil {
					set = map[string]struct{}{}
					authors[mk] = set
				}
				a := p.Author
				if a == "" {
					a = "\x00" + p.ID
				}
				set[a] = struct{}{}
			}
		}
	}
	for mk, set := range authors {
		day := floorDiv(mk.minute, minutesPerDay)
		want[dayKey{mk.service, day}][mk.minute-day*minutesPerDay].Authors = int32(len(set))
	}

	var out []string
	more := 0
	report := func(format string, args ...any) {
		if len(out) < maxMismatches {
			out = append(out, fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	keys := make([]dayKey, 0, len(want)+len(stored))
	for k := range want {
		keys = append(keys, k)
	}
	for k := range stored {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b dayKey) int {
		if c := strings.Compare(a.service, b.service); c != 0 {
			return c
		}
		return int(a.day - b.day)
	})
	var zero dayCounts
	for _, k := range keys {
		w, s := want[k], stored[k]
		if w == nil {
			w = &zero
		}
		if s == nil {
			s = &zero
		}
		for m := range w {
			if w[m] == s[m] {
				continue
			}
			t := time.Unix((k.day*minutesPerDay+int64(m))*60, 0).UTC().Format("2006-01-02T15:04Z")
			report("%s %s: stored mentions=%d complaints=%d authors=%d recoveries=%d, recount %d/%d/%d/%d",
				k.service, t, s[m].Mentions, s[m].Complaints, s[m].Authors, s[m].Recoveries,
				w[m].Mentions, w[m].Complaints, w[m].Authors, w[m].Recoveries)
		}
	}

	ix.durableMu.RLock()
	cur := ix.stats.clone()
	ix.durableMu.RUnlock()
	if cur.Posts != stats.Posts {
		report("stats: stored posts=%d, recount %d", cur.Posts, stats.Posts)
	}
	if !cur.First.Equal(stats.First) || !cur.Last.Equal(stats.Last) {
		report("stats: stored first..last %s..%s, recount %s..%s", fmtTime(cur.First), fmtTime(cur.Last), fmtTime(stats.First), fmtTime(stats.Last))
	}
	for _, svc := range sortedKeys(mergeKeys(cur.Services, stats.Services)) {
		a, b := cur.Services[svc], stats.Services[svc]
		if a == nil {
			a = &ServiceStats{}
		}
		if b == nil {
			b = &ServiceStats{}
		}
		if *a != *b {
			report("stats %s: stored %+v, recount %+v", svc, *a, *b)
		}
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("... and %d more", more))
	}
	return out, nil
}

func mergeKeys(a, b map[string]*ServiceStats) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339Nano)
}
