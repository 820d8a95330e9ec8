package index

import (
	"context"
	"time"

	"github.com/outcry/outcry"
)

// The shapes the rest of Outcry consumes, declared here (index must not import
// ingest, detect or dashboard) and checked at compile time.
var (
	_ interface {
		AddPosts(ctx context.Context, source string, posts []outcry.Post, cursor string) (int, error)
	} = (*Index)(nil) // ingest.Sink
	_ interface {
		RecordOfficial(ctx context.Context, source string, incidents []outcry.OfficialIncident, cursor string) error
	} = (*Index)(nil) // ingest.OfficialSink
	_ interface {
		Cursor(source string) (string, error)
	} = (*Index)(nil) // ingest.Cursors
	_ interface {
		Counts(ctx context.Context, service string, from, to time.Time) ([]outcry.Bucket, error)
	} = (*Index)(nil) // detect's counter
	_ interface {
		Search(ctx context.Context, r outcry.SearchRequest) (outcry.SearchResult, error)
	} = (*Index)(nil) // dashboard.Searcher
)
