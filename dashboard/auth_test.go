package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
