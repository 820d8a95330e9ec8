package mastodon

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeInstance serves /api/v1/timelines/tag/:tag like Mastodon does: statuses newest
// first; limit (default 20, max 40); max_id, since_id and min_id exclusive bounds, min_id
// selecting the statuses just above it; next/prev Link headers. fault, when set, may
// answer a request itself.
type fakeInstance struct {
	t    testing.TB
	base string // the server's URL, for absolute Link headers

	mu       sync.Mutex
	statuses map[string][]json.RawMessage // per tag, newest first
	ids      map[string][]string
	requests []*http.Request
	fault    func(w http.ResponseWriter, r *http.Request) bool
}

func newInstance(t testing.TB) *fakeInstance {
	return &fakeInstance{t: t, statuses: map[string][]json.RawMessage{}, ids: map[string][]string{}}
}

// load adds the statuses of a timeline page fixture to tag.
func (f *fakeInstance) load(tag, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.t.Fatal(err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(b, &raws); err != nil {
		f.t.Fatal(err)
	}
	for _, r := range raws {
		f.add(tag, r)
	}
}

func (f *fakeInstance) add(tag string, raw json.RawMessage) {
	var probe struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		f.t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.statuses[tag] = append(f.statuses[tag], raw)
	f.ids[tag] = append(f.ids[tag], probe.ID)
	// keep newest first
	idx := make([]int, len(f.ids[tag]))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case idLess(f.ids[tag][b], f.ids[tag][a]):
			return -1
		case idLess(f.ids[tag][a], f.ids[tag][b]):
			return 1
		}
		return 0
	})
	ss, is := make([]json.RawMessage, len(idx)), make([]string, len(idx))
	for i, k := range idx {
		ss[i], is[i] = f.statuses[tag][k], f.ids[tag][k]
	}
	f.statuses[tag], f.ids[tag] = ss, is
}

func (f *fakeInstance) reqs() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func (f *fakeInstance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r)
	fault := f.fault
	f.mu.Unlock()
	if fault != nil && fault(w, r) {
		return
	}
	tag, ok := strings.CutPrefix(r.URL.Path, "/api/v1/timelines/tag/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	limit := 20
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v > 0 {
		limit = min(v, 40)
	}
	f.mu.Lock()
	var page []json.RawMessage
	var pageIDs []string
	for i, id := range f.ids[strings.ToLower(tag)] {
		if v := q.Get("max_id"); v != "" && !idLess(id, v) {
			continue
		}
		if v := q.Get("since_id"); v != "" && !idLess(v, id) {
			continue
		}
		if v := q.Get("min_id"); v != "" && !idLess(v, id) {
			continue
		}
		page = append(page, f.statuses[strings.ToLower(tag)][i])
		pageIDs = append(pageIDs, id)
	}
	f.mu.Unlock()
	if len(page) > limit {
		if q.Get("min_id") != "" {
			page, pageIDs = page[len(page)-limit:], pageIDs[len(pageIDs)-limit:]
		} else {
			page, pageIDs = page[:limit], pageIDs[:limit]
		}
	}
	if len(page) > 0 {
		self := f.base + r.URL.Path
		next := self + "?" + url.Values{"limit": {strconv.Itoa(limit)}, "max_id": {pageIDs[len(pageIDs)-1]}}.Encode()
		// "via=link" lets tests see that the client followed the header.
		prev := self + "?" + url.Values{"limit": {strconv.Itoa(limit)}, "min_id": {pageIDs[0]}, "via": {"link"}}.Encode()
		w.Header().Set("Link", `<`+next+`>; rel="next", <`+prev+`>; rel="prev"`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if page == nil {
		page = []json.RawMessage{}
	}
	_ = json.NewEncoder(w).Encode(page)
}
