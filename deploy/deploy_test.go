package deploy_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yannh/kubeconform/pkg/validator"
	"sigs.k8s.io/yaml"
)

// dir is the kustomize base; schemas holds the JSON schemas written by
// schemas_gen.go, in kubeconform's file layout.
const (
	dir     = "kubernetes"
	schemas = "schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json"
)

// defaultDrainTimeout is classifierd's -drain-timeout default.
const defaultDrainTimeout = 20 * time.Second

// kustomization is the subset of kustomize's Kustomization the base may use;
// decoding it strictly rejects any other field.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
	Images     []image  `json:"images"`
}

type image struct {
	Name    string `json:"name"`
	NewName string `json:"newName,omitempty"`
	NewTag  string `json:"newTag,omitempty"`
	Digest  string `json:"digest,omitempty"`
}

// The types below read the fields the invariants need; the schemas have
// already checked every field, so they decode leniently.

type meta struct {
	Name        string
	Labels      map[string]string
	Annotations map[string]string
}

type selector struct {
	MatchLabels map[string]string
}

type object struct {
	APIVersion string
	Kind       string
	Metadata   meta
}

type deployment struct {
	Metadata meta
	Spec     struct {
		Replicas *int32
		Selector selector
		Strategy struct {
			Type          string
			RollingUpdate struct{ MaxUnavailable, MaxSurge any }
		}
		Template struct {
			Metadata meta
			Spec     podSpec
		}
	}
}

type podSpec struct {
	ServiceAccountName            string
	AutomountServiceAccountToken  *bool
	TerminationGracePeriodSeconds *int64
	SecurityContext               struct {
		RunAsNonRoot   *bool
		RunAsUser      *int64
		SeccompProfile struct{ Type string }
	}
	TopologySpreadConstraints []struct {
		TopologyKey   string
		LabelSelector selector
	}
	Containers []container
}

type container struct {
	Name    string
	Image   string
	Command []string
	Args    []string
	Env     []struct{ Name, Value string }
	EnvFrom []struct {
		ConfigMapRef *struct{ Name string }
	}
	Ports []struct {
		Name          string
		ContainerPort int32
	}
	ReadinessProbe *probe
	LivenessProbe  *probe
	Lifecycle      struct {
		PreStop *struct {
			Sleep *struct{ Seconds int64 }
		}
	}
	Resources struct {
		Requests map[string]any
		Limits   map[string]any
	}
	SecurityContext struct {
		AllowPrivilegeEscalation *bool
		ReadOnlyRootFilesystem   *bool
		Privileged               *bool
		Capabilities             struct{ Drop []string }
	}
}

type probe struct {
	GRPC *struct {
		Port    int32
		Service string
	}
	PeriodSeconds    int32
	FailureThreshold int32
}

type service struct {
	Metadata meta
	Spec     struct {
		ClusterIP string
		Selector  map[string]string
		Ports     []servicePort
	}
}

type servicePort struct {
	Name       string
	Port       int32
	TargetPort any
}

type hpa struct {
	Metadata meta
	Spec     struct {
		ScaleTargetRef struct{ APIVersion, Kind, Name string }
		MinReplicas    *int32
		MaxReplicas    int32
		Metrics        []metric
	}
}

type metric struct {
	Type     string
	Resource *struct{ Name string }
}

type pdb struct {
	Metadata meta
	Spec     struct {
		MinAvailable   any
		MaxUnavailable any
		Selector       selector
	}
}

type configMap struct {
	Metadata meta
	Data     map[string]string
}

// manifests is the base, read once per test.
type manifests struct {
	kustomization kustomization
	files         map[string][]byte   // resource file name to contents
	docs          map[string][][]byte // kind to its documents
	results       []validator.Result  // kubeconform's verdict on every document
}

