package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/ingest"
	"github.com/outcry/outcry/ingest/bluesky"
	"github.com/outcry/outcry/ingest/mastodon"
	"github.com/outcry/outcry/ingest/replay"
	"github.com/outcry/outcry/ingest/rss"
	"github.com/outcry/outcry/ingest/statuspage"
	"github.com/outcry/outcry/ingest/twitter"
)

// Default poll intervals per source type when the config gives none.
var defaultIntervals = map[string]time.Duration{
	"rss":        2 * time.Minute,
	"statuspage": 5 * time.Minute,
	"mastodon":   2 * time.Minute,
	"twitter":    5 * time.Minute,
}

// buildSources turns the config's sources into runner specs. Secrets come from the
// environment only.
func buildSources(cfg *config, cat *detect.Catalog, getenv func(string) string, log *slog.Logger) ([]ingest.SourceSpec, error) {
	var specs []ingest.SourceSpec
	for i, s := range cfg.Sources {
		field := func(name string) string { return fmt.Sprintf("sources[%d].%s", i, name) }
		client := &ingest.Client{HTTP: &http.Client{}, MaxBody: s.MaxBody}
		spec := ingest.SourceSpec{
			Name: s.Name, Type: s.Type, URL: s.URL,
			Interval: s.Interval, Timeout: s.Timeout,
		}
		if spec.Interval == 0 {
			spec.Interval = defaultIntervals[s.Type]
		}
		if !s.enabled() {
			spec.Disabled = true
			spec.Message = "disabled in the config (enabled: false)"
		}
		switch s.Type {
		case "rss":
			spec.Source = rss.New(rss.Config{Name: s.Name, URL: s.URL, Client: client, Lang: s.Lang})
		case "statuspage":
			if _, ok := cat.Service(s.Service); !ok {
				return nil, configError(cfg.path, s.line, field("service"), "%q is not a catalog service id", s.Service)
			}
			spec.Official = statuspage.New(statuspage.Config{Name: s.Name, Service: s.Service, URL: s.URL, Client: client})
		case "bluesky":
			bc := bluesky.DefaultConfig()
			bc.Name, bc.URL = s.Name, s.URL
			bc.Logger = log.With("source", s.Name)
			if s.MaxBody > 0 {
				bc.MaxMessage = s.MaxBody
			}
			if err := bc.Validate(); err != nil {
				return nil, configError(cfg.path, s.line, field("url"), "%v", err)
			}
			spec.Stream = bluesky.New(bc)
		case "mastodon":
			mc := mastodon.DefaultConfig()
			mc.Name, mc.Instance, mc.Tags, mc.Client = s.Name, s.URL, s.Tags, client
			mc.Logger = log.With("source", s.Name)
			if s.TokenEnv != "" {
				mc.Token = getenv(s.TokenEnv)
			}
			if err := mc.Validate(); err != nil {
				return nil, configError(cfg.path, s.line, field("url"), "%v", err)
			}
			spec.Source = mastodon.New(mc)
		case "twitter":
			tc := twitter.DefaultConfig()
			tc.Name, tc.API, tc.Query = s.Name, s.API, s.Query
			if s.URL != "" {
				tc.BaseURL = s.URL
			}
			tc.Services = cat.Services()
			tc.Token = getenv(envTwitterToken)
			tc.Logger = log.With("source", s.Name)
			if s.MaxBody > 0 {
				tc.MaxBody = s.MaxBody
			}
			if tc.Token == "" && !spec.Disabled {
				spec.Disabled = true
				spec.Message = "no token: set " + envTwitterToken + " (reading X needs a paid API tier)"
			}
			if !spec.Disabled {
				src, err := twitter.New(tc)
				if err != nil {
					return nil, configError(cfg.path, s.line, s.Name, "%v", err)
				}
				spec.Source = src
			}
		case "replay":
			rp, err := replay.New(replay.Config{Name: s.Name, Files: s.Files, Speed: s.Speed, Loop: s.Loop})
			if err != nil {
				return nil, configError(cfg.path, s.line, field("files"), "%v", err)
			}
			spec.Stream = rp
		}
		specs = append(specs, spec)
	}
	return specs, nil
}

