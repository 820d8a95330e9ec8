// Package index is Outcry's storage: one embedded Bleve v2 (scorch) index holding the
// posts, the per-service per-minute counts, source cursors, detected incidents,
// correlated events, official status incidents and small state blobs. It is the only
// package that imports Bleve; it depends on the root package only.
package index
