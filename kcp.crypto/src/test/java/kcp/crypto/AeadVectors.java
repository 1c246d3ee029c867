package kcp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Parsed form of golden/aead-vectors.txt, written by interop/go/bin/aeadvec: kcp-go v5.6.72's AEAD framing
 * built on golang.org/x/crypto, plus HChaCha20 and Poly1305 known answers.
 */
public final class AeadVectors {
    static final String RESOURCE = "/golden/aead-vectors.txt";

    /** One sealed datagram: name, key, payload length, datagram (nonce 00 01 02 ... | ciphertext | tag). */
    public record Datagram(String name, byte[] key, int n, byte[] data) {
        @Override
        public String toString() {
            return name + " n=" + n;
        }
    }

    /** One building-block known answer: kind (hchacha20, poly1305, poly1305ff) and its hex fields. */
    public record Primitive(String kind, List<byte[]> fields, int n) {
    }

    final String text;
    public final List<Datagram> datagrams = new ArrayList<>();
    public final List<Primitive> primitives = new ArrayList<>();

    private AeadVectors(String text) {
        this.text = text;
        HexFormat hex = HexFormat.of();
        byte[] key = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            switch (f[0]) {
                case "pass" -> {
                }
                case "key" -> key = hex.parseHex(f[2]);
                case "aead" -> datagrams.add(new Datagram(f[1], key, Integer.parseInt(f[2]), hex.parseHex(f[3])));
                case "hchacha20" -> primitives.add(new Primitive(f[0],
                        List.of(hex.parseHex(f[1]), hex.parseHex(f[2]), hex.parseHex(f[3])), 0));
                case "poly1305", "poly1305ff" -> primitives.add(new Primitive(f[0],
                        List.of(hex.parseHex(f[1]), hex.parseHex(f[3])), Integer.parseInt(f[2])));
                default -> throw new IllegalStateException("unknown line in " + RESOURCE + ": " + line);
            }
        }
    }

    /**
     * Loads the committed vectors.
     *
     * @return the parsed file
     * @throws IOException if the resource cannot be read
     */
    public static AeadVectors load() throws IOException {
        try (InputStream in = AeadVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the test class path");
            }
            return new AeadVectors(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    /**
     * The generator's payloads: spec 13.5's KCP packet for 29 bytes, else the (7i+3) pattern.
     *
     * @param n payload length
     * @return the payload
     */
    public static byte[] payloadFor(int n) {
        return n == 29 ? HexFormat.of().parseHex("0403020151002000e803000000000000000000000500000068656c6c6f")
                : GoldenVectors.pattern(n);
    }
}
