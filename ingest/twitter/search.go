// Package twitter searches X (Twitter) for recent posts complaining about catalog
// services: the v1.1 standard search through github.com/dghubble/go-twitter, or the v2
// recent-search endpoint over net/http, behind one ingest.Source and one configuration.
//
// X's v1.1 search now needs a paid access tier and its free tier has no reads at all, so
// the source is off unless configured; when X refuses the token, Fetch fails with
// ErrRefused and Message says why in plain words. The package owns the X wire formats only
// and depends on the root package and ingest, never on detect, index or dashboard.
package twitter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// The two APIs a Search can speak.
const (
	APIv1 = "v1.1"
	APIv2 = "v2"
)

// DefaultBaseURL is X's API host; v1.1 paths live under /1.1/ and v2 under /2/.
const DefaultBaseURL = "https://api.x.com"

// libraryHost is the host github.com/dghubble/go-twitter hard-codes; requests to it are
// redirected to the configured base URL by the transport.
const libraryHost = "api.twitter.com"

// ErrRefused marks a 401 or 403 from X: the token is wrong, or its plan does not include
// the search API asked for. Retrying does not help; the message says what would.
var ErrRefused = errors.New("twitter: X refused the token")

// Config configures an X search source. Zero fields take DefaultConfig's values.
type Config struct {
	// Name is the source name, copied into Post.Source.
	Name string
	// API is APIv1 ("v1.1", via go-twitter) or APIv2 ("v2", the default).
	API string
	// BaseURL is where API requests go (DefaultBaseURL); a path prefix is kept, so a test
	// server or a proxy can stand in for X.
	BaseURL string
	// Token is the app-only bearer token (cmd reads OUTCRY_TWITTER_BEARER_TOKEN).
	Token string
	// Query is the search query. When empty it is built by BuildQuery from Services and
	// Terms (DefaultTerms when Terms is nil) within MaxQueryLen.
	Query       string
	Services    []outcry.Service
	Terms       []string
	MaxQueryLen int
	// Client sends the requests; its Transport (nil = http.DefaultTransport) is wrapped.
	Client *http.Client
	// MaxResults is the page size: 10..100 for v2, 1..100 for v1.1.
	MaxResults int
	// MaxPages bounds the pages read per Fetch. X returns newest first, so when more new
	// posts exist than MaxPages pages hold, the oldest of them are not fetched (logged).
	MaxPages int
	// MaxBody caps one response body (ingest.DefaultMaxBody).
	MaxBody int64
	// UserAgent overrides the default User-Agent.
	UserAgent string
	// Now is the clock for rate-limit resets; nil means time.Now.
	Now func() time.Time
	// Logger receives paging and rate-limit details; nil discards.
	Logger *slog.Logger
}

// DefaultConfig returns the defaults: v2, X's base URL, 100 posts a page, 3 pages.
func DefaultConfig() Config {
	return Config{
		Name:        "twitter",
		API:         APIv2,
		BaseURL:     DefaultBaseURL,
		MaxQueryLen: DefaultMaxQueryLen,
		MaxResults:  100,
		MaxPages:    3,
		MaxBody:     ingest.DefaultMaxBody,
	}
}

// Search is an X recent-search source. The cursor is the newest post id seen (the same id
// space for both APIs, so switching API keeps it). Fetch is not safe for concurrent use;
// Message and Query are.
type Search struct {
	cfg   Config
	base  *url.URL
	query string
	log   *slog.Logger

	mu      sync.Mutex
	resetAt time.Time
	msg     string
}

var (
	_ ingest.Source         = (*Search)(nil)
	_ ingest.HealthReporter = (*Search)(nil)
)

// New checks cfg and returns a Search. A missing token, an unknown API, a bad base URL or
// a query that is empty or too long is an error wrapping outcry.ErrInvalid.
func New(cfg Config) (*Search, error) {
	d := DefaultConfig()
	if cfg.Name == "" {
		cfg.Name = d.Name
	}
	switch cfg.API {
	case "":
		cfg.API = d.API
	case APIv1, APIv2:
	case "1.1", "v1":
		cfg.API = APIv1
	case "2":
		cfg.API = APIv2
	default:
		return nil, fmt.Errorf("twitter: api %q: want v1.1 or v2: %w", cfg.API, outcry.ErrInvalid)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = d.BaseURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("twitter: base url %q: %w", cfg.BaseURL, outcry.ErrInvalid)
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, fmt.Errorf("twitter: no bearer token (set OUTCRY_TWITTER_BEARER_TOKEN): %w", outcry.ErrInvalid)
	}
	if cfg.MaxQueryLen <= 0 {
		cfg.MaxQueryLen = d.MaxQueryLen
	}
	if cfg.MaxResults <= 0 {
		cfg.MaxResults = d.MaxResults
	}
	lo := 1
	if cfg.API == APIv2 {
		lo = 10
	}
	cfg.MaxResults = min(max(cfg.MaxResults, lo), 100)
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = d.MaxPages
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = d.MaxBody
	}
	if cfg.Client == nil {
		cfg.Client = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	q := strings.TrimSpace(cfg.Query)
	if q == "" {
		terms := cfg.Terms
		if terms == nil {
			terms = DefaultTerms()
		}
		q = BuildQuery(cfg.Services, terms, cfg.MaxQueryLen)
	}
	if q == "" {
		return nil, fmt.Errorf("twitter: empty query (no query and no service aliases): %w", outcry.ErrInvalid)
	}
	if n := len([]rune(q)); n > cfg.MaxQueryLen {
		return nil, fmt.Errorf("twitter: query is %d characters, over the %d X allows: %w", n, cfg.MaxQueryLen, outcry.ErrInvalid)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Search{cfg: cfg, base: base, query: q, log: log.With("component", "twitter", "source", cfg.Name)}, nil
}

// Query returns the search query in use.
func (s *Search) Query() string { return s.query }

// Message is a sentence for the health page about why the source is not fetching: X
// refused the token (and what to do), or the rate limit is used up until a time. It is ""
// once a Fetch succeeds.
func (s *Search) Message() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.msg != "" {
		return s.msg
	}
	if s.cfg.Now().Before(s.resetAt) {
		return "X rate limit used up; searching again at " + s.resetAt.UTC().Format(time.RFC3339)
	}
	return ""
}

