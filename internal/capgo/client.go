package capgo

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Config configures a Client.
type Config struct {
	// BaseURL is where the API lives (CheckBaseURL), e.g. DefaultBaseURL. A
	// trailing slash is tolerated, and a path prefix is kept.
	BaseURL string
	// APIKey is sent as is in the authorization header.
	APIKey string
	// UserAgent is sent with every request; empty means DefaultUserAgent.
	UserAgent string
	// HTTPClient is the client requests go through; nil means a fresh pooled
	// client. It is copied, never modified.
	HTTPClient *http.Client
	// MaxRetries is the number of retries after the first attempt, from 0
	// (none) to MaxMaxRetries; nil means DefaultMaxRetries.
	MaxRetries *int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts; zero
	// means DefaultRetryWaitMin and DefaultRetryWaitMax. A Retry-After sent by
	// the server is honoured up to RetryWaitMax.
	RetryWaitMin, RetryWaitMax time.Duration
	// RequestTimeout bounds each attempt; zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// OperationTimeout bounds one call with all its attempts and waits, and
	// one confirmed write with its read-backs; zero means
	// DefaultOperationTimeout.
	OperationTimeout time.Duration
	// RequestsPerMinute paces every request of the process with this key to
	// this server (pacing.go): 0 for none, nil for DefaultRequestsPerMinute.
	RequestsPerMinute *int
	// OrganizationSettle is how long an organization must see no ordinary
	// write before a guarded one starts (see WriteToOrganization); zero
	// means DefaultOrganizationSettle.
	OrganizationSettle time.Duration
}

// Client calls the Capgo API. It is safe for concurrent use.
type Client struct {
	baseURL   *url.URL
	apiKey    string
	userAgent string
	http      *retryablehttp.Client

	// nameLocks holds one *sync.Mutex per organization name being created; see
	// CreateOrganizationOnce.
	nameLocks sync.Map

	// memberLists and orgLists are the answers shared by refreshes; see shared_reads.go.
	memberLists sharedLists[Member]
	orgLists    sharedLists[Organization]

	// gates coordinate the writes to each organization; see organization_writes.go.
	gates  organizationGates
	settle time.Duration

	// keyUser is what the client knows of the API key's own user; see key_user.go.
	keyUser keyUser

	// recognised is which API the server speaks, once an answer has told; see api.go.
	recognised recognisedAPI

	// keyGate lets the key out one request at a time until the server has accepted it; see
	// key_gate.go.
	keyGate *keyGate

	// operationTimeout bounds one operation (see operation); requestTimeout is each attempt's.
	operationTimeout, requestTimeout time.Duration
	// answered is set once the server has answered any request: a server that never has is
	// given up on sooner when it does not answer (checkRetry).
	answered atomic.Bool
}

// NewClient checks cfg and returns a Client built from it.
func NewClient(cfg Config) (*Client, error) {
	// Surrounding whitespace in a key is a copy-and-paste accident, and a
	// trailing newline would make the header invalid.
	apiKey := strings.TrimSpace(cfg.APIKey)
	// The messages name the setting, never the key's value.
	if apiKey == "" {
		return nil, errEmptyKey
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		// The base URL is echoed to help fix it; should the key have been put
		// there by mistake, it must still not show.
		return nil, errors.New("capgo: the base URL " + strings.ReplaceAll(err.Error(), apiKey, "[REDACTED]"))
	}

	userAgent := cfg.UserAgent
	if userAgent == "" {
		userAgent = DefaultUserAgent
	}

	maxRetries := DefaultMaxRetries
	if cfg.MaxRetries != nil {
		maxRetries = *cfg.MaxRetries
	}
	if err := CheckMaxRetries(maxRetries); err != nil {
		return nil, fmt.Errorf("capgo: MaxRetries: %w", err)
	}
	perMinute := DefaultRequestsPerMinute
	if cfg.RequestsPerMinute != nil {
		perMinute = *cfg.RequestsPerMinute
	}
	if err := CheckRequestsPerMinute(perMinute); err != nil {
		return nil, fmt.Errorf("capgo: RequestsPerMinute: %w", err)
	}
	waitMin := durationOr(cfg.RetryWaitMin, DefaultRetryWaitMin)
	waitMax := durationOr(cfg.RetryWaitMax, DefaultRetryWaitMax)
	if waitMax < waitMin {
		waitMax = waitMin
	}

	// Work on a copy so that the caller's client keeps its own transport and
	// timeout, whatever it is shared with.
	var httpClient http.Client
	if cfg.HTTPClient != nil {
		httpClient = *cfg.HTTPClient
	} else {
		httpClient = *cleanhttp.DefaultPooledClient()
	}
	httpClient.Transport = &observingTransport{base: httpClient.Transport, pace: pacerFor(base.String(), apiKey, perMinute)}
	// http.Client.Timeout covers one Do call, so it is a per-attempt limit;
	// it also covers reading the answer's body after Do returns.
	requestTimeout := durationOr(cfg.RequestTimeout, DefaultRequestTimeout)
	httpClient.Timeout = requestTimeout

	rc := &retryablehttp.Client{
		HTTPClient:   &httpClient,
		Logger:       nil, // logging goes through tflog in observingTransport instead
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     maxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		// Hand back the last answer once retries are exhausted, so that the
		// caller gets the server's own error instead of a generic one.
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: countAttempt,
		// Notes the server's Date for the calls that ask for it; see serverDate.
		ResponseLogHook: noteServerDate,
	}

	return &Client{
		baseURL:   base,
		apiKey:    apiKey,
		userAgent: userAgent,
		http:      rc,
		settle:    durationOr(cfg.OrganizationSettle, DefaultOrganizationSettle),
		keyGate:   gateFor(base.String(), apiKey),

		operationTimeout: durationOr(cfg.OperationTimeout, DefaultOperationTimeout),
		requestTimeout:   requestTimeout,
	}, nil
}

// endpoint joins the base URL, an API route and its query.
func (c *Client) endpoint(route string, query url.Values) string {
	u := *c.baseURL
	u.Path += route
	u.RawQuery = query.Encode()
	return u.String()
}

func durationOr(d, fallback time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return fallback
}
