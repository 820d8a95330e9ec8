package statuspage

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// handlerTransport serves requests from an http.Handler in memory, so that a Page can
// run under the Runner inside a synctest bubble.
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

type officialSink struct {
	mu      sync.Mutex
	calls   int
	byID    map[string]outcry.OfficialIncident
	cursors map[string]string
}

func (s *officialSink) RecordOfficial(_ context.Context, source string, incs []outcry.OfficialIncident, cursor string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	for _, in := range incs {
		s.byID[in.ID] = in
	}
	s.cursors[source] = cursor
	return nil
}

func (s *officialSink) Cursor(source string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[source], nil
}

func TestPageUnderRunner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		body := readFixture(t, "openai-history.atom")
		ps := &pageServer{body: body, etag: `"h1"`}
		client := &ingest.Client{HTTP: &http.Client{Transport: handlerTransport{ps}}}
		s := &officialSink{byID: map[string]outcry.OfficialIncident{}, cursors: map[string]string{}}
		r := ingest.NewRunner(ingest.Config{}, nil, s, s, nil)
		p := New(Config{Name: "openai-status", Service: "chatgpt", URL: "https://status.openai.test/history.atom", Client: client})
		if err := r.Add(ingest.SourceSpec{Name: "openai-status", Type: "statuspage", Official: p, Interval: 2 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- r.Run(ctx) }()
		time.Sleep(5 * time.Minute) // polls at 0, 2m, 4m: one body, then 304s
		cancel()
		<-done
		if s.calls != 1 || len(s.byID) != 4 || ps.requests.Load() != 3 || ps.notMod.Load() != 2 {
			t.Errorf("recorded %d times (%d incidents), %d requests, %d 304s", s.calls, len(s.byID), ps.requests.Load(), ps.notMod.Load())
		}
		in := s.byID["openai-status:rs49lmsh6xxw"]
		if in.Service != "chatgpt" || in.Source != "openai-status" || !in.Start.Equal(time.Date(2024, 6, 4, 7, 21, 0, 0, time.UTC)) {
			t.Errorf("incident = %+v", in)
		}
		if h := r.Health()[0]; h.State != outcry.HealthOK || h.PostsSeen != 4 || h.Cursor == "" {
			t.Errorf("health = %+v", h)
		}
	})
}
