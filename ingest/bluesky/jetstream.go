// Package bluesky streams public Bluesky posts from a Jetstream instance (Bluesky's JSON
// firehose) over WebSocket with github.com/coder/websocket and hands them to the ingest
// runner in small batches, each with the time_us cursor that follows it.
//
// It owns the Jetstream wire format only: matching, deduplication and storage happen behind
// the runner's sink, and reconnecting with backoff is the runner's job. It depends on the
// root package and ingest, never on detect, index or dashboard.
package bluesky

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
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// DefaultURL is Bluesky's public Jetstream instance in US-East.
const DefaultURL = "wss://jetstream2.us-east.bsky.network/subscribe"

// ErrIdle is returned by Stream when the server sent no message for Config.IdleTimeout, so
// that the runner reconnects instead of waiting on a dead connection forever.
var ErrIdle = errors.New("bluesky: jetstream sent nothing within the idle timeout")

var errOversized = errors.New("message over the size cap")

// Config configures a Jetstream subscription. Zero fields take DefaultConfig's values.
type Config struct {
	// Name is the source name, copied into Post.Source.
	Name string
	// URL is the subscribe endpoint (ws, wss, http or https). Query parameters already in
	// it (e.g. wantedDids) are kept.
	URL string
	// Collections are the NSIDs asked for with wantedCollections. Only app.bsky.feed.post
	// creates become posts; other collections only advance the cursor.
	Collections []string
	// Compress negotiates WebSocket permessage-deflate. Jetstream's own compress=true (zstd
	// with a custom dictionary) is not used: it needs a zstd decoder Outcry does not ship.
	Compress bool
	// MaxMessage caps one message in bytes; it is also sent as maxMessageSizeBytes so the
	// server drops larger events itself. A larger message is skipped, drained without being
	// buffered, and counted in Stats.Oversized.
	MaxMessage int64
	// Dial carries the WebSocket dial options (HTTP client, headers). Nil means defaults.
	Dial *websocket.DialOptions
	// IdleTimeout bounds the handshake and the wait for each message; past it Stream
	// returns an error wrapping ErrIdle.
	IdleTimeout time.Duration
	// BatchSize is the most posts handed to emit at once; BatchWait is the longest a read
	// event waits before its batch is emitted.
	BatchSize int
	BatchWait time.Duration
	// Rewind is subtracted from the cursor on connect: Jetstream orders events only
	// roughly by time_us, so resuming exactly at the cursor could skip a few. The replayed
	// posts are dropped by the sink's dedupe on Post.ID. Negative disables the rewind.
	Rewind time.Duration
	// Logger receives connection events; nil discards.
	Logger *slog.Logger
}

// DefaultConfig returns the configuration for Bluesky's public Jetstream.
func DefaultConfig() Config {
	return Config{
		Name:        "bluesky",
		URL:         DefaultURL,
		Collections: []string{PostCollection},
		MaxMessage:  256 << 10,
		IdleTimeout: 30 * time.Second,
		BatchSize:   256,
		BatchWait:   time.Second,
		Rewind:      5 * time.Second,
	}
}

// Validate reports a configuration that cannot work, wrapping outcry.ErrInvalid.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	if c.URL != "" && (err != nil || u.Host == "") {
		return fmt.Errorf("bluesky: url %q: %w", c.URL, outcry.ErrInvalid)
	}
	if c.URL != "" {
		switch u.Scheme {
		case "ws", "wss", "http", "https":
		default:
			return fmt.Errorf("bluesky: url %q: scheme must be ws or wss: %w", c.URL, outcry.ErrInvalid)
		}
	}
	if c.MaxMessage < 0 || c.BatchSize < 0 || c.BatchWait < 0 || c.IdleTimeout < 0 {
		return fmt.Errorf("bluesky: negative size or duration: %w", outcry.ErrInvalid)
	}
	return nil
}

// Stats counts what a Jetstream has read since New. Events counts every message read
// (including the skipped ones); Posts those that became posts; Ignored valid events that
// are not post creates (identity, account, delete, update, other collections, posts
// without text); Malformed messages that are not Jetstream events; Oversized messages
// over MaxMessage.
type Stats struct {
	Events    int64 `json:"events"`
	Posts     int64 `json:"posts"`
	Ignored   int64 `json:"ignored"`
	Malformed int64 `json:"malformed"`
	Oversized int64 `json:"oversized"`
	Connects  int64 `json:"connects"`
}

// Jetstream is a Bluesky Jetstream subscription. Stream may be called again after it
// returns (the runner's reconnect); Stats is safe to call concurrently with Stream.
type Jetstream struct {
	cfg Config
	log *slog.Logger

	events, posts, ignored, malformed, oversized, connects atomic.Int64
}

var (
	_ ingest.Streamer       = (*Jetstream)(nil)
	_ ingest.HealthReporter = (*Jetstream)(nil)
)

