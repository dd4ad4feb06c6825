// go-verify checks this ledger's checkpoints and proofs with the Go checksum database's own
// packages (golang.org/x/mod/sumdb/note and sumdb/tlog, as Debian packages them): code this
// project did not write. Only reading the file layouts is ours (docs/transparency.md).
//
//	go-verify inclusion <verifier key> <tlog-proof file>
//	go-verify consistency <verifier key> <old checkpoint note> <consistency proof file>
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-verify: "+format+"\n", args...)
	os.Exit(1)
}

func read(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return data
}

// checkpoint opens a signed note with the verifier key and reads its origin, size and root.
func checkpoint(vkey string, signed []byte) (origin string, size int64, root tlog.Hash) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	opened, err := note.Open(signed, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	lines := strings.Split(opened.Text, "\n")
	if len(lines) < 4 || lines[0] != verifier.Name() {
		fail("checkpoint: not a checkpoint of %s", verifier.Name())
	}
	size, err = strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	root, err = tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root: %v", err)
	}
	return lines[0], size, root
}

// hashes reads base64 hash lines up to the blank line before the note, and returns the note.
func hashes(lines []string) ([]tlog.Hash, []byte) {
	var list []tlog.Hash
	for i, line := range lines {
		if line == "" {
			return list, []byte(strings.Join(lines[i+1:], "\n"))
		}
		hash, err := tlog.ParseHash(line)
		if err != nil {
			fail("proof hash: %v", err)
		}
		list = append(list, hash)
	}
	fail("proof: no checkpoint")
	return nil, nil
}

func main() {
	if len(os.Args) < 4 {
		fail("usage: go-verify inclusion <vkey> <proof> | consistency <vkey> <old note> <proof>")
	}
	vkey := os.Args[2]
	switch os.Args[1] {
	case "inclusion":
		lines := strings.Split(string(read(os.Args[3])), "\n")
		if lines[0] != "c2sp.org/tlog-proof@v1" || !strings.HasPrefix(lines[1], "extra ") || !strings.HasPrefix(lines[2], "index ") {
			fail("not a tlog-proof with the record in its extra line")
		}
		record, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[1], "extra "))
		if err != nil || len(record) < 32 {
			fail("extra: not a record")
		}
		// The leaf is the record's digest: SHA-256 of every byte before its last 32, which it ends with.
		digest := sha256.Sum256(record[:len(record)-32])
		if !bytes.Equal(digest[:], record[len(record)-32:]) {
			fail("the record's digest does not cover its bytes")
		}
		index, err := strconv.ParseInt(strings.TrimPrefix(lines[2], "index "), 10, 64)
		if err != nil {
			fail("index: %v", err)
		}
		path, signed := hashes(lines[3:])
		origin, size, root := checkpoint(vkey, signed)
		if err := tlog.CheckRecord(tlog.RecordProof(path), size, root, index, tlog.RecordHash(digest[:])); err != nil {
			fail("inclusion: %v", err)
		}
		fmt.Printf("record %d is in the tree of %d records of %s\n", index+1, size, origin)
	case "consistency":
		if len(os.Args) < 5 {
			fail("consistency needs <old note> <proof>")
		}
		_, oldSize, oldRoot := checkpoint(vkey, read(os.Args[3]))
		lines := strings.Split(string(read(os.Args[4])), "\n")
		if lines[0] != "old "+strconv.FormatInt(oldSize, 10) {
			fail("the proof is not from the old checkpoint's size %d", oldSize)
		}
		proof, signed := hashes(lines[1:])
		origin, size, root := checkpoint(vkey, signed)
		if err := tlog.CheckTree(tlog.TreeProof(proof), size, root, oldSize, oldRoot); err != nil {
			fail("consistency: %v", err)
		}
		fmt.Printf("the tree of %d records extends the tree of %d records of %s\n", size, oldSize, origin)
	default:
		fail("unknown check %q", os.Args[1])
	}
}
