package kcp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Parsed form of golden/crypt-vectors.txt (written by interop/go/bin/cryptovec from real kcp-go). */
final class GoldenVectors {
    static final String RESOURCE = "/golden/crypt-vectors.txt";

    /** One vector line with the key in force for it. */
    record Vector(String kind, String name, byte[] key, int n, byte[] data) {
        @Override
        public String toString() {
            return kind + " " + name + " key=" + key.length + "B n=" + n;
        }
    }

    /** One kcptun passphrase derivation. */
    record Kdf(String phrase, byte[] key) {
    }

    final String text;
    byte[] pass;
    byte[] xorTable;
    final List<Vector> vectors = new ArrayList<>();
    final List<Kdf> kdfs = new ArrayList<>();

    private GoldenVectors(String text) {
        this.text = text;
        HexFormat hex = HexFormat.of();
        byte[] key = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            switch (f[0]) {
                case "pass" -> pass = hex.parseHex(f[1]);
                case "xortable" -> xorTable = hex.parseHex(f[1]);
                case "key" -> key = hex.parseHex(f[2]);
                case "kcptun" -> {
                    int q = line.lastIndexOf('"');
                    kdfs.add(new Kdf(line.substring(line.indexOf('"') + 1, q), hex.parseHex(line.substring(q + 2))));
                }
                case "enc", "sealed", "gcm" -> vectors.add(new Vector(f[0], f[1], key, Integer.parseInt(f[2]),
                        f.length > 3 ? hex.parseHex(f[3]) : new byte[0]));
                default -> throw new IllegalStateException("unknown line in " + RESOURCE + ": " + line);
            }
        }
    }

    static GoldenVectors load() throws IOException {
        try (InputStream in = GoldenVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the test class path");
            }
            return new GoldenVectors(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    /** kcp-go's test plaintext: byte i = (7i + 3) mod 256. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (7 * i + 3);
        }
        return b;
    }

    /** The fixed nonce 00 01 02 ... used by the sealed vectors. */
    static NonceSource fixedNonce() {
        return (buf, off, len) -> {
            for (int i = 0; i < len; i++) {
                buf[off + i] = (byte) i;
            }
        };
    }
}
