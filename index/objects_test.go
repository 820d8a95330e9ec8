package index

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/outcry/outcry"
)

func TestSummarize(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	m := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	add(t, ix,
		post("s1", "ann", m(0), "ChatGPT down, login fails", []string{"chatgpt"}, complaint("chatgpt"), problems("login")),
		post("s2", "ann", m(1), "ChatGPT still down", []string{"chatgpt"}, complaint("chatgpt"), problems("login", "errors")),
		post("s3", "bob", m(2), "ChatGPT down, using Claude now", []string{"chatgpt", "claude"}, complaint("chatgpt"), switching(), problems("errors"), source("bsky")),
		post("s4", "", m(3), "ChatGPT en panne", []string{"chatgpt"}, complaint("chatgpt"), lang("fr"), problems("errors")),
		post("s5", "", m(4), "ChatGPT et Perplexity en panne", []string{"chatgpt", "perplexity"}, complaint("chatgpt", "perplexity"), lang("fr")),
		post("s6", "cat", m(5), "ChatGPT is back", []string{"chatgpt"}, recovery("chatgpt")),
		post("s7", "dan", m(6), "Claude down", []string{"claude"}, complaint("claude")),
		post("s8", "eve", m(90), "ChatGPT down much later", []string{"chatgpt"}, complaint("chatgpt")),
	)
	flush(t, ix)
	sum, err := ix.Summarize(t.Context(), "chatgpt", t0, m(60), 3)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Complaints != 5 || sum.Recoveries != 1 {
		t.Fatalf("complaints %d recoveries %d", sum.Complaints, sum.Recoveries)
	}
	// ann twice; two anonymous posts are two authors.
	if sum.Authors != 4 {
		t.Fatalf("authors %d, want 4", sum.Authors)
	}
	if fmt.Sprint(sum.Languages) != "map[en:3 fr:2]" || fmt.Sprint(sum.Sources) != "map[bsky:1 test:4]" {
		t.Fatalf("languages %v sources %v", sum.Languages, sum.Sources)
	}
	if fmt.Sprint(sum.Problems) != "[{errors 3} {login 2}]" {
		t.Fatalf("problems %v", sum.Problems)
	}
	if fmt.Sprint(sum.CoServices) != "map[claude:1 perplexity:1]" || fmt.Sprint(sum.Switching) != "map[claude:1]" {
		t.Fatalf("co-services %v switching %v", sum.CoServices, sum.Switching)
	}
	// Newest first, distinct authors first: s5 (anon), s4 (anon), s3 (bob); ann's
	// newest (s2) would be fourth.
	var ids []string
	for _, p := range sum.Samples {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, " ") != "s5 s4 s3" {
		t.Fatalf("samples %v", ids)
	}
	// More samples than distinct authors: fill with the newest others.
	sum, _ = ix.Summarize(t.Context(), "chatgpt", t0, m(60), 10)
	if len(sum.Samples) != 5 || sum.Samples[0].ID != "s5" || sum.Samples[4].ID != "s1" {
		t.Fatalf("10 samples: %v", sum.Samples)
	}
	empty, err := ix.Summarize(t.Context(), "github", t0, m(60), 3)
	if err != nil || empty.Complaints != 0 || empty.Languages == nil || empty.Samples == nil || empty.Problems == nil {
		t.Fatalf("empty summary %+v, %v", empty, err)
	}
	for _, bad := range []struct {
		svc      string
		from, to time.Time
		n        int
	}{{"", t0, m(1), 1}, {"chatgpt", m(1), t0, 1}, {"chatgpt", time.Time{}, m(1), 1}, {"chatgpt", t0, m(1), -1}} {
		if _, err := ix.Summarize(t.Context(), bad.svc, bad.from, bad.to, bad.n); !errors.Is(err, outcry.ErrInvalid) {
			t.Errorf("Summarize(%+v) err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestIncidents(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	ctx := t.Context()
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	end := func(n int) *time.Time { e := h(n); return &e }
	incs := []outcry.Incident{
		{ID: "a", Service: "chatgpt", State: outcry.StateResolved, Start: h(0), End: end(2)},
		{ID: "b", Service: "claude", State: outcry.StateResolved, Start: h(1), End: end(3)},
		{ID: "c", Service: "chatgpt", State: outcry.StateOpen, Start: h(5)},
	}
	if err := ix.RecordIncidents(ctx, incs); err != nil {
		t.Fatal(err)
	}
	ids := func(f IncidentFilter) string {
		t.Helper()
		got, err := ix.Incidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range got {
			out = append(out, i.ID)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		f    IncidentFilter
		want string
	}{
		{IncidentFilter{}, "c b a"},
		{IncidentFilter{Service: "chatgpt"}, "c a"},
		{IncidentFilter{State: outcry.StateOpen}, "c"},
		{IncidentFilter{From: h(2), To: h(4)}, "b a"}, // a ends at 2: still overlaps [2, 4)
		{IncidentFilter{From: h(3).Add(time.Second), To: h(4)}, ""},
		{IncidentFilter{From: h(100)}, "c"}, // open incidents extend to the future
		{IncidentFilter{To: h(1)}, "a"},
		{IncidentFilter{Limit: 2}, "c b"},
	} {
		if got := ids(tc.f); got != tc.want {
			t.Errorf("Incidents(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	// Upsert by ID: c resolves.
	c := incs[2]
	c.State, c.End, c.Peak = outcry.StateResolved, end(6), 12
	if err := ix.RecordIncidents(ctx, []outcry.Incident{c}); err != nil {
		t.Fatal(err)
	}
	if got := ids(IncidentFilter{State: outcry.StateOpen}); got != "" {
		t.Fatalf("open after resolve: %q", got)
	}
	if got, err := ix.Incident(ctx, "c"); err != nil || got.Peak != 12 || got.State != outcry.StateResolved {
		t.Fatalf("Incident(c) = %+v, %v", got, err)
	}
	if all, _ := ix.Incidents(ctx, IncidentFilter{}); len(all) != 3 {
		t.Fatalf("%d incidents after upsert, want 3", len(all))
	}
	if _, err := ix.Incident(ctx, "nope"); !errors.Is(err, outcry.ErrNotFound) {
		t.Fatalf("missing incident: %v", err)
	}
	if err := ix.RecordIncidents(ctx, []outcry.Incident{{Service: "x", Start: t0}}); !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("incident without id: %v", err)
	}
	if err := ix.RecordIncidents(ctx, []outcry.Incident{{ID: "z", Service: "x"}}); !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("incident without start: %v", err)
	}
	if _, err := ix.Incidents(ctx, IncidentFilter{Limit: -1}); !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("negative limit: %v", err)
	}
	// Incidents never show up as posts.
	if res, _ := ix.Search(ctx, outcry.SearchRequest{}); res.Total != 0 {
		t.Fatalf("search over an index of incidents found %d posts", res.Total)
	}
}

func TestEventsOfficialState(t *testing.T) {
	ix, _ := openTest(t, testConfig())
	ctx := t.Context()
	evs := []outcry.Event{
		{ID: "e1", Start: t0, Incidents: []string{"a", "b"}, CoMentions: map[string]int{"chatgpt+claude": 4}},
		{ID: "e2", Start: t0.Add(2 * time.Hour)},
	}
	if err := ix.RecordEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	got, err := ix.Events(ctx, t0, t0.Add(time.Hour))
	if err != nil || len(got) != 1 || got[0].CoMentions["chatgpt+claude"] != 4 {
		t.Fatalf("Events = %+v, %v", got, err)
	}
	if all, _ := ix.Events(ctx, time.Time{}, time.Time{}); len(all) != 2 || all[0].ID != "e2" {
		t.Fatalf("all events newest first: %+v", all)
	}
	if _, err := ix.Event(ctx, "e9"); !errors.Is(err, outcry.ErrNotFound) {
		t.Fatalf("missing event: %v", err)
	}

	end := t0.Add(time.Hour)
	off := []outcry.OfficialIncident{
		{ID: "openai:1", Service: "chatgpt", Title: "Elevated errors", Start: t0, End: &end, Resolved: true},
		{ID: "anthropic:1", Service: "claude", Title: "Degraded", Start: t0.Add(30 * time.Minute)},
	}
	if err := ix.RecordOfficial(ctx, "status", off, "c1"); err != nil {
		t.Fatal(err)
	}
	if c, _ := ix.Cursor("status"); c != "c1" {
		t.Fatalf("official cursor %q", c)
	}
	// Replace by ID with an update.
	off[1].Updates = []outcry.OfficialUpdate{{At: t0.Add(40 * time.Minute), Status: "identified", Body: "fix in progress"}}
	if err := ix.RecordOfficial(ctx, "status", off[1:], ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := ix.Cursor("status"); c != "c1" {
		t.Fatalf("empty cursor overwrote the stored one: %q", c)
	}
	all, err := ix.Official(ctx, "", time.Time{}, time.Time{})
	if err != nil || len(all) != 2 || all[0].ID != "anthropic:1" || len(all[0].Updates) != 1 || all[0].Source != "status" {
		t.Fatalf("Official = %+v, %v", all, err)
	}
	if cg, _ := ix.Official(ctx, "chatgpt", t0.Add(2*time.Hour), time.Time{}); len(cg) != 0 {
		t.Fatalf("resolved chatgpt incident after its end: %+v", cg)
	}
	if cl, _ := ix.Official(ctx, "claude", t0.Add(48*time.Hour), time.Time{}); len(cl) != 1 {
		t.Fatalf("unresolved incident not open-ended: %+v", cl)
	}

	if v, err := ix.State("missing"); v != nil || err != nil {
		t.Fatalf("missing state = %q, %v", v, err)
	}
	if err := ix.SetState(ctx, "k", []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetState(ctx, "k", []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if v, _ := ix.State("k"); string(v) != "v2" {
		t.Fatalf("state = %q", v)
	}
	if err := ix.SetState(ctx, "k", nil); err != nil {
		t.Fatal(err)
	}
	if v, _ := ix.State("k"); v != nil {
		t.Fatalf("deleted state = %q", v)
	}
	if err := ix.SetState(ctx, "", []byte("x")); !errors.Is(err, outcry.ErrInvalid) {
		t.Fatalf("empty key: %v", err)
	}
}