func cmdSources(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sources", usageOf("sources"))
	configPath := fs.String("config", "", "config file (default: the built-in live sources)")
	addr := fs.String("addr", "", "where a running 'outcry serve' listens (default: the config's server.addr or 127.0.0.1:8080)")
	asJSON := fs.Bool("json", false, "print the sources and their health as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	var cfg *config
	if *configPath != "" {
		if cfg, err = loadConfig(*configPath); err != nil {
			return err
		}
	} else if cfg, err = parseConfig("(built-in defaults)", []byte(sampleConfig(detect.DefaultCatalog().Services()))); err != nil {
		return err
	}
	// Check the config as serve will (catalog ids, sources), so this doubles as a check.
	cat, err := loadCatalog(cfg)
	if err != nil {
		return err
	}
	if _, err := buildSources(cfg, cat, e.getenv, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return err
	}
	if *addr == "" {
		*addr = cfg.Server.Addr
	}
	if *addr == "" {
		*addr = "127.0.0.1:8080"
	}
	// Health lives in the running server; ask it (loopback, our own address: never a
	// URL from a request). When nothing answers, show the configuration alone.
	live, liveErr := fetchHealth(ctx, *addr, e.getenv("OUTCRY_API_TOKEN"))
	byName := map[string]outcry.SourceHealth{}
	for _, h := range live {
		byName[h.Name] = h
	}
	out := make([]outcry.SourceHealth, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		h, ok := byName[s.Name]
		if !ok {
			h = outcry.SourceHealth{Name: s.Name, Type: s.Type, URL: s.URL, State: "not running"}
			if !s.enabled() {
				h.State = outcry.HealthDisabled
			}
			if liveErr != nil {
				h.Message = "outcry serve is not running at " + *addr
			}
		}
		out = append(out, h)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	src := "configured in " + cfg.path
	if liveErr == nil {
		src += ", health from the server at " + *addr
	} else {
		src += "; no server answers at " + *addr + " (health unknown)"
	}
	fmt.Fprintf(e.stdout, "%d sources %s\n", len(out), src)
	fmt.Fprintf(e.stdout, "%-22s %-10s %-11s %-20s %8s %8s  %s\n", "name", "type", "state", "last ok", "seen", "stored", "message")
	for _, h := range out {
		last := "-"
		if !h.LastOK.IsZero() {
			last = h.LastOK.UTC().Format("2006-01-02 15:04:05")
		}
		msg := h.Message
		if h.Error != "" {
			// The cause is at the end of a wrapped error ("...: no such host"): keep the tail.
			msg = strings.TrimSpace(clipHead(h.Error, 90) + " " + msg)
		}
		fmt.Fprintf(e.stdout, "%-22s %-10s %-11s %-20s %8d %8d  %s\n", clip(h.Name, 22), h.Type, h.State, last, h.PostsSeen, h.PostsStored, msg)
	}
	return nil
}

func fetchHealth(ctx context.Context, addr, token string) ([]outcry.SourceHealth, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/api/v1/sources", nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/sources: HTTP %d", resp.StatusCode)
	}
	body, err := ingest.ReadCapped(resp.Body, 4<<20)
	if err != nil {
		return nil, err
	}
	var wrapped struct {
		Sources []outcry.SourceHealth `json:"sources"`
	}
	if err := json.Unmarshal(body, &wrapped); err == nil && wrapped.Sources != nil {
		return wrapped.Sources, nil
	}
	var list []outcry.SourceHealth
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("GET /api/v1/sources: %w", err)
	}
	return list, nil
}

// clipHead shortens s to its last n runes.
func clipHead(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return "…" + string(r[len(r)-n+1:])
	}
	return s
}
