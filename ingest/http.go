package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxBody caps a response body unless a source configures another cap.
const DefaultMaxBody = 10 << 20

// ErrTooLarge is returned when a response body exceeds the cap.
var ErrTooLarge = errors.New("response body too large")

// ErrNotModified is returned by Get for a 304 response to a conditional request.
var ErrNotModified = errors.New("not modified")

// StatusError is a non-2xx HTTP response. RetryAfter is what the server asked for via
// Retry-After (zero when absent); the runner waits at least that long.
type StatusError struct {
	URL        string
	Code       int
	RetryAfter time.Duration
	// Body holds the start of the response body, for health messages.
	Body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d", e.URL, e.Code)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// RetryAfter extracts the wait a source asked for from err (a *StatusError or anything
// wrapping one); zero when none.
func RetryAfter(err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// Validators carry conditional-GET state between polls.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Client fetches URLs for sources with a size cap and the Retry-After rules. The zero
// value is usable: http.DefaultClient, DefaultMaxBody, no user agent override. Timeouts
// come from the ctx the runner passes (one per attempt).
type Client struct {
	HTTP      *http.Client
	MaxBody   int64
	UserAgent string
}

// Response is a fetched body with the headers a source may need.
type Response struct {
	Body       []byte
	Header     http.Header
	Validators Validators
}

// Get fetches url with the given extra headers and conditional validators. A 304 returns
// ErrNotModified; any other non-2xx returns a *StatusError (with Retry-After parsed for
// 429 and 503); a body longer than the cap returns an error wrapping ErrTooLarge.
func (c *Client) Get(ctx context.Context, url string, header http.Header, v Validators) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	for k, vs := range header {
		for _, s := range vs {
			req.Header.Add(k, s)
		}
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "outcry (+https://github.com/outcry/outcry)"
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", ua)
	}
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *neturl.Error // it repeats the method and URL this message already has
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, ErrNotModified
	}
	limit := c.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		return nil, &StatusError{
			URL:        url,
			Code:       resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
			Body:       strings.TrimSpace(strings.ToValidUTF8(string(snippet), "")),
		}
	}
	body, err := ReadCapped(resp.Body, limit)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	return &Response{
		Body:   body,
		Header: resp.Header,
		Validators: Validators{
			ETag:         resp.Header.Get("ETag"),
			LastModified: resp.Header.Get("Last-Modified"),
		},
	}, nil
}

// ReadCapped reads r to the end, failing with ErrTooLarge past max bytes.
func ReadCapped(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (over %d bytes)", ErrTooLarge, limit)
	}
	return b, nil
}

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date. It returns
// zero for an empty or unparseable value and caps the wait at one day.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		return 0
	}
	if d > 24*time.Hour {
		d = 24 * time.Hour
	}
	return d
}
