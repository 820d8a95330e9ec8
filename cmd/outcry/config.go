package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/outcry/outcry"
)

// config is the user's YAML file (DESIGN.md "Config file"). Secrets never live here: only
// the names of environment variables that hold them.
type config struct {
	path     string
	Server   serverConfig     `yaml:"server"`
	Sources  []sourceConfig   `yaml:"sources"`
	Services []outcry.Service `yaml:"services"`
	Alerts   alertsConfig     `yaml:"alerts"`
}

type serverConfig struct {
	Addr string `yaml:"addr"`
	// TokenEnv names the environment variable holding the API token required when
	// binding beyond loopback.
	TokenEnv string `yaml:"token_env"`
}

// sourceConfig is one entry of sources:. Which fields apply depends on Type.
type sourceConfig struct {
	Type     string        `yaml:"type"`
	Name     string        `yaml:"name"`
	URL      string        `yaml:"url"`
	Service  string        `yaml:"service"`
	Interval time.Duration `yaml:"interval"`
	Timeout  time.Duration `yaml:"timeout"`
	Enabled  *bool         `yaml:"enabled"`
	Lang     string        `yaml:"lang"`
	// mastodon
	Tags     []string `yaml:"tags"`
	TokenEnv string   `yaml:"token_env"`
	// twitter
	API   string `yaml:"api"`
	Query string `yaml:"query"`
	// replay
	Files []string `yaml:"files"`
	Speed float64  `yaml:"speed"`
	Loop  bool     `yaml:"loop"`
	// MaxBody caps response bodies in bytes (default 10 MiB).
	MaxBody int64 `yaml:"max_body"`

	line int
}

func (s sourceConfig) enabled() bool { return s.Enabled == nil || *s.Enabled }

type alertsConfig struct {
	Webhooks []webhookConfig `yaml:"webhooks"`
	// Mute lists service ids that never alert.
	Mute []string `yaml:"mute"`
	// MaxAge drops alerts not delivered within this long (the server was down, the
	// receiver refused them) instead of sending old news late; 0 means 6h.
	MaxAge  time.Duration `yaml:"max_age"`
	maxLine int
}

type webhookConfig struct {
	URL       string   `yaml:"url"`
	Format    string   `yaml:"format"`
	SecretEnv string   `yaml:"secret_env"`
	Services  []string `yaml:"services"`
	line      int
}

var sourceTypes = []string{"rss", "statuspage", "bluesky", "mastodon", "twitter", "replay"}

// configError names the file, line and field of a problem, and is bad input (exit 2).
func configError(file string, line int, field, format string, a ...any) error {
	msg := fmt.Sprintf(format, a...)
	if line > 0 {
		return fmt.Errorf("%s:%d: %s: %s: %w", file, line, field, msg, outcry.ErrInvalid)
	}
	return fmt.Errorf("%s: %s: %s: %w", file, field, msg, outcry.ErrInvalid)
}

// loadConfig reads and validates the config file at path.
func loadConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w: %w", err, outcry.ErrInvalid)
	}
	return parseConfig(path, data)
}

