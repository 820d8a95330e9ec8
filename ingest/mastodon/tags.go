// Package mastodon polls public hashtag timelines (/api/v1/timelines/tag/:tag) of one
// Mastodon instance and turns statuses into posts: HTML content to text, language, author
// and the status URI as a dedupe key that holds across instances.
//
// It owns the Mastodon API wire format only; the ingest runner schedules, retries and
// stores. It depends on the root package and ingest, never on detect, index or dashboard.
package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// MaxLimit is the most statuses Mastodon returns per timeline page.
const MaxLimit = 40

// Config configures a hashtag poller. Zero fields take DefaultConfig's values, except
// Instance and Tags, which must be set.
type Config struct {
	// Name is the source name, copied into Post.Source.
	Name string
	// Instance is the server's base URL ("https://mastodon.social"); a bare host means https.
	Instance string
	// Tags are hashtags without '#'; matching is case-insensitive.
	Tags []string
	// Client fetches pages (body cap, Retry-After). Nil means a zero ingest.Client.
	Client *ingest.Client
	// Limit is the page size, at most MaxLimit.
	Limit int
	// MaxPages bounds the pages read per tag and Fetch when catching up; the rest waits
	// for the next Fetch, so nothing is skipped.
	MaxPages int
	// Token is an optional access token sent as a Bearer header (public timelines need none).
	Token string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives per-fetch details; nil discards.
	Logger *slog.Logger
}

// DefaultConfig returns the paging defaults; Instance and Tags are left for the caller.
func DefaultConfig() Config {
	return Config{Name: "mastodon", Limit: MaxLimit, MaxPages: 5}
}

// Validate reports a configuration that cannot work, wrapping outcry.ErrInvalid.
func (c Config) Validate() error {
	if _, err := instanceURL(c.Instance); err != nil {
		return err
	}
	if len(c.Tags) == 0 {
		return fmt.Errorf("mastodon: no tags: %w", outcry.ErrInvalid)
	}
	for _, tag := range c.Tags {
		if normTag(tag) == "" {
			return fmt.Errorf("mastodon: tag %q: letters, digits and _ only: %w", tag, outcry.ErrInvalid)
		}
	}
	if c.Limit < 0 || c.Limit > MaxLimit || c.MaxPages < 0 {
		return fmt.Errorf("mastodon: limit must be 1..%d and max pages positive: %w", MaxLimit, outcry.ErrInvalid)
	}
	return nil
}

// Tags polls hashtag timelines. The cursor is a JSON object mapping each tag to the
// newest status id seen on it. Fetch is not safe for concurrent use; Message is.
type Tags struct {
	cfg  Config
	base *url.URL
	tags []string
	err  error // configuration error, reported by every Fetch
	log  *slog.Logger

	mu      sync.Mutex
	resetAt time.Time // the instance said the rate limit is used up until then
}

var (
	_ ingest.Source         = (*Tags)(nil)
	_ ingest.HealthReporter = (*Tags)(nil)
)

// New returns a poller for cfg, filling zero fields from DefaultConfig. An invalid
// configuration is reported by Fetch (and by Config.Validate beforehand).
func New(cfg Config) *Tags {
	d := DefaultConfig()
	if cfg.Name == "" {
		cfg.Name = d.Name
	}
	if cfg.Limit <= 0 {
		cfg.Limit = d.Limit
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = d.MaxPages
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Tags{cfg: cfg, log: log.With("component", "mastodon", "source", cfg.Name), err: cfg.Validate()}
	t.base, _ = instanceURL(cfg.Instance)
	seen := map[string]bool{}
	for _, tag := range cfg.Tags {
		if n := normTag(tag); n != "" && !seen[n] {
			seen[n] = true
			t.tags = append(t.tags, n)
		}
	}
	return t
}

// Message says why the source is waiting, for the health page ("" when it is not).
func (t *Tags) Message() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now := t.cfg.Now(); now.Before(t.resetAt) {
		return fmt.Sprintf("rate limit used up; %s allows requests again at %s", t.base.Host, t.resetAt.UTC().Format(time.RFC3339))
	}
	return ""
}

// Health hands Message to the ingest runner's health page: one entry named like the source,
// or none when there is nothing to say.
func (t *Tags) Health() []outcry.SourceHealth {
	msg := t.Message()
	if msg == "" {
		return nil
	}
	return []outcry.SourceHealth{{Name: t.cfg.Name, Type: "mastodon", Message: msg}}
}

