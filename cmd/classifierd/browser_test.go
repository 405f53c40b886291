package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	stancev1 "github.com/stance/classifierd/api/gen/stance/v1"
	"github.com/stance/classifierd/internal/sharedtest"
	"google.golang.org/protobuf/encoding/protojson"
)

var screenshot = flag.String("screenshot", "", "TestPageInBrowser writes a PNG of the page to this file (docs/page.png for the README)")

// browser starts headless Chromium for the test, or skips where there is
// none (fails instead when STANCE_REQUIRE_BROWSER=1, as .ci/run sets it
// after installing Debian's chromium).
func browser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		msg := "no Chromium found on PATH (apt-get install chromium, as .ci/run does)"
		if os.Getenv("STANCE_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + "; STANCE_REQUIRE_BROWSER=1 makes this a failure")
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests often run as root, where Chromium's sandbox refuses to start
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1000),
	)
	// Bounds the whole test, not any step: a browser that hangs fails it
	// rather than the package's timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	return ctx
}

// classifyHTTP asks the API what the page asks it, to know what the page
// should show.
func classifyHTTP(t *testing.T, base, text string) *stancev1.ClassifyResponse {
	t.Helper()
	req, err := json.Marshal(map[string]any{"text": text, "offsetEncoding": "OFFSET_ENCODING_UTF16", "options": map[string]any{"maxEvidence": 5}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/v1/classify", "application/json", strings.NewReader(string(req)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("classify: %d %s %v", resp.StatusCode, b, err)
	}
	var out stancev1.ClassifyResponse
	if err := protojson.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

// submit presses Classify and waits until the page has shown the answer
// or the error. The test marks the form busy itself before the click, so
// that the wait cannot end before the page has even seen the click; the
// page clears the mark when it is done.
func submit(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[any](t, ctx, `document.getElementById('form').setAttribute('aria-busy', 'true')`)
	do(t, ctx, chromedp.Click(chromedp.CSS("#classify")), chromedp.WaitNotPresent(chromedp.CSS("#form[aria-busy]")))
}

// do runs browser steps, failing the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

var stanceClass = map[stancev1.Stance]string{
	stancev1.Stance_STANCE_HOSTILE:     "hostile",
	stancev1.Stance_STANCE_COOPERATIVE: "cooperative",
	stancev1.Stance_STANCE_NEUTRAL:     "neutral",
}

// TestPageInBrowser drives the page in headless Chromium as a user would:
// pastes a seed article, classifies it, and checks the marked mentions, a
// mention's tooltip and cue words, the entity table and the relations; then
// an article over the server's limit, whose refusal the page must show.
func TestPageInBrowser(t *testing.T) {
	seeds, err := filepath.Glob(sharedtest.Path(t, "seeds", "000_*.txt"))
	if err != nil || len(seeds) != 1 {
		t.Fatalf("seed 000: %v %v", seeds, err)
	}
	article, err := os.ReadFile(seeds[0])
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	const limit = 20000
	httpAddr := sharedtest.FreeAddr(t)
	startDaemon(t, "-http-addr", httpAddr, "-max-document-bytes", fmt.Sprint(limit))
	base := "http://" + httpAddr
	want := classifyHTTP(t, base, string(article))

	do(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#text")),
		chromedp.SetValue(chromedp.CSS("#text"), string(article)),
	)
	submit(t, ctx)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#results")))

	t.Run("NATO mentions", func(t *testing.T) {
		type mark struct{ Text, Class string }
		got := eval[[]mark](t, ctx, `Array.from(document.querySelectorAll('#doc mark.mention[data-entity="NATO"]'), m => ({Text: m.textContent, Class: m.className}))`)
		var wantMarks []mark
		for _, m := range want.GetMentions() {
			if m.GetEntity().GetId() == "NATO" {
				wantMarks = append(wantMarks, mark{m.GetText(), "mention " + stanceClass[m.GetLabel()]})
			}
		}
		if len(wantMarks) < 2 {
			t.Fatalf("the API found %d NATO mentions in seed 000", len(wantMarks))
		}
		if fmt.Sprint(got) != fmt.Sprint(wantMarks) {
			t.Errorf("NATO marks on the page:\n got %v\nwant %v", got, wantMarks)
		}
		all := eval[int](t, ctx, `document.querySelectorAll('#doc mark.mention').length`)
		if all != len(want.GetMentions()) {
			t.Errorf("%d marks, want one per mention (%d)", all, len(want.GetMentions()))
		}
		if text := eval[string](t, ctx, `document.getElementById('doc').textContent`); text != string(article) {
			t.Errorf("the marked text is not the article as pasted")
		}
	})

	t.Run("tooltip and cue words", func(t *testing.T) {
		// The first NATO mention with evidence: focused with the keyboard.
		idx := -1
		for i, m := range want.GetMentions() {
			if m.GetEntity().GetId() == "NATO" && len(m.GetEvidence()) > 0 {
				idx = i
				break
			}
		}
		if idx < 0 {
			t.Skip("no NATO mention with evidence in this model's answer")
		}
		m := want.GetMentions()[idx]
		do(t, ctx,
			chromedp.Focus(chromedp.CSS(fmt.Sprintf(`#doc mark[data-i="%d"]`, idx))),
			chromedp.WaitVisible(chromedp.CSS("#tip")),
		)
		tip := eval[string](t, ctx, `document.getElementById('tip').innerText`)
		active := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#doc .cue.active'), c => c.textContent)`)
		hostile := fmt.Sprintf("hostile%d%%", int(m.GetProbabilities().GetHostile()*100+0.5))
		for _, s := range []string{"NATO", stanceClass[m.GetLabel()], "Held by", hostile, m.GetEvidence()[0].GetText()} {
			if !strings.Contains(strings.ReplaceAll(tip, "\n", ""), s) {
				t.Errorf("tooltip lacks %q:\n%s", s, tip)
			}
		}
		wantCues := map[string]bool{}
		for _, e := range m.GetEvidence() {
			wantCues[e.GetText()] = true
		}
		gotCues := map[string]bool{}
		for _, c := range active {
			gotCues[c] = true
		}
		if fmt.Sprint(gotCues) != fmt.Sprint(wantCues) {
			t.Errorf("underlined cue words %v, want the mention's evidence %v", gotCues, wantCues)
		}
		if *screenshot != "" {
			// The text with the tooltip open, not the form above it.
			eval[any](t, ctx, `window.scrollTo(0, document.getElementById('results').offsetTop - 8)`)
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("entity table", func(t *testing.T) {
		rows := eval[[][]string](t, ctx, `Array.from(document.querySelectorAll('#entities tbody tr'), r => Array.from(r.cells, c => c.textContent))`)
		if len(rows) != len(want.GetEntities()) {
			t.Fatalf("%d rows, want %d", len(rows), len(want.GetEntities()))
		}
		found := false
		for _, e := range want.GetEntities() {
			if e.GetEntity().GetId() != "NATO" {
				continue
			}
			for _, r := range rows {
				if r[0] == e.GetEntity().GetName() {
					found = true
					if !strings.HasSuffix(r[2], stanceClass[e.GetLabel()]) || r[6] != fmt.Sprint(e.GetMentionCount()) {
						t.Errorf("NATO's row %q, want stance %s and %d mentions", r, stanceClass[e.GetLabel()], e.GetMentionCount())
					}
				}
			}
		}
		if !found {
			t.Errorf("no row for NATO in %q", rows)
		}
	})

	t.Run("relations", func(t *testing.T) {
		section := eval[string](t, ctx, `document.getElementById('relations').innerText`)
		items := eval[int](t, ctx, `document.querySelectorAll('#relations li.relation').length`)
		rels := want.GetRelations()
		if len(rels) == 0 {
			if !strings.Contains(section, "No relations found.") || items != 0 {
				t.Errorf("no relations in the answer, but the section reads %q", section)
			}
			return
		}
		if items != min(len(rels), 500) {
			t.Errorf("%d relations listed, want %d", items, min(len(rels), 500))
		}
		first := rels[0]
		for _, s := range []string{first.GetHolder().GetText(), "→", stanceClass[first.GetLabel()]} {
			if !strings.Contains(section, s) && !strings.Contains(section, first.GetHolder().GetEntity().GetName()) {
				t.Errorf("relations section lacks %q: %q", s, section)
			}
		}
	})

	t.Run("relations when present", func(t *testing.T) {
		// Until the relation stage fills them, the answer's relations are
		// given to the page by a fetch that adds them to the real answer.
		eval[any](t, ctx, `(() => {
			const real = window.fetch;
			window.fetch = async (url, init) => {
				const resp = await real(url, init);
				if (!String(url).endsWith("v1/classify") || !resp.ok) return resp;
				const data = await resp.json();
				data.relations = [{holder: {text: "NATO", entity: {id: "NATO", name: "NATO"}}, target: {text: "Iran", entity: {id: "IRN", name: "Iran"}},
					label: "STANCE_HOSTILE", evidence: [{text: "accused"}], cameoCode: "112"}];
				data.dyads = [{holder: {id: "NATO", name: "NATO"}, target: {id: "IRN", name: "Iran"}, label: "STANCE_HOSTILE", support: 1}];
				window.fetch = real;
				return new Response(JSON.stringify(data), {status: 200, headers: {"Content-Type": "application/json"}});
			};
		})()`)
		submit(t, ctx)
		got := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#relations li'), li => li.textContent)`)
		want := []string{"NATO→Iran: ▼ hostile (1 relation)", "NATO→Iran: ▼ hostile, cue accused (CAMEO 112)"} // the quotes of <q> are CSS, not text
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("relations listed %q, want %q", got, want)
		}
	})

	t.Run("field violations", func(t *testing.T) {
		// The page sends no spans; this fetch adds a reversed one, so that
		// the server's 400 with a field violation reaches the page.
		eval[any](t, ctx, `(() => {
			const real = window.fetch;
			window.fetch = (url, init) => {
				window.fetch = real;
				const body = JSON.parse(init.body);
				body.spans = [{start: 3, end: 1}];
				return real(url, Object.assign({}, init, {body: JSON.stringify(body)}));
			};
		})()`)
		submit(t, ctx)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#error")))
		msg := eval[string](t, ctx, `document.getElementById('error').innerText`)
		for _, s := range []string{"HTTP 400", "invalid request: spans[0]: start 3 is after end 1", "spans[0]: start 3 is after end 1"} {
			if !strings.Contains(msg, s) {
				t.Errorf("error shown %q lacks %q", msg, s)
			}
		}
		if n := eval[int](t, ctx, `document.querySelectorAll('#error ul.violations li').length`); n != 1 {
			t.Errorf("%d field violations listed, want 1", n)
		}
	})

	t.Run("text over the limit", func(t *testing.T) {
		long := strings.Repeat(string(article), limit/len(article)+1)
		do(t, ctx, chromedp.SetValue(chromedp.CSS("#text"), long))
		submit(t, ctx)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#error")))
		msg := eval[string](t, ctx, `document.getElementById('error').innerText`)
		resultsHidden := eval[bool](t, ctx, `document.getElementById('results').hidden`)
		wantMsg := fmt.Sprintf("text is %d bytes; the limit is %d bytes", len(long), limit)
		if !strings.Contains(msg, "HTTP 413") || !strings.Contains(msg, wantMsg) || !resultsHidden {
			t.Errorf("error shown: %q (results hidden: %v), want HTTP 413 and %q", msg, resultsHidden, wantMsg)
		}
	})
}

// TestPageInBrowserLargeArticle has the page show a 1 MB article: every
// mention marked, with far fewer DOM nodes than characters.
func TestPageInBrowserLargeArticle(t *testing.T) {
	if testing.Short() {
		t.Skip("a 1 MB article in a browser takes seconds")
	}
	news := sharedtest.News(t)
	ctx := browser(t)
	var b strings.Builder
	for i := 0; b.Len() < 1000_000; i++ {
		b.WriteString(news[i%len(news)])
		b.WriteString("\n\n")
	}
	text := b.String()
	httpAddr := sharedtest.FreeAddr(t)
	startDaemon(t, "-http-addr", httpAddr, "-max-document-bytes", fmt.Sprint(len(text)+1))
	base := "http://" + httpAddr
	want := classifyHTTP(t, base, text)

	start := time.Now()
	do(t, ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#text")),
		chromedp.SetValue(chromedp.CSS("#text"), text),
	)
	submit(t, ctx)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#results")))
	marks := eval[int](t, ctx, `document.querySelectorAll('#doc mark.mention').length`)
	nodes := eval[int](t, ctx, `(() => { let n = 0; const w = document.createTreeWalker(document.getElementById('doc')); while (w.nextNode()) n++; return n; })()`)
	renderMs := eval[string](t, ctx, `document.getElementById('results').dataset.renderMs`)
	t.Logf("%d bytes, %d mentions, %d DOM nodes: pasted, classified and shown in %v, of which parsing and drawing the answer %s ms",
		len(text), marks, nodes, time.Since(start).Round(time.Millisecond), renderMs)
	if marks != len(want.GetMentions()) {
		t.Errorf("%d marks, want %d", marks, len(want.GetMentions()))
	}
	if nodes > len(text)/10 {
		t.Errorf("%d DOM nodes for %d characters", nodes, len(text))
	}
}