// New returns a Jetstream for cfg, filling zero fields from DefaultConfig. It does not
// connect; Stream does.
func New(cfg Config) *Jetstream {
	d := DefaultConfig()
	if cfg.Name == "" {
		cfg.Name = d.Name
	}
	if cfg.URL == "" {
		cfg.URL = d.URL
	}
	if len(cfg.Collections) == 0 {
		cfg.Collections = d.Collections
	}
	if cfg.MaxMessage <= 0 {
		cfg.MaxMessage = d.MaxMessage
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = d.IdleTimeout
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = d.BatchSize
	}
	if cfg.BatchWait <= 0 {
		cfg.BatchWait = d.BatchWait
	}
	switch {
	case cfg.Rewind == 0:
		cfg.Rewind = d.Rewind
	case cfg.Rewind < 0:
		cfg.Rewind = 0
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Jetstream{cfg: cfg, log: log.With("component", "bluesky", "source", cfg.Name)}
}

// Stats returns the counters so far.
func (j *Jetstream) Stats() Stats {
	return Stats{
		Events:    j.events.Load(),
		Posts:     j.posts.Load(),
		Ignored:   j.ignored.Load(),
		Malformed: j.malformed.Load(),
		Oversized: j.oversized.Load(),
		Connects:  j.connects.Load(),
	}
}

// Health tells the ingest runner's health page how many messages were skipped as
// malformed or oversized, when any were; it is safe for concurrent use.
func (j *Jetstream) Health() []outcry.SourceHealth {
	st := j.Stats()
	if st.Malformed+st.Oversized == 0 {
		return nil
	}
	msg := fmt.Sprintf("skipped %d of %d Jetstream messages (%d malformed, %d over %d bytes)",
		st.Malformed+st.Oversized, st.Events, st.Malformed, st.Oversized, j.cfg.MaxMessage)
	return []outcry.SourceHealth{{Name: j.cfg.Name, Type: "bluesky", URL: j.cfg.URL, Message: msg}}
}

// item is one decoded event on its way from the socket reader to the batcher.
type item struct {
	timeUS int64
	isPost bool
	post   outcry.Post
}

// Stream connects once, resuming Config.Rewind before cursor (a decimal time_us; empty
// means live), and calls emit with batches of posts in stream order, each with the
// largest time_us read so far as the next cursor. A batch may be empty when only
// non-post events advanced the cursor. emit blocking stops the socket reads, so memory
// stays bounded by BatchSize events and one message however slow the consumer is.
//
// Stream returns nil when ctx is cancelled and an error when the connection fails, the
// server is idle for IdleTimeout (ErrIdle) or emit fails. Events read before a failure
// are emitted before it returns. It never reconnects itself.
func (j *Jetstream) Stream(ctx context.Context, cursor string, emit ingest.Emit) error {
	start := j.parseCursor(cursor)
	u, err := j.subscribeURL(start)
	if err != nil {
		return err
	}
	conn, err := j.dial(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	j.connects.Add(1)
	j.log.Debug("jetstream connected", "url", u)
	// Oversized messages are drained by readMessage instead of failing the connection, so
	// the library's own limit is off; IdleTimeout bounds how long one message may take.
	conn.SetReadLimit(-1)

	rctx, cancel := context.WithCancel(ctx)
	items := make(chan item, j.cfg.BatchSize)
	var readErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		readErr = j.read(rctx, conn, items)
		close(items) // publishes readErr to the batcher
	})
	// The reader must be gone before Stream returns, whatever the path out.
	defer func() {
		cancel()
		_ = conn.CloseNow()
		wg.Wait()
	}()
	return j.batch(ctx, start, items, &readErr, emit)
}

func (j *Jetstream) batch(ctx context.Context, start int64, items <-chan item, readErr *error, emit ingest.Emit) error {
	cur, emitted := start, start
	var batch []outcry.Post
	timer := time.NewTimer(j.cfg.BatchWait)
	timer.Stop()
	defer timer.Stop()
	armed := false
	flush := func() error {
		armed = false
		timer.Stop()
		if len(batch) == 0 && cur == emitted {
			return nil
		}
		posts := batch
		batch = nil // the sink may keep the slice
		if err := emit(ctx, posts, strconv.FormatInt(cur, 10)); err != nil {
			return fmt.Errorf("bluesky: emit: %w", err)
		}
		emitted = cur
		return nil
	}
	for {
		select {
		case it, ok := <-items:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				if err := flush(); err != nil {
					return err
				}
				return *readErr
			}
			cur = max(cur, it.timeUS)
			if it.isPost {
				batch = append(batch, it.post)
			}
			if len(batch) >= j.cfg.BatchSize {
				if err := flush(); err != nil {
					return j.quiet(ctx, err)
				}
			} else if !armed {
				timer.Reset(j.cfg.BatchWait)
				armed = true
			}
		case <-timer.C:
			if err := flush(); err != nil {
				return j.quiet(ctx, err)
			}
		case <-ctx.Done():
			return nil
		}
	}
}