// Fetch reads every tag's timeline newer than the cursor and returns the new posts, each
// status once even when it carries several of the tags, and the advanced cursor.
//
// A tag with no cursor yet yields its newest page only. A tag with a cursor is read
// forward from it (min_id, following the rel="prev" Link) for up to MaxPages pages, so a
// backlog is caught up over several polls without a gap. Any failed request fails the
// whole Fetch with the cursor unchanged; a 429 carries the wait the instance asked for
// (Retry-After or X-RateLimit-Reset) as a *ingest.StatusError. When a response says the
// rate limit is used up, Fetch stops early, returns what it has, and the next Fetch before
// the reset fails at once with a 429 StatusError without calling the instance.
func (t *Tags) Fetch(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
	if t.err != nil {
		return nil, cursor, t.err
	}
	if wait := t.wait(); wait > 0 {
		return nil, cursor, &ingest.StatusError{URL: t.base.String(), Code: http.StatusTooManyRequests, RetryAfter: wait,
			Body: "rate limit used up (X-RateLimit-Remaining: 0)"}
	}
	since := t.parseCursor(cursor)
	next := make(map[string]string, len(t.tags))
	for k, v := range since {
		next[k] = v
	}
	client, rec := t.client()
	var posts []outcry.Post
	seen := map[string]bool{}
	for _, tag := range t.tags {
		ps, newest, stop, err := t.fetchTag(ctx, client, rec, tag, since[tag], seen)
		if err != nil {
			return nil, cursor, err
		}
		posts = append(posts, ps...)
		if newest != "" {
			next[tag] = newest
		}
		if stop {
			break
		}
	}
	b, err := json.Marshal(next)
	if err != nil {
		return nil, cursor, fmt.Errorf("mastodon: encode cursor: %w", err)
	}
	return posts, string(b), nil
}

func (t *Tags) wait() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.resetAt.Sub(t.cfg.Now())
}

// fetchTag reads one tag. stop reports that the rate limit is used up.
func (t *Tags) fetchTag(ctx context.Context, client *ingest.Client, rec *recorder, tag, since string, seen map[string]bool) (posts []outcry.Post, newest string, stop bool, err error) {
	endpoint := t.base.JoinPath("api/v1/timelines/tag", tag)
	if !strings.HasPrefix(endpoint.Path, "/") {
		endpoint.Path = "/" + endpoint.Path
		endpoint.RawPath = ""
	}
	q := url.Values{"limit": {strconv.Itoa(t.cfg.Limit)}}
	if since != "" {
		q.Set("min_id", since)
	}
	endpoint.RawQuery = q.Encode()
	u := endpoint.String()
	hdr := http.Header{"Accept": {"application/json"}}
	if t.cfg.Token != "" {
		hdr.Set("Authorization", "Bearer "+t.cfg.Token)
	}
	newest = since
	skipped := 0
	for page := 0; page < t.cfg.MaxPages; page++ {
		resp, err := client.Get(ctx, u, hdr, ingest.Validators{})
		if errors.Is(err, ingest.ErrNotModified) {
			break
		}
		if err != nil {
			return nil, "", false, fmt.Errorf("mastodon: #%s: %w", tag, t.rateLimited(err, rec.header()))
		}
		var statuses []status
		if err := json.Unmarshal(resp.Body, &statuses); err != nil {
			return nil, "", false, fmt.Errorf("mastodon: #%s: decode %s: %w", tag, u, err)
		}
		before := newest
		now := t.cfg.Now().UTC()
		for i := range statuses {
			st := &statuses[i]
			if idLess(newest, st.ID) {
				newest = st.ID
			}
			p, ok := t.post(st, now)
			if !ok {
				skipped++
				continue
			}
			if seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			posts = append(posts, p)
		}
		stop = t.noteRateLimit(resp.Header)
		// The first poll of a tag takes the newest page only; later polls page forward
		// while pages come back full and the newest id moves.
		if stop || since == "" || len(statuses) < t.cfg.Limit || newest == before {
			break
		}
		u = t.forward(resp.Header, endpoint, newest)
	}
	if skipped > 0 {
		t.log.Debug("skipped statuses without text or time", "tag", tag, "skipped", skipped)
	}
	return posts, newest, stop, nil
}

