//go:build !race

package main

// storesRace reports that the race detector is on.
const storesRace = false
