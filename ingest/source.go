// Package ingest owns getting posts and official status incidents into Outcry: the
// source contracts, the Runner that polls or streams each source with its own timeout,
// backoff with jitter and health, and the shared HTTP fetching rules (size caps,
// Retry-After, conditional GET). One subpackage per source adapter.
//
// ingest depends on the root package only; it never imports detect, index or dashboard.
// Matching and storage happen behind the Sink interface that cmd/outcry provides.
package ingest

import (
	"context"

	"github.com/outcry/outcry"
)

// Source fetches posts newer than the cursor it was handed and returns the next cursor.
// An empty cursor means "from the start" (whatever recent window the API gives).
// Implementations honour ctx and need not be safe for concurrent use.
type Source interface {
	Fetch(ctx context.Context, cursor string) (posts []outcry.Post, next string, err error)
}

// OfficialSource fetches a vendor's official status incidents (not posts). The cursor is
// opaque to the runner (e.g. an ETag or the newest update time).
type OfficialSource interface {
	FetchOfficial(ctx context.Context, cursor string) (incidents []outcry.OfficialIncident, next string, err error)
}

// Emit hands a batch of posts and the cursor that follows them to the runner. It blocks
// while the consumer is busy, which is how a stream gets backpressure and bounded memory.
// An error from Emit is fatal to the current Stream call.
type Emit func(ctx context.Context, posts []outcry.Post, next string) error

// Streamer delivers posts continuously from cursor (e.g. a Jetstream time_us) by calling
// emit in order. It returns when ctx is cancelled (nil) or the connection fails (error);
// the runner then reconnects with backoff from the last cursor emit accepted.
type Streamer interface {
	Stream(ctx context.Context, cursor string, emit Emit) error
}

// Sink stores what sources produce. AddPosts must persist cursor only together with or
// after the posts it covers, so a crash never skips posts; storing a post already stored
// is a no-op. It returns how many posts were new and matched a catalog service.
type Sink interface {
	AddPosts(ctx context.Context, source string, posts []outcry.Post, cursor string) (stored int, err error)
}

// OfficialSink stores official status incidents, replacing earlier versions by ID.
type OfficialSink interface {
	RecordOfficial(ctx context.Context, source string, incidents []outcry.OfficialIncident, cursor string) error
}

// Cursors reads the cursor last persisted for a source ("" when none).
type Cursors interface {
	Cursor(source string) (string, error)
}
