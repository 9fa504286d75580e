package cache

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Keys are written as Nix writes them: "name:base64", the secret key's
// 64 bytes or the public key's 32, so one name says which key signed.

// SecretKey signs records.
type SecretKey struct {
	Name string
	Key  ed25519.PrivateKey
}

// PublicKey checks them.
type PublicKey struct {
	Name string
	Key  ed25519.PublicKey
}

// GenerateKey makes a key pair called name.
func GenerateKey(name string) (SecretKey, PublicKey, error) {
	if err := checkKeyName(name); err != nil {
		return SecretKey{}, PublicKey{}, err
	}
	pub, sec, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return SecretKey{}, PublicKey{}, err
	}
	return SecretKey{name, sec}, PublicKey{name, pub}, nil
}

func checkKeyName(name string) error {
	if name == "" || strings.ContainsAny(name, ": \t\n") {
		return fmt.Errorf("key name %q: want a non-empty name without ':' or spaces, e.g. builder-1", name)
	}
	return nil
}

func (k SecretKey) String() string { return k.Name + ":" + base64.StdEncoding.EncodeToString(k.Key) }

func (k PublicKey) String() string { return k.Name + ":" + base64.StdEncoding.EncodeToString(k.Key) }

// Public is the key that checks k's signatures.
func (k SecretKey) Public() PublicKey {
	return PublicKey{k.Name, k.Key.Public().(ed25519.PublicKey)}
}

// splitKey parses "name:base64" holding size bytes.
func splitKey(s string, size int, what string) (string, []byte, error) {
	s = strings.TrimSpace(s)
	name, b64, ok := strings.Cut(s, ":")
	if !ok || checkKeyName(name) != nil {
		return "", nil, fmt.Errorf("%s %q: want name:base64", what, s)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != size {
		return "", nil, fmt.Errorf("%s %q: want %d bytes of base64 after the name", what, name, size)
	}
	return name, b, nil
}

// ParseSecretKey reads a secret key as keygen writes it.
func ParseSecretKey(s string) (SecretKey, error) {
	name, b, err := splitKey(s, ed25519.PrivateKeySize, "secret key")
	return SecretKey{name, ed25519.PrivateKey(b)}, err
}

// ParsePublicKeys reads a list of public keys separated by spaces, as in
// STALIX_TRUSTED_KEYS (and Nix's trusted-public-keys).
func ParsePublicKeys(list string) ([]PublicKey, error) {
	var out []PublicKey
	for _, f := range strings.Fields(list) {
		name, b, err := splitKey(f, ed25519.PublicKeySize, "public key")
		if err != nil {
			return nil, err
		}
		out = append(out, PublicKey{name, ed25519.PublicKey(b)})
	}
	return out, nil
}

// Sign returns k's signature of msg, "name:base64".
func (k SecretKey) Sign(msg string) string {
	return k.Name + ":" + base64.StdEncoding.EncodeToString(ed25519.Sign(k.Key, []byte(msg)))
}

var errUnsigned = errors.New("no signature by a trusted key (STALIX_TRUSTED_KEYS)")

// Verify accepts msg when one of sigs is a valid signature by one of keys.
func Verify(keys []PublicKey, msg string, sigs []string) error {
	bad := ""
	for _, s := range sigs {
		name, b64, _ := strings.Cut(s, ":")
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		for _, k := range keys {
			if k.Name != name {
				continue
			}
			if ed25519.Verify(k.Key, []byte(msg), sig) {
				return nil
			}
			bad = name
		}
	}
	if bad != "" {
		return fmt.Errorf("the signature by %s does not match (tampered, or a different key of that name)", bad)
	}
	return errUnsigned
}
