package progress

import (
	"fmt"
	"time"
)

// Duration formats d for people: "0.4s", "28.1s", "2m03s", "1h05m".
// Each form is chosen after rounding, so 59.97s reads "1m00s", not "60.0s".
func Duration(d time.Duration) string {
	d = max(d, 0)
	if r := d.Round(100 * time.Millisecond); r < time.Minute {
		return fmt.Sprintf("%.1fs", r.Seconds())
	}
	if r := d.Round(time.Second); r < time.Hour {
		return fmt.Sprintf("%dm%02ds", int(r.Minutes()), int(r.Seconds())%60)
	}
	r := d.Round(time.Minute)
	return fmt.Sprintf("%dh%02dm", int(r.Hours()), int(r.Minutes())%60)
}
