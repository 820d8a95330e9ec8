package index

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

// bucketsView projects buckets to "minute:mentions/complaints/authors/recoveries",
// non-zero ones only.
func bucketsView(bs []outcry.Bucket) []string {
	var out []string
	for _, b := range bs {
		if b.Mentions+b.Complaints+b.Authors+b.Recoveries == 0 {
			continue
		}
		out = append(out, b.T.Format("15:04")+":"+strconv.Itoa(b.Mentions)+"/"+strconv.Itoa(b.Complaints)+"/"+strconv.Itoa(b.Authors)+"/"+strconv.Itoa(b.Recoveries))
	}
	return out
}

func TestCounts(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	m := func(min int, sec int) time.Time {
		return t0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
	}
	// Minute 14:02 arrives first, then earlier minutes, then more of 14:02.
	add(t, ix,
		post("a1", "ann", m(2, 5), "chatgpt down", []string{"chatgpt"}, complaint("chatgpt")),
		post("a2", "ann", m(2, 50), "still down", []string{"chatgpt"}, complaint("chatgpt")),
	)
	flush(t, ix)
	add(t, ix,
		post("b1", "bob", m(0, 1), "chatgpt down, trying claude", []string{"chatgpt", "claude"}, complaint("chatgpt"), switching()),
		post("b2", "", m(0, 2), "chatgpt?", []string{"chatgpt"}, complaint("chatgpt")),
		post("b3", "", m(0, 3), "chatgpt??", []string{"chatgpt"}, complaint("chatgpt")),
		post("b4", "cat", m(1, 0), "love chatgpt", []string{"chatgpt"}),
		post("b5", "dan", m(1, 30), "chatgpt is back", []string{"chatgpt"}, recovery("chatgpt")),
	)
	flush(t, ix)
	add(t, ix,
		post("c1", "ann", m(2, 59), "down down down", []string{"chatgpt"}, complaint("chatgpt")), // same author, same minute
		post("c2", "eve", m(2, 10), "broken", []string{"chatgpt"}, complaint("chatgpt")),
		post("c3", "eve", m(3, 10), "next minute", []string{"chatgpt"}, complaint("chatgpt")),
	)
	flush(t, ix)

	got, err := ix.Counts(t.Context(), "chatgpt", t0, t0.Add(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d buckets for 5 minutes", len(got))
	}
	for i, b := range got {
		if b.Service != "chatgpt" || !b.T.Equal(t0.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("bucket %d = %+v", i, b)
		}
	}
	// mentions/complaints/authors/recoveries
	want := []string{"14:00:3/3/3/0", "14:01:2/0/0/1", "14:02:4/4/2/0", "14:03:1/1/1/0"}
	if g := bucketsView(got); strings.Join(g, " ") != strings.Join(want, " ") {
		t.Fatalf("chatgpt counts\n got %v\nwant %v", g, want)
	}
	// Claude is named, not complained about: a mention only.
	claude, _ := ix.Counts(t.Context(), "claude", t0, t0.Add(5*time.Minute))
	if g := strings.Join(bucketsView(claude), " "); g != "14:00:1/0/0/0" {
		t.Fatalf("claude counts %s", g)
	}
	// A window that starts and ends mid-minute covers the minutes it touches.
	part, _ := ix.Counts(t.Context(), "chatgpt", t0.Add(90*time.Second), t0.Add(150*time.Second))
	if len(part) != 2 || !part[0].T.Equal(t0.Add(time.Minute)) {
		t.Fatalf("partial window: %+v", part)
	}
	if empty, err := ix.Counts(t.Context(), "chatgpt", t0, t0); err != nil || len(empty) != 0 || empty == nil {
		t.Fatalf("empty window: %v, %v", empty, err)
	}
	unknown, _ := ix.Counts(t.Context(), "nosuch", t0, t0.Add(3*time.Minute))
	if len(unknown) != 3 || len(bucketsView(unknown)) != 0 {
		t.Fatalf("unknown service: %+v", unknown)
	}
	if _, err := ix.Counts(t.Context(), "", t0, t0.Add(time.Minute)); !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("empty service: %v", err)
	}
	if _, err := ix.Counts(t.Context(), "chatgpt", t0, t0.Add(400*24*time.Hour)); !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("400-day range: %v", err)
	}
	if svcs := ix.CountedServices(); strings.Join(svcs, ",") != "chatgpt,claude" {
		t.Fatalf("CountedServices = %v", svcs)
	}
	if mm, err := ix.Recount(t.Context()); err != nil || len(mm) != 0 {
		t.Fatalf("Recount: %v %v", mm, err)
	}
}