// Health hands Message to the ingest runner's health page: one entry named like the source,
// or none when there is nothing to say.
func (s *Search) Health() []outcry.SourceHealth {
	msg := s.Message()
	if msg == "" {
		return nil
	}
	return []outcry.SourceHealth{{Name: s.cfg.Name, Type: "twitter", Message: msg}}
}

// Fetch searches for posts newer than cursor (a post id; empty means X's recent window)
// and returns them, newest first per page, each once, with the newest id as the next
// cursor. It reads up to MaxPages pages.
//
// A 401 or 403 fails with an error wrapping ErrRefused and a *ingest.StatusError. A 429,
// or a success saying no requests remain (x-rate-limit-remaining: 0), makes the wait until
// x-rate-limit-reset known: the 429 error carries it as RetryAfter, paging stops after
// such a success, and every Fetch before the reset fails at once with a 429
// *ingest.StatusError carrying the remaining wait, without calling X. Any failure returns
// the cursor unchanged and no posts.
func (s *Search) Fetch(ctx context.Context, cursor string) ([]outcry.Post, string, error) {
	if wait := s.wait(); wait > 0 {
		return nil, cursor, &ingest.StatusError{URL: s.base.String(), Code: http.StatusTooManyRequests, RetryAfter: wait,
			Body: "X rate limit used up (x-rate-limit-remaining: 0)"}
	}
	since := strings.TrimSpace(cursor)
	if since != "" && !isID(since) {
		s.log.Warn("ignoring unreadable cursor", "cursor", cursor)
		since = ""
	}
	var (
		posts  []outcry.Post
		newest string
		err    error
	)
	if s.cfg.API == APIv1 {
		posts, newest, err = s.fetchV1(ctx, since)
	} else {
		posts, newest, err = s.fetchV2(ctx, since)
	}
	if err != nil {
		return nil, cursor, err
	}
	s.mu.Lock()
	s.msg = ""
	s.mu.Unlock()
	if newest == "" {
		newest = since
	}
	return posts, newest, nil
}

func (s *Search) wait() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resetAt.Sub(s.cfg.Now())
}

// noteRateLimit records x-rate-limit-reset when x-rate-limit-remaining is 0 and reports
// whether it did.
func (s *Search) noteRateLimit(h http.Header) bool {
	if strings.TrimSpace(h.Get("x-rate-limit-remaining")) != "0" {
		return false
	}
	reset := parseReset(h.Get("x-rate-limit-reset"))
	if !reset.After(s.cfg.Now()) {
		return false
	}
	s.mu.Lock()
	s.resetAt = reset
	s.mu.Unlock()
	s.log.Info("rate limit used up", "reset", reset)
	return true
}

func parseReset(v string) time.Time {
	secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || secs <= 0 {
		return time.Time{}
	}
	return time.Unix(secs, 0)
}

// statusError turns a non-2xx response into the error Fetch returns and updates Message.
func (s *Search) statusError(u string, code int, h http.Header, body string) error {
	now := s.cfg.Now()
	se := &ingest.StatusError{URL: u, Code: code, Body: strings.TrimSpace(strings.ToValidUTF8(truncate(body, 256), ""))}
	switch code {
	case http.StatusUnauthorized, http.StatusForbidden:
		hint := s.refusalHint(code, body)
		s.mu.Lock()
		s.msg = "X refused the token: " + hint
		s.mu.Unlock()
		return fmt.Errorf("%w: %s: %w", ErrRefused, hint, se)
	case http.StatusTooManyRequests:
		se.RetryAfter = ingest.ParseRetryAfter(h.Get("Retry-After"), now)
		if reset := parseReset(h.Get("x-rate-limit-reset")); reset.After(now) {
			se.RetryAfter = max(se.RetryAfter, min(reset.Sub(now), 24*time.Hour))
		}
		if se.RetryAfter > 0 {
			s.mu.Lock()
			s.resetAt = now.Add(se.RetryAfter)
			s.mu.Unlock()
		}
		return fmt.Errorf("twitter: rate limited: %w", se)
	case http.StatusServiceUnavailable:
		se.RetryAfter = ingest.ParseRetryAfter(h.Get("Retry-After"), now)
	}
	return fmt.Errorf("twitter: %w", se)
}

