package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/outcry/outcry"
)

// sampleConfig renders the commented config `outcry init` writes and `outcry serve` uses
// when no config file exists: the catalog's official status feeds, Bluesky, Mastodon tags
// on two large instances, the AI assistants' subreddits, Hacker News, X off.
func sampleConfig(services []outcry.Service) string {
	var b strings.Builder
	b.WriteString(`# Outcry configuration (YAML). Written by 'outcry init'; edit freely.
# Unknown keys and bad values are errors that name the line. Secrets never go here:
# give the NAME of an environment variable (token_env, secret_env) instead.

server:
  addr: 127.0.0.1:8080      # loopback by default; other addresses need a token (token_env)
  # token_env: OUTCRY_API_TOKEN

sources:
  # Bluesky's public firehose (Jetstream). Only posts naming a catalog service are stored.
  - type: bluesky
    name: bluesky
    url: wss://jetstream2.us-east.bsky.network/subscribe

  # Mastodon public hashtag timelines on two large instances.
  - type: mastodon
    name: mastodon-social
    url: https://mastodon.social
    tags: [chatgpt, claude, perplexity, gemini, outage, down]
    interval: 2m
  - type: mastodon
    name: mastodon-online
    url: https://mastodon.online
    tags: [chatgpt, claude, outage]
    interval: 5m

  # Subreddit feeds of the AI assistants, and Hacker News stories about outages.
  - type: rss
    name: reddit-chatgpt
    url: https://www.reddit.com/r/ChatGPT/new/.rss
    interval: 2m
  - type: rss
    name: reddit-openai
    url: https://www.reddit.com/r/OpenAI/new/.rss
    interval: 5m
  - type: rss
    name: reddit-claudeai
    url: https://www.reddit.com/r/ClaudeAI/new/.rss
    interval: 2m
  - type: rss
    name: reddit-perplexity
    url: https://www.reddit.com/r/perplexity_ai/new/.rss
    interval: 5m
  - type: rss
    name: reddit-gemini
    url: https://www.reddit.com/r/GeminiAI/new/.rss
    interval: 5m
  - type: rss
    name: hn-outages
    url: https://hnrss.org/newest?q=outage+OR+down+OR+%22not+working%22
    interval: 5m

  # X/Twitter: off by default. Reading needs a paid API tier; set
  # OUTCRY_TWITTER_BEARER_TOKEN and enabled: true. api: v2 (recent search) or v1.1.
  - type: twitter
    name: twitter
    api: v2
    enabled: false

  # Official status pages (Atlassian Statuspage, incident.io, Instatus feeds). They give
  # the vendor's own incidents, which Outcry compares with the crowd (lead time).
`)
	for _, s := range services {
		if s.StatusURL == "" {
			continue
		}
		fmt.Fprintf(&b, "  - type: statuspage\n    name: %s-status\n    service: %s\n    url: %s\n    interval: 5m\n", s.ID, s.ID, s.StatusURL)
	}
	b.WriteString(`
# Add, override or disable catalog services ('outcry sources' lists what is configured).
services:
  # - id: mycorp
  #   name: MyCorp
  #   aliases: [mycorp, "my corp"]
  #   status_url: https://status.mycorp.example/history.atom
  # - id: steam
  #   disabled: true

alerts:
  # Webhooks on incident open / update / resolve. format: json | slack.
  # The HMAC-SHA256 signature header uses the secret in the named environment variable.
  webhooks:
  #  - url: https://hooks.slack.com/services/XXX
  #    format: slack
  #    secret_env: OUTCRY_WEBHOOK_SECRET
  mute: []
  # Alerts not delivered within this long (Outcry was stopped, the receiver refused
  # them) are dropped rather than sent late.
  max_age: 6h
`)
	return b.String()
}

func cmdInit(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "init", usageOf("init"))
	path := fs.String("config", "outcry.yaml", "where to write the config")
	force := fs.Bool("force", false, "overwrite an existing file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	cat, err := loadCatalog(nil)
	if err != nil {
		return err
	}
	text := sampleConfig(cat.Services())
	if _, err := parseConfig(*path, []byte(text)); err != nil {
		return fmt.Errorf("init: the sample does not parse (a bug): %w", err)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(*path, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return usagef("%s exists (use --force to overwrite)", *path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", *path)
	return nil
}
