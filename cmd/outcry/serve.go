package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/dashboard"
	"github.com/outcry/outcry/dashboard/webhook"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
	"github.com/outcry/outcry/ingest"
)

// shutdownTimeout bounds the HTTP drain on SIGINT/SIGTERM; with the final flush, serve
// exits well within 10 s.
const shutdownTimeout = 5 * time.Second

type serveOptions struct {
	configPath string
	dataDir    string
	addr       string
	demo       bool
	demoSpeed  float64
	demoFrom   string
	scenario   string
	seed       int64
	scale      float64
	noAuth     bool
	logLevel   string
	// ready, when set, receives the bound address once the server listens (tests).
	ready func(addr string)
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", usageOf("serve"))
	var o serveOptions
	fs.StringVar(&o.configPath, "config", "", "config file (default: the built-in live sources, as 'outcry init' writes them)")
	fs.StringVar(&o.dataDir, "data", "", "data directory (default ./outcry-data; ./outcry-data-demo with --demo)")
	fs.StringVar(&o.addr, "addr", "", "listen address (default 127.0.0.1:8080, or the config's server.addr)")
	fs.BoolVar(&o.demo, "demo", false, "replay the simulated 4 June 2024 outages in compressed time (no network needed)")
	fs.Float64Var(&o.demoSpeed, "demo-speed", 240, "demo: simulated seconds per real second (240 plays a day in 6 minutes)")
	fs.StringVar(&o.demoFrom, "demo-from", "00:00", "demo: UTC time of day to start playing from; earlier posts load at once")
	fs.StringVar(&o.scenario, "scenario", "2024-06-04", "demo: scenario to replay")
	fs.Int64Var(&o.seed, "seed", 1, "demo: random seed of the first simulated day")
	fs.Float64Var(&o.scale, "scale", 1, "demo: volume multiplier")
	fs.BoolVar(&o.noAuth, "insecure-no-auth", false, "allow binding beyond loopback without an API token")
	fs.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return serve(ctx, e, o)
}

func newLogger(e *env, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l})), nil
}

