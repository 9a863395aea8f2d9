package capgo

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// serverDate notes the time the server stated in the Date header of its answers to the calls
// made with a context from withServerDate. The create read-back needs the server's own clock to
// tell an organization made by this call from an older one: the machine running Terraform may
// be set to another time.
type serverDate struct {
	mu   sync.Mutex
	date time.Time // of the latest answer that had a readable Date; zero when none had
}

type serverDateKey struct{}

// withServerDate returns a context whose calls note their answers' Date in the serverDate
// returned.
func withServerDate(ctx context.Context) (context.Context, *serverDate) {
	d := &serverDate{}
	return context.WithValue(ctx, serverDateKey{}, d), d
}

// get returns the Date of the latest answer noted, zero when there was none.
func (d *serverDate) get() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.date
}

// noteServerDate is the retryablehttp response hook: it runs after every attempt that got an
// answer, and notes that answer's Date for a context that asks for it.
func noteServerDate(_ retryablehttp.Logger, resp *http.Response) {
	if resp == nil || resp.Request == nil {
		return
	}
	d, _ := resp.Request.Context().Value(serverDateKey{}).(*serverDate)
	if d == nil {
		return
	}
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	d.mu.Lock()
	d.date = date
	d.mu.Unlock()
}