// parseConfig decodes data strictly: unknown keys and bad values are errors naming the
// file, line and field (e.g. "outcry.yaml:7: sources[1].intervl: unknown field").
func parseConfig(file string, data []byte) (*config, error) {
	cfg := &config{path: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", file, strings.TrimPrefix(err.Error(), "yaml: "), outcry.ErrInvalid)
	}
	if len(doc.Content) == 0 {
		return cfg, nil // empty file: all defaults
	}
	root := doc.Content[0]
	if err := checkNode(file, "", root, cfg); err != nil {
		return nil, err
	}
	// Record the line of each list item for later validation messages.
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		switch key.Value {
		case "sources":
			for j, item := range val.Content {
				if j < len(cfg.Sources) {
					cfg.Sources[j].line = item.Line
				}
			}
		case "alerts":
			for k := 0; k+1 < len(val.Content); k += 2 {
				if val.Content[k].Value == "max_age" {
					cfg.Alerts.maxLine = val.Content[k].Line
				}
				if val.Content[k].Value == "webhooks" {
					for j, item := range val.Content[k+1].Content {
						if j < len(cfg.Alerts.Webhooks) {
							cfg.Alerts.Webhooks[j].line = item.Line
						}
					}
				}
			}
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkNode decodes node into out with known-field checking and rewrites yaml's errors
// into file:line: field: message form.
func checkNode(file, path string, node *yaml.Node, out any) error {
	if err := checkKeys(file, path, node, out); err != nil {
		return err
	}
	if err := node.Decode(out); err != nil {
		var te *yaml.TypeError
		if asTypeError(err, &te) && len(te.Errors) > 0 {
			msg := strings.TrimPrefix(te.Errors[0], "line ")
			var line int
			if _, err := fmt.Sscanf(msg, "%d:", &line); err == nil {
				rest := strings.TrimSpace(strings.TrimPrefix(msg, fmt.Sprintf("%d:", line)))
				if field := fieldAt(node, path, line); field != "" {
					rest = field + ": " + rest
				}
				for typ, hint := range map[string]string{
					"time.Duration": "want a duration such as 30s, 5m or 6h",
					"into int":      "want a whole number",
					"into []string": "want a list, e.g. [a, b]",
					"into bool":     "want true or false",
				} {
					if strings.Contains(rest, typ) {
						rest += " (" + hint + ")"
					}
				}
				return fmt.Errorf("%s:%d: %s: %w", file, line, rest, outcry.ErrInvalid)
			}
			return fmt.Errorf("%s:%s: %w", file, msg, outcry.ErrInvalid)
		}
		return fmt.Errorf("%s: %w: %w", file, err, outcry.ErrInvalid)
	}
	return nil
}

// fieldAt is the dotted path of the key whose value starts at line under node ("" when
// none does): "sources[0].interval".
func fieldAt(node *yaml.Node, path string, line int) string {
	switch node.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if v.Line == line && (v.Kind == yaml.ScalarNode || k.Line == line) {
				return p
			}
			if f := fieldAt(v, p, line); f != "" {
				return f
			}
		}
	case yaml.SequenceNode:
		for i, v := range node.Content {
			if f := fieldAt(v, fmt.Sprintf("%s[%d]", path, i), line); f != "" {
				return f
			}
		}
	}
	return ""
}

func asTypeError(err error, te **yaml.TypeError) bool {
	t, ok := err.(*yaml.TypeError)
	if ok {
		*te = t
	}
	return ok
}

// configKeys lists the keys each mapping level accepts, by field path pattern.
var configKeys = map[string][]string{
	"":                  {"server", "sources", "services", "alerts"},
	"server":            {"addr", "token_env"},
	"sources[]":         {"type", "name", "url", "service", "interval", "timeout", "enabled", "lang", "tags", "token_env", "api", "query", "files", "speed", "loop", "max_body"},
	"services[]":        {"id", "name", "category", "aliases", "weak", "keywords", "status_url", "status_page", "disabled"},
	"alerts":            {"webhooks", "mute", "max_age"},
	"alerts.webhooks[]": {"url", "format", "secret_env", "services"},
}

