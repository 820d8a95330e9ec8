// Package webhook delivers incident alerts to HTTP receivers: a generic signed JSON body
// or a Slack-compatible one, on incident open, update and resolve, with retries and
// exponential backoff (honouring Retry-After), at most one delivery per incident state
// change, and per-service mutes.
//
// It depends on the root package only. Webhook URLs come from the operator's
// configuration, never from a request; hook URLs (which often embed a token) and secrets
// are never logged: logs name a hook by scheme and host only.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outcry/outcry"
)

// Change kinds, as the detector reports them.
const (
	KindOpened   = "opened"
	KindUpdated  = "updated"
	KindResolved = "resolved"
)

// Body formats.
const (
	FormatJSON  = "json"
	FormatSlack = "slack"
)

// Hook is one receiver.
type Hook struct {
	// URL is an absolute http(s) URL.
	URL string
	// Format is "json" (the default) or "slack".
	Format string
	// Secret, when set, signs every body: X-Outcry-Signature: sha256=<hex HMAC-SHA256>.
	Secret string
	// Services limits the hook to these service ids; empty means all.
	Services []string
}

// Config configures a Dispatcher. Zero fields take DefaultConfig values.
type Config struct {
	Hooks []Hook
	// Client sends the requests; nil means a client with a 10 s timeout that does not
	// follow redirects.
	Client *http.Client
	// MaxAttempts bounds tries per delivery (first try included); 0 means no bound but
	// OutboxMaxAge: a receiver that is down or rate-limiting gets the alert when it is
	// back, in order, as long as the alert is not older than that.
	MaxAttempts int
	// MinBackoff is the wait after the first failure; it doubles per failure up to
	// MaxBackoff. A Retry-After from the receiver is waited when longer, up to
	// MaxRetryAfter.
	MinBackoff    time.Duration
	MaxBackoff    time.Duration
	MaxRetryAfter time.Duration
	// Mute lists service ids never alerted on.
	Mute []string
	// QueueSize bounds the pending deliveries per hook; Notify drops (and logs) beyond it.
	QueueSize int
	// DashboardURL, when set (e.g. "http://127.0.0.1:8080"), adds incident links.
	DashboardURL string
	// ServiceNames maps service ids to display names for messages.
	ServiceNames map[string]string
	// Clock returns the current time (mutes, sent_at); nil means time.Now.
	Clock func() time.Time
	// Outbox, when set, keeps undelivered alerts across restarts (see Outbox).
	Outbox Outbox
	// OutboxMaxAge drops alerts queued longer ago than this, restored or still retrying:
	// news of an incident from yesterday is noise in a chat channel. Zero means 6 hours.
	OutboxMaxAge time.Duration
}

// DefaultConfig: retries until the alert is OutboxMaxAge old, backoff 1 s doubling to
// 5 min, Retry-After honoured up to 1 h, 256 queued deliveries per hook.
func DefaultConfig() Config {
	return Config{MinBackoff: time.Second, MaxBackoff: 5 * time.Minute, MaxRetryAfter: time.Hour, QueueSize: 256}
}

// Validate reports the first bad hook, wrapping outcry.ErrInvalid. The message names the
// hook by index and host, never by its full URL or secret.
func (c Config) Validate() error {
	for i, h := range c.Hooks {
		u, err := url.Parse(h.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("webhook %d: url must be an absolute http or https URL: %w", i, outcry.ErrInvalid)
		}
		switch h.Format {
		case "", FormatJSON, FormatSlack:
		default:
			return fmt.Errorf("webhook %d (%s): format %q: want json or slack: %w", i, hostOf(h.URL), h.Format, outcry.ErrInvalid)
		}
	}
	return nil
}

// Stats counts what the dispatcher did since New.
type Stats struct {
	Queued     int64 // deliveries queued (one per hook per change)
	Delivered  int64 // receivers answered 2xx
	Failed     int64 // gave up: 4xx other than 429, or attempts exhausted
	Dropped    int64 // queue full, or still queued when Run stopped without an Outbox
	Duplicates int64 // Notify calls for a change already notified
	Muted      int64 // changes of muted services
}

