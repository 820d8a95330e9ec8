package dashboard

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
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
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/healthz" || strings.HasPrefix(p, "/assets/") {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && equalSecret(c.Value, session) {
			next.ServeHTTP(w, r)
			return
		}
		if isAPI(p) {
			if tok, ok := bearer(r.Header.Get("Authorization")); ok && equalSecret(tok, s.cfg.Token) {
				next.ServeHTTP(w, r)
				return
			}
			s.writeError(w, r, &httpError{Status: http.StatusUnauthorized, Code: "unauthorized",
				Msg: "missing or wrong bearer token"})
			return
		}
		if tok := r.URL.Query().Get("token"); tok != "" && equalSecret(tok, s.cfg.Token) {
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