// checkKeys walks node and reports the first key that configKeys does not allow, and
// values of the wrong kind (a list where a mapping belongs), with their line.
func checkKeys(file, path string, node *yaml.Node, _ any) error {
	pattern := func(p string) string {
		// sources[3].x -> sources[].x
		var b strings.Builder
		skip := false
		for _, r := range p {
			switch {
			case r == '[':
				skip = true
				b.WriteString("[]")
			case r == ']':
				skip = false
			case !skip:
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	allowed, isMap := configKeys[pattern(path)]
	field := path
	if field == "" {
		field = "(top level)"
	}
	if _, isList := configKeys[pattern(path)+"[]"]; isList && node.Kind != yaml.SequenceNode && node.Tag != "!!null" {
		return configError(file, node.Line, field, "expected a list")
	}
	switch node.Kind {
	case yaml.MappingNode:
		if !isMap {
			return nil // a mapping where a scalar belongs: Decode reports it
		}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			if !slices.Contains(allowed, k.Value) {
				return configError(file, k.Line, sub, "unknown field (known: %s)", strings.Join(allowed, ", "))
			}
			if err := checkKeys(file, sub, v, nil); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		if isMap {
			return configError(file, node.Line, field, "expected a mapping, got a list")
		}
		for i, item := range node.Content {
			if err := checkKeys(file, fmt.Sprintf("%s[%d]", path, i), item, nil); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if isMap && node.Tag != "!!null" {
			return configError(file, node.Line, field, "expected a mapping, got %q", node.Value)
		}
	}
	return nil
}

func (c *config) validate() error {
	f := c.path
	names := map[string]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		field := func(name string) string { return fmt.Sprintf("sources[%d].%s", i, name) }
		s.Type = strings.ToLower(strings.TrimSpace(s.Type))
		if !slices.Contains(sourceTypes, s.Type) {
			return configError(f, s.line, field("type"), "%q is not one of %s", s.Type, strings.Join(sourceTypes, ", "))
		}
		if s.Name == "" {
			s.Name = defaultSourceName(*s)
		}
		if names[s.Name] {
			return configError(f, s.line, field("name"), "%q is used twice (names must be unique)", s.Name)
		}
		names[s.Name] = true
		if s.Interval < 0 || (s.Interval > 0 && s.Interval < 10*time.Second) {
			return configError(f, s.line, field("interval"), "%s is below the 10s minimum", s.Interval)
		}
		if s.Timeout < 0 {
			return configError(f, s.line, field("timeout"), "must be positive")
		}
		if s.MaxBody < 0 {
			return configError(f, s.line, field("max_body"), "must be positive")
		}
		needURL := s.Type != "twitter" && s.Type != "replay"
		if needURL && s.URL == "" {
			return configError(f, s.line, field("url"), "required for type %s", s.Type)
		}
		if s.URL != "" {
			schemes := []string{"http", "https"}
			if s.Type == "bluesky" {
				schemes = []string{"ws", "wss"}
			}
			if err := checkURL(s.URL, schemes); err != nil {
				return configError(f, s.line, field("url"), "%v", err)
			}
		}
		switch s.Type {
		case "statuspage":
			if s.Service == "" {
				return configError(f, s.line, field("service"), "required for type statuspage (which catalog service its incidents belong to)")
			}
		case "mastodon":
			if len(s.Tags) == 0 {
				return configError(f, s.line, field("tags"), "at least one hashtag is required")
			}
			for j, t := range s.Tags {
				t = strings.TrimPrefix(strings.TrimSpace(t), "#")
				if t == "" || strings.ContainsAny(t, " /?#&") {
					return configError(f, s.line, fmt.Sprintf("sources[%d].tags[%d]", i, j), "%q is not a hashtag", s.Tags[j])
				}
				s.Tags[j] = t
			}
		case "twitter":
			if s.API == "" {
				s.API = "v2"
			}
			if s.API != "v1.1" && s.API != "v2" {
				return configError(f, s.line, field("api"), "%q is not v1.1 or v2", s.API)
			}
		case "replay":
			if len(s.Files) == 0 {
				return configError(f, s.line, field("files"), "at least one file is required")
			}
			for j, name := range s.Files {
				if _, err := os.Stat(name); err != nil {
					return configError(f, s.line, fmt.Sprintf("%s[%d]", field("files"), j), "cannot read %s: %v", name, errors.Unwrap(err))
				}
			}
			if s.Speed < 0 {
				return configError(f, s.line, field("speed"), "must not be negative")
			}
		}
	}
	if a := c.Alerts.MaxAge; a < 0 || a > 0 && a < time.Minute {
		return configError(f, c.Alerts.maxLine, "alerts.max_age", "%s is below the 1m minimum", a)
	}
	for i, w := range c.Alerts.Webhooks {
		field := func(name string) string { return fmt.Sprintf("alerts.webhooks[%d].%s", i, name) }
		if err := checkURL(w.URL, []string{"http", "https"}); err != nil {
			return configError(f, w.line, field("url"), "%v", err)
		}
		switch w.Format {
		case "":
			c.Alerts.Webhooks[i].Format = "json"
		case "json", "slack":
		default:
			return configError(f, w.line, field("format"), "%q is not json or slack", w.Format)
		}
	}
	return nil
}

func checkURL(raw string, schemes []string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if !slices.Contains(schemes, u.Scheme) || u.Host == "" {
		return fmt.Errorf("%q must be an absolute %s URL", raw, strings.Join(schemes, "/"))
	}
	return nil
}

func defaultSourceName(s sourceConfig) string {
	switch s.Type {
	case "twitter":
		return "twitter"
	case "replay":
		return "replay"
	}
	u, err := url.Parse(s.URL)
	if err != nil || u.Host == "" {
		return s.Type
	}
	return s.Type + ":" + u.Host
}
