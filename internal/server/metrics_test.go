package server

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
)

func TestMetricsCountLabels(t *testing.T) {
	if numStances != len(stancev1.Stance_name) {
		t.Fatalf("numStances = %d, stancev1.Stance has %d values", numStances, len(stancev1.Stance_name))
	}
	m := NewMetrics(prometheus.NewRegistry())
	resp := &stancev1.ClassifyResponse{Mentions: []*stancev1.Mention{
		{Label: stancev1.Stance_STANCE_HOSTILE}, {Label: stancev1.Stance_STANCE_NEUTRAL}, {Label: stancev1.Stance_STANCE_HOSTILE}, {Label: 99},
	}}
	m.document("ClassifyStream", resp, 10)
	m.failed("Classify")
	for _, c := range []struct {
		got  prometheus.Metric
		want float64
	}{
		{m.labels.WithLabelValues("STANCE_HOSTILE"), 2},
		{m.labels.WithLabelValues("STANCE_NEUTRAL"), 1},
		{m.labels.WithLabelValues("STANCE_COOPERATIVE"), 0},
		{m.documents.WithLabelValues("ClassifyStream", "ok"), 1},
		{m.documents.WithLabelValues("Classify", "error"), 1},
		{m.bytes.WithLabelValues("ClassifyStream"), 10},
	} {
		var d dto.Metric
		if err := c.got.Write(&d); err != nil {
			t.Fatal(err)
		}
		if got := d.GetCounter().GetValue(); got != c.want {
			t.Errorf("%v = %v, want %v", c.got, got, c.want)
		}
	}
}
