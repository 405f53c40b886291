package sharedtest

import (
	"fmt"
	"math"
	"unicode/utf8"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// FillAll sets every field of m, recursively, to a value that is not its
// default (two elements for a repeated field; values varied by i, strings
// that need escaping, floats of every format, an enum value from a newer
// API), so that a field an encoder does not know changes its output: the
// tests of the hand-written encoders walk the descriptors with it. depth
// bounds recursion (google.rpc.Status carries Any details).
func FillAll(m protoreflect.Message, depth int, i int) {
	fields := m.Descriptor().Fields()
	for k := range fields.Len() {
		fd := fields.Get(k)
		if fd.Message() != nil && depth == 0 {
			continue
		}
		if fd.IsMap() {
			continue
		}
		if fd.IsList() {
			l := m.Mutable(fd).List()
			for n := range 2 {
				if fd.Message() != nil {
					e := l.NewElement()
					FillAll(e.Message(), depth-1, i+n+1)
					l.Append(e)
				} else {
					l.Append(scalar(fd, i+n))
				}
			}
			continue
		}
		if fd.Message() != nil {
			FillAll(m.Mutable(fd).Message(), depth-1, i+1)
			continue
		}
		m.Set(fd, scalar(fd, i))
	}
}

// scalar returns a non-default value of field fd's kind, varied by i, with
// characters that need escaping in strings and floats of every format.
func scalar(fd protoreflect.FieldDescriptor, i int) protoreflect.Value {
	floats := []float64{0.25, 1e-7, 3.4e38, -0.0, 0.1, 123456789, math.Inf(1), 1.5e-45}
	switch fd.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(fmt.Sprintf("%s-%d \"q\" \\ \n\t\x01 <&> é \u2028", fd.Name(), i))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte{byte(i + 1)})
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if i%5 == 4 {
			return protoreflect.ValueOfEnum(99) // a value from a newer API
		}
		return protoreflect.ValueOfEnum(vals.Get(vals.Len() - 1 - i%vals.Len()).Number())
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(floats[i%len(floats)]))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(floats[i%len(floats)])
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(300 + i))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(int64(300 + i))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(300 + i))
	default:
		return protoreflect.ValueOfUint64(uint64(300 + i))
	}
}

// RequestVariants are the request shapes the encoders' tests answer the
// news corpus with: as it is, without evidence, with caller targets and
// at most evidence in UTF-16 offsets, and with explicit spans in code
// points.
func RequestVariants() []func(*stancev1.ClassifyRequest) {
	yes, no := true, false
	return []func(*stancev1.ClassifyRequest){
		func(r *stancev1.ClassifyRequest) {},
		func(r *stancev1.ClassifyRequest) {
			r.Options = &stancev1.ClassifyOptions{IncludeEvidence: &no}
		},
		func(r *stancev1.ClassifyRequest) {
			r.Options = &stancev1.ClassifyOptions{IncludeEvidence: &yes, MaxEvidence: 20, BuiltinEntities: &no}
			r.Targets = []*stancev1.Target{{Id: "t1", Name: "Iran", Aliases: []string{"Tehran"}, Type: stancev1.EntityType_ENTITY_TYPE_COUNTRY}, {Name: "the"}}
			r.OffsetEncoding = stancev1.OffsetEncoding_OFFSET_ENCODING_UTF16
		},
		func(r *stancev1.ClassifyRequest) {
			r.Spans = []*stancev1.Span{{Start: 0, End: 1}, {Start: 2, End: uint32(min(utf8.RuneCountInString(r.Text), 600))}}
			r.OffsetEncoding = stancev1.OffsetEncoding_OFFSET_ENCODING_CODE_POINTS
		},
	}
}
