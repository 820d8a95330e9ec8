//go:build !race

package detect

// raceEnabled reports that the race detector is on.
const raceEnabled = false