// Dispatcher queues incident changes and delivers them. Notify, Mute and Stats are safe
// for concurrent use; Run must be called once.
type Dispatcher struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client
	hooks  []*hookState

	mu       sync.Mutex
	mutes    map[string]time.Time
	seen     map[string]struct{}
	seenFIFO []string

	// pending are the queued and in-flight deliveries the outbox keeps (pmu guards them);
	// saveKick wakes the goroutine that writes them.
	pmu      sync.Mutex
	pending  map[string]pendingEntry
	seq      uint64
	saveKick chan struct{}

	running atomic.Bool
	stats   struct{ queued, delivered, failed, dropped, duplicates, muted, inflight atomic.Int64 }
}

type hookState struct {
	Hook
	name  string // scheme://host, for logs
	key   string // hash of URL and format: the hook's name in the outbox
	queue chan delivery
}

// delivery is one change to send to one hook.
type delivery struct {
	id     string
	kind   string
	inc    outcry.Incident
	ev     *outcry.Event
	queued time.Time // when first queued, for deliveries restored from the outbox
}

// seenLimit bounds the dedupe memory.
const seenLimit = 8192

// New builds a dispatcher. Invalid hooks (see Config.Validate) are skipped with an error
// log. A nil log discards.
func New(cfg Config, log *slog.Logger) *Dispatcher {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	def := DefaultConfig()
	cfg.MaxAttempts = max(cfg.MaxAttempts, 0)
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = def.MinBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(def.MaxBackoff, cfg.MinBackoff)
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = def.MaxRetryAfter
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = def.QueueSize
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.OutboxMaxAge <= 0 {
		cfg.OutboxMaxAge = 6 * time.Hour
	}
	d := &Dispatcher{
		cfg:    cfg,
		log:    log.With("component", "webhook"),
		client: cfg.Client,
		mutes:  map[string]time.Time{},
		seen:   map[string]struct{}{},

		pending:  map[string]pendingEntry{},
		saveKick: make(chan struct{}, 1),
	}
	if d.client == nil {
		d.client = &http.Client{
			Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	forever := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range cfg.Mute {
		d.mutes[s] = forever
	}
	for i, h := range cfg.Hooks {
		if err := (Config{Hooks: []Hook{h}}).Validate(); err != nil {
			d.log.Error("webhook skipped", "hook", i, "err", err)
			continue
		}
		if h.Format == "" {
			h.Format = FormatJSON
		}
		d.hooks = append(d.hooks, &hookState{Hook: h, name: hostOf(h.URL), key: hookKey(h), queue: make(chan delivery, cfg.QueueSize)})
	}
	return d
}

// hostOf names a hook for logs without its path, query or credentials.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "invalid-url"
	}
	return u.Scheme + "://" + u.Host
}

// Mute silences service until the given time; a zero or past time unmutes it.
func (d *Dispatcher) Mute(service string, until time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if until.IsZero() || !until.After(d.cfg.Clock()) {
		delete(d.mutes, service)
		return
	}
	d.mutes[service] = until
}

func (d *Dispatcher) muted(service string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	until, ok := d.mutes[service]
	if !ok {
		return false
	}
	if !d.cfg.Clock().Before(until) {
		delete(d.mutes, service)
		return false
	}
	return true
}

// dedupeKey names one state change: opening and resolving happen once per incident; an
// update is new when the status or the peak moved.
func dedupeKey(kind string, inc outcry.Incident) string {
	switch kind {
	case KindOpened, KindResolved:
		return inc.ID + "|" + kind
	}
	return inc.ID + "|" + kind + "|" + string(inc.Status) + "|" + strconv.Itoa(inc.Peak)
}

// firstTime records key and reports whether it was new.
func (d *Dispatcher) firstTime(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.seen[key]; ok {
		return false
	}
	d.seen[key] = struct{}{}
	d.seenFIFO = append(d.seenFIFO, key)
	if len(d.seenFIFO) > seenLimit {
		delete(d.seen, d.seenFIFO[0])
		d.seenFIFO = slices.Delete(d.seenFIFO, 0, 1)
	}
	return true
}

