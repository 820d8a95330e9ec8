//go:build race

package main

// storesRace reports that the race detector is on: it slows Bleve indexing several
// times over, so the store comparison runs fewer simulated days.
const storesRace = true
