package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// daemon is a classifierd process started by stanceload.
type daemon struct {
	cmd *exec.Cmd
	// startup is what classifierd logs as its start-up time (process
	// start to SERVING, model and gazetteer loading included); wall is the
	// time from exec to that log line, Go runtime start included.
	startup, wall time.Duration
	done          chan error
}

var startupRE = regexp.MustCompile(`msg=serving .*startup=(\S+)`)

// startDaemon runs bin on addr with procs cores, pinned to cpus (taskset
// syntax) unless that is empty, and waits for its "serving" log line.
// Pinning gives the server a core of its own: unpinned, the scheduler
// sometimes runs it on the generator's core, and those moments show up as
// the latency tail.
func startDaemon(ctx context.Context, bin, addr string, procs int, cpus string, stderr io.Writer) (*daemon, error) {
	args := []string{bin, "-addr", addr, "-log-format", "text", "-reload-poll", "0"}
	if cpus != "" {
		taskset, err := exec.LookPath("taskset")
		if err != nil {
			return nil, fmt.Errorf("-server-cpus needs taskset (util-linux): %w", err)
		}
		args = append([]string{taskset, "-c", cpus}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(procs))
	pipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	d := &daemon{cmd: cmd, done: make(chan error, 1)}
	ready := make(chan time.Duration, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			// Only the lines before serving can be the serving line: the
			// regexp stays off the per-RPC lines.
			if !sent {
				if m := startupRE.FindStringSubmatch(line); m != nil {
					d.wall = time.Since(began)
					if v, err := time.ParseDuration(m[1]); err == nil {
						ready <- v
					} else {
						ready <- -1
					}
					sent = true
					continue
				}
			}
			// The per-RPC log lines are the server's business; keep only
			// warnings and errors.
			if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
				fmt.Fprintln(stderr, "classifierd:", line)
			}
		}
		d.done <- cmd.Wait()
	}()
	select {
	case d.startup = <-ready:
		return d, nil
	case err := <-d.done:
		return nil, fmt.Errorf("classifierd exited before serving: %v", err)
	case <-time.After(30 * time.Second):
		d.stop()
		return nil, errors.New("classifierd did not log serving within 30s")
	case <-ctx.Done():
		d.stop()
		return nil, ctx.Err()
	}
}

// memory reads the resident set now (VmRSS) and its peak (VmHWM), in KiB.
func (d *daemon) memory() (rss, hwm int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			rss, _ = strconv.Atoi(f[1])
		case "VmHWM:":
			hwm, _ = strconv.Atoi(f[1])
		}
	}
	return rss, hwm, nil
}

// stop sends SIGTERM and waits for the drain, killing after 10s.
func (d *daemon) stop() error {
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-d.done:
		return err
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
		return <-d.done
	}
}
