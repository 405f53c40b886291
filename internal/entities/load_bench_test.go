package entities

import (
	"runtime"
	"testing"

	"github.com/stance/classifierd/internal/entities/data"
)

// BenchmarkDefaultLoad builds the embedded gazetteer as Default does and
// reports the heap it keeps (heap-MB: HeapInuse after a GC with the
// gazetteer live, minus the same before loading).
func BenchmarkDefaultLoad(b *testing.B) {
	b.ReportAllocs()
	var kept float64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		g, err := Load(data.Gazetteer())
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(g)
		kept = float64(after.HeapInuse-before.HeapInuse) / (1 << 20)
		b.StartTimer()
	}
	b.ReportMetric(kept, "heap-MB")
}
