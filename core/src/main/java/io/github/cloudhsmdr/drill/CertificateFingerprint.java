package io.github.cloudhsmdr.drill;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SHA-256 fingerprint of a PEM certificate as CloudHSM reports it: the hash of the DER bytes, the value
 * {@code openssl x509 -noout -fingerprint -sha256} prints (without colons, lower case). Two PEM texts that differ
 * only in line breaks or armour have the same fingerprint.
 */
public final class CertificateFingerprint {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private CertificateFingerprint() {
    }

    /**
     * @param pem a PEM certificate, or {@code null}
     * @return its fingerprint, or empty when {@code pem} is null, blank or not base64
     */
    public static Optional<String> of(String pem) {
        if (pem == null || pem.isBlank()) {
            return Optional.empty();
        }
        String body = pem;
        int begin = body.indexOf(BEGIN);
        if (begin >= 0) {
            body = body.substring(begin + BEGIN.length());
        }
        int end = body.indexOf(END);
        if (end >= 0) {
            body = body.substring(0, end);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (der.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
