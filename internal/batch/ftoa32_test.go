package batch

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// fastFloatRange reports whether appendFloat32 formats v: finite, zero or
// 1e-6 <= |v| < 1e21 (what jsonEncoder.float32 writes without an exponent).
func fastFloatRange(v float32) bool {
	a := math.Abs(float64(v))
	return a == 0 || a >= 1e-6 && a < 1e21 && !math.IsInf(a, 0)
}

func checkFloat32(t *testing.T, v float32) {
	t.Helper()
	got := string(appendFloat32([]byte("x"), v))
	want := "x" + strconv.FormatFloat(float64(v), 'f', -1, 32)
	if got != want {
		t.Fatalf("appendFloat32(%v, bits %#x) = %q, want %q", v, math.Float32bits(v), got, want)
	}
}

// TestAppendFloat32 compares appendFloat32 with strconv: every 97th
// float32 of its range, each with the other sign, the powers of two and
// ten and their neighbours, and the ends of the range. With
// STANCE_FTOA_EXHAUSTIVE=1 it compares every float32 of the range (about
// 1.5 billion, minutes of a core).
func TestAppendFloat32(t *testing.T) {
	step := uint32(97)
	if os.Getenv("STANCE_FTOA_EXHAUSTIVE") == "1" {
		step = 1
	}
	lo, hi := math.Float32bits(1e-6), math.Float32bits(1e21)
	var got, want []byte
	for u := lo; u < hi; u += step {
		for _, v := range []float32{math.Float32frombits(u), -math.Float32frombits(u)} {
			if !fastFloatRange(v) {
				continue
			}
			got = appendFloat32(got[:0], v)
			want = strconv.AppendFloat(want[:0], float64(v), 'f', -1, 32)
			if !bytes.Equal(got, want) {
				t.Fatalf("appendFloat32(%v, bits %#x) = %q, want %q", v, math.Float32bits(v), got, want)
			}
		}
	}
	checkFloat32(t, 0)
	checkFloat32(t, float32(math.Copysign(0, -1)))
	for e := -20; e <= 69; e++ {
		p := float32(math.Ldexp(1, e))
		for _, v := range []float32{p, math.Nextafter32(p, 0), math.Nextafter32(p, float32(math.Inf(1)))} {
			if fastFloatRange(v) {
				checkFloat32(t, v)
			}
		}
	}
	for p := 1e-6; p < 1e21; p *= 10 {
		v := float32(p)
		for _, w := range []float32{v, math.Nextafter32(v, 0), math.Nextafter32(v, float32(math.Inf(1))), 3 * v, 0.5 * v} {
			if fastFloatRange(w) {
				checkFloat32(t, w)
			}
		}
	}
	for _, v := range []float32{1, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.99999994, 123456.79, 16777216, 16777217, 3.4e20, 9.999999e20, 1.0000001e-6} {
		if fastFloatRange(v) {
			checkFloat32(t, v)
		}
	}
}

func FuzzAppendFloat32(f *testing.F) {
	for _, v := range []float32{1, 0.5, 0.1, 1.0 / 3, 0.034450285, 1e-6, 9.99e20, 123456.79} {
		f.Add(math.Float32bits(v))
	}
	f.Fuzz(func(t *testing.T, u uint32) {
		if v := math.Float32frombits(u); fastFloatRange(v) {
			checkFloat32(t, v)
		}
	})
}

// BenchmarkAppendFloat32 formats values like the answers' probabilities
// and contributions: uniform in (0, 1) and in (-4, 4).
func BenchmarkAppendFloat32(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]float32, 4096)
	for i := range vals {
		vals[i] = r.Float32()
		if i%4 == 3 {
			vals[i] = 8*r.Float32() - 4
		}
	}
	var buf []byte
	b.Run("ryu", func(b *testing.B) {
		for b.Loop() {
			for _, v := range vals {
				buf = appendFloat32(buf[:0], v)
			}
		}
	})
	b.Run("strconv", func(b *testing.B) {
		for b.Loop() {
			for _, v := range vals {
				buf = strconv.AppendFloat(buf[:0], float64(v), 'f', -1, 32)
			}
		}
	})
}
