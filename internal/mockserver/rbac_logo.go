package mockserver

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
)

// signedLogoBase is where the mock's signed logo URLs point: a name that
// resolves nowhere, since nothing is served behind them.
const signedLogoBase = "https://storage.capgo-mock.invalid/storage/v1/object/sign/images/"

// isExternalLogo tells a logo given as a URL, which the backend answers as
// stored, from one uploaded in the console, which it stores as a path in its
// storage.
func isExternalLogo(logo string) bool {
	lower := strings.ToLower(logo)
	return strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
}

// readableLogo is a logo as a read answers it: a storage path becomes a URL
// signed afresh, different on every read as the backend's signatures are;
// anything else is answered as stored.
func readableLogo(logo *string) *string {
	if logo == nil || *logo == "" || isExternalLogo(*logo) {
		return logo
	}
	var token [16]byte
	// crypto/rand.Read never returns an error on supported platforms.
	_, _ = rand.Read(token[:])
	signed := signedLogoBase + (&url.URL{Path: *logo}).EscapedPath() + "?token=" + hex.EncodeToString(token[:])
	return &signed
}
