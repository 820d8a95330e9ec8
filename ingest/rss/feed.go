// Package rss polls RSS, Atom and JSON Feed documents (Reddit subreddit feeds, hnrss,
// Mastodon tag feeds, Google News searches, any feed URL) and turns their items into
// posts. It uses github.com/mmcdole/gofeed for parsing and ingest.Client for fetching, so
// conditional GET, body caps and Retry-After follow the shared rules.
//
// It depends on the root package and ingest only; it knows nothing of matching or storage.
package rss

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest"
)

// MaxText caps a post's text in bytes; longer texts (full articles in content:encoded)
// are cut on a rune boundary and end with "…".
const MaxText = 4000

// Config describes one feed.
type Config struct {
	// Name is the source name; post IDs are "rss:<Name>:<guid, link or hash>".
	Name string
	URL  string
	// Client fetches the feed; nil means a zero ingest.Client.
	Client *ingest.Client
	// Lang is used for items when the feed does not declare a language.
	Lang string
	// Clock stamps items that carry no date; nil means time.Now.
	Clock func() time.Time
}

// Feed is an ingest.Source for one feed URL. It is safe for concurrent use, though the
// runner calls it from one goroutine.
type Feed struct {
	cfg Config
}

var _ ingest.Source = (*Feed)(nil)

// New returns a Feed for cfg.
func New(cfg Config) *Feed {
	if cfg.Client == nil {
		cfg.Client = &ingest.Client{}
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Feed{cfg: cfg}
}

// cursor is the Feed's opaque cursor: conditional-GET validators, a hash of the last
// body (for servers that send no validators) and the newest item time seen.
type cursor struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Hash         string    `json:"hash,omitempty"`
	Newest       time.Time `json:"newest,omitzero"`
}

// decodeCursor reads a cursor; anything unreadable means "start afresh".
func decodeCursor(s string) cursor {
	var c cursor
	if s != "" && json.Unmarshal([]byte(s), &c) != nil {
		return cursor{}
	}
	return c
}

func (c cursor) encode() string {
	if c == (cursor{}) {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

var acceptFeeds = http.Header{"Accept": {"application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"}}

// Fetch downloads the feed (conditionally, with the validators kept in cursor) and
// returns every item as a post; the runner drops the ones it has already seen. A 304,
// or a body identical to the last one, returns no posts and the same cursor. Errors:
// *ingest.StatusError for HTTP failures, ingest.ErrTooLarge past the body cap, and a
// parse error for anything that is not a well-formed feed.
func (f *Feed) Fetch(ctx context.Context, cur string) ([]outcry.Post, string, error) {
	c := decodeCursor(cur)
	resp, err := f.cfg.Client.Get(ctx, f.cfg.URL, acceptFeeds, ingest.Validators{ETag: c.ETag, LastModified: c.LastModified})
	if errors.Is(err, ingest.ErrNotModified) {
		return nil, cur, nil
	}
	if err != nil {
		return nil, cur, fmt.Errorf("rss: %s: %w", f.cfg.Name, err)
	}
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:12])
	next := c
	next.ETag, next.LastModified, next.Hash = resp.Validators.ETag, resp.Validators.LastModified, hash
	if hash == c.Hash {
		return nil, next.encode(), nil
	}
	feed, err := ParseFeed(resp.Body)
	if err != nil {
		return nil, cur, fmt.Errorf("rss: %s: %w", f.cfg.Name, err)
	}
	posts := Posts(f.cfg.Name, f.cfg.URL, f.cfg.Lang, feed, f.cfg.Clock())
	for _, p := range posts {
		if p.CreatedAt.After(next.Newest) {
			next.Newest = p.CreatedAt
		}
	}
	return posts, next.encode(), nil
}

// ParseFeed parses an RSS, Atom or JSON Feed document. Invalid UTF-8 in a UTF-8
// document is replaced rather than rejected; truncated or malformed documents and
// documents that are not feeds return an error.
func ParseFeed(body []byte) (*gofeed.Feed, error) {
	body = cleanUTF8(bytes.TrimPrefix(body, []byte("\ufeff")))
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	return feed, nil
}

