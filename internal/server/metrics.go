package server

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
)

// Metrics are the service's own Prometheus metrics; per-RPC counts, codes
// and latencies come from the go-grpc-middleware interceptors registered
// beside them. A nil *Metrics records nothing.
type Metrics struct {
	mu        sync.Mutex // serialises model swaps, so one version shows
	documents *prometheus.CounterVec
	bytes     *prometheus.CounterVec
	labels    *prometheus.CounterVec
	shed      *prometheus.CounterVec
	unauth    prometheus.Counter
	model     *prometheus.GaugeVec
	// The counters of each label value, looked up once: a lookup hashes
	// the label values and takes a lock, and one per mention was 1-2.5%
	// of a unary call.
	byRPC   map[string]*rpcCounters
	byLabel [numStances]prometheus.Counter
}

// rpcCounters are one RPC's counters.
type rpcCounters struct {
	ok, failed, bytes prometheus.Counter
}

// NewMetrics creates the metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		documents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_documents_classified_total", Help: "Documents classified, by RPC and outcome (ok or error).",
		}, []string{"rpc", "outcome"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_bytes_classified_total", Help: "Bytes of document text classified, by RPC.",
		}, []string{"rpc"}),
		labels: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_mention_labels_total", Help: "Mentions classified, by predicted stance.",
		}, []string{"label"}),
		shed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stance_shed_total", Help: "Calls turned away with RESOURCE_EXHAUSTED because the server was at capacity.",
		}, []string{"what"}),
		unauth: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "stance_unauthenticated_total", Help: "Calls refused with UNAUTHENTICATED before their message was read (not in grpc_server_handled_total).",
		}),
		model: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "stance_model_info", Help: "The model serving requests (value 1), by version.",
		}, []string{"version"}),
	}
	reg.MustRegister(m.documents, m.bytes, m.labels, m.shed, m.unauth, m.model)
	m.byRPC = map[string]*rpcCounters{}
	for _, rpc := range []string{"Classify", "ClassifyBatch", "ClassifyStream"} {
		m.byRPC[rpc] = &rpcCounters{ok: m.documents.WithLabelValues(rpc, "ok"),
			failed: m.documents.WithLabelValues(rpc, "error"), bytes: m.bytes.WithLabelValues(rpc)}
	}
	for v := range m.byLabel {
		m.byLabel[v] = m.labels.WithLabelValues(stancev1.Stance(v).String())
	}
	return m
}

func (m *Metrics) document(rpc string, resp *stancev1.ClassifyResponse, size int) {
	if m == nil {
		return
	}
	c := m.byRPC[rpc]
	if resp.GetError() != nil {
		c.failed.Inc()
		return
	}
	c.ok.Inc()
	c.bytes.Add(float64(size))
	var counts [numStances]int
	for _, mn := range resp.GetMentions() {
		if l := int(mn.GetLabel()); l >= 0 && l < len(counts) {
			counts[l]++
		}
	}
	for l, n := range counts {
		if n > 0 {
			m.byLabel[l].Add(float64(n))
		}
	}
}

func (m *Metrics) failed(rpc string) {
	if m != nil {
		m.byRPC[rpc].failed.Inc()
	}
}

func (m *Metrics) shedCall(what string) {
	if m != nil {
		m.shed.WithLabelValues(what).Inc()
	}
}

func (m *Metrics) unauthenticated() {
	if m != nil {
		m.unauth.Inc()
	}
}

// setModel records the serving model version.
func (m *Metrics) setModel(version string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.model.Reset()
	m.model.WithLabelValues(version).Set(1)
}

// numStances is the number of stancev1.Stance values, unspecified included.
const numStances = 4
