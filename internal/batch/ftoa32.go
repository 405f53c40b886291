package batch

import (
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
)

// appendFloat32 appends v, a finite float32 with 1e-6 <= |v| < 1e21 or
// zero, as strconv.AppendFloat(b, float64(v), 'f', -1, 32) does: the
// shortest decimal that reads back as v (the closest such, ties to even),
// without an exponent. A run of the benchmark corpus writes 600,000
// probabilities and contributions, and strconv's general formatting was
// two fifths of the JSON writer; this is Ryu's float32 algorithm (Ulf
// Adams, "Ryū: fast float-to-string conversion", PLDI 2018), the digits
// written directly. TestAppendFloat32 compares it with strconv over a
// sample of every float32 in that range (STANCE_FTOA_EXHAUSTIVE=1 checks
// all of them), FuzzAppendFloat32 over any.
func appendFloat32(b []byte, v float32) []byte {
	u := math.Float32bits(v)
	if u>>31 != 0 {
		b = append(b, '-')
	}
	mant, exp := u&(1<<23-1), (u>>23)&0xff
	if mant == 0 {
		if exp == 0 {
			return append(b, '0')
		}
		// A power of two, whose interval of values that read back as it
		// is narrower below it: where its shortest digits tie, strconv
		// rounds up and Ryu to even. These 254 values are left to
		// strconv.
		return strconv.AppendFloat(b, math.Abs(float64(v)), 'f', -1, 32)
	}
	digits, e10 := ryu32(mant, exp)
	// Trailing zeros of the digits go to the exponent, as strconv leaves
	// none.
	for digits%10 == 0 {
		digits /= 10
		e10++
	}
	// The text is written in place, from its end: the digits, and the
	// zeros after them, or the decimal point among them, or the zeros and
	// "0." before them.
	n := decimalLen(digits)
	point := n + int(e10) // where the decimal point goes in the digits
	size := n
	switch {
	case e10 >= 0:
		size = point
	case point > 0:
		size = n + 1
	default:
		size = 2 - point + n
	}
	start := len(b)
	b = slices.Grow(b, size)[:start+size]
	o := b[start:]
	switch {
	case e10 >= 0:
		putDigits(o, n, digits, n)
		for i := n; i < size; i++ {
			o[i] = '0'
		}
	case point > 0:
		f := n - point // digits after the point
		p := pow10[f]
		putDigits(o, size, digits%p, f)
		o[point] = '.'
		putDigits(o, point, digits/p, point)
	default:
		putDigits(o, size, digits, n)
		o[0], o[1] = '0', '.'
		for i := 2; i < size-n; i++ {
			o[i] = '0'
		}
	}
	return b
}

var pow10 = [...]uint32{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// putDigits writes the last k decimal digits of v (leading zeros
// included) to o, ending before o[end], two at a time.
func putDigits(o []byte, end int, v uint32, k int) {
	i := end
	for ; k >= 2; k -= 2 {
		r := v % 100
		v /= 100
		i -= 2
		o[i], o[i+1] = digitPairs[2*r], digitPairs[2*r+1]
	}
	if k == 1 {
		o[i-1] = byte('0' + v%10)
	}
}

// decimalLen returns the number of decimal digits of v, at least 1.
func decimalLen(v uint32) int {
	switch {
	case v < 10:
		return 1
	case v < 100:
		return 2
	case v < 1000:
		return 3
	case v < 10000:
		return 4
	case v < 100000:
		return 5
	case v < 1000000:
		return 6
	case v < 10000000:
		return 7
	case v < 100000000:
		return 8
	case v < 1000000000:
		return 9
	}
	return 10
}

// Ryu's constants for float32.
const (
	f32MantBits     = 23
	f32Bias         = 127
	f32Pow5InvBits  = 59
	f32Pow5Bits     = 61
	f32Pow5InvCount = 31
	f32Pow5Count    = 48
)

// f32Pow5InvSplit[q] is floor(2^(pow5bits(q)-1+59) / 5^q) + 1, and
// f32Pow5Split[i] is floor(5^i * 2^(61-pow5bits(i))): Ryu's tables,
// computed once rather than copied.
var f32Pow5InvSplit, f32Pow5Split = func() (inv [f32Pow5InvCount]uint64, pos [f32Pow5Count]uint64) {
	one := big.NewInt(1)
	for q := range f32Pow5InvCount {
		p5 := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(q)), nil)
		num := new(big.Int).Lsh(one, uint(pow5bits(int32(q))-1+f32Pow5InvBits))
		inv[q] = new(big.Int).Add(new(big.Int).Quo(num, p5), one).Uint64()
	}
	for i := range f32Pow5Count {
		p5 := new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(i)), nil)
		if shift := pow5bits(int32(i)) - f32Pow5Bits; shift >= 0 {
			pos[i] = new(big.Int).Rsh(p5, uint(shift)).Uint64()
		} else {
			pos[i] = new(big.Int).Lsh(p5, uint(-shift)).Uint64()
		}
	}
	return inv, pos
}()

// pow5bits is ceil(log2(5^e)) for e in [1, 3528], 1 for 0.
func pow5bits(e int32) int32 { return int32((uint32(e)*1217359)>>19) + 1 }

