package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/detect"
	"github.com/outcry/outcry/index"
)

const defaultDataDir = "./outcry-data"

// loadCatalog returns the built-in catalog merged with the config's services.
func loadCatalog(cfg *config) (*detect.Catalog, error) {
	cat := detect.DefaultCatalog()
	if cfg == nil {
		return cat, nil
	}
	if len(cfg.Services) > 0 {
		merged, err := cat.Merge(cfg.Services)
		if err != nil {
			return nil, fmt.Errorf("%s: services: %w", cfg.path, err)
		}
		cat = merged
	}
	// Service ids the alerts name must exist: a typo would mute nothing, or route
	// nothing to a hook, without a word.
	known := func(id string) bool {
		for _, s := range cat.Services() {
			if s.ID == id {
				return true
			}
		}
		return false
	}
	for i, id := range cfg.Alerts.Mute {
		if !known(id) {
			return nil, configError(cfg.path, 0, fmt.Sprintf("alerts.mute[%d]", i), "%q is not a catalog service id", id)
		}
	}
	for i, w := range cfg.Alerts.Webhooks {
		for j, id := range w.Services {
			if !known(id) {
				return nil, configError(cfg.path, w.line, fmt.Sprintf("alerts.webhooks[%d].services[%d]", i, j), "%q is not a catalog service id", id)
			}
		}
	}
	return cat, nil
}

// store is the opened index plus the data directory's lock, released by Close.
type store struct {
	*index.Index
	lock *os.File
}

// Close flushes and closes the index, then releases the directory lock.
func (s *store) Close() error {
	err := s.Index.Close()
	if s.lock != nil {
		s.lock.Close() // closing the descriptor releases the flock
		s.lock = nil
	}
	return err
}

// openIndex opens the index in dir, holding an exclusive lock on the directory so a
// second process fails at once with a clear message instead of waiting on Bleve's own
// lock. mustExist refuses to create an empty data directory, so a mistyped --data is an
// error rather than an empty result.
func openIndex(dir string, mustExist bool, log *slog.Logger) (*store, error) {
	cfg := index.DefaultConfig()
	cfg.Logger = log
	return openIndexConfig(dir, mustExist, cfg)
}

func openIndexConfig(dir string, mustExist bool, cfg index.Config) (*store, error) {
	return openIndexWith(dir, mustExist, cfg, nil)
}

// openIndexWith is openIndexConfig with a step run once the directory's lock is held
// and before the index is opened (the demo wipes its directory there, so a second
// process can never wipe a directory another one is using).
func openIndexWith(dir string, mustExist bool, cfg index.Config, locked func() error) (*store, error) {
	if mustExist {
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no data in %s (run 'outcry import' or 'outcry serve' first, or pass --data): %w", dir, outcry.ErrInvalid)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, dataDirError(dir, err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, dataDirError(dir, err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s is in use by another outcry process (serve or import); stop it first, or read through its API", dir)
		}
		return nil, fmt.Errorf("data directory %s: lock: %w", dir, err)
	}
	if locked != nil {
		if err := locked(); err != nil {
			lock.Close()
			return nil, err
		}
	}
	ix, err := index.Open(dir, cfg)
	if err != nil {
		lock.Close()
		if errors.Is(err, index.ErrDamaged) {
			return nil, fmt.Errorf("open index %s: %w; nothing was changed: restore a copy of %s, or move it aside and import again", dir, err, dir)
		}
		if msg := err.Error(); strings.Contains(msg, "error parsing mapping JSON") {
			// Bleve echoes the whole stored mapping; the first clause is the news.
			if i := strings.Index(msg, "mapping contents"); i > 0 {
				msg = strings.TrimSpace(msg[:i])
			}
			return nil, fmt.Errorf("open index %s: cannot read its mapping: the index is damaged or was written by an incompatible outcry version (%s); restore a copy of %s or import into a new --data directory", dir, msg, dir)
		}
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return &store{Index: ix, lock: lock}, nil
}

// dataDirError explains a data directory that cannot be written: every command keeps
// its lock and index there, so a read-only one is refused at start.
func dataDirError(dir string, err error) error {
	if errors.Is(err, syscall.EROFS) || errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("data directory %s is not writable (%w): outcry keeps its index and lock there; pass --data with a writable directory", dir, err)
	}
	return fmt.Errorf("data directory %s: %w", dir, err)
}

// matchSink matches posts against the catalog before they reach the index: the
// ingest.Sink that cmd wires between sources and storage. With keepAll false only posts
// naming a catalog service are stored (a firehose is mostly unrelated chatter).
type matchSink struct {
	matcher *detect.Matcher
	index   *store
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
	n, err := s.index.AddPosts(ctx, source, kept, cursor)
	if err == nil {
		// Queued, but the index cannot write (disk full, read-only): say so now rather
		// than once its queue is full, so the source's health shows the disk problem.
		// The posts stay queued, and delivering them again is a no-op.
		if werr := s.index.WriteError(); werr != nil {
			err = fmt.Errorf("posts queued but not yet written: %w", werr)
		}
	}
	return n, err
}
