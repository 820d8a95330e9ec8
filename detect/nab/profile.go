package nab

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/outcry/outcry"
)

// Profile names used by NAB's config/profiles.json.
const (
	Standard        = "standard"
	RewardLowFPRate = "reward_low_FP_rate"
	RewardLowFNRate = "reward_low_FN_rate"
)

// Profile is one NAB cost profile: the weights A_TP, A_FP, A_TN (unused by the scorer) and
// A_FN applied to detections.
type Profile struct {
	Name           string
	TP, FP, TN, FN float64
}

// DefaultProfiles returns NAB's three shipped profiles, in the order standard,
// reward_low_FP_rate, reward_low_FN_rate.
func DefaultProfiles() []Profile {
	return []Profile{
		{Name: Standard, TP: 1, FP: 0.11, TN: 1, FN: 1},
		{Name: RewardLowFPRate, TP: 1, FP: 0.22, TN: 1, FN: 1},
		{Name: RewardLowFNRate, TP: 1, FP: 0.11, TN: 1, FN: 2},
	}
}

// LoadProfiles reads dir/config/profiles.json. Profiles come back in NAB's order (standard,
// reward_low_FP_rate, reward_low_FN_rate), then any other profile by name.
func LoadProfiles(dir string) ([]Profile, error) {
	p := filepath.Join(dir, "config", "profiles.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("nab: read profiles: %w", err)
	}
	var raw map[string]struct {
		CostMatrix *struct {
			TP *float64 `json:"tpWeight"`
			FP *float64 `json:"fpWeight"`
			TN *float64 `json:"tnWeight"`
			FN *float64 `json:"fnWeight"`
		}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("nab: parse %s: %w: %w", p, outcry.ErrInvalid, err)
	}
	var out []Profile
	for name, v := range raw {
		m := v.CostMatrix
		if m == nil || m.TP == nil || m.FP == nil || m.FN == nil {
			return nil, fmt.Errorf("nab: %s: profile %q lacks CostMatrix tpWeight, fpWeight or fnWeight: %w", p, name, outcry.ErrInvalid)
		}
		pr := Profile{Name: name, TP: *m.TP, FP: *m.FP, FN: *m.FN}
		if m.TN != nil {
			pr.TN = *m.TN
		}
		if err := pr.validate(); err != nil {
			return nil, fmt.Errorf("nab: %s: %w", p, err)
		}
		out = append(out, pr)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nab: %s: no profiles: %w", p, outcry.ErrInvalid)
	}
	sortProfiles(out)
	return out, nil
}

func (p Profile) validate() error {
	for _, w := range []float64{p.TP, p.FP, p.FN} {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("profile %q: weights must be finite and >= 0: %w", p.Name, outcry.ErrInvalid)
		}
	}
	if p.TP == 0 {
		return fmt.Errorf("profile %q: tpWeight must be > 0: %w", p.Name, outcry.ErrInvalid)
	}
	return nil
}

// profileRank orders NAB's profiles first.
func profileRank(name string) int {
	switch name {
	case Standard:
		return 0
	case RewardLowFPRate:
		return 1
	case RewardLowFNRate:
		return 2
	}
	return 3
}

func sortProfiles(ps []Profile) {
	slices.SortFunc(ps, func(a, b Profile) int {
		if d := profileRank(a.Name) - profileRank(b.Name); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// shortProfile is the key used by Report.JSON: "reward_low_FP_rate" -> "reward_low_FP".
func shortProfile(name string) string { return strings.TrimSuffix(name, "_rate") }
