//go:build !race

package detect

// detRace is set under the race detector; see detector_race_test.go.
const detRace = false

// RaceEnabled exports detRace to the external test package (test binaries only).
const RaceEnabled = detRace
