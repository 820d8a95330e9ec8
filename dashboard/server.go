package dashboard

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Config tunes the server. The zero value is not useful; start from DefaultConfig.
type Config struct {
	// Demo shows the "simulated data" banner on every page.
	Demo bool
	// Token, when set, is required: `Authorization: Bearer <token>` for the API and
	// /metrics, or the session cookie that `?token=<token>` on any page sets. /healthz and
	// /assets/ stay open. Empty means no authentication (loopback use).
	Token string
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// Version is shown in the footer, /healthz and outcry_build_info.
	Version string
	// MaxRange bounds from..to of every request.
	MaxRange time.Duration
	// DefaultPageSize and MaxPageSize bound limit= on list endpoints.
	DefaultPageSize int
	MaxPageSize     int
	// MaxOffset bounds offset+limit on search (the index pages no deeper).
	MaxOffset int
	// MaxPoints bounds the points of one series response.
	MaxPoints int
	// MaxQueryLen bounds the search query text q, in bytes.
	MaxQueryLen int
	// MaxURLLen bounds the request URL (path and query), in bytes; longer gets 414.
	MaxURLLen int
	// RequestTimeout bounds the backend work of one request.
	RequestTimeout time.Duration
	// Refresh is how often open pages poll for fresh data; 0 turns live refresh off.
	Refresh time.Duration
	// Recent is how far back the overview lists resolved incidents.
	Recent time.Duration
}

// DefaultConfig returns the documented limits: 31-day ranges, pages of 50 (at most
// 1000), 10,000 points per series, 1 KiB queries, 8 KiB URLs, 10 s per request, pages
// refreshing every 15 s and a 7-day list of recent incidents.
func DefaultConfig() Config {
	return Config{
		MaxRange:        31 * 24 * time.Hour,
		DefaultPageSize: 50,
		MaxPageSize:     1000,
		MaxOffset:       10000,
		MaxPoints:       10000,
		MaxQueryLen:     1 << 10,
		MaxURLLen:       8 << 10,
		RequestTimeout:  10 * time.Second,
		Refresh:         15 * time.Second,
		Recent:          7 * 24 * time.Hour,
		Version:         "dev",
	}
}

// Server serves the dashboard, the JSON API and /metrics. It holds no goroutines of its
// own; the caller runs it with an http.Server. Safe for concurrent use.
type Server struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	pages    map[string]*template.Template
	registry *prometheus.Registry
	httpDur  *prometheus.HistogramVec
	handler  http.Handler
}

// New builds a server. Zero fields of cfg take their DefaultConfig values. deps.Catalog,
// deps.Readings and deps.Incidents are required (New panics without them: it is a wiring
// bug); the other dependencies may be nil. A nil log discards.
func New(cfg Config, deps Deps, log *slog.Logger) *Server {
	if deps.Catalog == nil || deps.Readings == nil || deps.Incidents == nil {
		panic("dashboard: New needs Deps.Catalog, Deps.Readings and Deps.Incidents")
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	def := DefaultConfig()
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Version == "" {
		cfg.Version = def.Version
	}
	setDefault(&cfg.MaxRange, def.MaxRange)
	setDefault(&cfg.DefaultPageSize, def.DefaultPageSize)
	setDefault(&cfg.MaxPageSize, def.MaxPageSize)
	setDefault(&cfg.MaxOffset, def.MaxOffset)
	setDefault(&cfg.MaxPoints, def.MaxPoints)
	setDefault(&cfg.MaxQueryLen, def.MaxQueryLen)
	setDefault(&cfg.MaxURLLen, def.MaxURLLen)
	setDefault(&cfg.RequestTimeout, def.RequestTimeout)
	setDefault(&cfg.Recent, def.Recent)
	if cfg.Refresh < 0 {
		cfg.Refresh = 0
	}
	s := &Server{
		cfg:   cfg,
		deps:  deps,
		log:   log.With("component", "dashboard"),
		pages: mustParsePages(),
	}
	s.initMetrics()
	s.handler = s.instrument(s.middleware(s.routes()))
	return s
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Handler returns the root handler: every route of routes.go behind the limits, security
// headers and the token check.
func (s *Server) Handler() http.Handler { return s.handler }

// Registry returns the server's private Prometheus registry, so the caller may register
// its own collectors (they then appear on /metrics).
func (s *Server) Registry() *prometheus.Registry { return s.registry }

func (s *Server) now() time.Time { return s.cfg.Clock().UTC() }

// ctx bounds the backend work of one request.
func (s *Server) ctx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
}