// refusalHint says in plain words what a 401 or 403 means for the API in use.
func (s *Search) refusalHint(code int, body string) string {
	if code == http.StatusUnauthorized {
		return "the bearer token is invalid or revoked; check OUTCRY_TWITTER_BEARER_TOKEN"
	}
	if s.cfg.API == APIv1 {
		return "the v1.1 search API needs a paid access tier; use api: v2 with a token whose plan includes recent search"
	}
	if strings.Contains(body, "client-not-enrolled") || strings.Contains(body, "Project") {
		return "the token's app must belong to a Project whose plan includes v2 recent search (X's free tier has no search)"
	}
	return "the token's plan does not include v2 recent search (X's free tier has no search)"
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// transport is the per-Fetch RoundTripper: it binds requests to the Fetch's ctx (go-twitter
// builds requests without one), sends the bearer token, points go-twitter's hard-coded
// host at BaseURL, caps bodies, and remembers the last response's status line, headers
// and the start of its body for error messages.
type transport struct {
	ctx     context.Context
	base    http.RoundTripper
	target  *url.URL
	token   string
	ua      string
	maxBody int64

	mu      sync.Mutex
	lastURL string
	snippet *snippetBody
}

func (s *Search) transport(ctx context.Context) (*transport, *http.Client) {
	rt := s.cfg.Client.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	ua := s.cfg.UserAgent
	if ua == "" {
		ua = "outcry (+https://github.com/outcry/outcry)"
	}
	tr := &transport{ctx: ctx, base: rt, target: s.base, token: s.cfg.Token, ua: ua, maxBody: s.cfg.MaxBody}
	hc := *s.cfg.Client
	hc.Transport = tr
	return tr, &hc
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(t.ctx)
	if r.URL.Host == libraryHost {
		r.URL.Scheme = t.target.Scheme
		r.URL.Host = t.target.Host
		r.URL.Path = t.target.Path + r.URL.Path
		r.URL.RawPath = ""
		r.Host = ""
	}
	r.Header.Set("Authorization", "Bearer "+t.token)
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", t.ua)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	sb := &snippetBody{rc: resp.Body, left: t.maxBody, max: t.maxBody}
	resp.Body = sb
	t.mu.Lock()
	t.lastURL = redact(r.URL)
	t.snippet = sb
	t.mu.Unlock()
	return resp, nil
}

// last returns the URL of the last request and the start of its response body.
func (t *transport) last() (string, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.snippet == nil {
		return t.lastURL, ""
	}
	return t.lastURL, string(t.snippet.head)
}

// redact drops the query (the search terms are long and not secret, but errors get
// shown on the dashboard; the path says enough).
func redact(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	return c.String()
}

// snippetBody caps a response body at max bytes (past it, Read fails with
// ingest.ErrTooLarge) and keeps its first 512 bytes for error messages.
type snippetBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
	head []byte
}

func (b *snippetBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, err := b.rc.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w (over %d bytes)", ingest.ErrTooLarge, b.max)
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if room := 512 - len(b.head); room > 0 {
		b.head = append(b.head, p[:min(n, room)]...)
	}
	return n, err
}

func (b *snippetBody) Close() error { return b.rc.Close() }

// isID reports whether s is a decimal post id.
func isID(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// idLess orders decimal ids numerically.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// snowflakeTime is the creation time encoded in an X post id (ms since X's epoch in the
// bits above 22), the fallback when created_at is missing or unreadable.
func snowflakeTime(id string) time.Time {
	v, err := strconv.ParseInt(id, 10, 64)
	if err != nil || v <= 0 {
		return time.Time{}
	}
	return time.UnixMilli((v >> 22) + 1288834974657).UTC()
}

// textUnescaper undoes the only escaping X applies to post text.
var textUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// makePost fills the fields both APIs share.
func (s *Search) makePost(id, username, text, lang string, created time.Time, fetched time.Time) outcry.Post {
	if created.IsZero() {
		created = snowflakeTime(id)
	}
	handle := username
	if handle == "" {
		handle = "i"
	}
	return outcry.Post{
		ID:        "x:" + id,
		Source:    s.cfg.Name,
		Author:    username,
		Text:      strings.ToValidUTF8(textUnescaper.Replace(text), "\uFFFD"),
		Lang:      normLang(lang),
		URL:       "https://x.com/" + handle + "/status/" + id,
		CreatedAt: created.UTC(),
		FetchedAt: fetched,
	}
}

// normLang reduces a language tag to its lowercase primary subtag; X's pseudo-languages
// (und, zxx, and the private-use qaa-qtz such as qme for media-only posts) become "".
func normLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(tag)
	if len(tag) < 2 || len(tag) > 3 || tag == "und" || tag == "zxx" || (len(tag) == 3 && tag[0] == 'q' && tag[1] <= 't') {
		return ""
	}
	for _, r := range tag {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return tag
}