// Notify queues an incident change (kind opened, updated or resolved) for every hook
// that covers its service. It never blocks: a full queue drops the delivery with a log
// line. A change already notified (same incident, kind and, for updates, status and
// peak) and changes of muted services are ignored.
func (d *Dispatcher) Notify(kind string, inc outcry.Incident, ev *outcry.Event) {
	switch kind {
	case KindOpened, KindUpdated, KindResolved:
	default:
		d.log.Error("webhook: unknown change kind", "kind", kind, "incident", inc.ID)
		return
	}
	if d.muted(inc.Service) {
		d.stats.muted.Add(1)
		d.log.Debug("webhook: service muted", "service", inc.Service, "incident", inc.ID, "kind", kind)
		return
	}
	if !d.firstTime(dedupeKey(kind, inc)) {
		d.stats.duplicates.Add(1)
		return
	}
	if ev != nil {
		c := *ev
		ev = &c
	}
	for _, h := range d.hooks {
		if len(h.Services) > 0 && !slices.Contains(h.Services, inc.Service) {
			continue
		}
		del := delivery{id: newID(), kind: kind, inc: inc, ev: ev, queued: d.cfg.Clock().UTC()}
		d.addPending(h, del) // before the send: the delivery may end before we return
		select {
		case h.queue <- del:
			d.stats.queued.Add(1)
			d.stats.inflight.Add(1)
		default:
			d.donePending(h, del)
			d.stats.dropped.Add(1)
			d.log.Warn("webhook queue full; delivery dropped", "hook", h.name, "incident", inc.ID, "kind", kind)
		}
	}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Stats returns the counters so far.
func (d *Dispatcher) Stats() Stats {
	return Stats{
		Queued: d.stats.queued.Load(), Delivered: d.stats.delivered.Load(), Failed: d.stats.failed.Load(),
		Dropped: d.stats.dropped.Load(), Duplicates: d.stats.duplicates.Load(), Muted: d.stats.muted.Load(),
	}
}

// AlertCounts is Stats for /metrics: delivered, failed and dropped since start, and
// the deliveries queued or retrying now.
func (d *Dispatcher) AlertCounts() (delivered, failed, dropped, pending int64) {
	st := d.Stats()
	return st.Delivered, st.Failed, st.Dropped, max(d.stats.inflight.Load(), 0)
}

// Run delivers queued changes, one goroutine per hook so a slow receiver delays no
// other, until ctx is cancelled. It then stops retrying, logs how many deliveries were
// still queued (they are dropped) and returns nil once every goroutine has exited.
func (d *Dispatcher) Run(ctx context.Context) error {
	if !d.running.CompareAndSwap(false, true) {
		return errors.New("webhook: Run called twice")
	}
	saved, stopSaver := make(chan struct{}), make(chan struct{})
	if d.cfg.Outbox != nil {
		d.restoreOutbox(ctx)
		go func() {
			defer close(saved)
			for {
				select {
				case <-stopSaver:
					return
				case <-d.saveKick:
					if err := d.saveOutbox(); err != nil {
						d.log.Warn("webhook: cannot save the outbox", "err", err)
					}
				}
			}
		}()
	}
	var wg sync.WaitGroup
	var taken atomic.Int64 // dequeued after cancellation: not attempted
	for _, h := range d.hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case del := <-h.queue:
					if ctx.Err() != nil {
						taken.Add(1)
						return
					}
					d.deliver(ctx, h, del)
				}
			}
		}()
	}
	wg.Wait()
	left := int(taken.Load())
	for _, h := range d.hooks {
		left += len(h.queue)
	}
	if d.cfg.Outbox != nil {
		close(stopSaver)
		<-saved
		// What is still queued or was retrying is in pending: keep it for the next start.
		if err := d.saveOutbox(); err != nil {
			d.stats.dropped.Add(int64(left))
			d.log.Error("webhook: stopping; cannot save undelivered alerts", "alerts", left, "err", err)
			return nil
		}
		d.pmu.Lock()
		n := len(d.pending)
		d.pmu.Unlock()
		if n > 0 {
			d.log.Info("webhook: stopping; undelivered alerts kept for the next start", "alerts", n)
		}
		return nil
	}
	if left > 0 {
		d.stats.dropped.Add(int64(left))
		d.log.Warn("webhook: stopping with undelivered alerts", "dropped", left)
	}
	return nil
}