func serve(ctx context.Context, e *env, o serveOptions) error {
	log, err := newLogger(e, o.logLevel)
	if err != nil {
		return err
	}
	var cfg *config
	if o.configPath != "" {
		if cfg, err = loadConfig(o.configPath); err != nil {
			return err
		}
	} else {
		cat := detect.DefaultCatalog()
		if cfg, err = parseConfig("(built-in defaults)", []byte(sampleConfig(cat.Services()))); err != nil {
			return fmt.Errorf("serve: built-in config: %w", err)
		}
	}
	cat, err := loadCatalog(cfg)
	if err != nil {
		return err
	}
	matcher, err := detect.NewMatcher(cat)
	if err != nil {
		return err
	}

	addr := o.addr
	if addr == "" {
		addr = cfg.Server.Addr
	}
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	token := ""
	if cfg.Server.TokenEnv != "" {
		token = e.getenv(cfg.Server.TokenEnv)
	}
	if token == "" {
		token = e.getenv("OUTCRY_API_TOKEN")
	}
	loopback, err := isLoopback(addr)
	if err != nil {
		return usagef("--addr %q: %v", addr, err)
	}
	if !loopback && token == "" && !o.noAuth {
		return usagef("--addr %s is not a loopback address: set an API token in OUTCRY_API_TOKEN (or the config's server.token_env), or pass --insecure-no-auth", addr)
	}

	dataDir := o.dataDir
	var demo *demoPlayer
	if o.demo {
		if dataDir == "" {
			dataDir = defaultDataDir + "-demo"
		}
		if demo, err = newDemo(o, dataDir); err != nil {
			return err
		}
	} else if dataDir == "" {
		dataDir = defaultDataDir
	}
	clock := time.Now
	if demo != nil {
		clock = demo.clock.Now
	}

	// Listen before anything starts, so a busy port fails fast and clearly.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another outcry or server using it? pick one with --addr)", addr, err)
	}
	defer ln.Close()

	ixCfg := index.DefaultConfig()
	ixCfg.Logger = log
	if demo != nil {
		ixCfg.FlushInterval = 250 * time.Millisecond
	}
	var locked func() error
	if demo != nil {
		locked = func() error { return resetDemoDir(dataDir) }
	}
	ix, err := openIndexWith(dataDir, false, ixCfg, locked)
	if err != nil {
		return err
	}
	defer func() {
		if err := ix.Close(); err != nil {
			log.Error("closing index", "err", err)
		}
	}()
	sink := &matchSink{matcher: matcher, index: ix}

	// Alerts.
	hooks := make([]webhook.Hook, 0, len(cfg.Alerts.Webhooks))
	for _, w := range cfg.Alerts.Webhooks {
		h := webhook.Hook{URL: w.URL, Format: w.Format, Services: w.Services}
		if w.SecretEnv != "" {
			h.Secret = e.getenv(w.SecretEnv)
			if h.Secret == "" {
				log.Warn("webhook secret variable is empty; deliveries are unsigned", "env", w.SecretEnv)
			}
		}
		hooks = append(hooks, h)
	}
	whCfg := webhook.DefaultConfig()
	whCfg.Hooks = hooks
	whCfg.Mute = cfg.Alerts.Mute
	if cfg.Alerts.MaxAge > 0 {
		whCfg.OutboxMaxAge = cfg.Alerts.MaxAge
	}
	whCfg.Clock = clock
	whCfg.Outbox = stateOutbox{ix: ix, key: "webhook/outbox"}
	whCfg.DashboardURL = "http://" + ln.Addr().String()
	whCfg.ServiceNames = map[string]string{}
	for _, s := range cat.Services() {
		whCfg.ServiceNames[s.ID] = s.Name
	}
	if err := whCfg.Validate(); err != nil {
		return fmt.Errorf("%s: alerts: %w", cfg.path, err)
	}
	alerts := webhook.New(whCfg, log)

	// Detection.
	mcfg := detect.DefaultMonitorConfig()
	mcfg.Services = cat.IDs()
	every := 15 * time.Second
	if demo != nil {
		// One simulated minute per tick, whatever the speed.
		every = max(time.Duration(float64(time.Minute)/o.demoSpeed), 20*time.Millisecond)
	}
	monitor := detect.NewMonitor(mcfg, detect.MonitorDeps{
		Store: ix, Summarizer: ix, Incidents: ix, Official: ix, Clock: clock,
		Notify: func(c detect.Change) { alerts.Notify(c.Kind, c.Incident, c.Event) },
	}, log)
	restoreSince := time.Time{}
	if demo != nil {
		restoreSince = demo.dayStart
		if demo.from.After(demo.dayStart) {
			n, err := demo.preload(ctx, sink)
			if err != nil {
				return fmt.Errorf("demo: preload: %w", err)
			}
			// What the status pages had said by then, so lead times link during the replay.
			if err := demo.publishOfficial(ctx, ix, 0, demo.from, map[string]int{}); err != nil {
				return err
			}
			if err := ix.Flush(ctx); err != nil {
				return err
			}
			if _, _, err := monitor.Replay(ctx, demo.dayStart, demo.from); err != nil {
				return fmt.Errorf("demo: detection over the preloaded posts: %w", err)
			}
			log.Info("demo preloaded", "posts", n, "until", demo.from.Format(time.RFC3339))
		}
	}
	open, err := ix.Incidents(ctx, index.IncidentFilter{State: outcry.StateOpen})
	if err != nil {
		return err
	}
	if err := monitor.Restore(ctx, open, restoreSince); err != nil {
		return fmt.Errorf("serve: restoring detection state: %w", err)
	}

	// Sources.
	rcfg := ingest.DefaultConfig()
	rcfg.Clock = clock
	runner := ingest.NewRunner(rcfg, sink, ix, ix, log)
	if demo != nil {
		if err := runner.Add(demo.spec()); err != nil {
			return err
		}
	} else {
		specs, err := buildSources(cfg, cat, e.getenv, log)
		if err != nil {
			return err
		}
		for _, s := range specs {
			if err := runner.Add(s); err != nil {
				return fmt.Errorf("%s: %w", cfg.path, err)
			}
		}
	}

	dcfg := dashboard.DefaultConfig()
	dcfg.Demo = demo != nil
	dcfg.Token = token
	dcfg.Clock = clock
	dcfg.Version = version
	server := dashboard.New(dcfg, dashboard.Deps{
		Catalog:   cat,
		Readings:  dashboard.MonitorReadings(monitor),
		Incidents: indexIncidents{ix},
		Events:    ix,
		Official:  ix,
		Search:    ix,
		Summaries: ix,
		Health:    runner,
		Totals:    indexTotals{ix},
		Ingested:  ix,
		Alerts:    alerts,
	}, log)
	httpSrv := &http.Server{
		Handler:           server.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return runner.Run(gctx) })
	g.Go(func() error { return monitor.Run(gctx, every) })
	g.Go(func() error { return alerts.Run(gctx) })
	if demo != nil {
		g.Go(func() error { return demo.runOfficial(gctx, ix) })
	}
	g.Go(func() error {
		if err := httpSrv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: http: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(gctx), shutdownTimeout)
		defer cancel()
		return httpSrv.Shutdown(sctx)
	})
	url := "http://" + ln.Addr().String() + "/"
	mode := "live sources"
	if demo != nil {
		mode = fmt.Sprintf("demo: simulated %s at %g×", o.scenario, o.demoSpeed)
	}
	log.Info("outcry serving", "url", url, "data", dataDir, "mode", mode, "version", version)
	if o.ready != nil {
		o.ready(ln.Addr().String())
	}
	err = g.Wait()
	log.Info("outcry stopped", "indexed", ix.Indexed())
	if ctx.Err() != nil && err == nil {
		return nil
	}
	return err
}

