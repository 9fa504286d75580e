package cache

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestKeysRoundTrip(t *testing.T) {
	sec, pub, err := GenerateKey("builder-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sec.String(), "builder-1:") || !strings.HasPrefix(pub.String(), "builder-1:") {
		t.Fatalf("keys not written name:base64: %s, %s", sec, pub)
	}
	sec2, err := ParseSecretKey(sec.String() + "\n")
	if err != nil || sec2.String() != sec.String() || sec2.Public().String() != pub.String() {
		t.Fatalf("secret key did not read back: %v", err)
	}
	_, pub2, _ := GenerateKey("builder-2")
	keys, err := ParsePublicKeys(" " + pub.String() + "\n\t" + pub2.String() + " ")
	if err != nil || len(keys) != 2 || keys[1].String() != pub2.String() {
		t.Fatalf("ParsePublicKeys = %v, %v", keys, err)
	}
}

func TestKeysRefused(t *testing.T) {
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(make([]byte, n)) }
	for _, tc := range []struct{ in, want string }{
		{"nocolon", "want name:base64"},
		{":" + b64(32), "want name:base64"},
		{"k:!!!", "want 32 bytes"},
		{"k:" + b64(31), "want 32 bytes"},
		{"k:" + b64(64), "want 32 bytes"},
	} {
		if _, err := ParsePublicKeys(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParsePublicKeys(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseSecretKey("k:" + b64(32)); err == nil || !strings.Contains(err.Error(), "want 64 bytes") {
		t.Errorf("a public key read as a secret one: %v", err)
	}
	if _, _, err := GenerateKey("a:b"); err == nil {
		t.Error("made a key whose name has a colon")
	}
}

func TestVerify(t *testing.T) {
	k, pub, _ := GenerateKey("k")
	twin, twinPub, _ := GenerateKey("k")
	_, other, _ := GenerateKey("other")
	sig := k.Sign("msg")
	for _, tc := range []struct {
		name    string
		trusted []PublicKey
		msg     string
		sigs    []string
		want    string
	}{
		{"good", []PublicKey{other, pub}, "msg", []string{sig}, ""},
		{"one good among bad", []PublicKey{pub}, "msg", []string{"k:!!", twin.Sign("msg"), sig}, ""},
		{"other message", []PublicKey{pub}, "msg2", []string{sig}, "does not match"},
		{"same name, other key", []PublicKey{twinPub}, "msg", []string{sig}, "does not match"},
		{"untrusted name", []PublicKey{other}, "msg", []string{sig}, "no signature by a trusted key"},
		{"no signatures", []PublicKey{pub}, "msg", nil, "no signature by a trusted key"},
		{"truncated signature", []PublicKey{pub}, "msg", []string{sig[:len(sig)-8]}, "does not match"},
	} {
		err := Verify(tc.trusted, tc.msg, tc.sigs)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: Verify = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestFingerprint pins what a signature covers: changing it makes every
// published signature invalid.
func TestFingerprint(t *testing.T) {
	r := Record{
		Base: "0123456789abcdfghijklmnpqrsvwxyz-musl-1.2.3", ContentHash: strings.Repeat("c", 64), Size: 42,
		Archive: Digest{strings.Repeat("a", 64), 99}, Runtime: []string{"z-b-1", "y-a-1"},
	}
	want := "stalix-cache 1;0123456789abcdfghijklmnpqrsvwxyz;0123456789abcdfghijklmnpqrsvwxyz-musl-1.2.3;" +
		strings.Repeat("c", 64) + ";42;" + strings.Repeat("a", 64) + ";99;y-a-1,z-b-1"
	if got := r.Fingerprint(); got != want {
		t.Errorf("fingerprint\n%s\nwant\n%s", got, want)
	}
}
