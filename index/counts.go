package index

import (
	"container/list"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/outcry/outcry"
)

const (
	minutesPerDay  = 24 * 60
	minutesPerHour = 60
	// maxCountMinutes bounds one Counts call (a leap year of minutes).
	maxCountMinutes = 366 * minutesPerDay
	// Cache sizes: a day of counts is 23 KiB, an hour of authors is usually tiny.
	dayCacheSize     = 512
	authorsCacheSize = 256
	countsVersion    = 1
	authorsVersion   = 1
)

// minuteCount is one service's counts in one minute.
type minuteCount struct {
	Mentions, Complaints, Authors, Recoveries int32
}

// dayCounts is one service's counts for one UTC day, dense. Published values are
// immutable: writers clone, change and swap.
type dayCounts [minutesPerDay]minuteCount

// hourAuthors holds, per minute of one UTC hour, the sorted 64-bit hashes of the
// authors who complained about one service. Only the writer (under the write lock)
// touches the cached values.
type hourAuthors [minutesPerHour][]uint64

func (a *hourAuthors) clone() *hourAuthors {
	c := new(hourAuthors)
	for m, set := range a {
		c[m] = slices.Clone(set)
	}
	return c
}

// add records author hash h in minute m and reports whether it was new.
func (a *hourAuthors) add(m int, h uint64) bool {
	i, found := slices.BinarySearch(a[m], h)
	if found {
		return false
	}
	a[m] = slices.Insert(a[m], i, h)
	return true
}

type dayKey struct {
	service string
	day     int64 // days since the Unix epoch
}

type hourKey struct {
	service string
	hour    int64 // hours since the Unix epoch
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func unixMinute(t time.Time) int64 { return floorDiv(t.Unix(), 60) }

func dayString(day int64) string {
	return time.Unix(day*86400, 0).UTC().Format("2006-01-02")
}

func countsID(k dayKey) string {
	return internalPrefix + kindCounts + "/" + k.service + "/" + dayString(k.day)
}

func authorsID(k hourKey) string {
	t := time.Unix(k.hour*3600, 0).UTC()
	return internalPrefix + kindAuthors + "/" + k.service + "/" + t.Format("2006-01-02T15")
}

// parseCountsID is the inverse of countsID.
func parseCountsID(id string) (dayKey, bool) {
	rest, ok := strings.CutPrefix(id, internalPrefix+kindCounts+"/")
	if !ok {
		return dayKey{}, false
	}
	i := strings.LastIndexByte(rest, '/')
	if i < 0 {
		return dayKey{}, false
	}
	t, err := time.Parse("2006-01-02", rest[i+1:])
	if err != nil {
		return dayKey{}, false
	}
	return dayKey{service: rest[:i], day: floorDiv(t.Unix(), 86400)}, true
}

// authorHash identifies a complaining author; a post without author is its own author.
func authorHash(p *outcry.Post) uint64 {
	h := fnv.New64a()
	if p.Author == "" {
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(p.ID))
	} else {
		_, _ = h.Write([]byte(p.Author))
	}
	return h.Sum64()
}

