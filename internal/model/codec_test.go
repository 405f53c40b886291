package model

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

func testParams() Params {
	w := make([]float32, NumLabels<<MinBits)
	w[3*NumLabels+int(Hostile)] = 1.5
	w[3*NumLabels+int(Neutral)] = -0.5
	w[200*NumLabels+int(Cooperative)] = 2
	return Params{Meta: Metadata{Version: "test-1", Description: "unit test"}, Bits: MinBits, Weights: w,
		Bias: [NumLabels]float32{0.1, -0.1, 0.2}, Temperature: 1.25, DocThreshold: 0.3}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	m, err := New(testParams())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := LoadFS(fstest.MapFS{"m.gz": {Data: buf.Bytes()}}, "m.gz")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version() != "test-1" || got.Bits() != MinBits || got.NonZero() != 3 || got.DocThreshold() != 0.3 {
		t.Errorf("loaded model = %s bits=%d nonzero=%d", got.Version(), got.Bits(), got.NonZero())
	}
	fs := []Feature{{Index: 3, Value: 1}, {Index: 200, Value: 0.5}}
	if a, b := m.Score(fs), got.Score(fs); a != b {
		t.Errorf("scores differ after a round trip: %v vs %v", a, b)
	}
	var again bytes.Buffer
	got.Write(&again)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("writing a loaded model does not reproduce the file byte for byte")
	}
}

// file builds a model file from a header line and raw weight records.
func file(header string, records ...[]byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(header + "\n"))
	for _, r := range records {
		zw.Write(r)
	}
	zw.Close()
	return buf.Bytes()
}

func record(idx uint32, w ...float32) []byte {
	b := make([]byte, recordSize)
	binary.LittleEndian.PutUint32(b, idx)
	for k, x := range w {
		binary.LittleEndian.PutUint32(b[4+4*k:], math.Float32bits(x))
	}
	return b
}

const goodHeader = `{"format":"stance-linear-model/1","labels":["hostile","cooperative","neutral"],"hash_bits":8,"bias":[0,0,0],"temperature":1,"doc_threshold":0.3,"rows":%d,"metadata":{"version":"v"}}`

func headerWithRows(rows string) string { return strings.Replace(goodHeader, "%d", rows, 1) }

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []string // all must appear in the error
	}{
		{"not gzip", []byte("hello"), []string{"not gzip"}},
		{"bad header", file("{not json"), []string{"header"}},
		{"every header problem at once", file(`{"format":"other","labels":["a"],"hash_bits":99,"rows":0}`),
			[]string{`format "other"`, "1 labels", "hash bits 99"}},
		{"wrong label order", file(strings.Replace(headerWithRows("0"), `"hostile","cooperative"`, `"cooperative","hostile"`, 1)), []string{`label 0 is "cooperative"`}},
		{"truncated rows", file(headerWithRows("2"), record(1, 1, 2, 3)), []string{"weight row 1 of 2"}},
		{"rows out of order", file(headerWithRows("2"), record(5, 1, 2, 3), record(4, 1, 2, 3)), []string{"out of order"}},
		{"bucket out of range", file(headerWithRows("1"), record(256, 1, 2, 3)), []string{"out of order or range"}},
		{"trailing data", file(headerWithRows("1"), record(1, 1, 2, 3), []byte{0}), []string{"data after the weight rows"}},
		{"not finite", file(headerWithRows("1"), record(1, float32(math.NaN()), float32(math.Inf(1)), 0)), []string{"weight 3 is NaN", "weight 4 is +Inf"}},
		{"bad temperature and threshold", file(strings.Replace(strings.Replace(headerWithRows("0"), `"temperature":1`, `"temperature":0`, 1), `"doc_threshold":0.3`, `"doc_threshold":1.5`, 1)),
			[]string{"temperature 0", "document threshold 1.5"}},
		{"no version", file(strings.Replace(headerWithRows("0"), `"version":"v"`, `"version":""`, 1)), []string{"version is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(bytes.NewReader(tt.data))
			if !errors.Is(err, ErrInvalidModel) {
				t.Fatalf("err = %v, want ErrInvalidModel", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestSoftmaxAndLabel(t *testing.T) {
	p := Softmax([NumLabels]float32{2, 0, 0}, 1)
	if sum := p[0] + p[1] + p[2]; math.Abs(float64(sum)-1) > 1e-6 || p[0] < p[1] || p[1] != p[2] {
		t.Errorf("Softmax = %v", p)
	}
	if hot := Softmax([NumLabels]float32{2, 0, 0}, 2); hot[0] >= p[0] {
		t.Errorf("a higher temperature must flatten: %v vs %v", hot, p)
	}
	if l := (Scores{Probs: p}).Label(); l != Hostile {
		t.Errorf("Label = %v", l)
	}
	for _, l := range Labels {
		back, err := ParseLabel(l.String())
		if err != nil || back != l {
			t.Errorf("ParseLabel(%q) = %v, %v", l, back, err)
		}
	}
	if _, err := ParseLabel("negative"); !errors.Is(err, ErrUnknownLabel) {
		t.Errorf("ParseLabel(negative) err = %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	m, _ := New(testParams())
	var buf bytes.Buffer
	m.Write(&buf)
	f.Add(buf.Bytes())
	f.Add(file(headerWithRows("1"), record(1, 1, 2, 3)))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := m.Write(&out); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(&out); err != nil {
			t.Fatalf("a loaded model does not load after writing: %v", err)
		}
	})
}
