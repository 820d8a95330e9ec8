package dashboard

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// routes lists every route the server answers. Each "GET /path" pattern also gets a
// method-less twin answering 405 with the error shape; anything else is a 404.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Pages (HTML).
	s.page(mux, "GET /{$}", s.pageOverview)
	s.page(mux, "GET /services/{id}", s.pageService)
	s.page(mux, "GET /incidents/{id}", s.pageIncident)
	s.page(mux, "GET /events/{id}", s.pageEvent)
	s.page(mux, "GET /search", s.pageSearch)
	s.page(mux, "GET /sources", s.pageSources)
	s.raw(mux, "GET /assets/{file...}", s.serveAsset)

	// Live refresh for the pages: server-rendered fragments and go-echarts options.
	s.page(mux, "GET /ui/fragments/cards", s.fragmentCards)
	s.page(mux, "GET /ui/fragments/incidents", s.fragmentIncidents)
	s.page(mux, "GET /ui/fragments/sources", s.fragmentSources)
	s.api(mux, "GET /ui/charts/overview", s.chartOverviewJSON)
	s.api(mux, "GET /ui/charts/services/{id}", s.chartServiceJSON)

	// JSON API.
	s.api(mux, "GET /api/v1/services", s.apiServices)
	s.api(mux, "GET /api/v1/services/{id}", s.apiService)
	s.api(mux, "GET /api/v1/services/{id}/series", s.apiSeries)
	s.api(mux, "GET /api/v1/incidents", s.apiIncidents)
	s.api(mux, "GET /api/v1/incidents/{id}", s.apiIncident)
	s.api(mux, "GET /api/v1/events", s.apiEvents)
	s.api(mux, "GET /api/v1/events/{id}", s.apiEvent)
	s.api(mux, "GET /api/v1/search", s.apiSearch)
	s.api(mux, "GET /api/v1/sources", s.apiSources)
	s.raw(mux, "GET /api/v1/openapi.json", s.serveOpenAPI)
	s.api(mux, "GET /healthz", s.apiHealthz)
	s.raw(mux, "GET /metrics", s.metricsHandler().ServeHTTP)

	mux.Handle("/", s.named("other", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &httpError{Status: http.StatusNotFound, Code: "not_found", Msg: "no such route: " + r.URL.Path})
	})))
	return mux
}

// apiFunc and pageFunc handlers return their error; one place renders it.
type (
	apiFunc  func(w http.ResponseWriter, r *http.Request) error
	pageFunc func(w http.ResponseWriter, r *http.Request) error
)

func (s *Server) api(mux *http.ServeMux, pattern string, h apiFunc) {
	s.handle(mux, pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

func (s *Server) page(mux *http.ServeMux, pattern string, h pageFunc) {
	s.handle(mux, pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

func (s *Server) raw(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	s.handle(mux, pattern, h)
}

func (s *Server) handle(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	mux.Handle(pattern, s.named(pattern, h))
	mux.Handle(path, s.named(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", method+", HEAD")
		s.fail(w, r, &httpError{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Msg: "method " + r.Method + " not allowed; use " + method})
	})))
}

// routeLabel carries the matched route pattern out to the request metrics.
type routeLabel struct{ name string }

type routeKey struct{}

// named records the route pattern for metrics (never the raw path: ids would explode
// the label set).
func (s *Server) named(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l, ok := r.Context().Value(routeKey{}).(*routeLabel); ok {
			l.name = name
		}
		h.ServeHTTP(w, r)
	})
}

// instrument observes every request's duration by route pattern and status code.
// It wraps the middleware, so requests refused before routing (401, 413, 414) count too,
// under "unmatched".
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		label := &routeLabel{name: "unmatched"}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, label)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.observe(label.name, r.Method, sw.status, time.Since(start))
	})
}