// forward returns the next page's URL: the rel="prev" Link when it points at this
// timeline on this instance (never elsewhere: the token would follow), else min_id=newest.
func (t *Tags) forward(h http.Header, endpoint *url.URL, newest string) string {
	if l := linkRel(h.Values("Link"), "prev"); l != "" {
		if u, err := url.Parse(l); err == nil && u.Scheme == endpoint.Scheme && u.Host == endpoint.Host &&
			u.EscapedPath() == endpoint.EscapedPath() && u.Query().Get("min_id") != "" {
			return u.String()
		}
	}
	u := *endpoint
	q := u.Query()
	q.Del("since_id")
	q.Del("max_id")
	q.Set("min_id", newest)
	u.RawQuery = q.Encode()
	return u.String()
}

// noteRateLimit records a used-up rate limit and reports whether it is.
func (t *Tags) noteRateLimit(h http.Header) bool {
	if strings.TrimSpace(h.Get("X-RateLimit-Remaining")) != "0" {
		return false
	}
	reset := parseReset(h.Get("X-RateLimit-Reset"))
	now := t.cfg.Now()
	if !reset.After(now) {
		return false
	}
	t.mu.Lock()
	t.resetAt = reset
	t.mu.Unlock()
	return true
}

// rateLimited fills in the wait of a 429 that came without Retry-After from
// X-RateLimit-Reset.
func (t *Tags) rateLimited(err error, h http.Header) error {
	var se *ingest.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusTooManyRequests {
		return err
	}
	if se.RetryAfter == 0 && h != nil {
		if reset := parseReset(h.Get("X-RateLimit-Reset")); !reset.IsZero() {
			se.RetryAfter = min(max(reset.Sub(t.cfg.Now()), 0), 24*time.Hour)
		}
	}
	if se.RetryAfter > 0 {
		t.mu.Lock()
		t.resetAt = t.cfg.Now().Add(se.RetryAfter)
		t.mu.Unlock()
	}
	return err
}

func parseReset(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if ts, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return ts
	}
	return time.Time{}
}

func (t *Tags) parseCursor(cursor string) map[string]string {
	m := map[string]string{}
	if strings.TrimSpace(cursor) == "" {
		return m
	}
	if err := json.Unmarshal([]byte(cursor), &m); err != nil {
		// Not a cursor this package wrote: start from the newest page rather than fail forever.
		t.log.Warn("ignoring unreadable cursor", "cursor", cursor, "err", err)
		return map[string]string{}
	}
	return m
}

// client returns a copy of the configured client whose transport remembers the headers of
// the last response, which ingest.Client does not return with an error status.
func (t *Tags) client() (*ingest.Client, *recorder) {
	var c ingest.Client
	if t.cfg.Client != nil {
		c = *t.cfg.Client
	}
	hc := http.DefaultClient
	if c.HTTP != nil {
		hc = c.HTTP
	}
	rec := &recorder{base: hc.Transport}
	if rec.base == nil {
		rec.base = http.DefaultTransport
	}
	h := *hc
	h.Transport = rec
	c.HTTP = &h
	return &c, rec
}

type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	last http.Header
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if resp != nil {
		r.mu.Lock()
		r.last = resp.Header
		r.mu.Unlock()
	}
	return resp, err
}

func (r *recorder) header() http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// linkRel returns the URL of the first link with relation rel in RFC 8288 Link headers.
func linkRel(values []string, rel string) string {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			lt, gt := strings.IndexByte(part, '<'), strings.IndexByte(part, '>')
			if lt != 0 || gt < 0 {
				continue
			}
			for param := range strings.SplitSeq(part[gt+1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for r := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(val), `"`)) {
					if strings.EqualFold(r, rel) {
						return part[1:gt]
					}
				}
			}
		}
	}
	return ""
}

// idLess orders status ids: Mastodon's are decimal snowflakes, others (Pleroma's flake
// ids) fixed-width strings, so a shorter id is older and equal lengths compare as text.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func instanceURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s != "" && !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("mastodon: instance %q: want https://host: %w", s, outcry.ErrInvalid)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// normTag strips a leading '#' and lowercases; it returns "" for a tag Mastodon could not
// have (hashtags are letters, digits, marks and underscores).
func normTag(tag string) string {
	tag = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
	if tag == "" {
		return ""
	}
	for _, r := range tag {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' || r == '·') {
			return ""
		}
	}
	return tag
}