// quiet turns an error caused by cancellation into the nil Stream promises.
func (j *Jetstream) quiet(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// read decodes messages into out until the connection fails or ctx ends. It blocks on out,
// which is how a slow consumer slows the socket reads down.
func (j *Jetstream) read(ctx context.Context, conn *websocket.Conn, out chan<- item) error {
	buf := make([]byte, 0, 4096)
	for {
		mctx, cancel := context.WithTimeout(ctx, j.cfg.IdleTimeout)
		typ, r, err := conn.Reader(mctx)
		if err == nil {
			buf, err = readMessage(r, buf[:0], j.cfg.MaxMessage)
		}
		idle := errors.Is(mctx.Err(), context.DeadlineExceeded)
		cancel()
		if errors.Is(err, errOversized) {
			j.events.Add(1)
			j.oversized.Add(1)
			continue
		}
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case idle:
				return fmt.Errorf("%w (%s)", ErrIdle, j.cfg.IdleTimeout)
			case websocket.CloseStatus(err) != -1:
				return fmt.Errorf("bluesky: server closed the stream: %w", err)
			}
			return fmt.Errorf("bluesky: read: %w", err)
		}
		j.events.Add(1)
		if typ != websocket.MessageText {
			j.malformed.Add(1)
			continue
		}
		var it item
		ts, kind := decodeEvent(buf, j.cfg.Name, time.Now().UTC(), &it.post)
		switch kind {
		case outPost:
			j.posts.Add(1)
			it.isPost = true
		case outIgnored:
			j.ignored.Add(1)
		default:
			j.malformed.Add(1)
		}
		if ts <= 0 {
			continue
		}
		it.timeUS = ts
		select {
		case out <- it:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// readMessage reads r to EOF into buf. Past limit bytes it drains the rest without
// keeping it and returns errOversized.
func readMessage(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf[:cap(buf)], 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			if _, derr := io.Copy(io.Discard, r); derr != nil {
				return buf[:0], derr
			}
			return buf[:0], errOversized
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

func (j *Jetstream) parseCursor(cursor string) int64 {
	cursor = strings.TrimSpace(cursor)
	if cursor == "" {
		return 0
	}
	v, err := strconv.ParseInt(cursor, 10, 64)
	if err != nil || v < 0 {
		// A cursor this package did not write: starting live beats failing forever.
		j.log.Warn("ignoring unreadable cursor; starting live", "cursor", cursor)
		return 0
	}
	return v
}

// subscribeURL builds the subscribe URL for a resume at start (0 = live).
func (j *Jetstream) subscribeURL(start int64) (string, error) {
	u, err := url.Parse(j.cfg.URL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("bluesky: url %q: %w", j.cfg.URL, outcry.ErrInvalid)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	case "ws", "wss":
	default:
		return "", fmt.Errorf("bluesky: url %q: scheme must be ws or wss: %w", j.cfg.URL, outcry.ErrInvalid)
	}
	q := u.Query()
	q.Del("wantedCollections")
	for _, c := range j.cfg.Collections {
		q.Add("wantedCollections", c)
	}
	q.Set("maxMessageSizeBytes", strconv.FormatInt(j.cfg.MaxMessage, 10))
	q.Del("cursor")
	if start > 0 {
		if c := start - j.cfg.Rewind.Microseconds(); c > 0 {
			q.Set("cursor", strconv.FormatInt(c, 10))
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (j *Jetstream) dial(ctx context.Context, u string) (*websocket.Conn, error) {
	var opts websocket.DialOptions
	if j.cfg.Dial != nil {
		opts = *j.cfg.Dial
	}
	hdr := opts.HTTPHeader.Clone()
	if hdr == nil {
		hdr = http.Header{}
	}
	if hdr.Get("User-Agent") == "" {
		hdr.Set("User-Agent", "outcry (+https://github.com/outcry/outcry)")
	}
	opts.HTTPHeader = hdr
	if j.cfg.Compress && opts.CompressionMode == websocket.CompressionDisabled {
		opts.CompressionMode = websocket.CompressionNoContextTakeover
	}
	dctx, cancel := context.WithTimeout(ctx, j.cfg.IdleTimeout)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, u, &opts)
	if err == nil {
		return conn, nil
	}
	if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
		se := &ingest.StatusError{
			URL:        u,
			Code:       resp.StatusCode,
			RetryAfter: ingest.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
		if resp.Body != nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
			se.Body = strings.TrimSpace(strings.ToValidUTF8(string(b), ""))
		}
		return nil, fmt.Errorf("bluesky: dial: %w", se)
	}
	return nil, fmt.Errorf("bluesky: dial %s: %w", u, err)
}
