package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestClientGetConditional(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Tue, 04 Jun 2024 07:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "outcry") {
			t.Errorf("User-Agent = %q", ua)
		}
		if r.Header.Get("Accept") != "application/atom+xml" {
			t.Errorf("extra header not sent: %v", r.Header)
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 04 Jun 2024 07:00:00 GMT")
		w.Write([]byte("<feed/>"))
	}))
	defer srv.Close()
	var c Client
	h := http.Header{"Accept": {"application/atom+xml"}}
	resp, err := c.Get(t.Context(), srv.URL, h, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<feed/>" || resp.Validators.ETag != `"v1"` || resp.Validators.LastModified == "" {
		t.Fatalf("response = %q %+v", resp.Body, resp.Validators)
	}
	if _, err := c.Get(t.Context(), srv.URL, h, resp.Validators); !errors.Is(err, ErrNotModified) {
		t.Fatalf("conditional GET: err = %v, want ErrNotModified", err)
	}
}

func TestClientGetStatusErrors(t *testing.T) {
	date := time.Now().Add(10 * time.Minute).UTC().Format(http.TimeFormat)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte("slow down\xff please"))
		case "/503":
			w.Header().Set("Retry-After", date)
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/500":
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(strings.Repeat("x", 5000)))
		}
	}))
	defer srv.Close()
	var c Client
	tests := []struct {
		path   string
		code   int
		minRA  time.Duration
		maxRA  time.Duration
		inBody string
	}{
		{"/429", 429, 120 * time.Second, 120 * time.Second, "slow down please"},
		{"/503", 503, 9 * time.Minute, 10 * time.Minute, ""},
		{"/500", 500, 0, 0, "xxx"},
	}
	for _, tt := range tests {
		_, err := c.Get(t.Context(), srv.URL+tt.path, nil, Validators{})
		var se *StatusError
		if !errors.As(err, &se) {
			t.Fatalf("%s: err = %v, want *StatusError", tt.path, err)
		}
		if se.Code != tt.code || se.RetryAfter < tt.minRA || se.RetryAfter > tt.maxRA {
			t.Errorf("%s: code %d retry-after %v", tt.path, se.Code, se.RetryAfter)
		}
		if RetryAfter(err) != se.RetryAfter {
			t.Errorf("%s: RetryAfter(err) = %v", tt.path, RetryAfter(err))
		}
		if !strings.Contains(se.Body, tt.inBody) || len(se.Body) > 256 {
			t.Errorf("%s: body snippet %q", tt.path, se.Body)
		}
	}
}

func TestClientGetBodyFaults(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/exact":
			w.Write([]byte(strings.Repeat("a", 64)))
		case "/big":
			w.Write([]byte(strings.Repeat("a", 65)))
		case "/truncated":
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("<rss><channel><item>"))
		case "/hang":
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}
	}))
	defer srv.Close()
	c := Client{MaxBody: 64}
	if resp, err := c.Get(t.Context(), srv.URL+"/exact", nil, Validators{}); err != nil || len(resp.Body) != 64 {
		t.Errorf("body at the cap: %v", err)
	}
	if _, err := c.Get(t.Context(), srv.URL+"/big", nil, Validators{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized: err = %v, want ErrTooLarge", err)
	}
	if _, err := c.Get(t.Context(), srv.URL+"/truncated", nil, Validators{}); err == nil {
		t.Error("truncated body: no error")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, srv.URL+"/hang", nil, Validators{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hanging server: err = %v, want deadline exceeded", err)
	}
}

func TestClientGetUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var c Client
	if _, err := c.Get(t.Context(), "http://"+addr+"/feed", nil, Validators{}); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("refused connection: err = %v", err)
	}
	if _, err := c.Get(t.Context(), "::not a url", nil, Validators{}); err == nil {
		t.Error("bad URL: no error")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 6, 4, 7, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"30", 30 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"999999", 24 * time.Hour},
		{"Tue, 04 Jun 2024 07:05:00 GMT", 5 * time.Minute},
		{"Tue, 04 Jun 2024 06:00:00 GMT", 0}, // in the past
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestClientGetGzipBomb: the cap applies to the decompressed body, so a small gzip
// response that expands past it is refused, not buffered.
func TestClientGetGzipBomb(t *testing.T) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 64 { // 64 MiB of 'a' in about 64 KiB
		zw.Write(chunk)
	}
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), MaxBody: 1 << 20}
	_, err := c.Get(t.Context(), srv.URL, nil, Validators{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%d compressed bytes expanding to 64 MiB: err %v, want ErrTooLarge", zipped.Len(), err)
	}
}
