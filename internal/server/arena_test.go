package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/wire"
	"google.golang.org/protobuf/testing/protocmp"
)

// arenaDocs are texts of very different response sizes: a reused arena
// must not leak a bigger response's messages into a smaller one.
var arenaDocs = []string{
	strings.Repeat("NATO accused Iran of destabilizing the region while Russia and Belarus deepened ties. ", 40),
	"Iran and Russia signed a cooperation pact.",
	"",
	"The weather was mild in Tehran, said President Ebrahim Raisi, who praised China.",
}

// A response built in a reused arena is the response a fresh arena gives.
func TestArenaReuseGivesFreshResponses(t *testing.T) {
	c := testClassifier(t)
	s := New(c, DefaultLimits, nil)
	a := new(wire.Arena)
	for round := range 3 {
		for i, text := range arenaDocs {
			req := &stancev1.ClassifyRequest{Id: "d", Text: text, Options: &stancev1.ClassifyOptions{MaxEvidence: 20}}
			if text == "" {
				req.Text = "Nothing here."
			}
			want, err := s.classify(context.Background(), c, req, new(wire.Arena))
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.classify(context.Background(), c, req, a)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Fatalf("round %d doc %d: reused arena (-fresh +reused):\n%s", round, i, diff)
			}
			a.Reset()
		}
	}
}

// Under concurrent unary and stream calls every response is exactly the
// one a lone call gets: an arena released while gRPC still needed its
// response would show up here as a wrong or mixed-up answer (and as a data
// race under -race).
func TestPooledResponsesUnderConcurrency(t *testing.T) {
	client := startServer(t, DefaultLimits)
	ctx := context.Background()
	var want []*stancev1.ClassifyResponse
	for i, text := range arenaDocs[:2] {
		r, err := client.Classify(ctx, &stancev1.ClassifyRequest{Id: string(rune('a' + i)), Text: text})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 4 {
		wg.Add(2)
		go func() { // unary
			defer wg.Done()
			for k := range 30 {
				i := (g + k) % len(want)
				got, err := client.Classify(ctx, &stancev1.ClassifyRequest{Id: want[i].GetId(), Text: arenaDocs[i]})
				if err == nil {
					if diff := cmp.Diff(want[i], got, protocmp.Transform()); diff != "" {
						err = fmt.Errorf("unary response differs from a lone call's (-lone +got):\n%s", diff)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
		go func() { // stream
			defer wg.Done()
			st, err := client.ClassifyStream(ctx)
			if err != nil {
				errs <- err
				return
			}
			go func() {
				for k := range 30 {
					i := (g + k) % len(want)
					if st.Send(&stancev1.ClassifyRequest{Id: want[i].GetId(), Text: arenaDocs[i]}) != nil {
						return
					}
				}
				st.CloseSend()
			}()
			for {
				got, err := st.Recv()
				if errors.Is(err, io.EOF) {
					return
				}
				if err == nil {
					i := int(got.GetId()[0] - 'a')
					if diff := cmp.Diff(want[i], got, protocmp.Transform()); diff != "" {
						err = fmt.Errorf("streamed response differs from a lone call's (-lone +got):\n%s", diff)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