func TestCountsAcrossDays(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	midnight := time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC)
	add(t, ix,
		post("d1", "a", midnight.Add(-30*time.Second), "x", []string{"github"}, complaint("github")),
		post("d2", "b", midnight.Add(30*time.Second), "y", []string{"github"}, complaint("github")),
		post("d3", "c", midnight.Add(24*time.Hour+time.Minute), "z", []string{"github"}),
	)
	flush(t, ix)
	got, err := ix.Counts(t.Context(), "github", midnight.Add(-time.Minute), midnight.Add(24*time.Hour+2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 24*60+3 {
		t.Fatalf("%d buckets", len(got))
	}
	if v := bucketsView(got); strings.Join(v, " ") != "23:59:1/1/1/0 00:00:1/1/1/0 00:01:1/0/0/0" {
		t.Fatalf("counts across midnight: %v", v)
	}
}

func TestRecountDetectsDrift(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	g := newPostGen(9, t0, 3*time.Hour, 300)
	add(t, ix, g.batch(300)...)
	flush(t, ix)
	if mm, err := ix.Recount(t.Context()); err != nil || len(mm) != 0 {
		t.Fatalf("Recount on a consistent index: %v %v", mm, err)
	}
	// Corrupt one minute of stored counts behind the index's back.
	var d dayCounts
	d[14*60+5] = minuteCount{Mentions: 99}
	b := ix.bl.NewBatch()
	if err := b.IndexAdvanced(blobDocument(countsID(dayKey{"chatgpt", floorDiv(unixMinute(t0), minutesPerDay)}), kindCounts, encodeDay(&d))); err != nil {
		t.Fatal(err)
	}
	if err := ix.bl.Batch(b); err != nil {
		t.Fatal(err)
	}
	mm, err := ix.Recount(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(mm) == 0 || !strings.Contains(strings.Join(mm, "\n"), "chatgpt 2024-06-04T14:05Z: stored mentions=99") {
		t.Fatalf("Recount missed the drift: %v", mm)
	}
}

func TestDayEncoding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var d dayCounts
		for range r.IntN(200) {
			d[r.IntN(minutesPerDay)] = minuteCount{int32(r.IntN(1000)), int32(r.IntN(100)), int32(r.IntN(50)), int32(r.IntN(5))}
		}
		got, err := decodeDay(encodeDay(&d))
		if err != nil || *got != d {
			t.Fatalf("day round trip failed: %v", err)
		}
	}
	for _, bad := range [][]byte{nil, {2}, {1, 0x80}, {1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 1, 1, 1}} {
		if _, err := decodeDay(bad); err == nil {
			t.Errorf("decodeDay(%x) accepted", bad)
		}
	}
	var a hourAuthors
	for i := range 300 {
		a.add(r.IntN(minutesPerHour), uint64(i)*0x9e3779b97f4a7c15)
	}
	got, err := decodeAuthors(encodeAuthors(&a))
	if err != nil || len(got) != len(a) {
		t.Fatalf("authors round trip: %v", err)
	}
	for m := range a {
		if len(got[m]) != len(a[m]) {
			t.Fatalf("minute %d: %d authors, want %d", m, len(got[m]), len(a[m]))
		}
	}
	if _, err := decodeAuthors([]byte{1, 5, 3, 1, 2}); err == nil {
		t.Error("truncated authors accepted")
	}
}

func TestCoverTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	inTerms := func(terms []string, sec int64) int {
		own := map[string]bool{}
		for _, w := range strings.Fields(string(timeTerms(sec))) {
			own[w] = true
		}
		n := 0
		for _, t := range terms {
			if own[t] {
				n++
			}
		}
		return n
	}
	base := t0.Unix()
	for range 200 {
		a := base + r.Int64N(10*86400) - 5*86400
		b := a + r.Int64N(3*86400)
		terms := coverTerms(a, b)
		for _, s := range []int64{a - 1, a, a + 1, (a + b) / 2, b - 1, b, b + 1, a - 86400, b + 86400} {
			want := 0
			if s >= a && s < b {
				want = 1
			}
			if got := inTerms(terms, s); got != want {
				t.Fatalf("[%d,%d): second %d matched by %d terms, want %d", a, b, s, got, want)
			}
		}
	}
	if n := len(coverTerms(minPostSecond, maxPostSecond)); n > 450 {
		t.Fatalf("widest range needs %d terms", n)
	}
	if n := len(coverTerms(base+17, base+17+86400)); n > 80 {
		t.Fatalf("unaligned day needs %d terms", n)
	}
	for _, sec := range []int64{minPostSecond, -1, 0, 1, base, maxPostSecond - 1} {
		got, ok := decodeTS(encodeTS(sec))
		if !ok || got != sec {
			t.Fatalf("ts round trip of %d: %d %v", sec, got, ok)
		}
	}
	if string(encodeTS(-5)) >= string(encodeTS(5)) {
		t.Fatal("ts order differs from time order")
	}
}
