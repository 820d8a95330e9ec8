package detect

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/outcry/outcry"
)

// MemStore keeps matched posts in memory and answers the Monitor's questions about them:
// per-minute counts (Store) and window summaries (Summarizer). It is what the incident
// evaluation replays posts into, and a Store for tests and demos without an index. It
// is safe for concurrent use; adding a post whose ID was already added changes nothing.
type MemStore struct {
	mu      sync.Mutex
	seen    map[string]struct{}
	series  map[string]*memSeries
	first   time.Time
	last    time.Time
	posts   int
	compl   int
	recover int
}

type memSeries struct {
	buckets map[int64]*memBucket // by minute (Unix seconds)
	minutes []int64              // sorted keys of buckets, rebuilt when dirty
	posts   []outcry.Post        // complaint and recovery posts about the service
	dirty   bool
}

type memBucket struct {
	b       outcry.Bucket
	authors map[string]struct{}
}

var (
	_ Store      = (*MemStore)(nil)
	_ Summarizer = (*MemStore)(nil)
)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{seen: map[string]struct{}{}, series: map[string]*memSeries{}}
}

// Add counts one matched post (its Services, Affected, Complaint and Recovery fields as
// the matcher set them) and reports whether it was new. Posts without an ID are never
// deduplicated; posts with an empty Author count as distinct authors.
func (s *MemStore) Add(p outcry.Post) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID != "" {
		if _, dup := s.seen[p.ID]; dup {
			return false
		}
		s.seen[p.ID] = struct{}{}
	}
	p.CreatedAt = p.CreatedAt.UTC()
	s.posts++
	if s.first.IsZero() || p.CreatedAt.Before(s.first) {
		s.first = p.CreatedAt
	}
	if p.CreatedAt.After(s.last) {
		s.last = p.CreatedAt
	}
	minute := outcry.Minute(p.CreatedAt)
	author := p.Author
	if author == "" {
		author = "\x00" + p.ID + p.CreatedAt.String() + p.Text
	}
	keep := false
	for _, svc := range p.Services {
		b := s.bucket(svc, minute)
		b.b.Mentions++
	}
	if p.Complaint {
		s.compl++
	}
	if p.Recovery {
		s.recover++
	}
	// As the index counts: a complaint about each affected service, and a recovery too
	// when the post says so (the matcher never sets both, hand-made posts may).
	for _, svc := range p.Affected {
		b := s.bucket(svc, minute)
		if p.Recovery {
			b.b.Recoveries++
			keep = true
		}
		if p.Complaint {
			b.b.Complaints++
			if b.authors == nil {
				b.authors = map[string]struct{}{}
			}
			b.authors[author] = struct{}{}
			b.b.Authors = len(b.authors)
			keep = true
		}
	}
	if keep {
		// Summaries need the post but not its match scratch; keep what they read.
		lean := outcry.Post{
			ID: p.ID, Source: p.Source, Author: p.Author, Text: p.Text, Lang: p.Lang, URL: p.URL,
			CreatedAt: p.CreatedAt, Services: p.Services, Affected: p.Affected,
			Complaint: p.Complaint, Recovery: p.Recovery, Problems: p.Problems, Switching: p.Switching,
			Simulated: p.Simulated,
		}
		for _, svc := range p.Affected {
			ser := s.seriesOf(svc)
			ser.posts = append(ser.posts, lean)
			ser.dirty = true
		}
	}
	return true
}

func (s *MemStore) seriesOf(svc string) *memSeries {
	ser := s.series[svc]
	if ser == nil {
		ser = &memSeries{buckets: map[int64]*memBucket{}}
		s.series[svc] = ser
	}
	return ser
}

func (s *MemStore) bucket(svc string, minute time.Time) *memBucket {
	ser := s.seriesOf(svc)
	k := minute.Unix()
	b := ser.buckets[k]
	if b == nil {
		b = &memBucket{b: outcry.Bucket{Service: svc, T: minute}}
		ser.buckets[k] = b
		ser.dirty = true
	}
	return b
}

func (ser *memSeries) index() {
	if !ser.dirty {
		return
	}
	ser.minutes = ser.minutes[:0]
	for k := range ser.buckets {
		ser.minutes = append(ser.minutes, k)
	}
	slices.Sort(ser.minutes)
	slices.SortStableFunc(ser.posts, func(a, b outcry.Post) int { return a.CreatedAt.Compare(b.CreatedAt) })
	ser.dirty = false
}

