// Package index is Outcry's storage: one embedded Bleve v2 (scorch) index under
// DIR/posts.bleve holding the posts, the per-service per-minute counts, source
// cursors, detected incidents, correlated events, official status incidents and
// small state blobs. It is the only package that imports Bleve and depends on the
// root package only; *Index satisfies ingest.Sink, ingest.OfficialSink,
// ingest.Cursors and the readers detect and dashboard declare, without importing them.
//
// # Durability
//
// Every write is one Bleve batch; Open configures scorch with unsafe_batch=false, so
// Batch returns only after the new segment file and Bleve's root (bolt) file are
// written and fsynced. "Durable" means exactly that: a write that returned nil
// survives SIGKILL or power loss; one that did not return may or may not be there,
// whole or not at all. AddPosts queues; Flush (or BatchSize, the background flusher,
// Close) writes. A flush writes, in the same batch: the posts, the counts and
// author documents they change, the stats and the cursors. So after a crash, counts
// always equal a recount of the stored posts (Recount checks it) and a cursor is
// never ahead of its posts. Posts are idempotent by ID: AddPosts checks the index and
// the queue, so re-adding (or re-delivering after a restart) changes nothing.
// A batch that fails (disk full, read-only) is kept queued and retried by the next
// flush; AddPosts refuses new posts once 4 batches are queued. Before each batch the
// file system is checked: read-only, or less free space than Config.MinFreeBytes
// (64 MiB) plus the index's size (room for Bleve's merges), refuses the write with ErrReadOnly or ErrDiskFull without calling Bleve, whose own
// failure path is unsafe (it closes a segment its snapshot still uses; see disk.go). A
// write that fails anyway reopens Bleve at its last durable state. WriteError reports
// the last failure until a flush succeeds.
//
// Bleve keeps internal (SetInternal) values in memory and rewrites all of them into
// its root file on every batch, so only small values live there (cursors, stats).
// Everything that grows is a stored document with an id starting with NUL (post ids
// may not): counts per service per UTC day (varint minutes), distinct complaining
// author hashes per service per UTC hour (a flush rewrites only the hours it
// touches), incidents, events, official incidents and state.
//
// # Mapping
//
// Documents are built directly (no reflection, no _all field, nothing dynamic):
//   - text: analysed, with term vectors (phrases, highlights). Analyzers keep stop
//     words ("down", "not", "no", "en", "pas"): Unicode segmentation, full-width
//     folding, lowercase, CJK bigrams (so "落ちてる" is findable), and, for en, fr, es,
//     de, pt and it, Bleve's stemmer for that language (its analyzer minus the stop
//     filter). Per-language analysis is per document: each post's text is indexed
//     with its own language's analyzer, and a query word expands to its distinct
//     analyses under every analyzer (usually 1-3 terms). This was chosen over an
//     extra stemmed field (a second inverted field for every post) because it costs
//     only the stemming: measured 82 vs 79 µs CPU per post (+4%) against indexing
//     every post with the plain analyzer, no measurable change in posts/s; the price
//     is a few more terms per query word. ASCII texts skip the CJK filters.
//   - fx: one field of prefixed exact terms — services (s:), source (o:), lang (l:),
//     problems (p:) and the created_at second (!, sortable) — with uncompressed,
//     unchunked docvalues: facets, the histogram and the newest-first sort read one
//     docvalue per hit (separate compressed fields cost twice the search time).
//   - t: created_at as 8 terms (4096-day ... second); a time range is a union of a
//     few of them, executed as one bitmap. Bleve's datetime field indexes 16 terms
//     plus 16 docvalues per post and was the largest indexing cost (about 45 of
//     110 µs per post).
//   - affected, author (exact terms), flags (complaint, recovery, switching), and
//     post: the post's JSON, stored only.
//
// # Queries
//
// Search accepts Bleve's query-string syntax with one change: without any "+",
// every clause is required (`chatgpt down` = both words). Fields are checked;
// wildcards and regexps need 2 literal leading characters and at most 64 bytes; a
// query may expand to at most 4096 terms and run 10 s. Large searches run in two
// time partitions on two goroutines and are merged (same results). Counts reads the
// per-day documents through a 512-day LRU cache and never scans posts.
//
// # Figures (2-core shared VM, Xeon, go1.26, medians of runs under load 2-4)
//
// BenchmarkAddPosts, 1M posts (~120-byte text, 1-2 services, 20% complaints):
// 11,100 posts/s, 89 µs CPU/post, peak RSS 313 MB; a bare Bleve batch indexer with
// a one-field mapping on the same posts: 28,200 posts/s, 38 µs CPU/post (ratio
// 0.40). BenchmarkSearch over 1M posts in 24 h, "chatgpt down" (43,678 hits) with
// facets and an hourly histogram: p50 22 ms, p99 31-62 ms depending on whether the
// second core is free (41 ms CPU per query). BenchmarkCounts, 30 days of one
// service: 2 ms from cache, 4.6 ms from disk.
package index
