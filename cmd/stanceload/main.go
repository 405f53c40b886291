// Command stanceload is a load generator for classifierd on this machine.
// It starts classifierd (or uses one already listening), measures its
// start-up time and memory, finds the peak unary Classify throughput on a
// news article of about 5 KB, then offers fixed request rates (25, 50, 75
// and 100% of that peak by default) and reports throughput and latency
// percentiles, and the throughput of ClassifyStream. It prints a Markdown
// report.
//
// It only ever connects to a loopback address, and every step is bounded
// in time and in requests:
//
//	stanceload -exec ./classifierd -seeds ../shared/seeds
//	stanceload -addr 127.0.0.1:50051 -text article.txt -duration 5s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Config is everything run reads from the command line.
type Config struct {
	Addr        string
	Exec        string
	ServerProcs int
	ServerCPUs  string
	Text        string
	Seeds       string
	Size        int
	Duration    time.Duration
	MaxRequests int
	Concurrency int
	Rates       []float64
	Streams     int
	Warmup      time.Duration
	// Latencies names a file to write every open-loop request to, for
	// lining the slow ones up with a server trace; empty for none.
	Latencies string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "stanceload:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := load(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "stanceload:", err)
		return 1
	}
	return 0
}

func parseConfig(args []string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("stanceload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	var rates string
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:50061", "loopback address of classifierd (with -exec: where to start it)")
	fs.StringVar(&cfg.Exec, "exec", "", "classifierd binary to start on -addr and stop at the end (default: use a running server)")
	fs.IntVar(&cfg.ServerProcs, "server-procs", 1, "GOMAXPROCS of the classifierd that -exec starts")
	fs.StringVar(&cfg.ServerCPUs, "server-cpus", "", "CPUs to pin the classifierd that -exec starts to, as taskset -c takes them (e.g. 1); default: not pinned")
	fs.StringVar(&cfg.Text, "text", "", "file holding the article to send")
	fs.StringVar(&cfg.Seeds, "seeds", "", "folder of .txt articles: send the one closest to -size bytes (instead of -text)")
	fs.IntVar(&cfg.Size, "size", 5000, "article size wanted from -seeds, in bytes")
	fs.DurationVar(&cfg.Duration, "duration", 5*time.Second, "length of each step")
	fs.IntVar(&cfg.MaxRequests, "max-requests", 50000, "most requests in one step")
	fs.IntVar(&cfg.Concurrency, "concurrency", 2, "callers when measuring peak throughput (classifierd sheds beyond 4 per core)")
	fs.StringVar(&rates, "rates", "25,50,75,100", "offered rates as percentages of the measured peak")
	fs.IntVar(&cfg.Streams, "streams", 1, "concurrent ClassifyStream calls in the stream step")
	fs.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "unmeasured load before the peak step")
	fs.StringVar(&cfg.Latencies, "latencies", "", "write each open-loop request (step %, scheduled start in Unix ns, latency ns, failed) to this TSV file")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if err := checkLoopback(cfg.Addr); err != nil {
		return Config{}, err
	}
	if (cfg.Text == "") == (cfg.Seeds == "") {
		return Config{}, errors.New("give one of -text and -seeds")
	}
	for _, r := range strings.Split(rates, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(r), 64)
		if err != nil || v <= 0 || v > 1000 {
			return Config{}, fmt.Errorf("-rates %q: want percentages in (0, 1000]", rates)
		}
		cfg.Rates = append(cfg.Rates, v)
	}
	if cfg.Duration <= 0 || cfg.Duration > 5*time.Minute {
		return Config{}, errors.New("-duration must be in (0, 5m]")
	}
	if cfg.MaxRequests < 1 || cfg.Concurrency < 1 || cfg.Streams < 1 || cfg.ServerProcs < 1 {
		return Config{}, errors.New("-max-requests, -concurrency, -streams and -server-procs must be at least 1")
	}
	return cfg, nil
}

// checkLoopback refuses any address that is not this machine's loopback:
// a load generator must not be pointed at someone else's server by mistake.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q: only loopback addresses (127.0.0.1, ::1) are allowed", addr)
}

// article reads the text to send: -text, or the -seeds article closest to
// -size bytes.
func article(cfg Config) (name, text string, err error) {
	if cfg.Text != "" {
		b, err := os.ReadFile(cfg.Text)
		return filepath.Base(cfg.Text), string(b), err
	}
	paths, err := filepath.Glob(filepath.Join(cfg.Seeds, "*.txt"))
	if err != nil {
		return "", "", err
	}
	if len(paths) == 0 {
		return "", "", fmt.Errorf("no .txt articles in %s", cfg.Seeds)
	}
	sort.Strings(paths)
	best, bestDiff := "", -1
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return "", "", err
		}
		if d := abs(int(fi.Size()) - cfg.Size); bestDiff < 0 || d < bestDiff {
			best, bestDiff = p, d
		}
	}
	b, err := os.ReadFile(best)
	return filepath.Base(best), string(b), err
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
