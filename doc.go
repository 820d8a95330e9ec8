// Package outcry holds the domain types shared by every part of Outcry: posts, services,
// per-minute buckets, detector points, incidents, official status incidents and
// correlated events, plus the sentinel errors that map to HTTP statuses and exit codes.
//
// It depends on the standard library only and does no I/O. The pipeline packages
// (ingest, detect, index, dashboard) import it and never each other; cmd/outcry wires them.
package outcry
