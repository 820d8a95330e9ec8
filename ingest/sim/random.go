package sim

import (
	"hash/fnv"
	"math"
	"math/bits"
	"math/rand/v2"
)

// rng draws every random number the simulator uses from a PCG stream. The samplers
// are written here on top of Uint64 (not rand.Rand's helpers) so the output depends only
// on PCG, whose sequence Go documents as stable: same seed, same posts, on any release.
type rng struct {
	src *rand.PCG
}

// newRNG derives an independent stream from the scenario, the seed and a purpose label,
// so that (for example) the timeline of a day does not change when --scale changes.
func newRNG(scenario string, seed int64, purpose string) *rng {
	h := fnv.New64a()
	h.Write([]byte(scenario))
	h.Write([]byte{0})
	h.Write([]byte(purpose))
	return &rng{src: rand.NewPCG(uint64(seed), h.Sum64())}
}

func (r *rng) u64() uint64 { return r.src.Uint64() }

// float returns a uniform float64 in [0, 1).
func (r *rng) float() float64 { return float64(r.u64()>>11) * 0x1p-53 }

// intn returns a uniform int in [0, n); n must be > 0.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.u64(), uint64(n))
	return int(hi)
}

// between returns a uniform float64 in [lo, hi).
func (r *rng) between(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// normal returns a standard normal deviate (Marsaglia polar method).
func (r *rng) normal() float64 {
	for {
		u := 2*r.float() - 1
		v := 2*r.float() - 1
		s := u*u + v*v
		if s > 0 && s < 1 {
			return u * math.Sqrt(-2*math.Log(s)/s)
		}
	}
}

// gamma returns a Gamma(k, 1) deviate (Marsaglia–Tsang), k > 0.
func (r *rng) gamma(k float64) float64 {
	if k < 1 {
		// Boost: Gamma(k) = Gamma(k+1) * U^(1/k).
		return r.gamma(k+1) * math.Pow(r.float()+0x1p-60, 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.normal()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.float()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if math.Log(u+0x1p-60) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// poisson returns a Poisson(lambda) deviate: multiplication method for small means,
// Hörmann's PTRS transformed rejection for large ones.
func (r *rng) poisson(lambda float64) int {
	switch {
	case !(lambda > 0):
		return 0
	case lambda < 12:
		limit := math.Exp(-lambda)
		k, p := 0, r.float()
		for p > limit {
			k++
			p *= r.float()
		}
		return k
	}
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.float() - 0.5
		v := r.float()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v+0x1p-60)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int(k)
		}
	}
}

// overdispersed returns a negative-binomial count with mean lambda: a Poisson whose mean
// is itself Gamma distributed with shape k (variance lambda + lambda²/k). Real post counts
// are burstier than Poisson; smaller k is burstier.
func (r *rng) overdispersed(lambda, k float64) int {
	if !(lambda > 0) {
		return 0
	}
	return r.poisson(lambda * r.gamma(k) / k)
}

// weighted is a cumulative weight table for drawing an index in proportion to weights.
type weighted struct {
	cum []float64
}

func newWeighted(w []float64) weighted {
	cum := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		cum[i] = s
	}
	return weighted{cum: cum}
}

// pick draws an index; the table must have a positive total.
func (w weighted) pick(r *rng) int {
	x := r.float() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