// log10Pow2 is floor(log10(2^e)) for e in [0, 1650].
func log10Pow2(e int32) uint32 { return (uint32(e) * 78913) >> 18 }

// log10Pow5 is floor(log10(5^e)) for e in [0, 2620].
func log10Pow5(e int32) uint32 { return (uint32(e) * 732923) >> 20 }

func pow5Factor32(v uint32) uint32 {
	n := uint32(0)
	for v%5 == 0 {
		v /= 5
		n++
	}
	return n
}

func multipleOfPow5(v, p uint32) bool { return pow5Factor32(v) >= p }

func multipleOfPow2(v, p uint32) bool { return v&(1<<p-1) == 0 }

// mulShift32 is (m * factor) >> shift, for shift > 32.
func mulShift32(m uint32, factor uint64, shift int32) uint32 {
	hi, lo := bits.Mul64(uint64(m), factor)
	// (hi:lo) >> shift; the callers' shifts keep the result in 32 bits.
	if shift >= 64 {
		return uint32(hi >> (shift - 64))
	}
	return uint32(hi<<(64-shift) | lo>>shift)
}

// ryu32 returns the shortest decimal digits and exponent of the float32
// with mantissa bits mant and exponent bits exp (not zero, not Inf/NaN):
// Ryu's f2d.
func ryu32(mant, exp uint32) (digits uint32, e10 int32) {
	var e2 int32
	var m2 uint32
	if exp == 0 {
		e2 = 1 - f32Bias - f32MantBits - 2
		m2 = mant
	} else {
		e2 = int32(exp) - f32Bias - f32MantBits - 2
		m2 = 1<<f32MantBits | mant
	}
	even := m2&1 == 0
	acceptBounds := even

	mv := 4 * m2
	mp := 4*m2 + 2
	mmShift := uint32(0)
	if mant != 0 || exp <= 1 {
		mmShift = 1
	}
	mm := 4*m2 - 1 - mmShift

	var vr, vp, vm uint32
	var vmIsTrailingZeros, vrIsTrailingZeros bool
	lastRemovedDigit := uint32(0)
	if e2 >= 0 {
		q := log10Pow2(e2)
		e10 = int32(q)
		k := f32Pow5InvBits + pow5bits(int32(q)) - 1
		i := -e2 + int32(q) + k
		vr = mulShift32(mv, f32Pow5InvSplit[q], i)
		vp = mulShift32(mp, f32Pow5InvSplit[q], i)
		vm = mulShift32(mm, f32Pow5InvSplit[q], i)
		if q != 0 && (vp-1)/10 <= vm/10 {
			l := f32Pow5InvBits + pow5bits(int32(q-1)) - 1
			lastRemovedDigit = mulShift32(mv, f32Pow5InvSplit[q-1], -e2+int32(q)-1+l) % 10
		}
		if q <= 9 {
			switch {
			case mv%5 == 0:
				vrIsTrailingZeros = multipleOfPow5(mv, q)
			case acceptBounds:
				vmIsTrailingZeros = multipleOfPow5(mm, q)
			case multipleOfPow5(mp, q):
				vp--
			}
		}
	} else {
		q := log10Pow5(-e2)
		e10 = int32(q) + e2
		i := -e2 - int32(q)
		k := pow5bits(i) - f32Pow5Bits
		j := int32(q) - k
		vr = mulShift32(mv, f32Pow5Split[i], j)
		vp = mulShift32(mp, f32Pow5Split[i], j)
		vm = mulShift32(mm, f32Pow5Split[i], j)
		if q != 0 && (vp-1)/10 <= vm/10 {
			j = int32(q) - 1 - (pow5bits(i+1) - f32Pow5Bits)
			lastRemovedDigit = mulShift32(mv, f32Pow5Split[i+1], j) % 10
		}
		if q <= 1 {
			vrIsTrailingZeros = true
			if acceptBounds {
				vmIsTrailingZeros = mmShift == 1
			} else {
				vp--
			}
		} else if q < 31 {
			vrIsTrailingZeros = multipleOfPow2(mv, q-1)
		}
	}

	removed := int32(0)
	if vmIsTrailingZeros || vrIsTrailingZeros {
		for vp/10 > vm/10 {
			vmIsTrailingZeros = vmIsTrailingZeros && vm%10 == 0
			vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
			lastRemovedDigit = vr % 10
			vr /= 10
			vp /= 10
			vm /= 10
			removed++
		}
		if vmIsTrailingZeros {
			for vm%10 == 0 {
				vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
				lastRemovedDigit = vr % 10
				vr /= 10
				vp /= 10
				vm /= 10
				removed++
			}
		}
		if vrIsTrailingZeros && lastRemovedDigit == 5 && vr%2 == 0 {
			lastRemovedDigit = 4 // round half to even
		}
		digits = vr
		if (vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 {
			digits++
		}
	} else {
		for vp/10 > vm/10 {
			lastRemovedDigit = vr % 10
			vr /= 10
			vp /= 10
			vm /= 10
			removed++
		}
		digits = vr
		if vr == vm || lastRemovedDigit >= 5 {
			digits++
		}
	}
	return digits, e10 + removed
}