// deliver tries one delivery until it succeeds, fails for good or ctx ends.
func (d *Dispatcher) deliver(ctx context.Context, h *hookState, del delivery) {
	defer func() {
		if ctx.Err() == nil {
			d.stats.inflight.Add(-1) // delivered or given up; a stopped one is still pending
		}
	}()
	body, err := d.body(h.Format, del)
	if err != nil {
		d.stats.failed.Add(1)
		d.donePending(h, del)
		d.log.Error("webhook: encode", "hook", h.name, "incident", del.inc.ID, "err", err)
		return
	}
	log := d.log.With("hook", h.name, "incident", del.inc.ID, "kind", del.kind, "delivery", del.id)
	for attempt := 1; ; attempt++ {
		status, retryAfter, err := d.post(ctx, h, del, body)
		if err == nil && status >= 200 && status < 300 {
			d.stats.delivered.Add(1)
			d.donePending(h, del)
			log.Info("webhook delivered", "status", status, "attempt", attempt)
			return
		}
		if ctx.Err() != nil {
			d.stopped(log, attempt)
			return
		}
		why := fmt.Sprintf("status %d", status)
		if err != nil {
			why = err.Error()
		}
		retryable := err != nil || status >= 500 || status == http.StatusTooManyRequests
		wait := d.backoff(attempt)
		if retryAfter > wait {
			wait = min(retryAfter, d.cfg.MaxRetryAfter)
		}
		tooOld := !del.queued.IsZero() && d.cfg.Clock().Add(wait).Sub(del.queued) > d.cfg.OutboxMaxAge
		if !retryable || d.cfg.MaxAttempts > 0 && attempt >= d.cfg.MaxAttempts || tooOld {
			d.stats.failed.Add(1)
			d.donePending(h, del)
			reason := "not retryable"
			switch {
			case tooOld:
				reason = "older than max_age by the next try"
			case retryable:
				reason = "attempts used up"
			}
			log.Warn("webhook delivery failed; giving up", "reason", reason, "attempt", attempt, "error", why)
			return
		}
		log.Warn("webhook delivery failed; retrying", "attempt", attempt, "wait", wait, "error", why)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			d.stopped(log, attempt)
			return
		case <-t.C:
		}
	}
}

// stopped notes a delivery cut short by the end of Run: kept in the outbox when there
// is one, dropped otherwise.
func (d *Dispatcher) stopped(log *slog.Logger, attempt int) {
	if d.cfg.Outbox != nil {
		log.Info("webhook: stopped before delivery; kept for the next start", "attempt", attempt)
		return
	}
	d.stats.dropped.Add(1)
	log.Warn("webhook: stopped before delivery", "attempt", attempt)
}

// backoff is MinBackoff doubled per failed attempt, capped at MaxBackoff.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	w := d.cfg.MinBackoff
	for i := 1; i < attempt && w < d.cfg.MaxBackoff; i++ {
		w *= 2
	}
	return min(w, d.cfg.MaxBackoff)
}

// post sends one attempt. err is a transport failure; the error never carries the URL
// (it may hold a token).
func (d *Dispatcher) post(ctx context.Context, h *hookState, del delivery, body []byte) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, errors.New("webhook: bad request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "outcry-webhook/1")
	req.Header.Set("X-Outcry-Event", "incident."+del.kind)
	req.Header.Set("X-Outcry-Delivery", del.id)
	if h.Secret != "" {
		req.Header.Set("X-Outcry-Signature", Sign(h.Secret, body))
	}
	resp, err := d.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL
		}
		return 0, 0, fmt.Errorf("webhook: POST %s: %w", h.name, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After"), d.cfg.Clock()), nil
}

// Sign returns the X-Outcry-Signature value for body: "sha256=" and the hex HMAC-SHA256
// of the exact body bytes keyed with secret. Receivers recompute it and compare in
// constant time (hmac.Equal).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header against body, in constant time.
func Verify(secret string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(strings.TrimSpace(header)))
}

// parseRetryAfter reads delay-seconds or an HTTP date; zero when absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return time.Duration(min(max(secs, 0), 1<<31)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}