// Posts maps every item of feed to a post (see ItemPost), skipping items that yield no
// text and repeats of an ID already mapped. base resolves relative links; lang is the fallback language; now stamps undated
// items.
func Posts(name, base, lang string, feed *gofeed.Feed, now time.Time) []outcry.Post {
	baseURL, _ := url.Parse(base)
	if feed.Link != "" {
		if u, err := url.Parse(feed.Link); err == nil && u.IsAbs() {
			baseURL = u
		}
	}
	feedLang := normLang(feed.Language)
	if feedLang == "" {
		feedLang = normLang(lang)
	}
	posts := make([]outcry.Post, 0, len(feed.Items))
	seen := make(map[string]bool, len(feed.Items))
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		p := ItemPost(name, baseURL, feedLang, it, now)
		if p.Text == "" || seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		posts = append(posts, p)
	}
	return posts
}

// ItemPost maps one feed item to a post:
//   - ID "rss:<name>:<guid>", else the link, else "sha256:" + a hash of title, text and date;
//   - CreatedAt the published time, else the updated time, else now (always UTC);
//   - Author the first author's name (or e-mail), else "@user" from a Mastodon-style link;
//   - Text the title and the content (or summary) as plain text, without repeating a title
//     the summary already contains, whitespace collapsed, at most MaxText bytes;
//   - Lang the item's dc:language, else lang; URL the link if it is http or https.
func ItemPost(name string, base *url.URL, lang string, it *gofeed.Item, now time.Time) outcry.Post {
	title := HTMLText(it.Title)
	body := it.Content
	if strings.TrimSpace(body) == "" {
		body = it.Description
	}
	text := truncate(joinText(title, HTMLText(body)), MaxText)

	link := itemLink(base, it)
	key := collapse(strings.ToValidUTF8(it.GUID, "\uFFFD"))
	if key == "" {
		key = link
	}
	var created time.Time
	switch {
	case it.PublishedParsed != nil:
		created = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		created = *it.UpdatedParsed
	default:
		created = now
	}
	created = created.UTC()
	if key == "" {
		h := sha256.Sum256([]byte(title + "\x00" + text + "\x00" + it.Published + it.Updated))
		key = "sha256:" + hex.EncodeToString(h[:16])
	}
	if l := itemLang(it); l != "" {
		lang = l
	}
	return outcry.Post{
		ID:        "rss:" + name + ":" + key,
		Author:    itemAuthor(it, link),
		Text:      text,
		Lang:      lang,
		URL:       link,
		CreatedAt: created,
	}
}

func itemLink(base *url.URL, it *gofeed.Item) string {
	cands := append([]string{it.Link}, it.Links...)
	if it.GUID != "" && strings.HasPrefix(it.GUID, "http") {
		cands = append(cands, it.GUID)
	}
	for _, l := range cands {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		u, err := url.Parse(l)
		if err != nil {
			continue
		}
		if !u.IsAbs() && base != nil {
			u = base.ResolveReference(u)
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return strings.ToValidUTF8(u.String(), "")
		}
	}
	return ""
}

func itemAuthor(it *gofeed.Item, link string) string {
	for _, a := range it.Authors {
		if a == nil {
			continue
		}
		if n := collapse(strings.ToValidUTF8(a.Name, "\uFFFD")); n != "" {
			return n
		}
		if e := collapse(strings.ToValidUTF8(a.Email, "\uFFFD")); e != "" {
			return e
		}
	}
	if it.DublinCoreExt != nil {
		for _, c := range it.DublinCoreExt.Creator {
			if n := collapse(HTMLText(c)); n != "" {
				return n
			}
		}
	}
	// Mastodon tag feeds carry no author; their links are https://host/@user/id.
	if u, err := url.Parse(link); err == nil {
		for _, seg := range strings.Split(u.Path, "/") {
			if len(seg) > 1 && seg[0] == '@' {
				return seg
			}
		}
	}
	return ""
}

func itemLang(it *gofeed.Item) string {
	if it.DublinCoreExt != nil {
		for _, l := range it.DublinCoreExt.Language {
			if n := normLang(l); n != "" {
				return n
			}
		}
	}
	return ""
}

// normLang keeps the primary subtag of a language tag, lowercased: "en-US" -> "en".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}
