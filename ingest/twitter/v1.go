package twitter

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	//lint:ignore SA1019 issue 3 asks for go-twitter on v1.1; the archived library still speaks it.
	gotwitter "github.com/dghubble/go-twitter/twitter"
	"github.com/outcry/outcry"
)

// fetchV1 runs the v1.1 standard search (search/tweets.json, result_type=recent,
// tweet_mode=extended) through go-twitter, paging back with next_results' max_id.
func (s *Search) fetchV1(ctx context.Context, since string) ([]outcry.Post, string, error) {
	tr, hc := s.transport(ctx)
	client := gotwitter.NewClient(hc)
	params := &gotwitter.SearchTweetParams{
		Query:           s.query,
		ResultType:      "recent",
		Count:           s.cfg.MaxResults,
		TweetMode:       "extended",
		IncludeEntities: gotwitter.Bool(false),
	}
	if since != "" {
		params.SinceID, _ = strconv.ParseInt(since, 10, 64)
	}
	newest := since
	var posts []outcry.Post
	seen := map[string]bool{}
	for page := 0; ; page++ {
		res, resp, err := client.Search.Tweets(params)
		u, head := tr.last()
		if resp != nil && (resp.StatusCode < 200 || resp.StatusCode > 299) {
			return nil, "", s.statusError(u, resp.StatusCode, resp.Header, head)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, "", fmt.Errorf("twitter: search %s: %w", u, ctx.Err())
			}
			return nil, "", fmt.Errorf("twitter: search %s: %w", u, err)
		}
		now := s.cfg.Now().UTC()
		for i := range res.Statuses {
			tw := &res.Statuses[i]
			if id := tweetID(tw); id != "" && idLess(newest, id) {
				newest = id
			}
			p, ok := s.v1Post(tw, now)
			if !ok || seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			posts = append(posts, p)
		}
		if s.noteRateLimit(resp.Header) || res.Metadata == nil || res.Metadata.NextResults == "" || len(res.Statuses) == 0 {
			break
		}
		maxID := nextMaxID(res.Metadata.NextResults)
		if maxID <= 0 {
			break
		}
		if page+1 >= s.cfg.MaxPages {
			s.log.Warn("more new posts than max pages; the oldest are skipped", "pages", s.cfg.MaxPages)
			break
		}
		params.MaxID = maxID
	}
	return posts, newest, nil
}

func nextMaxID(next string) int64 {
	q, err := url.ParseQuery(trimQuestion(next))
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseInt(q.Get("max_id"), 10, 64)
	return v
}

func trimQuestion(s string) string {
	if len(s) > 0 && s[0] == '?' {
		return s[1:]
	}
	return s
}

func tweetID(tw *gotwitter.Tweet) string {
	if tw.IDStr != "" {
		return tw.IDStr
	}
	if tw.ID > 0 {
		return strconv.FormatInt(tw.ID, 10)
	}
	return ""
}

// v1Post maps a v1.1 tweet; a retweet stands for the original, as on Mastodon.
func (s *Search) v1Post(tw *gotwitter.Tweet, fetched time.Time) (outcry.Post, bool) {
	if tw.RetweetedStatus != nil {
		tw = tw.RetweetedStatus
	}
	id := tweetID(tw)
	if !isID(id) {
		return outcry.Post{}, false
	}
	text := tw.FullText
	if tw.ExtendedTweet != nil && tw.ExtendedTweet.FullText != "" {
		text = tw.ExtendedTweet.FullText
	}
	if text == "" {
		text = tw.Text
	}
	if text == "" {
		return outcry.Post{}, false
	}
	created, err := tw.CreatedAtTime()
	if err != nil {
		created = time.Time{}
	}
	user := ""
	if tw.User != nil {
		user = tw.User.ScreenName
	}
	return s.makePost(id, user, text, tw.Lang, created, fetched), true
}