// Counts returns the non-empty buckets of service from Minute(from) up to the last minute
// that starts before to (the minutes the index returns), oldest first; minutes without
// posts are left out, which the Store contract allows (they count as zero).
func (s *MemStore) Counts(ctx context.Context, service string, from, to time.Time) ([]outcry.Bucket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ser := s.series[service]
	if ser == nil {
		return nil, nil
	}
	ser.index()
	start := outcry.Minute(from).Unix()
	lo := sort.Search(len(ser.minutes), func(i int) bool { return ser.minutes[i] >= start })
	var out []outcry.Bucket
	for _, k := range ser.minutes[lo:] {
		if k >= to.Unix() {
			break
		}
		out = append(out, ser.buckets[k].b)
	}
	return out, nil
}

// Summarize describes the complaint and recovery posts about service in [from, to) as
// the index does: counts, distinct authors, languages (lowercased) and sources of the
// complaints (untagged ones left out), the most reported problems (top 8), the other
// services the complaints name (CoServices) and those that switching complaints name
// (Switching), and up to samples complaints, newest first, one per author.
func (s *MemStore) Summarize(ctx context.Context, service string, from, to time.Time, samples int) (outcry.Summary, error) {
	sum := outcry.Summary{
		Languages: map[string]int{}, Sources: map[string]int{}, Problems: []outcry.ProblemCount{},
		CoServices: map[string]int{}, Switching: map[string]int{}, Samples: []outcry.Post{},
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ser := s.series[service]
	if ser == nil {
		return sum, nil
	}
	ser.index()
	lo := sort.Search(len(ser.posts), func(i int) bool { return !ser.posts[i].CreatedAt.Before(from) })
	hi := sort.Search(len(ser.posts), func(i int) bool { return !ser.posts[i].CreatedAt.Before(to) })
	authors := map[string]struct{}{}
	problems := map[string]int{}
	for i := lo; i < hi; i++ {
		p := &ser.posts[i]
		if p.RecoveryOf(service) {
			sum.Recoveries++
		}
		if !p.ComplainsAbout(service) {
			continue
		}
		sum.Complaints++
		a := p.Author
		if a == "" {
			a = "\x00" + p.ID
		}
		authors[a] = struct{}{}
		// Untagged languages and sources are left out, as the index's facets do.
		if l := strings.ToLower(p.Lang); l != "" {
			sum.Languages[l]++
		}
		if p.Source != "" {
			sum.Sources[p.Source]++
		}
		for _, pr := range p.Problems {
			problems[pr]++
		}
		for _, o := range p.Services {
			if o == service {
				continue
			}
			sum.CoServices[o]++
			if p.Switching {
				sum.Switching[o]++
			}
		}
	}
	sum.Authors = len(authors)
	for pr, n := range problems {
		sum.Problems = append(sum.Problems, outcry.ProblemCount{Problem: pr, Count: n})
	}
	slices.SortFunc(sum.Problems, func(a, b outcry.ProblemCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Problem, b.Problem)
	})
	if len(sum.Problems) > 8 {
		sum.Problems = sum.Problems[:8]
	}
	picked := map[string]bool{}
	for pass := 0; pass < 2 && len(sum.Samples) < samples; pass++ {
		for i := hi - 1; i >= lo && len(sum.Samples) < samples; i-- {
			p := ser.posts[i]
			if !p.ComplainsAbout(service) || picked[p.ID+"\x00"+p.CreatedAt.String()] {
				continue
			}
			if pass == 0 && picked["author\x00"+p.Author] {
				continue // distinct authors first
			}
			picked[p.ID+"\x00"+p.CreatedAt.String()] = true
			picked["author\x00"+p.Author] = true
			sum.Samples = append(sum.Samples, p)
		}
	}
	return sum, nil
}

// Services returns the services any added post names, sorted.
func (s *MemStore) Services() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.series))
	for id := range s.series {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Span returns the times of the first and last post added (zero when empty).
func (s *MemStore) Span() (first, last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first, s.last
}

// Len returns the number of distinct posts added, and how many were complaints and
// recoveries.
func (s *MemStore) Len() (posts, complaints, recoveries int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.compl, s.recover
}

// mentioned reports whether any post named service in [from, to).
func (s *MemStore) mentioned(service string, from, to time.Time) bool {
	bs, _ := s.Counts(context.Background(), service, from, to)
	for _, b := range bs {
		if b.Mentions > 0 || b.Complaints > 0 {
			return true
		}
	}
	return false
}
