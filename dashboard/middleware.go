package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// contentSecurityPolicy allows nothing but the app's own scripts, styles and API. Charts
// need no inline script: pages carry each chart's option as JSON in a data attribute and
// /assets/app.js initialises them; tooltips render in the canvas (renderMode richText),
// so no inline style attribute is needed either.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// sessionCookie holds the page session when Config.Token is set.
const sessionCookie = "outcry_session"

// middleware wraps the routes with, outermost first: panic recovery, security headers,
// request limits and the token check.
func (s *Server) middleware(next http.Handler) http.Handler {
	return s.recoverer(s.secure(s.limits(s.auth(next))))
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// limits refuses long URLs (414) and any request body (413): every route is a GET.
func (s *Server) limits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := len(r.RequestURI)
		if n == 0 {
			n = len(r.URL.RequestURI())
		}
		if n > s.cfg.MaxURLLen {
			s.fail(w, r, &httpError{Status: http.StatusRequestURITooLong, Code: "uri_too_long",
				Msg: "request URL longer than " + strconv.Itoa(s.cfg.MaxURLLen) + " bytes"})
			return
		}
		if r.ContentLength > 0 || len(r.TransferEncoding) > 0 {
			s.fail(w, r, &httpError{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
				Msg: "request bodies are not accepted"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isAPI tells whether a path answers in JSON (API, metrics, page data) rather than HTML.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/api" || strings.HasPrefix(path, "/ui/") ||
		path == "/metrics" || path == "/healthz"
}

// fail writes err as JSON on API paths and as an HTML page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r.URL.Path) {
		s.writeError(w, r, err)
		return
	}
	s.renderError(w, r, err)
}

// auth enforces Config.Token. API paths take a bearer token (or the page session cookie,
// for the pages' own polling); pages take the cookie, or ?token= which sets the cookie
// and redirects to the same URL without it. Comparisons are constant-time.
func (s *Server) auth(next http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return next
	}
	session := sessionValue(s.cfg.Token)
	guard := newFailGuard(authFailMax, authFailWindow, time.Now)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/healthz" || strings.HasPrefix(p, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		client := clientHost(r.RemoteAddr)
		if wait := guard.blocked(client); wait > 0 && !hasSession(r, session) {
			// Too many wrong tokens from this client: refuse every token it presents, even
			// the right one, until the window passes, so guessing costs time. A browser
			// already holding the session cookie keeps working (a cookie is as hard to
			// guess as the token), so a guesser behind the same proxy cannot lock users out.
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
			s.fail(w, r, &httpError{Status: http.StatusTooManyRequests, Code: "too_many_attempts",
				Msg: "too many wrong tokens from this address; try again later"})
			return
		}
		c, cerr := r.Cookie(sessionCookie)
		if cerr == nil && equalSecret(c.Value, session) {
			next.ServeHTTP(w, r)
			return
		}
		wrong := cerr == nil // a cookie that is not the session
		if isAPI(p) {
			tok, ok := bearer(r.Header.Get("Authorization"))
			if ok && equalSecret(tok, s.cfg.Token) {
				next.ServeHTTP(w, r)
				return
			}
			if ok || wrong || r.Header.Get("Authorization") != "" {
				guard.fail(client)
			}
			s.writeError(w, r, &httpError{Status: http.StatusUnauthorized, Code: "unauthorized",
				Msg: "missing or wrong bearer token"})
			return
		}
		tok := r.URL.Query().Get("token")
		if tok != "" && !equalSecret(tok, s.cfg.Token) || tok == "" && wrong {
			guard.fail(client)
		}
		if tok != "" && equalSecret(tok, s.cfg.Token) {
			http.SetCookie(w, &http.Cookie{
				Name:     sessionCookie,
				Value:    session,
				Path:     "/",
				HttpOnly: true,
				Secure:   r.TLS != nil,
				SameSite: http.SameSiteStrictMode,
				MaxAge:   int((30 * 24 * time.Hour).Seconds()),
			})
			q := r.URL.Query()
			q.Del("token")
			target := localPath(r.URL.Path)
			if enc := q.Encode(); enc != "" {
				target += "?" + enc
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		s.renderLogin(w, r)
	})
}

// Wrong tokens allowed per client address and window before it must wait: enough for
// people and scripts that get it wrong, too few for guessing.
const (
	authFailMax    = 100
	authFailWindow = time.Minute
)

func hasSession(r *http.Request, session string) bool {
	c, err := r.Cookie(sessionCookie)
	return err == nil && equalSecret(c.Value, session)
}

// maxGuardClients bounds the addresses the guard remembers; past it, it forgets them all
// (an attacker with that many addresses is not slowed by a per-address limit anyway).
const maxGuardClients = 4096

// failGuard counts wrong tokens per client address in fixed windows.
type failGuard struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	seen   map[string]*failCount
}

type failCount struct {
	start time.Time
	n     int
}

func newFailGuard(limit int, window time.Duration, now func() time.Time) *failGuard {
	return &failGuard{max: limit, window: window, now: now, seen: map[string]*failCount{}}
}

// blocked returns how long client must still wait, 0 when it may try.
func (g *failGuard) blocked(client string) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	c, ok := g.seen[client]
	if !ok {
		return 0
	}
	left := c.start.Add(g.window).Sub(g.now())
	if left <= 0 {
		delete(g.seen, client)
		return 0
	}
	if c.n < g.max {
		return 0
	}
	return left
}

// fail records a wrong token from client.
func (g *failGuard) fail(client string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	c, ok := g.seen[client]
	if !ok || now.Sub(c.start) >= g.window {
		if !ok && len(g.seen) >= maxGuardClients {
			clear(g.seen)
		}
		c = &failCount{start: now}
		g.seen[client] = c
	}
	c.n++
}

// clientHost is the host part of a RemoteAddr ("127.0.0.1:5000" -> "127.0.0.1").
func clientHost(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// localPath cleans a request path so that it can only name this server: "//evil.example"
// becomes "/evil.example", never a scheme-relative URL.
func localPath(p string) string {
	return "/" + strings.TrimLeft(path.Clean("/"+p), "/")
}

func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) > len(prefix) && strings.EqualFold(h[:len(prefix)], prefix) {
		return strings.TrimSpace(h[len(prefix):]), true
	}
	return "", false
}

// equalSecret compares in constant time; hashing first hides the length too.
func equalSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// sessionValue derives the cookie from the token so the cookie never holds the token.
func sessionValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("outcry dashboard session v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// statusWriter remembers the status code for the request metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