// postServices lists the services a post counts for: named or affected.
func postServices(p *outcry.Post) []string {
	out := slices.Clone(p.Services)
	for _, s := range p.Affected {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func encodeDay(d *dayCounts) []byte {
	buf := []byte{countsVersion}
	prev := -1
	for i := range d {
		c := d[i]
		if c == (minuteCount{}) {
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(i-prev-1))
		buf = binary.AppendUvarint(buf, uint64(c.Mentions))
		buf = binary.AppendUvarint(buf, uint64(c.Complaints))
		buf = binary.AppendUvarint(buf, uint64(c.Authors))
		buf = binary.AppendUvarint(buf, uint64(c.Recoveries))
		prev = i
	}
	return buf
}

var errCorrupt = errors.New("corrupt counts")

func decodeDay(b []byte) (*dayCounts, error) {
	if len(b) == 0 || b[0] != countsVersion {
		return nil, errCorrupt
	}
	b = b[1:]
	d := new(dayCounts)
	prev := -1
	next := func() (int32, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > 1<<31-1 {
			return 0, false
		}
		b = b[n:]
		return int32(v), true
	}
	for len(b) > 0 {
		gap, ok1 := next()
		m, ok2 := next()
		c, ok3 := next()
		a, ok4 := next()
		r, ok5 := next()
		i := prev + 1 + int(gap)
		if !(ok1 && ok2 && ok3 && ok4 && ok5) || i >= minutesPerDay {
			return nil, errCorrupt
		}
		d[i] = minuteCount{Mentions: m, Complaints: c, Authors: a, Recoveries: r}
		prev = i
	}
	return d, nil
}

func encodeAuthors(a *hourAuthors) []byte {
	buf := []byte{authorsVersion}
	for m, set := range a {
		if len(set) == 0 {
			continue
		}
		buf = append(buf, byte(m))
		buf = binary.AppendUvarint(buf, uint64(len(set)))
		for _, h := range set {
			buf = binary.LittleEndian.AppendUint64(buf, h)
		}
	}
	return buf
}

func decodeAuthors(b []byte) (*hourAuthors, error) {
	if len(b) == 0 || b[0] != authorsVersion {
		return nil, errCorrupt
	}
	b = b[1:]
	a := new(hourAuthors)
	for len(b) > 0 {
		m := int(b[0])
		n, k := binary.Uvarint(b[1:])
		if m >= minutesPerHour || k <= 0 || n > uint64(len(b)) {
			return nil, errCorrupt
		}
		b = b[1+k:]
		if uint64(len(b)) < n*8 {
			return nil, errCorrupt
		}
		set := make([]uint64, n)
		for i := range set {
			set[i] = binary.LittleEndian.Uint64(b[i*8:])
		}
		a[m] = set
		b = b[n*8:]
	}
	return a, nil
}

// lru is a small least-recently-used map. Not safe for concurrent use.
type lru[K comparable, V any] struct {
	cap   int
	order *list.List // front = most recent; values are K
	items map[K]*lruItem[V]
}

type lruItem[V any] struct {
	val V
	el  *list.Element
}

func newLRU[K comparable, V any](n int) *lru[K, V] {
	return &lru[K, V]{cap: n, order: list.New(), items: map[K]*lruItem[V]{}}
}

func (c *lru[K, V]) get(k K) (V, bool) {
	it, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(it.el)
	return it.val, true
}

func (c *lru[K, V]) put(k K, v V) {
	if it, ok := c.items[k]; ok {
		it.val = v
		c.order.MoveToFront(it.el)
		return
	}
	c.items[k] = &lruItem[V]{val: v, el: c.order.PushFront(k)}
	for c.order.Len() > c.cap {
		old := c.order.Remove(c.order.Back()).(K)
		delete(c.items, old)
	}
}

func (c *lru[K, V]) remove(k K) {
	if it, ok := c.items[k]; ok {
		c.order.Remove(it.el)
		delete(c.items, k)
	}
}

// countStore maintains the per-service per-minute counts. Each (service, UTC day)
// is one stored document of varint-encoded non-zero minutes; the distinct
// complaining authors of each (service, UTC hour) are another, so that a flush
// rewrites only the hours it touches. Both are written in the same Bleve batch as
// the posts they count.
type countStore struct {
	ix *Index

	mu   sync.Mutex
	gen  uint64                      // bumped on every publish; guards stale fills
	days *lru[dayKey, *dayCounts]    // nil value: known to have no counts
	auth *lru[hourKey, *hourAuthors] // writer only (under the write lock)

	// A batch that fails while being persisted (disk full) may already be applied
	// in memory, so reading its documents back would count its posts twice when
	// they are written again. Until a batch rewrites them, the counts and authors
	// it touched are pinned to their values before it.
	pinnedDays map[dayKey]*dayCounts    // guarded by mu
	pinnedAuth map[hourKey]*hourAuthors // writer only
}

func newCountStore(ix *Index) *countStore {
	return &countStore{
		ix:   ix,
		days: newLRU[dayKey, *dayCounts](dayCacheSize),
		auth: newLRU[hourKey, *hourAuthors](authorsCacheSize),

		pinnedDays: map[dayKey]*dayCounts{},
		pinnedAuth: map[hourKey]*hourAuthors{},
	}
}

// countUpdate is what one batch changes.
type countUpdate struct {
	days    map[dayKey]*dayCounts
	authors map[hourKey]*hourAuthors
	docs    []*document.Document
	// Values before this update, restored (pinned) if its batch fails.
	prevDays    map[dayKey]*dayCounts
	prevAuthors map[hourKey]*hourAuthors
}

// day returns the published counts of k (nil when none), loading them if needed.
func (cs *countStore) day(r bindex.IndexReader, k dayKey) (*dayCounts, error) {
	cs.mu.Lock()
	d, ok := cs.pinnedDays[k]
	if !ok {
		d, ok = cs.days.get(k)
	}
	gen := cs.gen
	cs.mu.Unlock()
	if ok {
		return d, nil
	}
	blob, err := cs.ix.storedField(r, countsID(k), fieldBlob)
	if err != nil {
		return nil, err
	}
	if blob != nil {
		if d, err = decodeDay(blob); err != nil {
			return nil, fmt.Errorf("index: counts %s %s: %w", k.service, dayString(k.day), err)
		}
	}
	cs.mu.Lock()
	if cs.gen == gen {
		cs.days.put(k, d)
	}
	cs.mu.Unlock()
	return d, nil
}

// loadAuthors reads the stored authors of k, bypassing the writer's cache.
func (cs *countStore) loadAuthors(r bindex.IndexReader, k hourKey) (*hourAuthors, error) {
	blob, err := cs.ix.storedField(r, authorsID(k), fieldBlob)
	if err != nil {
		return nil, err
	}
	if blob == nil {
		return new(hourAuthors), nil
	}
	a, err := decodeAuthors(blob)
	if err != nil {
		return nil, fmt.Errorf("index: authors %s: %w", authorsID(k)[1:], err)
	}
	return a, nil
}

// prepare computes the counts and authors documents that adding posts changes.
// Cached authors are changed in place: the caller must call publish after the batch
// is durable or abort if it failed. The caller holds the write lock.
func (cs *countStore) prepare(posts []outcry.Post) (*countUpdate, error) {
	upd := &countUpdate{
		days: map[dayKey]*dayCounts{}, authors: map[hourKey]*hourAuthors{},
		prevDays: map[dayKey]*dayCounts{}, prevAuthors: map[hourKey]*hourAuthors{},
	}
	if len(posts) == 0 {
		return upd, nil
	}
	r, err := cs.ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	for i := range posts {
		p := &posts[i]
		um := unixMinute(p.CreatedAt)
		day := floorDiv(um, minutesPerDay)
		hour := floorDiv(um, minutesPerHour)
		for _, svc := range postServices(p) {
			dk := dayKey{svc, day}
			dc := upd.days[dk]
			if dc == nil {
				cur, err := cs.day(r, dk)
				if err != nil {
					cs.abort(upd)
					return nil, err
				}
				dc = new(dayCounts)
				if cur != nil {
					*dc = *cur
				}
				upd.days[dk] = dc
				upd.prevDays[dk] = cur
			}
			mc := &dc[um-day*minutesPerDay]
			if p.Mentions(svc) {
				mc.Mentions++
			}
			if p.RecoveryOf(svc) {
				mc.Recoveries++
			}
			if !p.ComplainsAbout(svc) {
				continue
			}
			mc.Complaints++
			hk := hourKey{svc, hour}
			ha := upd.authors[hk]
			if ha == nil {
				var ok bool
				if ha, ok = cs.pinnedAuth[hk]; ok {
					ha = ha.clone()
					cs.auth.put(hk, ha)
				} else if ha, ok = cs.auth.get(hk); !ok {
					if ha, err = cs.loadAuthors(r, hk); err != nil {
						cs.abort(upd)
						return nil, err
					}
					cs.auth.put(hk, ha)
				}
				upd.authors[hk] = ha
				upd.prevAuthors[hk] = ha.clone()
			}
			if ha.add(int(um-hour*minutesPerHour), authorHash(p)) {
				mc.Authors++
			}
		}
	}
	for k, d := range upd.days {
		upd.docs = append(upd.docs, blobDocument(countsID(k), kindCounts, encodeDay(d)))
	}
	for k, a := range upd.authors {
		upd.docs = append(upd.docs, blobDocument(authorsID(k), kindAuthors, encodeAuthors(a)))
	}
	return upd, nil
}

// publish makes an update's counts visible once its batch is durable.
func (cs *countStore) publish(upd *countUpdate) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.gen++
	for k, d := range upd.days {
		cs.days.put(k, d)
		delete(cs.pinnedDays, k)
	}
	for k := range upd.authors {
		delete(cs.pinnedAuth, k)
	}
}

// abort undoes an update whose batch failed: the cached authors it changed in place
// are dropped, and everything it touched is pinned to its previous value.
func (cs *countStore) abort(upd *countUpdate) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.gen++
	for k, prev := range upd.prevDays {
		if _, ok := cs.pinnedDays[k]; !ok {
			cs.pinnedDays[k] = prev
		}
		cs.days.remove(k)
	}
	for k, prev := range upd.prevAuthors {
		if _, ok := cs.pinnedAuth[k]; !ok {
			cs.pinnedAuth[k] = prev
		}
		cs.auth.remove(k)
	}
}

