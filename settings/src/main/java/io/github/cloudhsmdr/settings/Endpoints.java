package io.github.cloudhsmdr.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The endpoint URL every cloudhsm-dr program accepts to send its calls somewhere else than the SDK's endpoint of
 * each region (a VPC endpoint, an emulator): an absolute {@code http} or {@code https} URL with a host.
 */
public final class Endpoints {
    /** What an endpoint may be, for error messages. */
    public static final String ALLOWED = "an http(s) URL such as http://127.0.0.1:4566";

    private Endpoints() {
    }

    /**
     * @param text the URL, surrounding blanks ignored
     * @return the URL
     * @throws IllegalArgumentException {@code '<text>' is not an http(s) URL such as http://127.0.0.1:4566}
     */
    public static URI parse(String text) {
        Objects.requireNonNull(text, "text");
        String problem = "'" + text + "' is not " + ALLOWED;
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem, e);
        }
        throw new IllegalArgumentException(problem);
    }
}
