package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// NoTrustWarning is what a run with caches but no trusted key is told:
// every entry would be refused, so it builds.
const NoTrustWarning = "warning: caches given but STALIX_TRUSTED_KEYS is empty, so every entry would be refused; building instead"

// NewSubstituter opens urls and those in $STALIX_CACHES, trusting the keys
// in $STALIX_TRUSTED_KEYS. It returns nil, and no error, without caches or
// without a trusted key (after warning: substituting then could only
// refuse). A URL of no known form is an *ArgError.
func NewSubstituter(urls []string, timeout time.Duration, warn func(string)) (*Substituter, error) {
	urls = append(append([]string{}, urls...), strings.Fields(os.Getenv("STALIX_CACHES"))...)
	if len(urls) == 0 {
		return nil, nil
	}
	keys, err := ParsePublicKeys(os.Getenv("STALIX_TRUSTED_KEYS"))
	if err != nil {
		return nil, fmt.Errorf("STALIX_TRUSTED_KEYS: %w", err)
	}
	if len(keys) == 0 {
		warn(NoTrustWarning)
		return nil, nil
	}
	s := &Substituter{Trusted: keys, Warn: warn}
	for _, u := range urls {
		b, err := Open(u, timeout)
		if err != nil {
			return nil, &ArgError{Err: err}
		}
		s.Caches = append(s.Caches, b)
	}
	return s, nil
}

// ArgError is an argument that names nothing usable (a cache URL of no
// known form, a bad key name): the command line's fault.
type ArgError struct{ Err error }

func (e *ArgError) Error() string { return e.Err.Error() }
func (e *ArgError) Unwrap() error { return e.Err }

// CommandLine marks the error as the command line's, which the cli reports
// with its usage and exit 2.
func (e *ArgError) CommandLine() {}

// WriteKeyPair makes a key pair NAME and writes DIR/NAME.sec (mode 0600)
// and DIR/NAME.pub. It never overwrites a key file.
func WriteKeyPair(dir, name string) (paths []string, pub PublicKey, err error) {
	sec, pub, err := GenerateKey(name)
	if err != nil {
		return nil, pub, &ArgError{Err: err}
	}
	for _, f := range []struct {
		name, text string
		mode       os.FileMode
	}{{name + ".sec", sec.String(), 0o600}, {name + ".pub", pub.String(), 0o644}} {
		p := filepath.Join(dir, f.name)
		w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.mode)
		if err != nil {
			return paths, pub, fmt.Errorf("%w (keygen never overwrites a key)", err)
		}
		_, err = fmt.Fprintln(w, f.text)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return paths, pub, err
		}
		paths = append(paths, p)
	}
	return paths, pub, nil
}

// ReadSecretKey reads a key file written by WriteKeyPair.
func ReadSecretKey(path string) (SecretKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return SecretKey{}, err
	}
	key, err := ParseSecretKey(string(data))
	if err != nil {
		return key, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

// WriteBlobFile writes dir's archive, zstd, to path as a cache's /cas
// holds it; a failed write leaves no file.
func WriteBlobFile(path, dir string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := WriteBlob(f, dir); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
