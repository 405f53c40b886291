package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/model"
	"github.com/stance/classifierd/internal/model/embedded"
)

// writeTinyModel writes a valid model with the given version: all weights
// zero, so it answers neutral-ish everywhere.
func writeTinyModel(t *testing.T, path, version string) {
	t.Helper()
	m, err := model.New(model.Params{Meta: model.Metadata{Version: version}, Bits: model.MinBits,
		Weights: make([]float32, model.NumLabels<<model.MinBits), Temperature: 1, DocThreshold: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := m.Write(f); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or a generous bound passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestReload(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "model.bin.gz")
	if err := os.WriteFile(modelPath, embedded.File(), 0o644); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, "-model", modelPath, "-reload-poll", "0")
	conn := d.dial(t)
	client := stancev1.NewStanceServiceClient(conn)
	version := func() string {
		resp, err := client.Classify(context.Background(), &stancev1.ClassifyRequest{Text: "NATO"})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetModelVersion()
	}
	original := version()

	// A corrupt file is rejected; the old model keeps serving.
	if err := os.WriteFile(modelPath, []byte("\x1f\x8bnot a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.hup <- os.Interrupt
	waitFor(t, "the rejection log line", func() bool { return strings.Contains(d.logs.String(), "reload rejected") })
	if v := version(); v != original {
		t.Errorf("after a corrupt reload the version is %q, want %q", v, original)
	}

	// A good file is swapped in.
	writeTinyModel(t, modelPath, "tiny-v2")
	d.hup <- os.Interrupt
	waitFor(t, "the new model", func() bool { return version() == "tiny-v2" })
}

func TestReloadOnFileChange(t *testing.T) {
	dir := t.TempDir()
	modelPath := filepath.Join(dir, "model.bin.gz")
	writeTinyModel(t, modelPath, "tiny-v1")
	conn := startDaemon(t, "-model", modelPath, "-reload-poll", "20ms").dial(t)
	client := stancev1.NewStanceServiceClient(conn)
	// Replace the file as a deployment would: write beside it, rename over.
	tmp := filepath.Join(dir, "model.new")
	writeTinyModel(t, tmp, "tiny-v2")
	if err := os.Rename(tmp, modelPath); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the file watch to load tiny-v2", func() bool {
		info, err := client.GetModelInfo(context.Background(), &stancev1.GetModelInfoRequest{})
		return err == nil && info.GetModelVersion() == "tiny-v2"
	})
}
