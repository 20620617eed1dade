package wecom

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/silenceper/wechat/v2/util"
)

// Errors of the callback crypto. They never carry key material.
var (
	errSignature  = errors.New("msg_signature does not match")
	errCiphertext = errors.New("ciphertext does not decrypt")
	errReceiveID  = errors.New("receive id does not match")
)

// signature is WeCom's msg_signature: SHA1 over the sorted token,
// timestamp, nonce and ciphertext (platforms.md §1.4), via the SDK.
func signature(token, timestamp, nonce, encrypt string) string {
	return util.Signature(token, timestamp, nonce, encrypt)
}

// checkSignature compares in constant time.
func checkSignature(token, timestamp, nonce, encrypt, got string) error {
	want := signature(token, timestamp, nonce, encrypt)
	if !hmac.Equal([]byte(want), []byte(got)) {
		return errSignature
	}
	return nil
}

// fixPlus undoes a proxy that turned '+' into ' ' in a query value.
func fixPlus(b64 string) string { return strings.ReplaceAll(b64, " ", "+") }

// decryptApp decrypts an app callback ciphertext whose receive id must be
// the CorpID. The SDK does this one right.
func decryptApp(aesKey43, corpID, b64 string) ([]byte, error) {
	_, msg, err := util.DecryptMsg(corpID, b64, aesKey43)
	if err != nil {
		return nil, errCiphertext
	}
	return msg, nil
}

// decrypt is the AES-256-CBC layout of platforms.md §1.5 written out,
// because the SDK refuses an empty receive id (internal AI bots): it returns
// the message and the receive id found after it.
func decrypt(aesKey43, b64 string) (msg []byte, receiveID string, err error) {
	key, err := decodeAESKey(aesKey43)
	if err != nil {
		return nil, "", err
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, "", errCiphertext
	}
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, "", err
	}
	pt := make([]byte, len(raw))
	cipher.NewCBCDecrypter(blk, key[:aes.BlockSize]).CryptBlocks(pt, raw)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > 32 || pad > len(pt) {
		return nil, "", errCiphertext
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, "", errCiphertext
	}
	n := binary.BigEndian.Uint32(pt[16:20])
	if uint64(n) > uint64(len(pt)-20) {
		return nil, "", errCiphertext
	}
	return pt[20 : 20+int(n)], string(pt[20+int(n):]), nil
}

// encrypt is the mirror of decrypt (the SDK's EncryptMsg, which handles an
// empty receive id), with the 16 random bytes from crypto/rand.
func encrypt(aesKey43, receiveID string, msg []byte) (string, error) {
	b, err := util.EncryptMsg(randomAlnum(16), msg, receiveID, aesKey43)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// randomAlnum returns n random letters and digits from crypto/rand.
func randomAlnum(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return b
}
