package rss

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// handlerTransport serves requests from an http.Handler in memory, so that a Feed can
// run under the Runner inside a synctest bubble (no sockets, virtual time).
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	resp := w.Result()
	resp.Request = r
	return resp, nil
}

type sink struct {
	mu      sync.Mutex
	posts   []outcry.Post
	cursors map[string]string
}

func (s *sink) AddPosts(_ context.Context, source string, posts []outcry.Post, cursor string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = append(s.posts, posts...)
	s.cursors[source] = cursor
	return len(posts), nil
}

func (s *sink) Cursor(source string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[source], nil
}

// TestFeedUnderRunner polls a changing feed through the Runner: new items arrive once,
// unchanged polls are 304s, a 503 backs off for its Retry-After, and a restart resumes
// with the persisted validators.
func TestFeedUnderRunner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		items := 1
		fail := false
		requests, notModified := 0, 0
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			requests++
			if fail {
				w.Header().Set("Retry-After", "600")
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			etag := fmt.Sprintf(`"v%d"`, items)
			if r.Header.Get("If-None-Match") == etag {
				notModified++
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
			for i := items; i >= 1; i-- {
				fmt.Fprintf(&b, `<item><title>ChatGPT down #%d</title><guid>g%d</guid><pubDate>Tue, 04 Jun 2024 07:%02d:00 GMT</pubDate></item>`, i, i, i)
			}
			b.WriteString(`</channel></rss>`)
			w.Write([]byte(b.String()))
		})
		client := &ingest.Client{HTTP: &http.Client{Transport: handlerTransport{h}}}
		s := &sink{cursors: map[string]string{}}
		start := func() (*ingest.Runner, context.CancelFunc, chan error) {
			r := ingest.NewRunner(ingest.Config{MinBackoff: time.Second, Rand: func() float64 { return 0 }}, s, nil, s, nil)
			f := New(Config{Name: "hn", URL: "http://feeds.test/rss", Client: client})
			if err := r.Add(ingest.SourceSpec{Name: "hn", Type: "rss", Source: f, Interval: time.Minute}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error)
			go func() { done <- r.Run(ctx) }()
			return r, cancel, done
		}
		r, cancel, done := start()
		time.Sleep(90 * time.Second) // polls at 0 (1 item) and 60s (304)
		mu.Lock()
		items = 3 // two new items
		mu.Unlock()
		time.Sleep(60 * time.Second) // poll at 120s: 3 items, 2 new
		mu.Lock()
		fail = true
		mu.Unlock()
		time.Sleep(60 * time.Second) // poll at 180s: 503, next attempt 600s later
		h503 := r.Health()[0]
		cancel()
		<-done

		if len(s.posts) != 3 || s.posts[0].ID != "rss:hn:g1" || s.posts[1].ID != "rss:hn:g3" || s.posts[2].ID != "rss:hn:g2" {
			t.Fatalf("stored %v", s.posts)
		}
		if h503.State != outcry.HealthFailing || h503.Backoff != 10*time.Minute || !strings.Contains(h503.Error, "HTTP 503") {
			t.Errorf("health after 503 = %+v", h503)
		}
		mu.Lock()
		if requests != 4 || notModified != 1 {
			t.Errorf("%d requests, %d answered 304; want 4 and 1", requests, notModified)
		}
		fail = false
		requests, notModified = 0, 0
		mu.Unlock()

		// Restart: the persisted cursor carries the ETag, so the first poll is a 304.
		_, cancel, done = start()
		time.Sleep(time.Second)
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if requests != 1 || notModified != 1 || len(s.posts) != 3 {
			t.Errorf("after restart: %d requests, %d 304s, %d posts", requests, notModified, len(s.posts))
		}
	})
}
