package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	const token = "s3cret-token"
	h := newTestServer(newFake(), func(c *Config) { c.Token = token }).Handler()
	bearer := func(v string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", v) }
	}

	t.Run("API needs the bearer token", func(t *testing.T) {
		w := do(t, h, "GET", "/api/v1/services")
		checkError(t, w, 401, "unauthorized", "bearer")
		if !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
		}
		checkError(t, do(t, h, "GET", "/api/v1/services", bearer("Bearer wrong")), 401, "unauthorized", "")
		checkError(t, do(t, h, "GET", "/api/v1/services", bearer("Basic "+token)), 401, "unauthorized", "")
		checkError(t, do(t, h, "GET", "/api/v1/services", bearer("Bearer "+token+"x")), 401, "unauthorized", "")
		// ?token= is for pages only: it would end up in API clients' logs.
		checkError(t, do(t, h, "GET", "/api/v1/services?token="+token), 401, "unauthorized", "")
		for _, v := range []string{"Bearer " + token, "bearer " + token, "BEARER  " + token} {
			if w := do(t, h, "GET", "/api/v1/services", bearer(v)); w.Code != 200 {
				t.Errorf("%q: %d", v, w.Code)
			}
		}
	})

	t.Run("metrics need the bearer token", func(t *testing.T) {
		checkError(t, do(t, h, "GET", "/metrics"), 401, "unauthorized", "")
		if w := do(t, h, "GET", "/metrics", bearer("Bearer "+token)); w.Code != 200 {
			t.Errorf("metrics with token: %d", w.Code)
		}
	})

	t.Run("healthz and assets stay open", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/assets/app.js", "/assets/style.css"} {
			if w := do(t, h, "GET", p); w.Code != 200 {
				t.Errorf("%s: %d", p, w.Code)
			}
		}
	})

	t.Run("pages ask for the token", func(t *testing.T) {
		w := do(t, h, "GET", "/services/chatgpt")
		if w.Code != 401 || !strings.Contains(w.Body.String(), `name="token"`) {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "ChatGPT") {
			t.Error("login page leaks data")
		}
		if w := do(t, h, "GET", "/services/chatgpt?token=wrong"); w.Code != 401 {
			t.Errorf("wrong token: %d", w.Code)
		}
	})

	t.Run("?token= sets a strict HttpOnly cookie and strips the token", func(t *testing.T) {
		w := do(t, h, "GET", "/services/chatgpt?range=7d&token="+token)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d", w.Code)
		}
		loc := w.Header().Get("Location")
		if loc != "/services/chatgpt?range=7d" {
			t.Errorf("Location %q", loc)
		}
		res := &http.Response{Header: w.Header()}
		cookies := res.Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies %v", cookies)
		}
		c := cookies[0]
		if c.Name != sessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
			t.Errorf("cookie %+v", c)
		}
		if strings.Contains(c.Value, token) {
			t.Error("cookie holds the token itself")
		}
		withCookie := func(r *http.Request) { r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value}) }
		for _, p := range []string{"/services/chatgpt", "/", "/ui/fragments/cards", "/api/v1/services"} {
			if w := do(t, h, "GET", p, withCookie); w.Code != 200 {
				t.Errorf("%s with cookie: %d", p, w.Code)
			}
		}
		forged := func(r *http.Request) { r.AddCookie(&http.Cookie{Name: sessionCookie, Value: token}) }
		if w := do(t, h, "GET", "/", forged); w.Code != 401 {
			t.Errorf("cookie holding the raw token accepted: %d", w.Code)
		}
	})

	t.Run("no token configured means open", func(t *testing.T) {
		open := newTestServer(newFake()).Handler()
		if w := do(t, open, "GET", "/api/v1/services"); w.Code != 200 {
			t.Errorf("%d", w.Code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	h := newTestServer(newFake()).Handler()
	for _, p := range []string{"/", "/api/v1/services", "/nowhere", "/assets/app.js"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		hd := w.Header()
		if hd.Get("Content-Security-Policy") != contentSecurityPolicy || hd.Get("X-Content-Type-Options") != "nosniff" ||
			hd.Get("X-Frame-Options") != "DENY" || hd.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", p, hd)
		}
	}
}

func TestEqualSecret(t *testing.T) {
	if !equalSecret("abc", "abc") || equalSecret("abc", "abd") || equalSecret("abc", "abcd") || equalSecret("", "x") {
		t.Error("equalSecret")
	}
}

// TestAuthNeverRedirectsOffSite: a scheme-relative path cannot turn the login form or
// the post-login redirect into a link to another host.
func TestAuthNeverRedirectsOffSite(t *testing.T) {
	const token = "tok"
	h := newTestServer(newFake(), func(c *Config) { c.Token = token }).Handler()
	r := httptest.NewRequest("GET", "/", nil)
	r.URL.Path = "//evil.example/x"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if strings.Contains(w.Body.String(), `action="//evil`) {
		t.Errorf("login form posts off-site: %s", w.Body)
	}
	r = httptest.NewRequest("GET", "/?token="+token, nil)
	r.URL.Path = "//evil.example/x"
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if loc := w.Header().Get("Location"); strings.HasPrefix(loc, "//") || strings.Contains(loc, "://") {
		t.Errorf("redirect to %q", loc)
	}
}

// TestAuthGuessingIsSlowed: after authFailMax wrong tokens from one address, every token
// it presents is refused with 429 and Retry-After until the window passes; a browser
// holding the session cookie and other addresses are not affected.
func TestAuthGuessingIsSlowed(t *testing.T) {
	const token = "s3cret-token"
	h := newTestServer(newFake(), func(c *Config) { c.Token = token }).Handler()
	from := func(addr, auth string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/services", nil)
		r.RemoteAddr = addr
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := range authFailMax {
		if w := from("192.0.2.7:4000", "Bearer guess"); w.Code != 401 {
			t.Fatalf("guess %d: %d", i, w.Code)
		}
	}
	w := from("192.0.2.7:4001", "Bearer "+token)
	checkError(t, w, 429, "too_many_attempts", "")
	if ra := w.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	if w := from("198.51.100.1:4000", "Bearer "+token); w.Code != 200 {
		t.Errorf("another address: %d", w.Code)
	}
	r := httptest.NewRequest("GET", "/api/v1/services", nil)
	r.RemoteAddr = "192.0.2.7:4002"
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: sessionValue(token)})
	rw := httptest.NewRecorder()
	h.ServeHTTP(rw, r)
	if rw.Code != 200 {
		t.Errorf("session cookie from the blocked address: %d", rw.Code)
	}
	if w := from("192.0.2.8:4000", ""); w.Code != 401 {
		t.Errorf("no token at all is not a guess: %d", w.Code)
	}
}

func TestFailGuardWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := newFailGuard(3, time.Minute, func() time.Time { return now })
	for range 3 {
		g.fail("a")
	}
	if g.blocked("a") != time.Minute || g.blocked("b") != 0 {
		t.Fatalf("blocked a %v, b %v", g.blocked("a"), g.blocked("b"))
	}
	now = now.Add(61 * time.Second)
	if g.blocked("a") != 0 {
		t.Error("still blocked after the window")
	}
	for i := range maxGuardClients + 10 {
		g.fail(strconv.Itoa(i))
	}
	if len(g.seen) > maxGuardClients {
		t.Errorf("guard remembers %d addresses, bound %d", len(g.seen), maxGuardClients)
	}
}
