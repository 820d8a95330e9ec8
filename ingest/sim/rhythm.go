package sim

import "math"

// The daily rhythm: posts come from people in several regions, each awake on its own
// local clock. A service's activity at a UTC minute is the sum over regions of the
// region's share of its audience times the local-hour curve of the service's profile,
// normalised so that the day's mean is 1. The region that "posts" also picks the language.

// region is a population of users in one time zone with its language mix.
type region struct {
	name   string
	offset float64 // hours from UTC in June (summer time where it applies)
	weight float64 // share of all posting users
	langs  []string
	shares []float64
}

func regions() []region {
	return []region{
		{"us-east", -4, 0.29, []string{"en", "es"}, []float64{0.93, 0.07}},
		{"us-west", -7, 0.12, []string{"en", "es"}, []float64{0.86, 0.14}},
		{"mexico", -6, 0.04, []string{"es", "en"}, []float64{0.9, 0.1}},
		{"brazil", -3, 0.07, []string{"pt", "en"}, []float64{0.92, 0.08}},
		{"uk", 1, 0.08, []string{"en"}, []float64{1}},
		{"western-europe", 2, 0.19, []string{"fr", "de", "it", "es", "en"}, []float64{0.30, 0.27, 0.17, 0.14, 0.12}},
		{"india", 5.5, 0.07, []string{"en"}, []float64{1}},
		{"southeast-asia", 8, 0.04, []string{"en"}, []float64{1}},
		{"japan", 9, 0.07, []string{"ja", "en"}, []float64{0.95, 0.05}},
		{"australia", 10, 0.03, []string{"en"}, []float64{1}},
	}
}

// Activity profiles by local hour (0..23), relative to the profile's peak.
const (
	profileGeneral = iota // consumer apps: flat day, evening peak
	profileWork           // office tools: 9-to-5
	profileLeisure        // media and games: evenings
	numProfiles
)

func profileCurves() [numProfiles][24]float64 {
	return [numProfiles][24]float64{
		profileGeneral: {0.50, 0.34, 0.23, 0.16, 0.13, 0.14, 0.22, 0.38, 0.57, 0.73, 0.84, 0.91,
			0.95, 0.96, 0.95, 0.94, 0.94, 0.95, 0.97, 1.00, 0.99, 0.93, 0.82, 0.67},
		profileWork: {0.22, 0.13, 0.09, 0.07, 0.06, 0.08, 0.15, 0.35, 0.70, 0.95, 1.00, 0.98,
			0.88, 0.93, 0.97, 0.94, 0.85, 0.70, 0.52, 0.44, 0.42, 0.40, 0.35, 0.28},
		profileLeisure: {0.70, 0.50, 0.33, 0.20, 0.13, 0.10, 0.12, 0.20, 0.30, 0.38, 0.45, 0.52,
			0.58, 0.60, 0.60, 0.62, 0.66, 0.72, 0.82, 0.93, 1.00, 0.99, 0.92, 0.82},
	}
}

// curveAt interpolates a 24-hour curve at a fractional local hour.
func curveAt(c *[24]float64, hour float64) float64 {
	hour = math.Mod(hour, 24)
	if hour < 0 {
		hour += 24
	}
	i := int(hour)
	f := hour - float64(i)
	return c[i]*(1-f) + c[(i+1)%24]*f
}

// rhythm holds, for every service, its activity per minute of the day (mean 1) and the
// raw per-region weights used to draw the region (and so the language) of a post.
type rhythm struct {
	regions []region
	langs   []weighted // per region: language table
	langIdx [][]int    // per region: language indexes, in the order of region.langs
	// act[s][m] is service s's activity at minute m, mean 1 over the day.
	act [][]float64
	// reg[s][m*len(regions)+r] is region r's unnormalised weight for service s at minute m.
	reg [][]float64
}

// newRhythm precomputes the day for the given services (minutes = length of the day).
func newRhythm(svcs []*serviceSpec, minutes int) *rhythm {
	rs := regions()
	curves := profileCurves()
	rh := &rhythm{regions: rs, act: make([][]float64, len(svcs)), reg: make([][]float64, len(svcs))}
	for _, r := range rs {
		rh.langs = append(rh.langs, newWeighted(r.shares))
		idx := make([]int, len(r.langs))
		for i, code := range r.langs {
			idx[i] = langIndex(code)
		}
		rh.langIdx = append(rh.langIdx, idx)
	}
	for s, svc := range svcs {
		act := make([]float64, minutes)
		reg := make([]float64, minutes*len(rs))
		sum := 0.0
		for m := range minutes {
			utcHour := float64(m%1440) / 60
			total := 0.0
			for ri, r := range rs {
				w := r.weight * svc.tilt(r.name) * curveAt(&curves[svc.profile], utcHour+r.offset)
				reg[m*len(rs)+ri] = w
				total += w
			}
			act[m] = total
			sum += total
		}
		mean := sum / float64(minutes)
		for m := range act {
			act[m] /= mean
		}
		rh.act[s], rh.reg[s] = act, reg
	}
	return rh
}

// lang draws the language (index) of a post about service s at minute m.
func (rh *rhythm) lang(r *rng, s, m int) int {
	n := len(rh.regions)
	w := rh.reg[s][m*n : (m+1)*n]
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.float() * total
	ri := n - 1
	for i, v := range w {
		if x < v {
			ri = i
			break
		}
		x -= v
	}
	return rh.langIdx[ri][rh.langs[ri].pick(r)]
}