// blobDocument is a non-post document: a kind and a stored payload.
func blobDocument(id, kind string, blob []byte) *document.Document {
	d := document.NewDocument(id)
	d.AddField(document.NewTextFieldCustom(fieldKind, nil, []byte(kind), optKeyword, nil))
	d.AddField(document.NewTextFieldCustom(fieldBlob, nil, blob, optStored, nil))
	return d
}

// Counts returns service's counts per UTC minute for [from, to): one bucket per
// minute from Minute(from), zeros included; empty when to is not after from.
// Only durable posts are counted. It reads the stored per-day counts (cached), never
// the posts. A range over 366 days or an empty service is ErrInvalid.
func (ix *Index) Counts(ctx context.Context, service string, from, to time.Time) ([]outcry.Bucket, error) {
	if err := ix.checkOpen(); err != nil {
		return nil, err
	}
	if service == "" {
		return nil, fmt.Errorf("index: counts: empty service: %w", outcry.ErrInvalid)
	}
	start := unixMinute(from)
	end := unixMinute(to)
	if to.After(time.Unix(end*60, 0)) {
		end++ // a partial last minute starts before to
	}
	if end <= start {
		return []outcry.Bucket{}, nil
	}
	if end-start > maxCountMinutes {
		return nil, fmt.Errorf("index: counts: range of %d minutes exceeds %d: %w", end-start, maxCountMinutes, outcry.ErrInvalid)
	}
	out := make([]outcry.Bucket, end-start)
	t := time.Unix(start*60, 0).UTC()
	for i := range out {
		out[i] = outcry.Bucket{Service: service, T: t}
		t = t.Add(time.Minute)
	}
	var r bindex.IndexReader
	defer func() {
		if r != nil {
			r.Close()
		}
	}()
	for day := floorDiv(start, minutesPerDay); day*minutesPerDay < end; day++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := dayKey{service, day}
		ix.counts.mu.Lock()
		d, ok := ix.counts.pinnedDays[k]
		if !ok {
			d, ok = ix.counts.days.get(k)
		}
		ix.counts.mu.Unlock()
		if !ok {
			if r == nil {
				var err error
				if r, err = ix.reader(); err != nil {
					return nil, err
				}
			}
			var err error
			if d, err = ix.counts.day(r, k); err != nil {
				return nil, err
			}
		}
		if d == nil {
			continue
		}
		lo := max(start, day*minutesPerDay)
		hi := min(end, (day+1)*minutesPerDay)
		for m := lo; m < hi; m++ {
			c := d[m-day*minutesPerDay]
			b := &out[m-start]
			b.Mentions, b.Complaints, b.Authors, b.Recoveries = int(c.Mentions), int(c.Complaints), int(c.Authors), int(c.Recoveries)
		}
	}
	return out, nil
}

// CountedServices returns the services with any counts, sorted.
func (ix *Index) CountedServices() []string {
	ix.durableMu.RLock()
	defer ix.durableMu.RUnlock()
	out := make([]string, 0, len(ix.stats.Services))
	for id, s := range ix.stats.Services {
		if s.Mentions+s.Complaints+s.Recoveries > 0 {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
