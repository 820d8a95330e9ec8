package mastodon

import (
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// status is the part of a Mastodon Status entity Outcry reads.
type status struct {
	ID          string  `json:"id"`
	URI         string  `json:"uri"`
	URL         *string `json:"url"`
	CreatedAt   string  `json:"created_at"`
	Content     string  `json:"content"`
	SpoilerText string  `json:"spoiler_text"`
	Language    *string `json:"language"`
	Account     struct {
		Acct string `json:"acct"`
	} `json:"account"`
	Reblog *status `json:"reblog"`
}

// post maps a status to a Post. A reblog stands for its original status, so a boost
// dedupes with the status itself. The ID is "mastodon:" + the status URI, which is the
// same on every instance the status federated to (so polling two instances stores it
// once); a status without URI falls back to its URL, then to "<host>/<local id>". The
// content warning, when present, is kept in front of the content: complaints hide behind
// "CW: outage" too. ok is false for a status without text or creation time.
func (t *Tags) post(st *status, fetched time.Time) (p outcry.Post, ok bool) {
	s := st
	if st.Reblog != nil {
		s = st.Reblog
	}
	created, err := time.Parse(time.RFC3339Nano, s.CreatedAt)
	if err != nil {
		return p, false
	}
	text := htmlText(s.Content)
	if cw := collapse(s.SpoilerText); cw != "" {
		text = strings.TrimSpace(cw + " " + text)
	}
	if text == "" {
		return p, false
	}
	link := ""
	if s.URL != nil {
		link = strings.TrimSpace(*s.URL)
	}
	key := strings.TrimSpace(s.URI)
	switch {
	case key != "":
	case link != "":
		key = link
	case s.ID != "":
		key = t.base.Host + "/" + s.ID
	default:
		return p, false
	}
	if link == "" && strings.HasPrefix(key, "http") {
		link = key
	}
	author := strings.TrimSpace(s.Account.Acct)
	if author != "" && !strings.Contains(author, "@") {
		// Local accounts come without a domain; qualify them so authors stay distinct
		// across instances.
		author += "@" + t.base.Host
	}
	lang := ""
	if s.Language != nil {
		lang = normLang(*s.Language)
	}
	return outcry.Post{
		ID:        "mastodon:" + key,
		Source:    t.cfg.Name,
		Author:    author,
		Text:      text,
		Lang:      lang,
		URL:       link,
		CreatedAt: created.UTC(),
		FetchedAt: fetched,
	}, true
}

// normLang reduces a language tag to its lowercase primary subtag ("pt-BR" -> "pt"), the
// form every source reports; "und" and garbage become "".
func normLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(tag)
	if len(tag) < 2 || len(tag) > 3 || tag == "und" {
		return ""
	}
	for _, r := range tag {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return tag
}