func load(t *testing.T) *manifests {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := &manifests{files: map[string][]byte{}, docs: map[string][][]byte{}}
	if err := yaml.UnmarshalStrict(b, &m.kustomization); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	v := newValidator(t)
	for _, name := range m.kustomization.Resources {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		m.files[name] = b
		for _, r := range v.Validate(name, io.NopCloser(bytes.NewReader(b))) {
			m.results = append(m.results, r)
			var o object
			if err := yaml.Unmarshal(r.Resource.Bytes, &o); err != nil || o.Kind == "" {
				continue // reported by TestManifestsMatchSchemas
			}
			m.docs[o.Kind] = append(m.docs[o.Kind], r.Resource.Bytes)
		}
	}
	return m
}

func newValidator(t *testing.T) validator.Validator {
	t.Helper()
	loc, err := filepath.Abs(schemas)
	if err != nil {
		t.Fatal(err)
	}
	// No IgnoreMissingSchemas: a kind without a schema here is an error, and
	// no location is a URL, so nothing is ever downloaded.
	v, err := validator.New([]string{loc}, validator.Opts{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// one decodes the only document of kind into v.
func (m *manifests) one(t *testing.T, kind string, v any) {
	t.Helper()
	docs := m.docs[kind]
	if len(docs) != 1 {
		t.Fatalf("want one %s, have %d", kind, len(docs))
	}
	if err := yaml.Unmarshal(docs[0], v); err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
}

func (m *manifests) deployment(t *testing.T) (*deployment, *container) {
	t.Helper()
	var d deployment
	m.one(t, "Deployment", &d)
	cs := d.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("want one container, have %d", len(cs))
	}
	return &d, &cs[0]
}

func (m *manifests) services(t *testing.T) []service {
	t.Helper()
	var out []service
	for _, b := range m.docs["Service"] {
		var s service
		if err := yaml.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// env is what the container sees in its environment: the ConfigMaps it
// imports, then its own env entries on top.
func (m *manifests) env(t *testing.T, c *container) map[string]string {
	t.Helper()
	cms := map[string]configMap{}
	for _, b := range m.docs["ConfigMap"] {
		var cm configMap
		if err := yaml.Unmarshal(b, &cm); err != nil {
			t.Fatal(err)
		}
		cms[cm.Metadata.Name] = cm
	}
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			continue
		}
		cm, ok := cms[from.ConfigMapRef.Name]
		if !ok {
			t.Errorf("envFrom names ConfigMap %q, which the base does not define", from.ConfigMapRef.Name)
		}
		for k, v := range cm.Data {
			env[k] = v
		}
	}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	return env
}

// setting is the value classifierd uses for a flag: a command-line flag wins
// over the environment (CLASSIFIERD_<FLAG>), which wins over the default.
func setting(args []string, env map[string]string, flagName, def string) string {
	for i, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if v, ok := strings.CutPrefix(a, flagName+"="); ok {
			return v
		}
		if a == flagName && i+1 < len(args) {
			return args[i+1]
		}
	}
	if v, ok := env["CLASSIFIERD_"+strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))]; ok {
		return v
	}
	return def
}

// entrypoint returns the ENTRYPOINT and EXPOSEd ports of the Dockerfile.
func entrypoint(t *testing.T) (cmd []string, exposed []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if rest, ok := strings.CutPrefix(line, "ENTRYPOINT "); ok {
			cmd = nil // the last one counts
			if err := json.Unmarshal([]byte(rest), &cmd); err != nil {
				t.Fatalf("ENTRYPOINT must be in exec form: %v", err)
			}
		}
		if rest, ok := strings.CutPrefix(line, "EXPOSE "); ok {
			exposed = append(exposed, strings.Fields(rest)...)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cmd) == 0 {
		t.Fatal("Dockerfile has no ENTRYPOINT")
	}
	return cmd, exposed
}

func port(t *testing.T, addr string) int32 {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	n, err := strconv.ParseInt(p, 10, 32)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return int32(n)
}

func containerPort(t *testing.T, c *container, name string) int32 {
	t.Helper()
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, name)
	return 0
}