// stateOutbox keeps the webhook outbox in the index's state store, so undelivered
// alerts survive a restart with the posts they are about.
type stateOutbox struct {
	ix  *store
	key string
}

func (o stateOutbox) Load(context.Context) ([]byte, error) { return o.ix.State(o.key) }

func (o stateOutbox) Save(ctx context.Context, data []byte) error {
	return o.ix.SetState(ctx, o.key, data)
}

func isLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	if ip == nil {
		if host == "" {
			return false, nil // ":8080" binds every interface
		}
		return false, errors.New("host must be an IP address or localhost")
	}
	return ip.IsLoopback(), nil
}

// indexTotals adapts the index's stats to the dashboard's cumulative counters.
type indexTotals struct{ ix *store }

func (t indexTotals) ServiceTotals(ctx context.Context) (map[string]dashboard.ServiceTotal, error) {
	st, err := t.ix.Stats(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]dashboard.ServiceTotal, len(st.Services))
	for id, s := range st.Services {
		out[id] = dashboard.ServiceTotal{Mentions: int64(s.Mentions), Complaints: int64(s.Complaints), Recoveries: int64(s.Recoveries)}
	}
	return out, nil
}

// envTwitterToken is where the X bearer token comes from (never from the config file).
const envTwitterToken = "OUTCRY_TWITTER_BEARER_TOKEN"

// indexIncidents adapts the index's incident queries to the dashboard's filter type.
type indexIncidents struct{ ix *store }

func (a indexIncidents) Incidents(ctx context.Context, f dashboard.IncidentFilter) ([]outcry.Incident, error) {
	return a.ix.Incidents(ctx, index.IncidentFilter(f))
}

func (a indexIncidents) Incident(ctx context.Context, id string) (outcry.Incident, error) {
	return a.ix.Incident(ctx, id)
}
