package bluesky

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// PostCollection is the NSID of Bluesky posts, the collection Jetstream is asked for by
// default and the only one decoded into posts.
const PostCollection = "app.bsky.feed.post"

// maxFuture is how far past its Jetstream time a record's self-declared createdAt may lie
// before it is distrusted: clients set createdAt freely, and a post dated next year would
// otherwise sit in a future bucket forever.
const maxFuture = 5 * time.Minute

// event is the subset of a Jetstream event that Outcry reads. The documented shapes are
//
//	{"did":"did:plc:...","time_us":1725911162329308,"kind":"commit",
//	 "commit":{"rev":"...","operation":"create","collection":"app.bsky.feed.post",
//	           "rkey":"3l3qo2vutsw2b","cid":"bafy...","record":{"$type":"app.bsky.feed.post",
//	           "text":"...","langs":["en"],"createdAt":"2024-09-09T19:46:02.102Z",...}}}
//	{"did":"...","time_us":...,"kind":"identity","identity":{...}}
//	{"did":"...","time_us":...,"kind":"account","account":{...}}
type event struct {
	Did    string  `json:"did"`
	TimeUS int64   `json:"time_us"`
	Kind   string  `json:"kind"`
	Commit *commit `json:"commit"`
}

type commit struct {
	Operation  string  `json:"operation"`
	Collection string  `json:"collection"`
	Rkey       string  `json:"rkey"`
	Cid        string  `json:"cid"`
	Record     *record `json:"record"`
}

type record struct {
	Type      string   `json:"$type"`
	Text      string   `json:"text"`
	Langs     []string `json:"langs"`
	CreatedAt string   `json:"createdAt"`
}

// outcome classifies one decoded message.
type outcome int

const (
	outPost      outcome = iota // a new post
	outIgnored                  // a valid event that is not a post create (identity, delete, like, ...)
	outMalformed                // not a Jetstream event at all
)

var errMalformed = errors.New("malformed jetstream event")

// decodeEvent turns one Jetstream message into a post. It returns the event's time_us
// (0 when unknown) and what kind of message it was; p is filled only for outPost.
func decodeEvent(msg []byte, source string, fetched time.Time, p *outcry.Post) (int64, outcome) {
	var ev event
	if err := json.Unmarshal(msg, &ev); err != nil {
		return 0, outMalformed
	}
	if ev.TimeUS <= 0 || ev.Did == "" || ev.Kind == "" {
		return 0, outMalformed
	}
	if ev.Kind != "commit" {
		return ev.TimeUS, outIgnored
	}
	c := ev.Commit
	if c == nil {
		return ev.TimeUS, outMalformed
	}
	if c.Operation != "create" || c.Collection != PostCollection {
		return ev.TimeUS, outIgnored
	}
	if err := postFromCommit(ev.Did, ev.TimeUS, c, source, fetched, p); err != nil {
		return ev.TimeUS, outMalformed
	}
	if strings.TrimSpace(p.Text) == "" {
		// Image-only posts carry nothing the matcher could read.
		return ev.TimeUS, outIgnored
	}
	return ev.TimeUS, outPost
}

func postFromCommit(did string, timeUS int64, c *commit, source string, fetched time.Time, p *outcry.Post) error {
	if c.Rkey == "" || c.Record == nil || strings.ContainsAny(c.Rkey, "/ ") || !strings.HasPrefix(did, "did:") {
		return errMalformed
	}
	seen := time.UnixMicro(timeUS).UTC()
	created := seen
	if c.Record.CreatedAt != "" {
		if t, err := time.Parse(time.RFC3339Nano, c.Record.CreatedAt); err == nil && !t.After(seen.Add(maxFuture)) {
			created = t.UTC()
		}
	}
	lang := ""
	if len(c.Record.Langs) > 0 {
		lang = normLang(c.Record.Langs[0])
	}
	*p = outcry.Post{
		ID:        "bsky:at://" + did + "/" + PostCollection + "/" + c.Rkey,
		Source:    source,
		Author:    did,
		Text:      strings.ToValidUTF8(c.Record.Text, "\uFFFD"),
		Lang:      lang,
		URL:       "https://bsky.app/profile/" + did + "/post/" + c.Rkey,
		CreatedAt: created,
		FetchedAt: fetched,
	}
	return nil
}

// normLang reduces a BCP 47 tag to its lowercase primary subtag ("pt-BR" -> "pt"), the form
// every source reports, so language facets do not split; "und" and garbage become "".
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