// selects reports whether a selector picks pods with the given labels.
func selects(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false // an empty selector here is a mistake, not "everything"
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	m := load(t)
	k := m.kustomization
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Errorf("kustomization.yaml is %s %s, want kustomize.config.k8s.io/v1beta1 Kustomization", k.APIVersion, k.Kind)
	}
	if k.Namespace == "" {
		t.Error("kustomization.yaml sets no namespace")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !e.IsDir() && (ext == ".yaml" || ext == ".yml") && e.Name() != "kustomization.yaml" {
			onDisk = append(onDisk, e.Name())
		}
	}
	listed := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(onDisk, listed) {
		t.Errorf("kustomization.yaml lists %v; %s holds %v", listed, dir, onDisk)
	}
	if len(slices.Compact(listed)) != len(k.Resources) {
		t.Errorf("kustomization.yaml lists a resource twice: %v", k.Resources)
	}
	var ns []object
	for _, b := range m.docs["Namespace"] {
		var o object
		if err := yaml.Unmarshal(b, &o); err != nil {
			t.Fatal(err)
		}
		ns = append(ns, o)
	}
	for _, o := range ns {
		if o.Metadata.Name != k.Namespace {
			t.Errorf("Namespace %s differs from the kustomization's namespace %s", o.Metadata.Name, k.Namespace)
		}
	}

	_, c := m.deployment(t)
	i := slices.IndexFunc(k.Images, func(img image) bool { return img.Name == c.Image })
	switch {
	case i < 0:
		t.Errorf("no images entry in kustomization.yaml for the container image %q", c.Image)
	case k.Images[i].NewTag == "" && k.Images[i].Digest == "":
		t.Errorf("images entry %q pins neither a tag nor a digest", c.Image)
	case k.Images[i].NewTag == "latest":
		t.Errorf("images entry %q uses the latest tag; pin a version", c.Image)
	}
}

func TestManifestsMatchSchemas(t *testing.T) {
	m := load(t)
	if len(m.results) == 0 {
		t.Fatal("no resources")
	}
	for _, r := range m.results {
		if r.Status != validator.Valid {
			t.Errorf("%s: %s: %v", r.Resource.Path, statusName(r.Status), r.Err)
		}
	}
	for _, kind := range []string{"ServiceAccount", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} {
		if len(m.docs[kind]) == 0 {
			t.Errorf("no %s in the base", kind)
		}
	}
}

// minimalDeployment is a small valid Deployment for TestSchemasRejectMistakes
// to break.
const minimalDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
spec:
  replicas: 3
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: x
          image: x:1
          readinessProbe:
            grpc:
              port: 50051
          resources:
            limits: {cpu: 2, memory: 256Mi}
