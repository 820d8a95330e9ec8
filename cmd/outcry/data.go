package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
)

const defaultDataDir = "./outcry-data"

// loadCatalog returns the built-in catalog merged with the config's services.
func loadCatalog(cfg *config) (*detect.Catalog, error) {
	cat := detect.DefaultCatalog()
	if cfg == nil || len(cfg.Services) == 0 {
		return cat, nil
	}
	merged, err := cat.Merge(cfg.Services)
	if err != nil {
		return nil, fmt.Errorf("%s: services: %w", cfg.path, err)
	}
	return merged, nil
}

// openIndex opens the index in dir. readOnly commands refuse to create an empty one, so
// a mistyped --data is an error rather than an empty result.
func openIndex(dir string, mustExist bool, log *slog.Logger) (*index.Index, error) {
	if mustExist {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no data in %s (run 'outcry import' or 'outcry serve' first, or pass --data): %w", dir, outcry.ErrInvalid)
		}
	}
	cfg := index.DefaultConfig()
	cfg.Logger = log
	ix, err := index.Open(dir, cfg)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return ix, nil
}

// matchSink matches posts against the catalog before they reach the index: the
// ingest.Sink that cmd wires between sources and storage. With keepAll false only posts
// naming a catalog service are stored (a firehose is mostly unrelated chatter).
type matchSink struct {
	matcher *detect.Matcher
	index   *index.Index
	keepAll bool
}

func (s *matchSink) AddPosts(ctx context.Context, source string, posts []outcry.Post, cursor string) (int, error) {
	kept := make([]outcry.Post, 0, len(posts))
	for i := range posts {
		p := posts[i]
		s.matcher.Match(&p)
		if s.keepAll || len(p.Services) > 0 {
			kept = append(kept, p)
		}
	}
	return s.index.AddPosts(ctx, source, kept, cursor)
}
