package twitter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/outcry/outcry"
)

// v2Response is the part of a GET /2/tweets/search/recent response Outcry reads.
type v2Response struct {
	Data     []v2Tweet `json:"data"`
	Includes struct {
		Users  []v2User  `json:"users"`
		Tweets []v2Tweet `json:"tweets"`
	} `json:"includes"`
	Meta struct {
		NewestID    string `json:"newest_id"`
		OldestID    string `json:"oldest_id"`
		ResultCount int    `json:"result_count"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
}

type v2Tweet struct {
	ID               string `json:"id"`
	Text             string `json:"text"`
	CreatedAt        string `json:"created_at"`
	Lang             string `json:"lang"`
	AuthorID         string `json:"author_id"`
	ReferencedTweets []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	NoteTweet *struct {
		Text string `json:"text"`
	} `json:"note_tweet"`
}

type v2User struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// v2 request fields: the original of a retweet and its author come as expansions, and
// note_tweet holds the full text of posts longer than 280 characters.
const (
	v2TweetFields = "created_at,lang,author_id,referenced_tweets,note_tweet"
	v2Expansions  = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
	v2UserFields  = "username"
)

// fetchV2 runs v2 recent search, paging with next_token. A since_id X rejects (it only
// accepts ids from the last 7 days) is dropped once and the search repeated without it.
func (s *Search) fetchV2(ctx context.Context, since string) ([]outcry.Post, string, error) {
	posts, newest, err := s.searchV2(ctx, since)
	var bad *sinceIDError
	if since != "" && errors.As(err, &bad) {
		s.log.Warn("X rejected the cursor as since_id; searching its recent window instead", "cursor", since, "err", bad.msg)
		posts, newest, err = s.searchV2(ctx, "")
		if err == nil && idLess(newest, since) {
			newest = since
		}
	}
	return posts, newest, err
}

type sinceIDError struct{ msg string }

func (e *sinceIDError) Error() string { return "twitter: since_id rejected: " + e.msg }

func (s *Search) searchV2(ctx context.Context, since string) ([]outcry.Post, string, error) {
	tr, hc := s.transport(ctx)
	endpoint := s.base.JoinPath("2/tweets/search/recent")
	q := url.Values{
		"query":        {s.query},
		"max_results":  {strconv.Itoa(s.cfg.MaxResults)},
		"tweet.fields": {v2TweetFields},
		"expansions":   {v2Expansions},
		"user.fields":  {v2UserFields},
	}
	if since != "" {
		q.Set("since_id", since)
	}
	newest := since
	var posts []outcry.Post
	seen := map[string]bool{}
	for page := 0; ; page++ {
		endpoint.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint.String(), nil)
		if err != nil {
			return nil, "", fmt.Errorf("twitter: %w", err)
		}
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return nil, "", fmt.Errorf("twitter: GET %s: %w", redact(endpoint), err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		u, _ := tr.last()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			if resp.StatusCode == http.StatusBadRequest && since != "" && strings.Contains(string(body), "since_id") {
				return nil, "", &sinceIDError{msg: truncate(string(body), 256)}
			}
			return nil, "", s.statusError(u, resp.StatusCode, resp.Header, string(body))
		}
		if err != nil {
			return nil, "", fmt.Errorf("twitter: GET %s: %w", u, err)
		}
		var res v2Response
		if err := json.Unmarshal(body, &res); err != nil {
			return nil, "", fmt.Errorf("twitter: decode %s: %w", u, err)
		}
		now := s.cfg.Now().UTC()
		ps := s.v2Posts(&res, now)
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				posts = append(posts, p)
			}
		}
		if id := res.Meta.NewestID; isID(id) && idLess(newest, id) {
			newest = id
		}
		for _, tw := range res.Data {
			if isID(tw.ID) && idLess(newest, tw.ID) {
				newest = tw.ID
			}
		}
		if s.noteRateLimit(resp.Header) || res.Meta.NextToken == "" || len(res.Data) == 0 {
			break
		}
		if page+1 >= s.cfg.MaxPages {
			s.log.Warn("more new posts than max pages; the oldest are skipped", "pages", s.cfg.MaxPages)
			break
		}
		q.Set("next_token", res.Meta.NextToken)
	}
	return posts, newest, nil
}

// v2Posts maps a response page to posts; a retweet stands for its original when X
// included it.
func (s *Search) v2Posts(res *v2Response, fetched time.Time) []outcry.Post {
	users := make(map[string]string, len(res.Includes.Users))
	for _, u := range res.Includes.Users {
		users[u.ID] = u.Username
	}
	included := make(map[string]*v2Tweet, len(res.Includes.Tweets))
	for i := range res.Includes.Tweets {
		included[res.Includes.Tweets[i].ID] = &res.Includes.Tweets[i]
	}
	posts := make([]outcry.Post, 0, len(res.Data))
	for i := range res.Data {
		tw := &res.Data[i]
		for _, ref := range tw.ReferencedTweets {
			if ref.Type == "retweeted" {
				if orig := included[ref.ID]; orig != nil {
					tw = orig
				}
				break
			}
		}
		if !isID(tw.ID) {
			continue
		}
		text := tw.Text
		if tw.NoteTweet != nil && tw.NoteTweet.Text != "" {
			text = tw.NoteTweet.Text
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		created, err := time.Parse(time.RFC3339Nano, tw.CreatedAt)
		if err != nil {
			created = time.Time{}
		}
		posts = append(posts, s.makePost(tw.ID, users[tw.AuthorID], text, tw.Lang, created, fetched))
	}
	return posts
}