`

// TestSchemasRejectMistakes shows the validation is strict: unknown or
// misspelled fields, wrong types and unknown kinds all fail.
func TestSchemasRejectMistakes(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           validator.Status
	}{
		{"unchanged", "", "", validator.Valid},
		{"misspelled pod field", "terminationGracePeriodSeconds:", "terminationGracePeriod:", validator.Invalid},
		{"unknown probe field", "port: 50051", "port: 50051\n              tls: true", validator.Invalid},
		{"grpc probe without port", "port: 50051", "service: x", validator.Invalid},
		{"string replicas", "replicas: 3", "replicas: three", validator.Invalid},
		{"missing container name", "name: x\n          image", "image", validator.Invalid},
		{"wrong api version", "apiVersion: apps/v1", "apiVersion: apps/v1beta1", validator.Error},
		{"unknown kind", "kind: Deployment", "kind: Rollout", validator.Error},
		{"duplicate key", "replicas: 3", "replicas: 3\n  replicas: 4", validator.Error},
	}
	v := newValidator(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(minimalDeployment, tt.old, tt.new, 1)
			if doc == minimalDeployment && tt.old != "" {
				t.Fatalf("minimalDeployment does not contain %q", tt.old)
			}
			rs := v.Validate("deployment.yaml", io.NopCloser(strings.NewReader(doc)))
			if len(rs) != 1 {
				t.Fatalf("%d results, want 1", len(rs))
			}
			if got := rs[0].Status; got != tt.want {
				t.Errorf("status %s (%v), want %s", statusName(got), rs[0].Err, statusName(tt.want))
			}
		})
	}
}

func statusName(s validator.Status) string {
	switch s {
	case validator.Error:
		return "Error"
	case validator.Skipped:
		return "Skipped"
	case validator.Valid:
		return "Valid"
	case validator.Invalid:
		return "Invalid"
	case validator.Empty:
		return "Empty"
	}
	return strconv.Itoa(int(s))
}

func TestProbesUseGRPCHealthOnServicePort(t *testing.T) {
	m := load(t)
	_, c := m.deployment(t)
	cmd, exposed := entrypoint(t)
	args := append(append(slices.Clone(cmd[1:]), c.Command...), c.Args...)
	env := m.env(t, c)
	if _, ok := env["CLASSIFIERD_ADDR"]; ok && setting(cmd[1:], nil, "addr", "") != "" {
		t.Error("CLASSIFIERD_ADDR is set but the image's -addr flag overrides it")
	}
	grpcPort := port(t, setting(args, env, "addr", "127.0.0.1:50051"))
	if got := containerPort(t, c, "grpc"); got != grpcPort {
		t.Errorf("container port grpc is %d; classifierd listens on %d", got, grpcPort)
	}
	if !slices.Contains(exposed, strconv.Itoa(int(grpcPort))) {
		t.Errorf("Dockerfile EXPOSEs %v, not the gRPC port %d", exposed, grpcPort)
	}
	for name, p := range map[string]*probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		switch {
		case p == nil:
			t.Errorf("no %s probe", name)
		case p.GRPC == nil:
			t.Errorf("%s probe is not a gRPC probe", name)
		case p.GRPC.Port != grpcPort:
			t.Errorf("%s probe checks port %d; classifierd listens on %d", name, p.GRPC.Port, grpcPort)
		case p.GRPC.Service != "" && p.GRPC.Service != "stance.v1.StanceService":
			t.Errorf("%s probe asks for health of %q, which classifierd does not report", name, p.GRPC.Service)
		}
	}
}

func TestTerminationOutlastsDrain(t *testing.T) {
	m := load(t)
	d, c := m.deployment(t)
	cmd, _ := entrypoint(t)
	args := append(append(slices.Clone(cmd[1:]), c.Command...), c.Args...)
	drain, err := time.ParseDuration(setting(args, m.env(t, c), "drain-timeout", defaultDrainTimeout.String()))
	if err != nil {
		t.Fatalf("drain timeout: %v", err)
	}
	var preStop time.Duration
	if ps := c.Lifecycle.PreStop; ps != nil && ps.Sleep != nil {
		preStop = time.Duration(ps.Sleep.Seconds) * time.Second
	}
	grace := 30 * time.Second // the Kubernetes default
	if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
		grace = time.Duration(*g) * time.Second
	}
	// The grace period covers the preStop hook and then the drain after
	// SIGTERM; leave a little for the process to exit.
	if grace < preStop+drain+time.Second {
		t.Errorf("terminationGracePeriodSeconds %v is not above preStop %v + drain timeout %v", grace, preStop, drain)
	}
	// A liveness failure during the drain must not kill the pod early.
	if p := c.LivenessProbe; p != nil {
		period, failures := max(p.PeriodSeconds, 10), max(p.FailureThreshold, 3)
		if tolerated := time.Duration(period*failures) * time.Second; tolerated < drain {
			t.Errorf("liveness tolerates %v of failures, less than the drain timeout %v", tolerated, drain)
		}
	}
}

func TestServicesSelectPods(t *testing.T) {
	m := load(t)
	d, c := m.deployment(t)
	pods := d.Spec.Template.Metadata.Labels
	if !selects(d.Spec.Selector.MatchLabels, pods) {
		t.Errorf("Deployment selector %v does not match its pod labels %v", d.Spec.Selector.MatchLabels, pods)
	}
	headless := 0
	for _, s := range m.services(t) {
		if !selects(s.Spec.Selector, pods) {
			t.Errorf("Service %s selector %v does not match pod labels %v", s.Metadata.Name, s.Spec.Selector, pods)
		}
		for _, p := range s.Spec.Ports {
			switch tp := p.TargetPort.(type) {
			case string:
				containerPort(t, c, tp)
			case float64:
				if p.Name == "grpc" && int32(tp) != containerPort(t, c, "grpc") {
					t.Errorf("Service %s port grpc targets %v", s.Metadata.Name, tp)
				}
			}
		}
		if s.Spec.ClusterIP == "None" {
			headless++
			if !slices.ContainsFunc(s.Spec.Ports, func(p servicePort) bool { return p.Name == "grpc" }) {
				t.Errorf("headless Service %s has no grpc port", s.Metadata.Name)
			}
		}
	}
	if headless == 0 {
		t.Error("no headless Service (clusterIP: None) for client-side balancing")
	}
	for _, tsc := range d.Spec.Template.Spec.TopologySpreadConstraints {
		if !selects(tsc.LabelSelector.MatchLabels, pods) {
			t.Errorf("topology spread on %s does not select the pods", tsc.TopologyKey)
		}
	}
	if len(d.Spec.Template.Spec.TopologySpreadConstraints) == 0 {
		t.Error("no topology spread constraints")
	}
}

func TestAutoscalerAndDisruptionBudget(t *testing.T) {
	m := load(t)
	d, c := m.deployment(t)
	var h hpa
	m.one(t, "HorizontalPodAutoscaler", &h)
	ref := h.Spec.ScaleTargetRef
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != d.Metadata.Name {
		t.Errorf("HPA scales %s %s %s, want apps/v1 Deployment %s", ref.APIVersion, ref.Kind, ref.Name, d.Metadata.Name)
	}
	minReplicas := int32(1)
	if h.Spec.MinReplicas != nil {
		minReplicas = *h.Spec.MinReplicas
	}
	if minReplicas < 2 || h.Spec.MaxReplicas < minReplicas {
		t.Errorf("HPA replicas %d..%d: want at least 2, max above min", minReplicas, h.Spec.MaxReplicas)
	}
	if d.Spec.Replicas != nil && *d.Spec.Replicas != minReplicas {
		t.Errorf("Deployment replicas %d differs from the HPA's minReplicas %d", *d.Spec.Replicas, minReplicas)
	}
	cpu := slices.ContainsFunc(h.Spec.Metrics, func(mt metric) bool {
		return mt.Type == "Resource" && mt.Resource != nil && mt.Resource.Name == "cpu"
	})
	if !cpu {
		t.Error("HPA does not scale on CPU")
	}
	if _, ok := c.Resources.Requests["cpu"]; !ok {
		t.Error("HPA CPU utilization needs a CPU request")
	}

	var p pdb
	m.one(t, "PodDisruptionBudget", &p)
	if !selects(p.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
		t.Errorf("PDB selector %v does not match pod labels %v", p.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)
	}
	// The budget must leave drains possible at the smallest size and keep
	// more than one pod up.
	switch {
	case p.Spec.MaxUnavailable != nil:
		if n, ok := p.Spec.MaxUnavailable.(float64); !ok || n < 1 || int32(n) >= minReplicas {
			t.Errorf("PDB maxUnavailable %v: want a count from 1 to %d", p.Spec.MaxUnavailable, minReplicas-1)
		}
	case p.Spec.MinAvailable != nil:
		if n, ok := p.Spec.MinAvailable.(float64); !ok || n < 2 || int32(n) >= minReplicas {
			t.Errorf("PDB minAvailable %v: want a count from 2 to %d", p.Spec.MinAvailable, minReplicas-1)
		}
	default:
		t.Error("PDB sets neither minAvailable nor maxUnavailable")
	}

	ru := d.Spec.Strategy.RollingUpdate
	if d.Spec.Strategy.Type != "RollingUpdate" || ru.MaxUnavailable != float64(0) || ru.MaxSurge != float64(1) {
		t.Errorf("strategy %s maxUnavailable %v maxSurge %v, want RollingUpdate 0 and 1", d.Spec.Strategy.Type, ru.MaxUnavailable, ru.MaxSurge)
	}
}

func TestRunsAsNonRoot(t *testing.T) {
	m := load(t)
	d, c := m.deployment(t)
	pod := d.Spec.Template.Spec
	sc := pod.SecurityContext
	if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Error("pod runAsNonRoot is not true")
	}
	if sc.RunAsUser == nil || *sc.RunAsUser == 0 {
		t.Error("pod runAsUser is unset or root")
	}
	if sc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("seccomp profile %q, want RuntimeDefault", sc.SeccompProfile.Type)
	}
	csc := c.SecurityContext
	if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation is not false")
	}
	if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
		t.Error("readOnlyRootFilesystem is not true")
	}
	if csc.Privileged != nil && *csc.Privileged {
		t.Error("container is privileged")
	}
	if !slices.Equal(csc.Capabilities.Drop, []string{"ALL"}) {
		t.Errorf("capabilities drop %v, want [ALL]", csc.Capabilities.Drop)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token it does not need")
	}
	sa := map[string]bool{}
	for _, b := range m.docs["ServiceAccount"] {
		var o object
		if err := yaml.Unmarshal(b, &o); err != nil {
			t.Fatal(err)
		}
		sa[o.Metadata.Name] = true
	}
	if !sa[pod.ServiceAccountName] {
		t.Errorf("serviceAccountName %q is not defined in the base", pod.ServiceAccountName)
	}
}

func TestResourcesAndMetrics(t *testing.T) {
	m := load(t)
	d, c := m.deployment(t)
	for _, r := range []string{"cpu", "memory"} {
		req, err1 := quantity(c.Resources.Requests[r])
		lim, err2 := quantity(c.Resources.Limits[r])
		if err1 != nil || err2 != nil {
			t.Errorf("%s request/limit: %v %v", r, err1, err2)
			continue
		}
		if req > lim {
			t.Errorf("%s request %v above limit %v", r, req, lim)
		}
	}
	env := m.env(t, c)
	if v, ok := env["GOMEMLIMIT"]; ok {
		soft, err := goMemLimit(v)
		lim, _ := quantity(c.Resources.Limits["memory"])
		switch {
		case err != nil:
			t.Error(err)
		case soft >= lim:
			t.Errorf("GOMEMLIMIT %s must be below the memory limit (%.0f bytes)", v, lim)
		}
	}

	metrics := containerPort(t, c, "metrics")
	if got := env["CLASSIFIERD_METRICS_ADDR"]; got == "" || port(t, got) != metrics {
		t.Errorf("CLASSIFIERD_METRICS_ADDR %q does not listen on the metrics port %d", got, metrics)
	}
	a := d.Spec.Template.Metadata.Annotations
	if a["prometheus.io/scrape"] != "true" || a["prometheus.io/port"] != strconv.Itoa(int(metrics)) || a["prometheus.io/path"] != "/metrics" {
		t.Errorf("Prometheus annotations %v do not point at :%d/metrics", a, metrics)
	}
	_, exposed := entrypoint(t)
	if !slices.Contains(exposed, strconv.Itoa(int(metrics))) {
		t.Errorf("Dockerfile EXPOSEs %v, not the metrics port %d", exposed, metrics)
	}
}

// quantity reads the Kubernetes quantities the base uses (plain numbers and
// the m, k/M/G and Ki/Mi/Gi suffixes) as a float.
func quantity(v any) (float64, error) {
	switch q := v.(type) {
	case float64:
		return q, nil
	case string:
		for _, s := range []struct {
			suffix string
			mult   float64
		}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"", 1}} {
			if n, ok := strings.CutSuffix(q, s.suffix); ok {
				f, err := strconv.ParseFloat(n, 64)
				if err != nil {
					return 0, fmt.Errorf("quantity %q: %w", q, err)
				}
				return f * s.mult, nil
			}
		}
	}
	return 0, fmt.Errorf("unsupported quantity %v", v)
}

// goMemLimit reads a GOMEMLIMIT value in bytes.
func goMemLimit(v string) (float64, error) {
	for _, s := range []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}, {"", 1}} {
		if n, ok := strings.CutSuffix(v, s.suffix); ok {
			f, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return 0, fmt.Errorf("GOMEMLIMIT %q: %w", v, err)
			}
			return f * s.mult, nil
		}
	}
	return 0, fmt.Errorf("GOMEMLIMIT %q", v)
}
