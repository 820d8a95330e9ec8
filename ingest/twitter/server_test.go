package twitter

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
	"time"
)

const testToken = "AAAA-test-bearer"

type fakeTweet struct {
	id      int64
	text    string
	lang    string
	user    string
	created time.Time
}

// fakeX serves both search APIs from one store of tweets, newest first: v1.1
// search/tweets.json (since_id exclusive, max_id inclusive, count, next_results) and v2
// /2/tweets/search/recent (since_id, max_results, next_token). static serves fixture
// bodies by path suffix instead; fault may answer a request itself. Requests without the
// bearer token get X's 401.
type fakeX struct {
	t testing.TB

	mu       sync.Mutex
	tweets   []fakeTweet
	static   map[string]string // path suffix -> fixture file
	requests []*http.Request
	fault    func(w http.ResponseWriter, r *http.Request) bool
}

func (f *fakeX) add(tws ...fakeTweet) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tweets = append(f.tweets, tws...)
	slices.SortStableFunc(f.tweets, func(a, b fakeTweet) int { return cmpInt(b.id, a.id) })
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (f *fakeX) reqs() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

func (f *fakeX) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r)
	fault := f.fault
	f.mu.Unlock()
	if fault != nil && fault(w, r) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testToken {
		serveFile(f.t, w, http.StatusUnauthorized, "testdata/v2_error_401.json")
		return
	}
	for suffix, file := range f.static {
		if strings.HasSuffix(r.URL.Path, suffix) {
			serveFile(f.t, w, http.StatusOK, file)
			return
		}
	}
	q := r.URL.Query()
	since, _ := strconv.ParseInt(q.Get("since_id"), 10, 64)
	f.mu.Lock()
	var sel []fakeTweet
	for _, tw := range f.tweets {
		if tw.id > since {
			sel = append(sel, tw)
		}
	}
	f.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "/1.1/search/tweets.json"):
		f.serveV1(w, q, sel)
	case strings.HasSuffix(r.URL.Path, "/2/tweets/search/recent"):
		f.serveV2(w, q, sel)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeX) serveV1(w http.ResponseWriter, q url.Values, sel []fakeTweet) {
	if maxID, err := strconv.ParseInt(q.Get("max_id"), 10, 64); err == nil {
		sel = slices.DeleteFunc(slices.Clone(sel), func(tw fakeTweet) bool { return tw.id > maxID })
	}
	count, err := strconv.Atoi(q.Get("count"))
	if err != nil || count <= 0 {
		count = 15
	}
	page, rest := sel, []fakeTweet(nil)
	if len(sel) > count {
		page, rest = sel[:count], sel[count:]
	}
	statuses := []map[string]any{}
	for _, tw := range page {
		statuses = append(statuses, map[string]any{
			"created_at": tw.created.Format(time.RubyDate), "id": tw.id, "id_str": strconv.FormatInt(tw.id, 10),
			"full_text": tw.text, "lang": tw.lang, "truncated": false,
			"user": map[string]any{"id": 42, "id_str": "42", "screen_name": tw.user, "name": tw.user},
		})
	}
	meta := map[string]any{"count": count, "query": q.Get("q")}
	if len(page) > 0 {
		meta["max_id_str"] = strconv.FormatInt(page[0].id, 10)
	}
	if len(rest) > 0 {
		meta["next_results"] = "?" + url.Values{"max_id": {strconv.FormatInt(page[len(page)-1].id-1, 10)}, "q": {q.Get("q")},
			"count": {strconv.Itoa(count)}, "include_entities": {"1"}, "result_type": {"recent"}}.Encode()
	}
	writeJSON(w, map[string]any{"statuses": statuses, "search_metadata": meta})
}

func (f *fakeX) serveV2(w http.ResponseWriter, q url.Values, sel []fakeTweet) {
	off := 0
	if tok := q.Get("next_token"); tok != "" {
		off, _ = strconv.Atoi(strings.TrimPrefix(tok, "n"))
	}
	n, err := strconv.Atoi(q.Get("max_results"))
	if err != nil || n < 10 || n > 100 {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]any{"title": "Invalid Request", "detail": "max_results must be 10..100"})
		return
	}
	if off > len(sel) {
		off = len(sel)
	}
	page := sel[off:min(off+n, len(sel))]
	data := []map[string]any{}
	users := map[string]bool{}
	var inc []map[string]any
	for _, tw := range page {
		uid := "u-" + tw.user
		data = append(data, map[string]any{"id": strconv.FormatInt(tw.id, 10), "text": tw.text, "lang": tw.lang,
			"created_at": tw.created.Format("2006-01-02T15:04:05.000Z"), "author_id": uid,
			"edit_history_tweet_ids": []string{strconv.FormatInt(tw.id, 10)}})
		if !users[uid] {
			users[uid] = true
			inc = append(inc, map[string]any{"id": uid, "username": tw.user, "name": tw.user})
		}
	}
	meta := map[string]any{"result_count": len(page)}
	if len(page) > 0 {
		meta["newest_id"] = strconv.FormatInt(page[0].id, 10)
		meta["oldest_id"] = strconv.FormatInt(page[len(page)-1].id, 10)
	}
	if off+n < len(sel) {
		meta["next_token"] = "n" + strconv.Itoa(off+n)
	}
	body := map[string]any{"meta": meta}
	if len(data) > 0 {
		body["data"] = data
		body["includes"] = map[string]any{"users": inc}
	}
	writeJSON(w, body)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func serveFile(t testing.TB, w http.ResponseWriter, code int, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Error(err)
		code = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}
