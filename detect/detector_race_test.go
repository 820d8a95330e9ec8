//go:build race

package detect

// detRace is set under the race detector, where the long evaluation matrices (simulated
// days, real tweets) shrink to one case each: the race detector checks the code paths,
// the full matrices check the figures.
const detRace = true

// RaceEnabled exports detRace to the external test package (test binaries only).
const RaceEnabled = detRace
